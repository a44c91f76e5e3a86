import django.utils.timezone
from django.db import migrations, models


def updated_when_created(apps, schema_editor):
    EventSchedule = apps.get_model("agenda", "EventSchedule")
    EventSchedule.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0002_occurrence_places_left"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventschedule",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="updated"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="eventschedule",
            name="revision",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="revision"),
        ),
        migrations.RunPython(updated_when_created, migrations.RunPython.noop),
    ]
