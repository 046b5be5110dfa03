"""The demo datasets: the small one people explore, the district one the benchmark uses."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from bettertogether.accounts.models import Invitation
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

TINY = DistrictScale(
    schools=3, teachers_per_school=5, coaches=4, network_admins=2, facilitators=1,
    caseload=4, big_caseload=8, invitations=5,
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


@pytest.mark.django_db
def test_seed_small_documented_signins_authenticate():
    _seed_small()

    for email, _what in SIGNINS:
        person = _sign_in(email, DEMO_PASSWORD)
        assert person is not None, email
        assert person.email == email


@pytest.mark.django_db
def test_seed_small_twice_creates_nothing():
    _seed_small()
    before = _row_counts()

    _seed_small()

    assert _row_counts() == before


@pytest.mark.django_db
def test_seed_small_shape():
    _seed_small()

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
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 4


@pytest.mark.django_db
def test_seed_small_every_person_has_a_profile_and_right_networks():
    _seed_small()

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
        transaction.set_rollback(True)

    seed_all(scale="district", seed=7, size=TINY)

    assert _district_snapshot() == first


@pytest.mark.django_db
def test_seed_district_twice_creates_nothing():
    seed_all(scale="district", seed=7, size=TINY)
    before = _row_counts()

    call_command("seed_demo", scale="district", stdout=io.StringIO())

    assert _row_counts() == before
