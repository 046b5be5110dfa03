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
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import Resolver404, resolve

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

pytestmark = pytest.mark.slow

HREF = re.compile(r'href="([^"#]*)')
SKIPPED_PREFIXES = ("/static/", "/accounts/logout/", "/sso/", "/support/", "/media/")
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


def _view_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def walk(person: Person, canaries: Canaries) -> tuple[int, list[str]]:
    """Follow every link `person` can reach from home; return (pages opened, problems)."""
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    queue, seen, opened, problems = deque([("/", "(start)")]), {"/"}, 0, []
    per_view: dict[str | None, int] = defaultdict(int)
    while queue and opened < PAGES_PER_PERSON:
        path, came_from = queue.popleft()
        response = client.get(path)
        opened += 1
        where = f"{person.email} {path} (linked from {came_from})"
        if response.status_code >= 500:
            problems.append(f"{where}: server error {response.status_code}")
            continue
        if response.status_code in (403, 404) and came_from != "(start)":
            problems.append(f"{where}: a link to a page its reader cannot open "
                            f"({response.status_code})")
            continue
        body = _text_of(response)
        for text in canaries.leaks(body, person.pk):
            problems.append(f"{where}: shows {text}, which is not theirs to read")
        targets = HREF.findall(body) if "text/html" in response.get("Content-Type", "") else []
        if response.status_code in (301, 302, 303):
            targets = [response["Location"]]
        for target in targets:
            split = urlsplit(urljoin(path, html.unescape(target)))
            if split.netloc not in ("", "testserver") or not split.path.startswith("/"):
                continue
            address = split.path + (f"?{split.query}" if split.query else "")
            if address in seen or split.path.startswith(SKIPPED_PREFIXES):
                continue
            view = _view_of(split.path)
            if per_view[view] >= PAGES_PER_VIEW:
                continue
            per_view[view] += 1
            seen.add(address)
            queue.append((address, path))
    return opened, problems


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
