"""The coaching menu and requests: what a coach offers, what a teacher asks for, and the
coach's answers. Sessions and calendars are in `views_sessions.py`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.coaching import selectors as coaching
from bettertogether.core.forms import apply_errors
from bettertogether.directory import selectors as directory
from bettertogether.directory.scope import scope_for

from . import funnel, rules, selectors, services
from .forms import AcceptForm, DeclineForm, MenuItemForm, ProposeForm, RequestForm

REQUESTS_PAGE = 30


def _kinds(scope) -> list:
    return list(coaching.support_kinds_for(network_id=scope.primary_network_id))


def menu(request):
    """A coach's own menu with its funnel; a teacher's coaches' menus to order from."""
    actor = request.user
    if not rules.may_open_menu.test(actor):  # menu.view_menu
        raise Http404
    is_coach, is_teacher = rules.is_coach.test(actor), rules.is_teacher.test(actor)
    context = {"is_coach": is_coach, "is_teacher": is_teacher}
    if is_coach:
        items = list(selectors.coach_items(actor=request.user))
        further = funnel.led_further(coach_id=request.user.pk, item_ids=[i.pk for i in items])
        for item in items:
            item.led_further = further.get(item.pk, 0)
        context["items"] = items
        context["open_count"] = selectors.open_request_count(actor=request.user)
    if is_teacher:
        context["menus"] = selectors.menus_for_teacher(actor=request.user)
    return render(request, "menu/menu.html", context)


def _item_form_page(request, *, form, item=None, network=None, status=200):
    return render(request, "menu/item_form.html", {
        "form": form, "item": item, "network": network,
    }, status=422 if form.errors else status)


def item_create(request, network_pk=None):
    """Add an item to the coach's own menu, or (for its admins) to a network's menu."""
    network = None
    if network_pk is not None:
        network = directory.organisation_get_for(actor=request.user, pk=network_pk)
        if not rules.administers_network.test(request.user, network):
            raise Http404  # menu.manage_network_items
    elif not request.user.has_perm("menu.offer_items"):
        raise Http404
    scope = scope_for(request.user)
    form = MenuItemForm(request.POST or None, kinds=_kinds(scope))
    if request.method == "POST" and form.is_valid():
        try:
            services.menu_item_create(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added to the menu: %(title)s") % {
                "title": form.cleaned_data["title"]})
            if network is not None:
                return redirect("menu:network_menu", pk=network.pk)
            return redirect("menu:menu")
    return _item_form_page(request, form=form, network=network)


def item_edit(request, pk):
    item = selectors.item_get_for_owner(actor=request.user, pk=pk)
    kinds = _kinds(scope_for(request.user))
    if item.kind not in kinds:
        kinds.append(item.kind)
    form = MenuItemForm(request.POST or None, kinds=kinds, with_active=True, initial={
        "title": item.title, "kind": item.kind_id, "typical_minutes": item.typical_minutes,
        "description": item.description, "outcome": item.outcome, "is_active": item.is_active,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.menu_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved %(title)s.") % {"title": item.title})
            if item.is_network_item:
                return redirect("menu:network_menu", pk=item.network_id)
            return redirect("menu:menu")
    return _item_form_page(request, form=form, item=item,
                           network=item.network if item.is_network_item else None)


def network_menu(request, pk):
    """The items every coach of the network offers, for the network's admins."""
    network = directory.organisation_get_for(actor=request.user, pk=pk)
    if not rules.administers_network.test(request.user, network):  # menu.manage_network_items
        raise Http404
    return render(request, "menu/network_menu.html", {
        "organisation": network, "items": list(selectors.network_items(network=network)),
    })


def request_new(request, item_pk):
    """A teacher asks for a menu item: a note and the times that suit them."""
    if not request.user.has_perm("menu.request_support"):
        raise Http404
    item, coaches = selectors.requestable_item_for(actor=request.user, pk=item_pk)
    chosen = request.GET.get("coach", "")
    initial = {"coach": int(chosen)} if chosen.isdigit() else {}
    form = RequestForm(request.POST or None, coaches=coaches, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_create(
                actor=request.user, coach=data["coach"], item=item, note=data["note"],
                preferred_times=data["preferred_times"],
                idempotency_key=data["idempotency_key"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent to %(coach)s. You will hear back here.") % {
                "coach": made.coach.full_name})
            return redirect("menu:request", pk=made.pk)
    return render(request, "menu/request_new.html", {
        "form": form, "item": item, "only_coach": coaches[0] if len(coaches) == 1 else None},
                  status=422 if form.errors else 200)


def inbox(request):
    """Requests made to the coach: open ones first; or every one."""
    if not rules.is_coach.test(request.user):
        raise Http404
    show_all = request.GET.get("status") == "all"
    teacher = request.GET.get("teacher", "")
    teacher_id = int(teacher) if teacher.isdigit() else None
    found = selectors.requests_for_coach(actor=request.user,
                                         status="all" if show_all else "open",
                                         teacher_id=teacher_id)
    page = Paginator(found, REQUESTS_PAGE).get_page(request.GET.get("page"))
    # The other pages keep what is shown: every status or the open ones, of one teacher.
    query = urlencode({name: value for name, value in (
        ("status", "all" if show_all else ""), ("teacher", teacher_id or "")) if value})
    return render(request, "menu/inbox.html", {
        "page": page, "show_all": show_all, "query": query, "teacher_id": teacher_id,
    })


def my_requests(request):
    """The teacher's requests and where each stands."""
    if not rules.is_teacher.test(request.user):
        raise Http404
    page = Paginator(selectors.requests_for_teacher(actor=request.user),
                     REQUESTS_PAGE).get_page(request.GET.get("page"))
    return render(request, "menu/my_requests.html", {"page": page, "query": ""})


def request_detail(request, pk, forms=None, status=200):
    """One request, for its teacher and its coach, with what each of them may do next."""
    found = selectors.request_get_for(actor=request.user, pk=pk)
    is_coach = request.user.has_perm("menu.answer_request", found)
    forms = forms or {}
    if is_coach and found.is_open:
        hint = {"place": found.proposed_place} if found.proposed_start else {}
        forms.setdefault("accept", AcceptForm(prefix="accept", initial=hint))
        forms.setdefault("propose", ProposeForm(prefix="propose"))
        forms.setdefault("decline", DeclineForm(prefix="decline"))
    return render(request, "menu/request.html", {
        "req": found, "is_coach": is_coach,
        "is_teacher": request.user.has_perm("menu.withdraw_request", found),
        "session": getattr(found, "session", None), **forms,
    }, status=status)


def _answer(request, pk, *, form_class, prefix, act, done):
    found = selectors.request_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.answer_request", found):
        raise PermissionDenied
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            result = act(found, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return result
    return request_detail(request, pk, forms={prefix: form}, status=422)


@require_POST
def request_accept(request, pk):
    def act(found, data):
        session = services.request_accept(
            actor=request.user, request=found, starts_at=data["starts_at"],
            ends_at=data["ends_at"], place=data["place"], location=data["location"],
            message=data["message"])
        return redirect("menu:session", pk=session.pk)

    return _answer(request, pk, form_class=AcceptForm, prefix="accept", act=act,
                   done=_("Scheduled. The teacher has been told."))


@require_POST
def request_propose(request, pk):
    def act(found, data):
        services.request_propose(actor=request.user, request=found,
                                 starts_at=data["starts_at"], ends_at=data["ends_at"],
                                 place=data["place"], message=data["message"])
        return redirect("menu:request", pk=found.pk)

    return _answer(request, pk, form_class=ProposeForm, prefix="propose", act=act,
                   done=_("Proposed. The teacher can take the time or withdraw."))


@require_POST
def request_decline(request, pk):
    def act(found, data):
        services.request_decline(actor=request.user, request=found, message=data["message"])
        return redirect("menu:inbox")

    return _answer(request, pk, form_class=DeclineForm, prefix="decline", act=act,
                   done=_("Declined, with your message to the teacher."))


@require_POST
def request_take(request, pk):
    found = selectors.request_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.withdraw_request", found):
        raise PermissionDenied
    try:
        session = services.request_take_proposal(actor=request.user, request=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("menu:request", pk=found.pk)
    messages.success(request, _("It is in both your calendars."))
    return redirect("menu:session", pk=session.pk)


@require_POST
def request_withdraw(request, pk):
    found = selectors.request_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.withdraw_request", found):
        raise PermissionDenied
    try:
        services.request_withdraw(actor=request.user, request=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("menu:request", pk=found.pk)
    messages.success(request, _("Withdrawn."))
    return redirect("menu:my_requests")
