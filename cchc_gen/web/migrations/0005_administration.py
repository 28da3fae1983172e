from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cchc", "0004_province_collect"),
    ]

    operations = [
        migrations.AddField(
            model_name="role",
            name="must_change_password",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="period",
            name="profile",
            field=models.CharField(blank=True, max_length=60),
        ),
    ]
