from django.db import migrations

BUILT_IN_KINDS = [
    ("Tech help", 10, True),
    ("Copies and materials", 5, True),
    ("Check-in", 10, True),
    ("Co-planning", 45, True),
    ("Modelling a lesson", 50, True),
    ("Co-teaching", 50, True),
    ("Observation", 30, True),
    ("Feedback conversation", 30, True),
    ("Data dive", 45, True),
    ("PD session", 60, True),
    ("Planning", 30, False),
    ("Meetings", 45, False),
    ("Duties", 30, False),
    ("Own learning", 60, False),
]


def install(apps, schema_editor):
    SupportKind = apps.get_model("coaching", "SupportKind")
    for position, (name, minutes, is_contact) in enumerate(BUILT_IN_KINDS):
        SupportKind.objects.get_or_create(
            network=None, name=name,
            defaults={"default_minutes": minutes, "is_contact": is_contact, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
