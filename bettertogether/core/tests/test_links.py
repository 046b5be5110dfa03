"""No page links where its reader gets a 404 or a 403.

For each person of the cast (and a programme facilitator), walk the site from the home
page, following every link each page shows them (`testing.crawl`): none may answer 404,
403 or 500. The world is seeded so the pages have links to follow: contacts and personal
notes, menu items, requests in several states, sessions to come and to log, goals with a
cycle under way (a stage planned, a contact logged into it, before and after evidence),
a closed goal and cycle, a draft goal, a growth goal, a report snapshot shared with the
leader (and one withdrawn), PDFs asked for, and the notifications all of these send.
People hold roles beyond what each reader may open: the coach also coaches at Roosevelt
(which a Lincoln teacher or the Lincoln principal cannot open), a teacher of Lincoln also
teaches in Northfield, and a teacher and a coach of this year's caseloads have since lost
their roles at Lincoln.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching import services as coaching
from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import LeaderVisibility, Person, Role
from bettertogether.directory.services import membership_revoke
from bettertogether.goals import cycles, evidence
from bettertogether.goals import services as goals
from bettertogether.goals.models import EvidencePoint, MeasureKind, Outcome
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.menu.services import request_decline, request_withdraw
from bettertogether.menu.sessions import session_cancel
from bettertogether.menu.tests.support import accept, an_item, ask, at, propose, schedule
from bettertogether.reports import services as reports
from bettertogether.reports.models import ReportExport, ReportKind
from bettertogether.reports.report_base import Filters
from bettertogether.testing import factories as f
from bettertogether.testing.cast import Cast
from bettertogether.testing.crawl import crawl, links_in, site_path

LIMIT = 400
PERSONAS = ["coach", "teacher", "other_teacher", "leader", "admin", "facilitator", "outsider"]
# The leader again, where the school lets its leaders see who was coached on what; and
# someone signed in with no role yet.
WHO_AND_KIND = "leader of a who-and-kind school"
NEWCOMER = "newcomer"
Moment = EvidencePoint.Moment


@dataclass
class World:
    cast: Cast
    facilitator: Person
    nina: Person  # teaches at Lincoln and in Northfield


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _people(cast) -> tuple[Person, Person]:
    facilitator = f.PersonFactory(full_name="Fay Facilitator", email="fay@riverside.test")
    f.MembershipFactory(person=facilitator, organisation=cast.network, role=Role.FACILITATOR)
    f.MembershipFactory(person=cast.coach, organisation=cast.other_school, role=Role.COACH)
    nina = f.PersonFactory(full_name="Nina North", email="nina@riverside.test")
    f.MembershipFactory(person=nina, organisation=cast.school, role=Role.TEACHER)
    f.MembershipFactory(person=nina, organisation=cast.outsider_school, role=Role.TEACHER)
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    subject = f.SubjectFactory(network=cast.network, name="Mathematics")
    cast.teacher.profile.grades.add(grade)
    cast.teacher.profile.subjects.add(subject)
    f.TermFactory(school_year=cast.school_year, name="Autumn term",
                  starts_on=cast.school_year.starts_on, ends_on=_days_ago(-30))
    f.SchoolYearFactory(network=cast.outsider_network, name="2026–27")
    return facilitator, nina


def _log(cast) -> None:
    for days, kind_name in ((20, "Tech help"), (9, "Co-planning"), (2, "Observation")):
        coaching.interaction_log(
            actor=cast.coach, kind=kind(kind_name), teachers=[cast.teacher], minutes=30,
            occurred_at=timezone.now() - datetime.timedelta(days=days),
            shared_note="Shared with Tess", private_note="The coach's own",
            idempotency_key=uuid.uuid4())
    coaching.interaction_log(actor=cast.coach, kind=kind("Planning"), teachers=[], minutes=60,
                             occurred_at=None, idempotency_key=uuid.uuid4())
    coaching.personal_note_add(actor=cast.coach, teacher=cast.teacher, text="Loves puzzles")


def _left_the_school(cast) -> Person:
    """A teacher of the coach's caseload whose role at Lincoln has since been removed."""
    lee = f.PersonFactory(full_name="Lee Left", email="lee@riverside.test")
    role = f.MembershipFactory(person=lee, organisation=cast.school, role=Role.TEACHER)
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=lee, school=cast.school,
                                school_year=cast.school_year)
    coaching.interaction_log(actor=cast.coach, kind=kind("Check-in"), teachers=[lee],
                             minutes=10, occurred_at=None, idempotency_key=uuid.uuid4())
    membership_revoke(actor=cast.admin, membership=role)
    return lee


def _coach_who_left(cast) -> Person:
    """A coach of the teacher this year, with a menu, whose role at Lincoln was removed."""
    cy = f.PersonFactory(full_name="Cy Gone", email="cy@riverside.test")
    role = f.MembershipFactory(person=cy, organisation=cast.school, role=Role.COACH)
    f.CaseloadAssignmentFactory(coach=cy, teacher=cast.teacher, school=cast.school,
                                school_year=cast.school_year)
    an_item(cy, title="Try a new app")
    membership_revoke(actor=cast.admin, membership=role)
    return cy


def _menu(cast) -> None:
    an_item(cast.admin, title="Set up your projector", kind_name="Tech help", minutes=20,
            network=cast.network)  # on every coach's menu
    item = an_item(cast.coach)
    other = an_item(cast.coach, title="Fix the projector", kind_name="Tech help", minutes=15)
    accept(cast.coach, ask(cast.teacher, cast.coach, item, note="Fractions unit"))
    propose(cast.coach, ask(cast.teacher, cast.coach, other))
    ask(cast.other_teacher, cast.coach, item, note="Reading groups")
    request_decline(actor=cast.coach, request=ask(cast.other_teacher, cast.coach, other),
                    message="Ask the office for a new bulb")
    request_withdraw(actor=cast.teacher, request=ask(cast.teacher, cast.coach, other))
    session_cancel(actor=cast.coach, session=schedule(cast.coach, [cast.teacher],
                                                      title="Called off", starts_at=at(4)))
    f.CoachingSessionFactory(school=cast.school, coach=cast.coach, title="Exit tickets",
                             starts_at=at(days=-2), attendees=[cast.teacher])
    schedule(cast.coach, [cast.teacher, cast.other_teacher], title="Team planning",
             starts_at=at(days=3))


def _goals(cast) -> None:
    goal = a_goal(cast.coach, [cast.teacher], title="Explaining fractions")
    cycle = a_cycle(cast.coach, goal, started_on=_days_ago(40))
    stage = cycle.stages.get(position=1)
    cycles.stage_update(actor=cast.coach, stage=stage, plan="Look at exit tickets",
                        happened="")
    cycles.stage_complete(actor=cast.coach, stage=stage)
    cycles.stage_log(actor=cast.coach, stage=cycle.stages.get(position=2),
                     kind=kind("Co-planning"), teachers=[cast.teacher], minutes=45,
                     occurred_at=None, shared_note="Targets written",
                     idempotency_key=uuid.uuid4())
    measure = evidence.measure_add(actor=cast.coach, cycle=cycle, name="Explains reasoning",
                                   kind=MeasureKind.SHARE, target_description="3 or more")
    for moment, meeting, ago in ((Moment.BEFORE, 6, 35), (Moment.AFTER, 17, 3)):
        evidence.point_record(actor=cast.coach, measure=measure, moment=moment,
                              taken_on=_days_ago(ago), students=24, meeting_target=meeting)
    done = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher], title="Number talks"),
                   name="Impact Cycle", started_on=_days_ago(80))
    cycles.cycle_close(actor=cast.coach, cycle=done, outcome=Outcome.MET,
                       coach_reflection="They talk about numbers now.")
    cycles.cycle_reflect(actor=cast.teacher, cycle=done, reflection="I ask more questions.")
    a_goal(cast.coach, [cast.other_teacher], title="Reading groups")
    asked = ask(cast.teacher, cast.coach, an_item(cast.coach, title="Plan a unit"))
    a_goal(cast.coach, [cast.teacher, cast.other_teacher], title="Grade 3 team goal",
           source_request=asked)  # a team goal from one teacher's request
    goals.growth_goal_create(actor=cast.teacher, title="Ask better questions")


def _reports(cast) -> None:
    """Snapshots shared with the leader (one withdrawn since), and a PDF each reader asked
    for that could not be built (its status page links back to the report)."""
    filters = Filters(start=cast.school_year.starts_on, end=timezone.localdate())
    for person, report_kind, subject in ((cast.coach, ReportKind.COACH, None),
                                         (cast.leader, ReportKind.SCHOOL, cast.school),
                                         (cast.admin, ReportKind.NETWORK, cast.network)):
        ReportExport.objects.create(requested_by=person, kind=report_kind, subject=subject,
                                    filters=filters.as_data(),
                                    status=ReportExport.Status.FAILED,
                                    idempotency_key=uuid.uuid4())
    for title in ("Autumn so far", "First draft"):
        snapshot = reports.snapshot_publish(actor=cast.coach, leader=cast.leader, title=title,
                                            filters=filters, idempotency_key=uuid.uuid4())
    reports.snapshot_withdraw(actor=cast.coach, snapshot=snapshot)


@pytest.fixture
def world(cast) -> World:
    f.built_in_support_kinds()
    install_starter()
    facilitator, nina = _people(cast)
    _left_the_school(cast)
    _coach_who_left(cast)
    _log(cast)
    _menu(cast)
    _goals(cast)
    _reports(cast)
    return World(cast=cast, facilitator=facilitator, nina=nina)


def _persona(world: World, who: str) -> Person:
    if who == "facilitator":
        return world.facilitator
    if who == NEWCOMER:
        return f.PersonFactory(full_name="Nat Newcomer")
    if who == WHO_AND_KIND:
        world.cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
        world.cast.school.save(update_fields=["leader_visibility"])
        who = "leader"
    return Person.objects.get(pk=getattr(world.cast, who).pk)


# --- the walk -------------------------------------------------------------------------------


# The walk reaches the pages that matter to each person, so a clean walk means something.
REACHED = {
    "coach": {"coaching:caseload", "coaching:teacher", "coaching:entry_edit", "goals:goal",
              "goals:cycle", "goals:stage", "goals:stage_log", "menu:request",
              "menu:session", "menu:session_log", "reports:coach", "reports:snapshot",
              "reports:pdf_status", "directory:person", "directory:organisation",
              "notifications:open"},
    "teacher": {"coaching:mine", "goals:goal", "goals:cycle", "goals:growth_edit",
                "menu:menu", "menu:request", "menu:session", "directory:person",
                "directory:organisation", "notifications:open"},
    "other_teacher": {"goals:goal", "menu:request", "menu:session", "directory:person"},
    "leader": {"coaching:school_summary", "goals:school_summary", "reports:school",
               "reports:snapshot", "reports:pdf_status", "directory:organisation",
               "directory:person", "notifications:open"},
    WHO_AND_KIND: {"directory:school_caseloads", "coaching:school_summary",
                   "directory:person"},
    "admin": {"directory:organisation", "directory:person", "activity:log", "reports:network",
              "reports:school", "reports:pdf_status", "accounts:invitations",
              "rostering:imports", "directory:school_caseloads", "menu:network_menu"},
    "facilitator": {"directory:people", "directory:person", "directory:organisation"},
    "outsider": {"directory:organisation", "directory:person", "directory:people"},
    NEWCOMER: {"core:home", "core:profile", "notifications:list"},
}


@pytest.mark.parametrize("who", [*PERSONAS, WHO_AND_KIND, NEWCOMER])
def test_every_link_a_person_is_shown_opens_for_them(world, client_for, who):
    walk = crawl(client_for(_persona(world, who)), limit=LIMIT)

    assert walk.failures() == []
    assert walk.complete, f"more than {LIMIT} pages: raise the limit or seed less"
    assert REACHED[who] <= walk.views()


# --- the walker itself ----------------------------------------------------------------------


def test_crawl_reports_a_link_to_a_page_the_reader_may_not_open(world, client_for):
    """A page that linked to another school's page would be caught, with where it was."""
    client = client_for(_persona(world, "teacher"))
    roosevelt = reverse("directory:organisation", args=[world.cast.other_school.pk])

    walk = crawl(client, start=roosevelt, limit=1)

    assert walk.failures() == [f"404 {roosevelt} (linked from None)"]


def test_crawl_follows_only_pages_of_this_site():
    html = ('<a href="/people/">People</a><a href="https://example.org/">Out</a>'
            '<a href="mailto:a@b.test">Mail</a><a href="#main">Skip</a>'
            '<a href="?page=2">Next</a><a href="/reports/coach/export/csv/" download>CSV</a>')

    paths = [site_path(href, page="/goals/") for href in links_in(html)]

    assert paths == ["/people/", None, None, "/goals/", "/goals/?page=2"]


# --- person pages: a school is a link only for those who may open it --------------------------


def _role_links(client, person) -> list[str]:
    html = client.get(reverse("directory:person", args=[person.pk])).content.decode()
    schools = {reverse("directory:organisation", args=[pk]) for pk in
               person.memberships.values_list("organisation_id", flat=True)}
    return sorted(path for path in (site_path(h, page="/") for h in links_in(html))
                  if path in schools)


def _school(world, name):
    return reverse("directory:organisation", args=[getattr(world.cast, name).pk])


@pytest.mark.parametrize(("who", "linked"), [
    ("coach", ["school", "other_school"]),
    ("teacher", ["school"]),
    ("leader", ["school"]),
    ("admin", ["school", "other_school"]),
    ("facilitator", []),
])
def test_person_page_links_the_coachs_schools_only_where_the_reader_may_open_them(
        world, client_for, who, linked):
    page = client_for(_persona(world, who)).get(
        reverse("directory:person", args=[world.cast.coach.pk])).content.decode()

    assert _role_links(client_for(_persona(world, who)), world.cast.coach) == sorted(
        _school(world, name) for name in linked)
    assert "Roosevelt Middle" in page  # the role is still shown, as plain text


@pytest.mark.parametrize(("who", "linked"), [
    ("teacher", ["school"]), ("admin", ["school"]), ("outsider", ["outsider_school"]),
])
def test_person_page_of_someone_in_two_networks_links_only_the_readers_own(
        world, client_for, who, linked):
    assert _role_links(client_for(_persona(world, who)), world.nina) == sorted(
        _school(world, name) for name in linked)


def test_view_organisation_rule_agrees_with_the_organisation_pages(world, client_for):
    from bettertogether.directory.models import Organisation

    for who in PERSONAS:
        person = _persona(world, who)
        client = client_for(person)
        for organisation in Organisation.objects.all():
            status = client.get(reverse("directory:organisation",
                                        args=[organisation.pk])).status_code
            allowed = person.has_perm("directory.open_organisation", organisation)
            assert (who, organisation.name, status) == (
                who, organisation.name, 200 if allowed else 404)


# --- each place a link was drawn to a page its reader could not open ------------------------


def _links(client, url) -> list[str]:
    return [path for path in (site_path(h, page=url) for h in
                              links_in(client.get(url).content.decode())) if path]


def _left(name) -> Person:
    return Person.objects.get(full_name=name)


def test_home_names_a_coach_who_left_the_school_without_a_link(world, client_for):
    client = client_for(_persona(world, "teacher"))
    cy, coach = _left("Cy Gone"), world.cast.coach

    home = client.get(reverse("core:home")).content.decode()

    assert "Cy Gone" in home
    assert reverse("directory:person", args=[cy.pk]) not in _links(client, "/")
    assert reverse("directory:person", args=[coach.pk]) in _links(client, "/")


def test_home_and_caseload_name_a_teacher_who_left_without_a_link(world, client_for):
    client = client_for(_persona(world, "coach"))
    lee, tess = _left("Lee Left"), world.cast.teacher

    caseload = client.get(reverse("coaching:caseload"))

    assert [row["row"].teacher_name for row in caseload.context["rows"]
            if not row["teacher_url"]] == ["Lee Left"]
    assert "Lee Left <span class=\"small muted\">(no longer teaches at your schools)" in (
        caseload.content.decode())
    links = _links(client, reverse("coaching:caseload")) + _links(client, "/")
    assert reverse("coaching:teacher", args=[lee.pk]) not in links
    assert reverse("directory:person", args=[lee.pk]) not in links
    assert reverse("coaching:teacher", args=[tess.pk]) in links
    assert reverse("directory:person", args=[tess.pk]) in links


def test_school_caseloads_name_a_teacher_the_reader_cannot_open_without_a_link(world,
                                                                               client_for):
    client = client_for(_persona(world, "admin"))
    url = reverse("directory:school_caseloads", args=[world.cast.school.pk])

    page = client.get(url).content.decode()

    assert "Lee Left" in page
    assert reverse("directory:person", args=[_left("Lee Left").pk]) not in _links(client, url)
    assert reverse("directory:person", args=[world.cast.teacher.pk]) in _links(client, url)


@pytest.mark.parametrize(("who", "linked"), [("coach", True), ("teacher", True),
                                             ("other_teacher", False)])
def test_team_goal_links_the_request_it_started_from_only_for_its_coach_and_teacher(
        world, client_for, who, linked):
    from bettertogether.goals.models import Goal

    goal = Goal.objects.get(title="Grade 3 team goal")
    client = client_for(_persona(world, who))
    url = reverse("goals:goal", args=[goal.pk])

    page = client.get(url).content.decode()

    assert (reverse("menu:request", args=[goal.source_request_id]) in _links(client, url)
            ) is linked
    assert ("a teacher’s request for Plan a unit" in page) is not linked


def test_withdrawing_a_snapshot_takes_back_the_notification_that_linked_to_it(world):
    from bettertogether.notifications.models import Notification
    from bettertogether.reports.models import ReportSnapshot

    shared = dict(Notification.objects.filter(recipient=world.cast.leader,
                                              kind="report_shared")
                  .values_list("dedupe_key", "url"))

    assert shared == {
        f"report_snapshot:{snapshot.pk}": reverse("reports:snapshot", args=[snapshot.token])
        for snapshot in ReportSnapshot.objects.filter(withdrawn_at__isnull=True)}
    assert ReportSnapshot.objects.filter(withdrawn_at__isnull=False).count() == 1
