"""Load the shipped catalogue with its versions, and date every line's prices."""

from types import SimpleNamespace

from django.db import migrations

from ictmonitor.connectivity.catalogue import load as load_catalogue

MODELS = ["Offer", "Module", "Provider", "CatalogueVersion", "OfferPrice", "ModulePrice",
          "Subscription"]


def load(apps, schema_editor):
    load_catalogue(models=SimpleNamespace(**{n: apps.get_model("connectivity", n)
                                             for n in MODELS}))


class Migration(migrations.Migration):
    dependencies = [("connectivity", "0004_catalogue_versions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
