"""The trust walk: every person of the small demo opens every page they can reach.

A unique canary is planted in every confidential field of the demo (notes, personal notes,
requests' words, session agendas, goals' words, growth goals, cycle reflections and private
notes, stage plans, evidence descriptions, snapshot messages), each with the set of people
it belongs to. Then each person signs in and follows every link from their home page,
breadth first, as a curious newcomer would, downloads included. The walk fails on:

- a canary in a response to anyone outside its owners;
- a link that leads its reader to a 404 or a 403 (no page links where its reader cannot go);
- a server error.

Support staff walk too: superuser status opens the support admin, never a network's pages.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client

from bettertogether.coaching.models import Interaction, PersonalNote
from bettertogether.demo.common import OUTSIDER_NETWORK, SMALL_NETWORK
from bettertogether.directory.models import CaseloadAssignment, Person
from bettertogether.goals.models import (
    Cycle,
    CycleStage,
    EvidenceMeasure,
    EvidenceSample,
    Goal,
    GrowthGoal,
)
from bettertogether.menu.models import CoachingSession, SupportRequest
from bettertogether.reports.models import ReportSnapshot
from bettertogether.testing.crawl import crawl

pytestmark = pytest.mark.slow

PAGES_PER_VIEW = 3  # distinct addresses of one view a walker opens (e.g. 3 teacher pages)
PAGES_PER_PERSON = 400


# -- Canaries ---------------------------------------------------------------------------------
@dataclass
class Canaries:
    """Canary text → the ids of the people it belongs to."""

    owners: dict[str, frozenset[int]] = field(default_factory=dict)

    def plant(self, row: Model, fields: tuple[str, ...], owners: set[int]) -> None:
        updates = {}
        for name in fields:
            text = f"CANARY{row._meta.model_name.upper()}{row.pk}{name.upper().replace('_', '')}"
            self.owners[text] = frozenset(owners)
            updates[name] = text
        type(row).objects.filter(pk=row.pk).update(**updates)

    def leaks(self, body: str, reader_id: int) -> list[str]:
        return [text for text in re.findall(r"CANARY[A-Z]+\d+[A-Z]+", body)
                if text in self.owners and reader_id not in self.owners[text]]


def _teachers(row, relation: str = "teachers") -> set[int]:
    return set(getattr(row, relation).values_list("pk", flat=True))


def plant_canaries() -> Canaries:
    canaries = Canaries()
    for entry in Interaction.objects.all():
        pair = {entry.coach_id} | _teachers(entry)
        canaries.plant(entry, ("shared_note",), pair)
        canaries.plant(entry, ("private_note",), {entry.coach_id})
    for note in PersonalNote.objects.all():
        canaries.plant(note, ("text",), {note.coach_id})
    for ask in SupportRequest.objects.all():
        canaries.plant(ask, ("note", "preferred_times", "coach_message"),
                       {ask.teacher_id, ask.coach_id})
    for session in CoachingSession.objects.all():
        canaries.plant(session, ("agenda",), {session.coach_id} | _teachers(session, "attendees"))
    for goal in Goal.objects.all():
        canaries.plant(goal, ("student_outcome", "success_criteria", "measure", "baseline",
                              "target", "expectations", "reflection"),
                       {goal.coach_id} | _teachers(goal))
    for cycle in Cycle.objects.all():
        pair = {cycle.coach_id} | _teachers(cycle)
        canaries.plant(cycle, ("coach_reflection", "teacher_reflection"), pair)
        canaries.plant(cycle, ("private_notes",), {cycle.coach_id})
        for stage in CycleStage.objects.filter(cycle=cycle):
            canaries.plant(stage, ("plan", "happened"), pair)
        for measure in EvidenceMeasure.objects.filter(cycle=cycle):
            canaries.plant(measure, ("target_description",), pair)
        for sample in EvidenceSample.objects.filter(cycle=cycle):
            canaries.plant(sample, ("description",), pair)
    coaches_of = defaultdict(set)
    for coach_id, teacher_id in CaseloadAssignment.objects.values_list("coach_id", "teacher_id"):
        coaches_of[teacher_id].add(coach_id)
    for goal in GrowthGoal.objects.all():
        canaries.plant(goal, ("title", "description"),
                       {goal.teacher_id} | coaches_of[goal.teacher_id])
    for snapshot in ReportSnapshot.objects.all():
        canaries.plant(snapshot, ("message",), {snapshot.coach_id, snapshot.leader_id})
    return canaries


# -- The walk ---------------------------------------------------------------------------------
def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(name).decode("utf-8", "replace")
                            for name in book.namelist() if name.endswith(".xml"))
    if content_type.startswith(("text/", "application/json")):
        return html.unescape(body.decode("utf-8", "replace"))
    return ""


def walk(person: Person, canaries: Canaries) -> tuple[int, list[str]]:
    """Follow every link `person` can reach from home, downloads included; return (pages
    opened, problems)."""
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    leaks: list[str] = []

    def read(url, response):
        leaks.extend(f"{person.email} {url}: shows {text}, which is not theirs to read"
                     for text in canaries.leaks(_text_of(response), person.pk))

    found = crawl(client, limit=PAGES_PER_PERSON, per_view=PAGES_PER_VIEW, inspect=read,
                  downloads=True)
    problems = [f"{person.email} {failure}" for failure in found.failures()]
    return len(found.visits), problems + leaks


@pytest.mark.django_db
def test_trust_walk_every_demo_person_reads_only_what_is_theirs():
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    canaries = plant_canaries()
    assert len(canaries.owners) > 300  # the demo has content in every confidential field
    people = list(Person.objects.filter(
        memberships__network__name__in=[SMALL_NETWORK, OUTSIDER_NETWORK]).distinct()
        .order_by("pk"))
    people += list(Person.objects.filter(is_superuser=True))
    assert len(people) > 40
    opened, problems = 0, []
    for person in people:
        pages, found = walk(person, canaries)
        opened += pages
        problems += found
    assert opened > 1500, opened
    assert not problems, "\n".join(problems[:60])
