"""Loaded the shipped catalogue (offers, modules, prices) as it was then; the catalogue with its
dated versions is loaded by 0005, whose loader this migration's models could not take."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("connectivity", "0002_catalogue")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
