"""The raw measurements' table partitioned by month on PostgreSQL with pg_partman
(measurements/partitioning.py); nothing changes on SQLite, nor in Django's model state."""

from django.db import migrations

from ictmonitor.measurements.partitioning import partition_table


class Migration(migrations.Migration):

    dependencies = [
        ("measurements", "0002_alert"),
    ]

    operations = [
        migrations.RunPython(partition_table, migrations.RunPython.noop, elidable=False),
    ]
