"""Load the shipped connectivity catalogue (offers, modules, illustrative prices)."""

from django.db import migrations


def load(apps, schema_editor):
    from types import SimpleNamespace

    from ictmonitor.connectivity.catalogue import load as load_catalogue

    names = ["Offer", "Module", "Provider", "OfferPrice", "ModulePrice"]
    load_catalogue(models=SimpleNamespace(**{n: apps.get_model("connectivity", n) for n in names}))


class Migration(migrations.Migration):
    dependencies = [("connectivity", "0002_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
