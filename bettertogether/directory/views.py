from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors

from . import calendar, selectors, services
from .forms import (
    CaseloadAssignForm,
    OrganisationSettingsForm,
    PeopleFilterForm,
    ProfileForm,
    RoleGrantForm,
    SchoolForm,
    SchoolYearForm,
    TermForm,
)
from .models import CaseloadAssignment, Role
from .scope import scope_for


def _deny_unless(request, perm: str, obj) -> None:
    """Objects the actor can see but not change answer 403; unseen ones were already 404."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _404_unless(request, perm: str) -> None:
    """A page the actor has no way to reach is not there for them."""
    if not request.user.has_perm(perm):
        raise Http404


def people(request):
    _404_unless(request, "directory.open_people")
    organisations = selectors.school_choices_for(actor=request.user)
    form = PeopleFilterForm(request.GET or None, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    listed = selectors.people_directory(
        actor=request.user,
        search=filters.get("q", ""),
        organisation=filters.get("organisation"),
        role=filters.get("role", ""),
        include_inactive=filters.get("inactive", False),
    )
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "directory/_people_table.html" if request.htmx else "directory/people.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def person(request, pk, role_form=None):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    can_manage_roles = request.user.has_perm("directory.manage_roles", shown)
    if can_manage_roles and role_form is None:
        role_form = RoleGrantForm(
            organisations=selectors.organisations_administered_by(actor=request.user)
        )
    administered = scope_for(request.user).admin_network_ids
    can_remove = request.user.has_perm("directory.remove_from_network", shown)
    return render(request, "directory/person.html", {
        "person": shown,
        "can_manage": request.user.has_perm("directory.manage_person", shown),
        "can_edit": request.user.has_perm("directory.edit_profile", shown),
        "role_form": role_form if can_manage_roles else None,
        "administered_network_ids": administered,
        "removable_from": selectors.networks_holding(actor=request.user, person=shown)
        if can_remove else [],
    }, status=422 if role_form is not None and role_form.errors else 200)


@require_POST
def person_role_grant(request, pk):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.manage_roles", shown)
    form = RoleGrantForm(
        request.POST, organisations=selectors.organisations_administered_by(actor=request.user)
    )
    if form.is_valid():
        try:
            services.membership_grant(actor=request.user, person=shown, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now %(role)s at %(org)s.") % {
                "name": shown.full_name,
                "role": Role(form.cleaned_data["role"]).label,
                "org": form.cleaned_data["organisation"].name,
            })
            return redirect("directory:person", pk=shown.pk)
    return person(request, pk, role_form=form)


@require_POST
def person_role_revoke(request, pk, membership_pk):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.manage_roles", shown)
    membership = selectors.membership_get_for(actor=request.user, person=shown, pk=membership_pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer %(role)s at %(org)s.") % {
            "name": shown.full_name, "role": membership.get_role_display(),
            "org": membership.organisation.name})
    return redirect("directory:person", pk=shown.pk)


def person_edit(request, pk):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    if shown.pk == request.user.pk:
        return redirect("core:profile_edit")
    _deny_unless(request, "directory.edit_profile", shown)
    form = ProfileForm(request.POST or None, person=shown)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, person=shown, network_id=form.network_id,
                                    **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The profile of %(name)s is saved.") % {
                "name": shown.full_name})
            return redirect("directory:person", pk=shown.pk)
    return render(request, "directory/person_edit.html", {"form": form, "person": shown},
                  status=422 if form.errors else 200)


@require_POST
def person_deactivate(request, pk):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.manage_roles", shown)
    try:
        services.person_deactivate(actor=request.user, person=shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is switched off and signed out everywhere.") % {
            "name": shown.full_name})
    return redirect("directory:person", pk=shown.pk)


@require_POST
def person_reactivate(request, pk):
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.manage_roles", shown)
    try:
        services.person_reactivate(actor=request.user, person=shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": shown.full_name})
    return redirect("directory:person", pk=shown.pk)


@require_POST
def person_remove(request, pk):
    """Remove a person from one of the actor's networks: every role they hold there ends."""
    shown = selectors.person_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.remove_from_network", shown)
    networks = {n.pk: n for n in selectors.networks_holding(actor=request.user, person=shown)}
    try:
        network = networks[int(request.POST.get("network", ""))]
    except (KeyError, ValueError):
        messages.error(request, _("Choose one of your networks to remove this person from."))
        return redirect("directory:person", pk=shown.pk)
    try:
        services.person_remove_from_network(actor=request.user, person=shown, network=network)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:person", pk=shown.pk)
    messages.success(request, _("%(name)s no longer holds any role in %(network)s. Their "
                                "caseloads and logged contacts stay as history.") % {
        "name": shown.full_name, "network": network.name})
    if selectors.people_visible_to(actor=request.user).filter(pk=shown.pk).exists():
        return redirect("directory:person", pk=shown.pk)
    return redirect("directory:people")


def organisations(request):
    _404_unless(request, "directory.open_schools")
    listed = selectors.schools_listed_for(actor=request.user).order_by("name", "pk")
    search = request.GET.get("q", "").strip()[:100]
    if search:
        listed = listed.filter(name__icontains=search)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    counts = selectors.organisation_counts(organisations=list(page.object_list))
    rows = [{"organisation": o, "counts": counts[o.pk]} for o in page.object_list]
    networks = selectors.organisations_administered_by(actor=request.user).filter(kind="network")
    return render(request, "directory/organisations.html", {
        "rows": rows, "page": page, "search": search,
        "query": urlencode({"q": search}) if search else "",
        "networks": networks, "can_create": request.user.has_perm("directory.admin_anything")})


def organisation(request, pk):
    shown = selectors.organisation_get_for(actor=request.user, pk=pk)
    network_id = shown.network_root_id
    year = calendar.current_school_year(network_id=network_id)
    counts = selectors.organisation_counts(organisations=[shown])[shown.pk]
    context = {
        "organisation": shown,
        "counts": counts,
        "school_year": year,
        "can_manage": request.user.has_perm("directory.manage_organisation", shown),
        "can_view_people": request.user.has_perm("directory.view_school_people", shown),
    }
    if shown.is_network:
        context["school_years"] = selectors.school_years_for_network(network_id=shown.pk)
        context["schools"] = selectors.schools_visible_to(actor=request.user).filter(
            network=shown)[:12]
    else:
        context["leaders"] = selectors.people_with_role_in(
            organisation=shown, role=Role.SCHOOL_LEADER)
        context["coaches"] = selectors.people_with_role_in(organisation=shown, role=Role.COACH)
    return render(request, "directory/organisation.html", context)


def organisation_settings(request, pk):
    shown = selectors.organisation_get_for(actor=request.user, pk=pk)
    _deny_unless(request, "directory.manage_organisation", shown)
    form = OrganisationSettingsForm(request.POST or None, organisation=shown, initial={
        "name": shown.name, "locale": shown.locale, "time_zone": shown.time_zone,
        "leader_visibility": shown.leader_visibility,
        "min_student_group": shown.min_student_group,
        "password_sign_in": shown.password_sign_in,
        "entra_tenants": shown.entra_tenants, "entra_domains": shown.entra_domains})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=shown,
                                         **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Settings saved for %(name)s.") % {"name": shown.name})
            return redirect("directory:organisation", pk=shown.pk)
    return render(request, "directory/organisation_settings.html",
                  {"form": form, "organisation": shown}, status=422 if form.errors else 200)


def school_create(request):
    networks = list(selectors.organisations_administered_by(actor=request.user).filter(
        kind="network"))
    if not networks:
        raise Http404
    network = networks[0]
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(actor=request.user, network=network,
                                            name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": school.name})
            return redirect("directory:organisation", pk=school.pk)
    return render(request, "directory/school_create.html", {"form": form, "network": network},
                  status=422 if form.errors else 200)


def school_year_create(request, pk):
    network = selectors.organisation_get_for(actor=request.user, pk=pk)
    if not network.is_network:
        raise Http404
    _deny_unless(request, "directory.manage_organisation", network)
    form = SchoolYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.school_year_create(actor=request.user, network=network,
                                               **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("School year %(name)s was added.") % {"name": year.name})
            return redirect("directory:organisation", pk=network.pk)
    return render(request, "directory/school_year_create.html",
                  {"form": form, "organisation": network}, status=422 if form.errors else 200)


def term_create(request, pk, year_pk):
    network = selectors.organisation_get_for(actor=request.user, pk=pk)
    year = selectors.school_year_get_for(actor=request.user, network=network, pk=year_pk)
    _deny_unless(request, "directory.manage_organisation", network)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, school_year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Term %(name)s was added to %(year)s.") % {
                "name": term.name, "year": year.name})
            return redirect("directory:organisation", pk=network.pk)
    return render(request, "directory/term_create.html",
                  {"form": form, "organisation": network, "school_year": year},
                  status=422 if form.errors else 200)


def school_caseloads(request, pk):
    school = selectors.organisation_get_for(actor=request.user, pk=pk)
    if school.is_network:
        raise Http404
    _deny_unless(request, "directory.view_school_people", school)
    year = calendar.current_school_year(network_id=school.network_root_id)
    can_assign = request.user.has_perm("directory.assign_caseload", school)
    form = None
    if can_assign:
        form = CaseloadAssignForm(
            request.POST or None,
            coaches=selectors.people_with_role_in(organisation=school, role=Role.COACH),
            teachers=selectors.people_with_role_in(organisation=school, role=Role.TEACHER),
        )
    if request.method == "POST":
        if not can_assign:
            raise PermissionDenied
        if form.is_valid() and year is None:
            form.add_error(None, _("Add a school year to the network before assigning caseloads."))
        elif form.is_valid():
            try:
                # All teachers or none: one refused teacher leaves the caseload as it was.
                with transaction.atomic():
                    for teacher in form.cleaned_data["teachers"]:
                        services.caseload_assign(
                            actor=request.user, coach=form.cleaned_data["coach"],
                            teacher=teacher, school=school, school_year=year)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Caseload updated."))
                return redirect("directory:school_caseloads", pk=school.pk)
    assignments = selectors.caseloads_in_school(actor=request.user, school=school,
                                                school_year=year)
    groups: dict = {}
    for assignment in assignments:
        groups.setdefault(assignment.coach, []).append(assignment)
    openable = selectors.people_openable_by(actor=request.user, person_ids=[
        pk for assignment in assignments for pk in (assignment.coach_id, assignment.teacher_id)])
    return render(request, "directory/school_caseloads.html", {
        "school": school, "school_year": year, "groups": groups, "form": form,
        "can_assign": can_assign, "openable": openable,
        "names_hidden": not selectors.may_see_caseloads_in(actor=request.user, school=school),
    }, status=422 if form is not None and form.errors else 200)


@require_POST
def caseload_remove(request, pk, assignment_pk):
    school = selectors.organisation_get_for(actor=request.user, pk=pk)
    year = calendar.current_school_year(network_id=school.network_root_id)
    try:
        assignment = selectors.caseloads_in_school(
            actor=request.user, school=school, school_year=year).get(pk=assignment_pk)
    except CaseloadAssignment.DoesNotExist as exc:
        raise Http404 from exc
    _deny_unless(request, "directory.assign_caseload", school)
    services.caseload_remove(actor=request.user, assignment=assignment)
    messages.success(request, _("%(teacher)s left the caseload of %(coach)s.") % {
        "teacher": assignment.teacher.full_name, "coach": assignment.coach.full_name})
    return redirect("directory:school_caseloads", pk=school.pk)
