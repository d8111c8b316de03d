from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="rows_written",
            field=models.PositiveBigIntegerField(default=0, verbose_name="rows written"),
        ),
    ]
