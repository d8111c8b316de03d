from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0003_rows_written"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="rows_checked",
            field=models.PositiveBigIntegerField(default=0, verbose_name="rows checked"),
        ),
    ]
