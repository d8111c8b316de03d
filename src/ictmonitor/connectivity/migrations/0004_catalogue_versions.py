"""Catalogue versions dated by their framework contract; prices per version, with one-off
connection costs and per-unit module prices; lines and requests keep the version they were
priced under. The prices themselves are loaded from the catalogue file by 0005."""

import django.db.models.deletion
from django.db import migrations, models


def drop_unversioned_prices(apps, schema_editor):
    apps.get_model("connectivity", "OfferPrice").objects.all().delete()
    apps.get_model("connectivity", "ModulePrice").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("connectivity", "0003_load_catalogue")]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("code", models.SlugField(max_length=40, primary_key=True, serialize=False)),
                ("name_nl", models.CharField(max_length=200)),
                ("name_en", models.CharField(max_length=200)),
                ("contract_nl", models.TextField(blank=True)),
                ("contract_en", models.TextField(blank=True)),
                ("valid_from", models.DateField()),
                ("valid_until", models.DateField(blank=True, null=True)),
                ("offer_names", models.JSONField(blank=True, default=dict)),
                ("vat_rate", models.DecimalField(decimal_places=3, max_digits=4)),
                ("contract_months", models.PositiveSmallIntegerField()),
                ("source", models.TextField(blank=True)),
                ("estimate", models.BooleanField(default=True)),
                ("programme_provider", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+", to="connectivity.provider")),
            ],
            options={
                "verbose_name": "catalogue version",
                "ordering": ["valid_from"],
                "constraints": [models.CheckConstraint(
                    condition=models.Q(("valid_until__isnull", True),
                                       ("valid_until__gte", models.F("valid_from")),
                                       _connector="OR"),
                    name="catalogue_version_dates_in_order")],
            },
        ),
        migrations.RunPython(drop_unversioned_prices, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="offerprice", name="offer_price_key"),
        migrations.RemoveConstraint(model_name="moduleprice", name="module_price_key"),
        migrations.AddField(
            model_name="offerprice", name="version",
            field=models.ForeignKey(default="", on_delete=django.db.models.deletion.CASCADE,
                                    related_name="offer_prices",
                                    to="connectivity.catalogueversion"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="offerprice", name="one_off_eur",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=9),
        ),
        migrations.AddField(
            model_name="moduleprice", name="version",
            field=models.ForeignKey(default="", on_delete=django.db.models.deletion.CASCADE,
                                    related_name="module_prices",
                                    to="connectivity.catalogueversion"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="moduleprice", name="unit",
            field=models.CharField(choices=[("line", "per line"),
                                            ("access-point", "per access point"),
                                            ("device", "per device")],
                                   default="line", max_length=12),
        ),
        migrations.AlterModelOptions(
            name="offerprice", options={"ordering": ["version", "provider", "offer",
                                                     "download_mbps"]}),
        migrations.AlterModelOptions(
            name="moduleprice", options={"ordering": ["version", "provider", "module"]}),
        migrations.AddConstraint(
            model_name="offerprice",
            constraint=models.UniqueConstraint(
                fields=("version", "provider", "offer", "download_mbps"),
                name="offer_price_key")),
        migrations.AddConstraint(
            model_name="moduleprice",
            constraint=models.UniqueConstraint(fields=("version", "provider", "module"),
                                               name="module_price_key")),
        migrations.AddField(
            model_name="subscription", name="catalogue_version",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="connectivity.catalogueversion"),
        ),
        migrations.AddField(
            model_name="request", name="catalogue_version",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="connectivity.catalogueversion"),
        ),
        migrations.AddField(
            model_name="request", name="one_off_eur",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=9),
        ),
        migrations.AddField(
            model_name="request", name="access_points",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="request", name="devices",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
