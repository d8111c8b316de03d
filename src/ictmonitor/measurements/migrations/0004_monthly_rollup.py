"""The month rollups (issue 16: a year of connectivity-quality under 1 s), built from every day
rollup there is."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import TruncMonth

from ictmonitor.measurements.rollups import refresh_months


def build_months(apps: Any, schema_editor: Any) -> None:
    days = apps.get_model("measurements", "DailyRollup")
    months = (days.objects.order_by().annotate(month=TruncMonth("day"))
              .values_list("location_id", "month").distinct())
    refresh_months(months,
                   days_model=days, months_model=apps.get_model("measurements", "MonthlyRollup"))


class Migration(migrations.Migration):

    dependencies = [
        ('connectivity', '0006_voucherprice'),
        ('measurements', '0003_partitioned_measurements'),
        ('registry', '0005_enrolment_year_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('speed_tests', models.PositiveIntegerField(default=0)),
                ('speed_tests_school_hours', models.PositiveIntegerField(default=0)),
                ('measured_download', models.FloatField(blank=True, null=True)),
                ('measured_upload', models.FloatField(blank=True, null=True)),
                ('pings', models.PositiveIntegerField(default=0)),
                ('pings_reachable', models.PositiveIntegerField(default=0)),
                ('pings_school_hours', models.PositiveIntegerField(default=0)),
                ('pings_reachable_school_hours', models.PositiveIntegerField(default=0)),
                ('failovers', models.PositiveIntegerField(default=0)),
                ('returns', models.PositiveIntegerField(default=0)),
                ('first_measured_at', models.DateTimeField()),
                ('last_measured_at', models.DateTimeField()),
                ('line', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='connectivity.subscription')),
                ('location', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.location')),
            ],
            options={
                'verbose_name': 'monthly rollup',
                'indexes': [models.Index(fields=['month', 'location'], name='monthly_rollup_month')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('line__isnull', False)), fields=('line', 'month'), name='rollup_line_month'), models.UniqueConstraint(condition=models.Q(('line__isnull', True)), fields=('location', 'month'), name='rollup_location_month_without_line')],
            },
        ),
        migrations.AddIndex(
            model_name='dailyrollup',
            index=models.Index(fields=['day'], name='daily_rollup_day'),
        ),
        migrations.RunPython(build_months, migrations.RunPython.noop),
    ]
