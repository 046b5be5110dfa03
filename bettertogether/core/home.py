"""What each person sees first: the next useful thing for each role they hold."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from bettertogether.accounts.models import Invitation
from bettertogether.accounts.selectors import invitations_awaiting
from bettertogether.activity.selectors import activity_lines, activity_visible_to
from bettertogether.coaching import selectors as coaching
from bettertogether.coaching.rules import is_coach, is_leader, is_teacher
from bettertogether.directory import calendar, disclosure
from bettertogether.directory import selectors as directory
from bettertogether.directory.models import CaseloadAssignment, Membership, Organisation, Role
from bettertogether.directory.rules import is_network_admin
from bettertogether.directory.scope import scope_for
from bettertogether.goals import facts as goals
from bettertogether.menu import selectors as menu


def home_context(user) -> dict:
    scope = scope_for(user)
    year = calendar.current_school_year(network_id=scope.primary_network_id)
    context: dict = {"scope": scope, "school_year": year, "sections": [],
                     "today": timezone.localdate(),
                     "invitations": list(invitations_awaiting(actor=user))}
    if is_network_admin.test(user):
        context["admin"] = _admin_section(user, scope)
    if is_leader.test(user):
        context["leader"] = _leader_section(scope, year)
    if is_coach.test(user):
        context["coach"] = _coach_section(user, year)
    if is_teacher.test(user):
        context["teacher"] = _teacher_section(user, year)
    if scope.facilitator_network_ids:
        context["facilitator"] = _facilitator_section(scope)
    profile = directory.profile_for(person=user)
    context["profile_incomplete"] = is_teacher.test(user) and (
        profile is None or not profile.grades.exists() or not profile.subjects.exists()
    )
    return context


def _admin_section(user, scope) -> dict:
    networks = scope.admin_network_ids
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, network_id__in=networks)
    people = directory.active_memberships().filter(network_id__in=networks)
    role_counts = dict(
        people.values_list("role").annotate(n=Count("person_id", distinct=True))
    )
    pending = Invitation.objects.filter(
        network_id__in=networks, accepted_at__isnull=True, revoked_at__isnull=True,
        declined_at__isnull=True,
    ).count()
    return {
        "school_count": schools.count(),
        "role_counts": {
            "teachers": role_counts.get(Role.TEACHER, 0),
            "coaches": role_counts.get(Role.COACH, 0),
            "leaders": role_counts.get(Role.SCHOOL_LEADER, 0),
        },
        "pending_invitations": pending,
        "recent_activity": activity_lines(actor=user,
                                          entries=activity_visible_to(actor=user)[:6]),
    }


def _leader_section(scope, year) -> dict:
    schools = list(Organisation.objects.filter(pk__in=scope.leader_school_ids))
    teachers = directory.active_memberships().filter(
        organisation_id__in=scope.leader_school_ids, role=Role.TEACHER
    )
    coached = CaseloadAssignment.objects.filter(
        school_id=OuterRef("organisation_id"), teacher_id=OuterRef("person_id"), school_year=year
    )
    rows = (
        teachers.values("organisation_id")
        .annotate(
            teachers=Count("id"),
            coached=Count("id", filter=Q(Exists(coached))),
        )
    )
    by_school = {row["organisation_id"]: row for row in rows}
    coaches = dict(
        Membership.objects.filter(
            organisation_id__in=scope.leader_school_ids, role=Role.COACH
        ).values_list("organisation_id").annotate(n=Count("id"))
    )
    summary = []
    for school in schools:
        row = by_school.get(school.pk, {"teachers": 0, "coached": 0})
        summary.append({
            "school": school,
            "teachers": row["teachers"],
            "coaches": coaches.get(school.pk, 0),
            **_coached(row["teachers"], row["coached"]),
        })
    return {"schools": summary}


def _coached(teachers: int, coached: int) -> dict:
    """Teachers with a coach, as the disclosure gate lets a leader read it: hidden for a
    school too small to describe, and when 1 to 4 teachers."""
    if not disclosure.group_shown(teachers):
        coached = disclosure.HIDDEN
    coached = disclosure.teachers(coached)
    share = None if coached is None else (round(100 * coached / teachers) if teachers else 0)
    return {"coached": coached, "share": share}


def _coach_section(user, year) -> dict:
    caseload = directory.caseload_for(actor=user, school_year=year)
    teachers = list(caseload[:8])
    return {
        "count": caseload.count(),
        "teachers": teachers,
        # A teacher who has since left the coach's schools is named, not linked.
        "openable": directory.people_openable_by(
            actor=user, person_ids=[a.teacher_id for a in teachers]),
        "school_count": caseload.values("school_id").distinct().count(),
        "to_nudge": coaching.nudge_count(actor=user, school_year=year),
        "open_requests": menu.open_request_count(actor=user),
        "to_log": menu.sessions_to_log(actor=user).count(),
        "next_sessions": menu.upcoming_sessions(actor=user, limit=3),
        "stages_due": goals.open_stages_due(
            coach_id=user.pk, before=timezone.localdate() + datetime.timedelta(days=7)),
    }


def _teacher_section(user, year) -> dict:
    coaches = list(directory.coaches_of(actor=user, school_year=year))
    return {"coaches": coaches,
            "openable": directory.people_openable_by(
                actor=user, person_ids=[a.coach_id for a in coaches]),
            "next_sessions": menu.upcoming_sessions(actor=user, limit=3)}


def _facilitator_section(scope) -> dict:
    counts = dict(
        directory.active_memberships().filter(
            network_id__in=scope.facilitator_network_ids,
            role__in=[Role.COACH, Role.SCHOOL_LEADER],
        )
        .values_list("role")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {"coaches": counts.get(Role.COACH, 0), "leaders": counts.get(Role.SCHOOL_LEADER, 0)}
