"""The demo datasets: the small one people explore, the district one the benchmark uses."""

import datetime
import io
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import RequestFactory
from django.utils import timezone

from bettertogether.accounts.models import Invitation
from bettertogether.accounts.selectors import invitations_awaiting
from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.models import Interaction, InteractionTeacher, PersonalNote
from bettertogether.demo.cast import SIGNINS
from bettertogether.demo.common import (
    BENCH_PERSONAS,
    DEMO_PASSWORD,
    DISTRICT_NETWORK,
    OUTSIDER_NETWORK,
    SMALL_NETWORK,
)
from bettertogether.demo.district import DistrictScale
from bettertogether.demo.management.commands.seed_demo import seed_all
from bettertogether.directory.homes import home_network_id
from bettertogether.directory.models import (
    CaseloadAssignment,
    GradeLevel,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    TeacherProfile,
)
from bettertogether.rostering.models import ImportRun

pytestmark = pytest.mark.slow

TINY = DistrictScale(
    schools=3, teachers_per_school=5, coaches=4, network_admins=2, facilitators=1,
    caseload=4, big_caseload=8, invitations=5, interactions=500, personal_notes=40,
    requests=200, sessions=150, goals=120, cycles=75, evidence_points=900, growth_goals=20,
)


def _seed_small() -> None:
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _sign_in(email: str, password: str):
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request=request, username=email, password=password)


def _network(name: str) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=name)


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_documented_signins_authenticate():
    for email, _what in SIGNINS:
        person = _sign_in(email, DEMO_PASSWORD)
        assert person is not None, email
        assert person.email == email


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_twice_creates_nothing():
    before = _row_counts()

    _seed_small()

    assert _row_counts() == before


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_shape():
    riverside = _network(SMALL_NETWORK)
    northfield = _network(OUTSIDER_NETWORK)
    assert (riverside.locale, riverside.time_zone) == ("en-us", "America/Chicago")
    assert (northfield.locale, northfield.time_zone) == ("en-gb", "Europe/London")
    assert northfield.leader_visibility == "who_and_kind"
    assert riverside.schools.count() == 3
    # 40 written by hand, 4 brought in by the demo's roster import.
    assert Membership.objects.filter(network=riverside, role=Role.TEACHER).count() == 44
    assert ImportRun.objects.filter(network=riverside, status="done").count() == 1
    assert ImportRun.objects.filter(network=riverside, status="failed").count() == 1
    assert Membership.objects.filter(network=riverside, role=Role.SCHOOL_LEADER).count() == 3
    assert list(GradeLevel.objects.filter(network=riverside).values_list("code", flat=True)) == [
        "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    assert GradeLevel.objects.get(network=northfield, code="Y13").name == "Year 13"
    assert list(SchoolYear.objects.filter(network=riverside).values_list("name", flat=True)) == [
        "2026–27", "2025–26", "2024–25"]
    current = SchoolYear.objects.get(network=riverside, name="2026–27")
    teacher = Person.objects.get(email="teacher@riverside.example")
    coaches = CaseloadAssignment.objects.filter(teacher=teacher, school_year=current)
    assert sorted(coaches.values_list("coach__full_name", flat=True)) == [
        "Jordan Reyes", "Marcus Bell"]
    assert Person.objects.get(email="support@riverside.example").is_superuser
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 5
    # One person in both networks, managed by the network that brought her in.
    shared = Person.objects.get(email="facilitator@riverside.example")
    assert sorted(shared.memberships.values_list("network__name", "role")) == [
        ("Northfield Learning Trust", "facilitator"),
        ("Riverside Unified School District", "facilitator")]
    assert home_network_id(shared) == riverside.pk
    # Northfield's invitation waits on Riverside's coach's home page.
    [waiting] = invitations_awaiting(actor=Person.objects.get(email="coach@riverside.example"))
    assert (waiting.network, waiting.organisation.name, waiting.role) == (
        northfield, "Northfield Park Academy", "coach")


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_every_person_has_a_profile_and_right_networks():
    assert TeacherProfile.objects.count() == Person.objects.count()
    for membership in Membership.objects.select_related("organisation"):
        assert membership.network_id == membership.organisation.network_root_id


@pytest.mark.django_db
def test_seed_district_shape():
    seed_all(scale="district", seed=7, size=TINY)

    network = _network(DISTRICT_NETWORK)
    memberships = Membership.objects.filter(network=network)
    assert network.schools.count() == 3
    # 15 written in bulk, 12 brought in by the demo's roster import.
    assert memberships.filter(role=Role.TEACHER).count() == 15 + 12
    assert memberships.filter(role=Role.SCHOOL_LEADER).count() == 3
    assert memberships.filter(role=Role.NETWORK_ADMIN).count() == 2
    assert memberships.filter(role=Role.FACILITATOR).count() == 1
    assert memberships.filter(role=Role.COACH).values("person").distinct().count() == 4
    assert Person.objects.count() == 15 + 12 + 4 + 3 + 2 + 1
    assert TeacherProfile.objects.count() == Person.objects.count()
    assert SchoolYear.objects.filter(network=network).count() == 3
    for membership in Membership.objects.select_related("organisation"):
        assert membership.network_id == membership.organisation.network_root_id
    # Every school has a coach.
    assert memberships.filter(role=Role.COACH).values("organisation").distinct().count() == 3


@pytest.mark.django_db
def test_seed_district_bench_personas():
    seed_all(scale="district", seed=7, size=TINY)

    current = SchoolYear.objects.order_by("-starts_on").first()
    for email in BENCH_PERSONAS.values():
        assert _sign_in(email, DEMO_PASSWORD) is not None, email
    coach = Person.objects.get(email=BENCH_PERSONAS["coach"])
    caseload = CaseloadAssignment.objects.filter(coach=coach, school_year=current)
    assert caseload.count() == 4
    assert caseload.filter(teacher__email=BENCH_PERSONAS["teacher"]).exists()
    big = CaseloadAssignment.objects.filter(
        coach__email=BENCH_PERSONAS["bigcoach"], school_year=current)
    assert big.count() == 8
    for assignment in CaseloadAssignment.objects.select_related("school"):
        assert Membership.objects.filter(
            person_id=assignment.teacher_id, organisation=assignment.school, role=Role.TEACHER
        ).exists()
        assert Membership.objects.filter(
            person_id=assignment.coach_id, organisation=assignment.school, role=Role.COACH
        ).exists()


def _district_snapshot():
    people = sorted(Person.objects.values_list("email", "full_name"))
    pairs = sorted(
        CaseloadAssignment.objects.values_list(
            "coach__email", "teacher__email", "school_year__name"
        )
    )
    return people, pairs


@pytest.mark.django_db
def test_seed_district_same_seed_same_data():
    with transaction.atomic():
        seed_all(scale="district", seed=7, size=TINY)
        first = _district_snapshot()
        first_log = _coaching_snapshot()
        transaction.set_rollback(True)

    seed_all(scale="district", seed=7, size=TINY)

    assert _district_snapshot() == first
    assert _coaching_snapshot() == first_log


@pytest.mark.django_db
def test_seed_district_twice_creates_nothing():
    seed_all(scale="district", seed=7, size=TINY)
    before = _row_counts()

    call_command("seed_demo", scale="district", stdout=io.StringIO())

    assert _row_counts() == before


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_coaching_log():
    current = {y.network_id: y for y in SchoolYear.objects.filter(name="2026–27")}
    coaches = Person.objects.filter(memberships__role=Role.COACH).distinct()
    assert coaches.count() == 4
    for coach in coaches:
        logged = Interaction.objects.filter(coach=coach)
        # The log holds the sessions the coach logged too (`demo.menu`) and the contacts
        # logged into cycle stages (`demo.goals`).
        assert 40 <= logged.count() <= 100, coach.full_name
        assert logged.filter(kind__is_contact=True).exists()
        own = logged.filter(kind__is_contact=False)
        assert own.exists()
        assert not InteractionTeacher.objects.filter(interaction__in=own).exists()
        assert 2 <= PersonalNote.objects.filter(coach=coach).count() <= 5
        for interaction in logged.select_related("network"):
            assert timezone.is_aware(interaction.occurred_at)
            local = timezone.localtime(interaction.occurred_at,
                                       ZoneInfo(interaction.network.time_zone))
            assert local.weekday() < 5
            assert datetime.time(7) <= local.time() <= datetime.time(17)
            assert interaction.occurred_at < timezone.now()
        # Teams: some interactions are with several teachers.
        assert logged.annotate(n=Count("links")).filter(n__gt=1).exists()
        # Who is on this year's caseload and never contacted, and who not for four weeks.
        caseload = CaseloadAssignment.objects.filter(
            coach=coach, school_year__in=current.values()).values_list("teacher_id", flat=True)
        last = dict(InteractionTeacher.objects.filter(coach=coach, teacher__in=caseload)
                    .values("teacher").annotate(last=Max("occurred_at"))
                    .values_list("teacher", "last"))
        four_weeks_ago = timezone.now() - datetime.timedelta(weeks=4)
        assert any(when < four_weeks_ago for when in last.values()), coach.full_name
        assert any(when > four_weeks_ago for when in last.values()), coach.full_name
        if coach.email != "coach@northfield.example":
            assert len(set(caseload) - set(last)) >= 1, coach.full_name
    never = {
        (a.coach_id, a.teacher_id)
        for a in CaseloadAssignment.objects.filter(school_year__in=current.values())
    } - set(InteractionTeacher.objects.values_list("coach_id", "teacher_id"))
    assert 2 <= len(never) <= 3
    # Last year's work is there too, and every link repeats its interaction's coach and time.
    assert Interaction.objects.filter(occurred_at__year=2026, occurred_at__month__lte=6).exists()
    for link in InteractionTeacher.objects.select_related("interaction"):
        assert link.coach_id == link.interaction.coach_id
        assert link.occurred_at == link.interaction.occurred_at


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_private_notes_stay_private():
    private = set(Interaction.objects.exclude(private_note="").values_list(
        "private_note", flat=True))
    personal = set(PersonalNote.objects.values_list("text", flat=True))
    assert private and personal
    shared = set(Interaction.objects.values_list("shared_note", flat=True))
    assert not private & shared
    # Only the coach who logged an interaction holds its private note: it is never copied
    # into the activity log, which leaders and admins read.
    for entry in ActivityEntry.objects.all():
        text = f"{entry.target_label} {entry.details}"
        assert not any(note in text for note in private | personal), entry.action
    # Own time has no shared note: nobody to share it with.
    assert not Interaction.objects.filter(kind__is_contact=False).exclude(shared_note="").exists()
    # Personal notes are about teachers of the coach's own caseloads.
    for note in PersonalNote.objects.all():
        assert CaseloadAssignment.objects.filter(
            coach_id=note.coach_id, teacher_id=note.teacher_id).exists()


@pytest.mark.django_db
def test_seed_district_coaching_log():
    seed_all(scale="district", seed=7, size=TINY)

    assert Interaction.objects.count() == 500
    assert PersonalNote.objects.count() == 40
    own = Interaction.objects.filter(kind__is_contact=False)
    assert 20 <= own.count() <= 90
    assert not InteractionTeacher.objects.filter(interaction__in=own).exists()
    contacts = Interaction.objects.filter(kind__is_contact=True).annotate(n=Count("links"))
    assert not contacts.filter(n=0).exists()
    assert contacts.filter(n__gt=1).exists()
    assert not contacts.filter(n__gt=4).exists()
    assert Interaction.objects.values("coach").distinct().count() == 4
    for link in InteractionTeacher.objects.select_related("interaction"):
        assert link.coach_id == link.interaction.coach_id
        assert link.occurred_at == link.interaction.occurred_at
        # Every teacher of an interaction is on that coach's caseload, in that school.
        assert CaseloadAssignment.objects.filter(
            coach_id=link.coach_id, teacher_id=link.teacher_id,
            school_id=link.interaction.school_id).exists()
    first = Interaction.objects.order_by("occurred_at").first().occurred_at
    last = Interaction.objects.order_by("occurred_at").last().occurred_at
    assert first.date() >= datetime.date(2024, 8, 15)
    assert last.date() < datetime.date(2026, 11, 24)
    assert 0.15 < Interaction.objects.exclude(shared_note="").count() / 500 < 0.45
    assert 0.03 < Interaction.objects.exclude(private_note="").count() / 500 < 0.2
    assert len(set(Interaction.objects.values_list("idempotency_key", flat=True))) == 500
    # New rows get fresh ids after the ones written by hand.
    coach = Person.objects.get(email=BENCH_PERSONAS["coach"])
    kind = Interaction.objects.filter(kind__is_contact=False).first().kind
    added = Interaction.objects.create(coach=coach, network=_network(DISTRICT_NETWORK),
                                       kind=kind, minutes=10, idempotency_key=uuid.uuid4())
    assert added.pk > 500


def _coaching_snapshot():
    return sorted(Interaction.objects.values_list(
        "coach__email", "kind__name", "minutes", "occurred_at", "shared_note",
        "idempotency_key"))
