"""Reads of the directory, always scoped to what the acting person may see.

Visibility:
- A network admin sees every organisation and person of their network; a programme
  facilitator sees every person of their network (they run programmes across it).
- A school leader, coach or teacher sees their own schools and the people in them
  (names, roles, grades and subjects: the staff directory every school has).
- A person always sees themselves.
Anything else is `Http404`, the same answer as for an object that does not exist.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from . import rules
from .models import (
    CaseloadAssignment,
    GradeLevel,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    Subject,
    TeacherProfile,
)
from .scope import Scope, scope_for


def _organisation_filter(scope: Scope) -> Q:
    visible = Q(pk__in=scope.admin_network_ids)
    visible |= Q(network_id__in=scope.admin_network_ids)
    visible |= Q(pk__in=scope.school_ids)
    visible |= Q(pk__in=scope.network_ids)
    return visible


def organisations_visible_to(*, actor) -> QuerySet[Organisation]:
    scope = scope_for(actor)
    return Organisation.objects.filter(_organisation_filter(scope)).select_related("network")


def organisation_get_for(*, actor, pk: int) -> Organisation:
    try:
        return organisations_visible_to(actor=actor).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such organisation") from exc


def schools_visible_to(*, actor) -> QuerySet[Organisation]:
    return organisations_visible_to(actor=actor).filter(kind=Organisation.Kind.SCHOOL)


def schools_listed_for(*, actor) -> QuerySet[Organisation]:
    """The schools page's list (`rules.may_open_schools`): a network admin's every visible
    school, a school leader's own schools."""
    scope = scope_for(actor)
    listed = schools_visible_to(actor=actor)
    if not scope.admin_network_ids:
        listed = listed.filter(pk__in=scope.leader_school_ids)
    return listed


def school_choices_for(*, actor) -> QuerySet[Organisation]:
    """The schools an actor may filter by, with just what a select needs."""
    return (
        Organisation.objects.filter(_organisation_filter(scope_for(actor)))
        .filter(kind=Organisation.Kind.SCHOOL)
        .only("id", "name", "kind", "network_id")
        .order_by("name", "pk")
    )


def schools_administered_by(*, actor) -> QuerySet[Organisation]:
    scope = scope_for(actor)
    return Organisation.objects.filter(
        kind=Organisation.Kind.SCHOOL, network_id__in=scope.admin_network_ids
    )


def organisations_administered_by(*, actor) -> QuerySet[Organisation]:
    scope = scope_for(actor)
    return Organisation.objects.filter(
        Q(pk__in=scope.admin_network_ids) | Q(network_id__in=scope.admin_network_ids)
    ).order_by("kind", "name", "pk")


def _person_filter(scope: Scope, actor) -> Q:
    """People sharing a network the actor oversees, or a school the actor works in.

    The actor always matches their own memberships, so a person with any role sees
    themselves through the same single semi-join (which PostgreSQL plans well); a person
    with no role sees only themselves.
    """
    whole_networks = scope.admin_network_ids | scope.facilitator_network_ids
    if not whole_networks and not scope.school_ids:
        return Q(pk=actor.pk)
    reach = Q()
    if whole_networks:
        reach |= Q(network_id__in=whole_networks)
    if scope.school_ids:
        reach |= Q(organisation_id__in=scope.school_ids)
    return Q(Exists(Membership.objects.filter(reach, person_id=OuterRef("pk"))))


def people_visible_to(*, actor) -> QuerySet[Person]:
    scope = scope_for(actor)
    if not actor.is_authenticated:
        return Person.objects.none()
    return Person.objects.filter(_person_filter(scope, actor))


def people_openable_by(*, actor, person_ids) -> frozenset[int]:
    """Which of these people's pages the actor may open (`person_get_for` finds them), in
    one query: a page links a person only where this holds, and names the rest."""
    ids = [pk for pk in set(person_ids) if pk is not None]
    if not ids:
        return frozenset()
    return frozenset(people_visible_to(actor=actor).filter(pk__in=ids)
                     .values_list("pk", flat=True))


def _shown_network_ids(scope: Scope, actor, person_pk) -> frozenset[int] | None:
    """Whose roles and vocabulary a people page shows: the actor's own networks' only (a
    person shared with another network shows none of it); all of them on one's own page.
    None means no limit."""
    if actor.pk == person_pk:
        return None
    return scope.network_ids


def _memberships_shown(network_ids) -> QuerySet[Membership]:
    memberships = Membership.objects.select_related("organisation").order_by(
        "organisation__name", "role")
    if network_ids is not None:
        memberships = memberships.filter(network_id__in=network_ids)
    return memberships


def person_get_for(*, actor, pk: int) -> Person:
    """One person, with the roles, grades and subjects of the actor's networks only."""
    scope = scope_for(actor)
    try:
        shown = _shown_network_ids(scope, actor, int(pk))
        grades, subjects = GradeLevel.objects.all(), Subject.objects.all()
        if shown is not None:
            grades = grades.filter(network_id__in=shown)
            subjects = subjects.filter(network_id__in=shown)
        return (
            people_visible_to(actor=actor)
            .select_related("profile")
            .prefetch_related(
                Prefetch("memberships", queryset=_memberships_shown(shown)),
                Prefetch("profile__grades", queryset=grades),
                Prefetch("profile__subjects", queryset=subjects),
            )
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such person") from exc


def membership_get_for(*, actor, person: Person, pk: int) -> Membership:
    """One of `person`'s roles, in an organisation the actor administers."""
    scope = scope_for(actor)
    try:
        return Membership.objects.select_related("organisation", "person").get(
            pk=pk, person=person, network_id__in=scope.admin_network_ids
        )
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404("No such role") from exc


def networks_holding(*, actor, person: Person) -> list[Organisation]:
    """The networks the actor administers in which `person` holds a role."""
    scope = scope_for(actor)
    return list(Organisation.objects.filter(
        pk__in=Membership.objects.filter(person_id=person.pk,
                                         network_id__in=scope.admin_network_ids)
        .values("network_id")).order_by("name", "pk"))


def people_directory(
    *,
    actor,
    search: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    include_inactive: bool = False,
) -> QuerySet[Person]:
    """The people list: visible people with their roles in the actor's own networks (never
    another network's), filtered and ordered."""
    scope = scope_for(actor)
    people = people_visible_to(actor=actor)
    if not include_inactive:
        people = people.filter(is_active=True)
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if organisation is not None:
        people = people.filter(
            Exists(
                Membership.objects.filter(person_id=OuterRef("pk"), organisation=organisation)
            )
        )
    if role:
        people = people.filter(
            Exists(Membership.objects.filter(person_id=OuterRef("pk"), role=role,
                                              network_id__in=scope.network_ids))
        )
    return people.order_by("full_name", "pk").prefetch_related(
        Prefetch("memberships", queryset=_memberships_shown(scope.network_ids))
    )


def school_years_for_network(*, network_id: int) -> QuerySet[SchoolYear]:
    return SchoolYear.objects.filter(network_id=network_id).prefetch_related("terms")


def school_year_get_for(*, actor, network: Organisation, pk: int) -> SchoolYear:
    """A school year of a network the actor can see (`network` came from a selector)."""
    organisation_get_for(actor=actor, pk=network.pk)
    try:
        return SchoolYear.objects.select_related("network").get(pk=pk, network=network)
    except (SchoolYear.DoesNotExist, ValueError) as exc:
        raise Http404("No such school year") from exc


def caseload_for(*, actor, school_year: SchoolYear | None) -> QuerySet[CaseloadAssignment]:
    """The actor's own caseload (as a coach) in a school year."""
    if school_year is None:
        return CaseloadAssignment.objects.none()
    return (
        CaseloadAssignment.objects.filter(coach_id=actor.pk, school_year=school_year)
        .select_related("teacher", "school")
        .only("id", "school_id", "teacher_id", "teacher__full_name", "teacher__email",
              "school__name", "school__kind", "school__network_id")
        .order_by("teacher__full_name", "pk")
    )


def teaching_labels(*, person_ids: list[int]) -> dict[int, dict[str, str]]:
    """What each person teaches, as ready-to-print text: two queries, no model objects."""
    labels = {pk: {"grades": "", "subjects": ""} for pk in person_ids}
    grades: dict[int, list[str]] = {}
    for person_id, name in (
        TeacherProfile.grades.through.objects.filter(teacherprofile__person_id__in=person_ids)
        .order_by("gradelevel__position", "gradelevel__name")
        .values_list("teacherprofile__person_id", "gradelevel__name")
    ):
        grades.setdefault(person_id, []).append(name)
    subjects: dict[int, list[str]] = {}
    for person_id, name in (
        TeacherProfile.subjects.through.objects.filter(teacherprofile__person_id__in=person_ids)
        .order_by("subject__name")
        .values_list("teacherprofile__person_id", "subject__name")
    ):
        subjects.setdefault(person_id, []).append(name)
    for pk in person_ids:
        labels[pk]["grades"] = ", ".join(grades.get(pk, []))
        labels[pk]["subjects"] = ", ".join(subjects.get(pk, []))
    return labels


def coaches_of(*, actor, school_year: SchoolYear | None) -> QuerySet[CaseloadAssignment]:
    """The actor's coaches (as a teacher) in a school year."""
    if school_year is None:
        return CaseloadAssignment.objects.none()
    return (
        CaseloadAssignment.objects.filter(teacher_id=actor.pk, school_year=school_year)
        .select_related("coach", "school")
        .order_by("coach__full_name")
    )


def may_see_caseloads_in(*, actor, school: Organisation) -> bool:
    """Who is in which caseload: decided by the disclosure gate (admins and the school's
    coaches always; its leaders only where the school shows who was coached)."""
    return rules.may_see_caseloads.test(actor, school)


def caseloads_in_school(
    *, actor, school: Organisation, school_year: SchoolYear | None
) -> QuerySet[CaseloadAssignment]:
    """Every caseload assignment in a school, for those `may_see_caseloads_in` allows."""
    allowed = may_see_caseloads_in(actor=actor, school=school)
    if not allowed or school_year is None:
        return CaseloadAssignment.objects.none()
    return (
        CaseloadAssignment.objects.filter(school=school, school_year=school_year)
        .select_related("coach", "teacher")
        .order_by("coach__full_name", "teacher__full_name", "pk")
    )


def people_with_role_in(*, organisation: Organisation, role: str) -> QuerySet[Person]:
    return Person.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=role,
    ).order_by("full_name", "pk")


def grades_for_network(*, network_id: int | None) -> QuerySet[GradeLevel]:
    return GradeLevel.objects.filter(network_id=network_id)


def subjects_for_network(*, network_id: int | None) -> QuerySet[Subject]:
    return Subject.objects.filter(network_id=network_id)


def profile_for(*, person: Person) -> TeacherProfile | None:
    try:
        return person.profile
    except TeacherProfile.DoesNotExist:
        return None


def active_memberships() -> QuerySet[Membership]:
    """Memberships of people who are switched on (an anti-join on the few who are not)."""
    switched_off = Person.objects.filter(pk=OuterRef("person_id"), is_active=False)
    return Membership.objects.exclude(Exists(switched_off))


def organisation_counts(*, organisations: list[Organisation]) -> dict[int, dict[str, int]]:
    """Head-counts by role for each organisation, in one query."""
    from django.db.models import Count

    counts: dict[int, dict[str, int]] = {o.pk: {r: 0 for r in Role.values} for o in organisations}
    rows = (
        active_memberships().filter(organisation_id__in=[o.pk for o in organisations])
        .values_list("organisation_id", "role")
        .annotate(n=Count("id"))
    )
    for organisation_id, role, n in rows:
        counts[organisation_id][role] = n
    return counts
