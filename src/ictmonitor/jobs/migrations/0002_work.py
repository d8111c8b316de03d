from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="parameters",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="job",
            name="language",
            field=models.CharField(blank=True, max_length=8),
        ),
        migrations.AddField(
            model_name="job",
            name="summary",
            field=models.CharField(blank=True, max_length=500, verbose_name="result"),
        ),
        migrations.AddField(
            model_name="job",
            name="output",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="job",
            name="output_name",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
