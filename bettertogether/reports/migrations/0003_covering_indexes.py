"""Covering indexes for the reports' counts over other apps' tables (PostgreSQL only).

Goals, cycles and requests carry long texts, so a network-wide count over three years would
read every wide row; these indexes hold just the columns the reports count by, so
PostgreSQL answers from the index alone. SQLite has no covering indexes and small data:
nothing is created there.
"""

from django.db import migrations

INDEXES = {
    "reports_goal_counts": ("goals_goal", "network_id, created_at",
                            "id, closed_at, status, coach_id, school_id, source_request_id"),
    "reports_cycle_counts": ("goals_cycle", "network_id, started_on",
                             "id, closed_at, status, coach_id, school_id, goal_id"),
    "reports_request_counts": ("menu_supportrequest", "network_id, created_at",
                               "id, status, coach_id, school_id, item_id, teacher_id"),
    "reports_measure_growth": ("goals_evidencemeasure", "growth_on",
                               "id, cycle_id, growth_students, growth_change_pp, growth_g"),
    "reports_caseload_year": ("directory_caseloadassignment", "school_year_id",
                              "coach_id, teacher_id, school_id"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns, include) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) INCLUDE ({include})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_kind_week_pair_reach"),
        ("goals", "0003_measure_growth_columns"),
        ("menu", "0001_initial"),
        ("directory", "0005_min_student_group"),
    ]

    operations = [migrations.RunPython(create, drop)]
