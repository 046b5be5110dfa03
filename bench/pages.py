"""Every page the benchmark measures, as which person, declared once.

To measure a new page, add a `Page` to `PAGES`: a unique name, the persona to sign in
as (a key of `PERSONAS`), the URL name, and for URLs with arguments the names of the
objects to fill them with (keys of what `objects()` returns; add a lookup there if needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from bettertogether.demo.common import BENCH_PERSONAS

# Persona → the district dataset's person signed in for it.
PERSONAS = BENCH_PERSONAS


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url_name: str
    args: tuple[str, ...] = ()
    query: str = ""


# The trivial view behind the same middleware; every persona's pages are compared with
# the floor measured for that persona in the same run. The coach's floor is the one reported.
FLOOR = Page("floor", "coach", "core:floor")

PAGES = (
    Page("home (coach)", "coach", "core:home"),
    Page("home (teacher)", "teacher", "core:home"),
    Page("home (principal)", "principal", "core:home"),
    Page("home (admin)", "admin", "core:home"),
    Page("profile (teacher)", "teacher", "core:profile"),
    Page("people (admin)", "admin", "directory:people"),
    Page("people (principal)", "principal", "directory:people"),
    Page("person (admin)", "admin", "directory:person", args=("teacher",)),
    Page("schools (admin)", "admin", "directory:organisations"),
    Page("school (admin)", "admin", "directory:organisation", args=("school",)),
    Page("caseload (coach, 50)", "coach", "coaching:caseload"),
    Page("caseload (bigcoach, 300)", "bigcoach", "coaching:caseload"),
    Page("school caseloads (admin)", "admin", "directory:school_caseloads", args=("school",)),
    Page("invitations (admin)", "admin", "accounts:invitations"),
    Page("activity log (admin)", "admin", "activity:log"),
    Page("rosters (admin)", "admin", "rostering:imports"),
    Page("quick log (coach)", "coach", "coaching:log"),
    Page("coach's log (coach)", "coach", "coaching:my_log"),
    Page("teacher page + timeline (coach)", "coach", "coaching:teacher", args=("coached",)),
    Page("my coaching (teacher)", "teacher", "coaching:mine"),
)


def objects() -> dict[str, int]:
    """Ids of the objects page URLs point at, looked up in the benchmark database."""
    from django.db import models

    from bettertogether.coaching.models import InteractionTeacher
    from bettertogether.directory.models import Membership, Person, Role

    teacher = Person.objects.get(email=PERSONAS["teacher"])
    coach = Person.objects.get(email=PERSONAS["coach"])
    # The bench coach's teacher with the longest timeline.
    coached = (
        InteractionTeacher.objects.filter(coach=coach)
        .values("teacher_id").order_by().annotate(n=models.Count("id")).order_by("-n")
        .values_list("teacher_id", flat=True).first()
    )
    school = Membership.objects.get(
        person__email=PERSONAS["principal"], role=Role.SCHOOL_LEADER
    ).organisation_id
    return {"teacher": teacher.pk, "school": school, "coached": coached}
