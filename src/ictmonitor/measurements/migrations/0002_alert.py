# Written by hand (issue 16: alerts); the same as makemigrations gives.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('connectivity', '0003_load_catalogue'),
        ('core', '0004_merge_undo'),
        ('measurements', '0001_initial'),
        ('registry', '0005_enrolment_year_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='Alert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(verbose_name='created')),
                ('updated_at', models.DateTimeField(verbose_name='changed')),
                ('changed_by', models.CharField(max_length=150, verbose_name='changed by')),
                ('kind', models.CharField(choices=[('below-contract', 'line below its contract'), ('device-dropped', 'measuring device dropped'), ('backup-idle', 'backup line never used')], max_length=20, verbose_name='kind')),
                ('subject', models.CharField(max_length=80)),
                ('device', models.CharField(blank=True, max_length=40, verbose_name='device')),
                ('month', models.CharField(blank=True, max_length=7, verbose_name='month')),
                ('details', models.JSONField(default=dict)),
                ('raised_at', models.DateTimeField(verbose_name='raised')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                ('import_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.importrun')),
                ('line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='connectivity.subscription')),
                ('location', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.location')),
                ('provider', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='connectivity.provider')),
            ],
            options={
                'verbose_name': 'measurement alert',
                'ordering': ['-raised_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('resolved_at__isnull', True)), fields=('kind', 'subject'), name='alert_open_once')],
            },
        ),
    ]
