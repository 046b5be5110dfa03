"""One cycle under way per goal, enforced by the database.

Before the constraint, "Start a cycle" sent from two open pages could start two cycles on
one goal. Where that happened, the first cycle started stays under way and each later one
is stopped early (its stages, contacts and evidence are kept and still shown), so the
constraint can be added.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone


def stop_second_active_cycles(apps, schema_editor):
    Cycle = apps.get_model("goals", "Cycle")
    doubled = (Cycle.objects.filter(status="active").values("goal_id")
               .annotate(n=Count("id")).filter(n__gt=1).values_list("goal_id", flat=True))
    now = timezone.now()
    for goal_id in list(doubled):
        first, *later = (Cycle.objects.filter(goal_id=goal_id, status="active")
                         .order_by("created_at", "id").values_list("id", flat=True))
        Cycle.objects.filter(pk__in=later).update(status="stopped", closed_at=now,
                                                  updated_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_min_student_group'),
        ('goals', '0003_measure_growth_columns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(stop_second_active_cycles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='cycle',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('goal',), name='cycle_one_active_per_goal'),
        ),
    ]
