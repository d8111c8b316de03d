"""What a provider charges per home-internet voucher code and month, per catalogue version."""

from types import SimpleNamespace

import django.db.models.deletion
from django.db import migrations, models

from ictmonitor.connectivity.catalogue import load as load_catalogue

MODELS = ["Offer", "Module", "Provider", "CatalogueVersion", "OfferPrice", "ModulePrice",
          "VoucherPrice", "Subscription"]


def load(apps, schema_editor):
    load_catalogue(models=SimpleNamespace(**{n: apps.get_model("connectivity", n)
                                             for n in MODELS}))


class Migration(migrations.Migration):

    dependencies = [("connectivity", "0005_load_catalogue_versions")]

    operations = [
        migrations.CreateModel(
            name="VoucherPrice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("monthly_eur", models.DecimalField(decimal_places=2, max_digits=9)),
                ("provider", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                               related_name="+", to="connectivity.provider")),
                ("version", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="voucher_prices",
                                              to="connectivity.catalogueversion")),
            ],
            options={
                "verbose_name": "voucher price",
                "ordering": ["version", "provider"],
                "constraints": [models.UniqueConstraint(fields=("version", "provider"),
                                                        name="voucher_price_key")],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
