"""Writes of the library of conversation resources, and pulling one into a session's agenda.

A resource is a coach's own (only they see it) or shared by a network's admins with every
coach of the network; the built-in starter set (`starter.py`) is read-only. Activity
entries name a shared resource by its title; a coach's own is logged as "Own resource",
because its title is the coach's words. No entry ever carries a resource's text.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.scope import scope_for
from bettertogether.menu.models import CoachingSession

from .models import ConversationResource, Purpose
from .rules import administers_network, is_coach, may_use_resource_in

OWN_LABEL = "Own resource"
AGENDA_MAX = CoachingSession._meta.get_field("agenda").max_length


def _label(resource: ConversationResource) -> str:
    return OWN_LABEL if resource.owner_id is not None else resource.title


def _keeper(actor, for_network: Organisation | None) -> tuple[Organisation, Person | None]:
    """Where a new resource goes, with its keeper's row locked so a double submit waits.

    Shared with `for_network` (its admins only), or the coach's own otherwise.
    """
    if for_network is not None:
        if not administers_network.test(actor, for_network):  # goals.share_resources
            raise PermissionDenied("Only the network's admins share resources with it.")
        return Organisation.objects.select_for_update().get(pk=for_network.pk), None
    if not is_coach.test(actor):  # goals.keep_own_resources
        raise PermissionDenied("Only coaches keep resources of their own.")
    list(Person.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    return Organisation.objects.get(pk=scope_for(actor).primary_network_id), actor


def _same_shelf(resource: ConversationResource):
    if resource.owner_id is not None:
        shelf = ConversationResource.objects.filter(owner_id=resource.owner_id)
    else:
        shelf = ConversationResource.objects.filter(owner__isnull=True,
                                                    network_id=resource.network_id)
    return shelf.exclude(pk=resource.pk) if resource.pk else shelf


def _check(resource: ConversationResource) -> None:
    errors = {}
    if resource.kind not in ConversationResource.Kind.values:
        errors["kind"] = _("Choose question stems or a protocol.")
    if resource.purpose not in Purpose.values:
        errors["purpose"] = _("Choose what it is for.")
    if not resource.title:
        errors["title"] = _("Give it a title.")
    if not resource.body:
        errors["body"] = _("Write the questions or the steps.")
    if errors:
        raise ValidationError(errors)
    if _same_shelf(resource).filter(title__iexact=resource.title).exists():
        where = (_("You already have a resource called “%(title)s”.")
                 if resource.owner_id is not None else
                 _("The network already shares a resource called “%(title)s”."))
        raise ValidationError({"title": where % {"title": resource.title}})


@transaction.atomic
def resource_create(
    *, actor, kind: str, purpose: str, title: str, body: str,
    for_network: Organisation | None = None,
) -> ConversationResource:
    """A coach's own resource, or (`for_network` given) one its admin shares with it.

    Submitting the same resource twice (a double click) keeps one: the keeper's row is
    locked, and an identical resource already on the shelf is returned.
    """
    network, owner = _keeper(actor, for_network)
    resource = ConversationResource(network=network, owner=owner, kind=kind, purpose=purpose,
                                    title=title.strip(), body=body.strip())
    twin = _same_shelf(resource).filter(title=resource.title, body=resource.body,
                                        kind=kind, purpose=purpose).first()
    if twin is not None:
        return twin
    _check(resource)
    resource.full_clean(exclude=["network", "owner"])
    resource.save()
    activity_record(actor=actor, action="resource.create", target=resource,
                    organisation=network, label=_label(resource), details={"kind": kind})
    return resource


def _require_keeper(actor, resource: ConversationResource) -> None:
    if not actor.has_perm("goals.change_resource", resource):
        raise PermissionDenied("Built-in resources are read-only; others are their keeper's.")


@transaction.atomic
def resource_update(
    *, actor, resource: ConversationResource, kind: str, purpose: str, title: str, body: str,
) -> ConversationResource:
    _require_keeper(actor, resource)
    values = {"kind": kind, "purpose": purpose, "title": title.strip(), "body": body.strip()}
    changed = [name for name, value in values.items() if getattr(resource, name) != value]
    if not changed:
        return resource
    for name, value in values.items():
        setattr(resource, name, value)
    _check(resource)
    resource.full_clean(exclude=["network", "owner"])
    resource.save(update_fields=changed)
    activity_record(actor=actor, action="resource.update", target=resource,
                    organisation=resource.network, label=_label(resource),
                    details={"kind": resource.kind, "fields": changed})
    return resource


@transaction.atomic
def resource_delete(*, actor, resource: ConversationResource) -> None:
    """Take a resource off the shelf. Plans and agendas it went into keep their copy."""
    _require_keeper(actor, resource)
    activity_record(actor=actor, action="resource.delete", target=resource,
                    organisation=resource.network, label=_label(resource),
                    details={"kind": resource.kind})
    resource.delete()


@transaction.atomic
def session_agenda_add_resource(
    *, actor, session: CoachingSession, resource: ConversationResource,
) -> CoachingSession:
    """Append a resource (title, then text) to the agenda of one of the coach's sessions.

    The agenda is not in the calendar feed, so the session's `sequence` stays as it is.
    Adding the same resource twice (a double click) adds it once.
    """
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if not actor.has_perm("menu.change_session", session):
        raise PermissionDenied("Only the session's coach changes its agenda.")
    if not may_use_resource_in(actor, resource, network_id=session.network_id):
        raise PermissionDenied("That resource is not yours to use.")
    if session.is_cancelled:
        raise ValidationError({"session": _("That session was cancelled: choose another.")})
    addition = f"{resource.title}\n{resource.body}"
    if addition in session.agenda:
        return session
    agenda = f"{session.agenda.rstrip()}\n\n{addition}" if session.agenda.strip() else addition
    if len(agenda) > AGENDA_MAX:
        raise ValidationError({"session": _(
            "It does not fit: the agenda of %(session)s would be %(length)s characters, and "
            "an agenda holds %(max)s. Shorten the agenda first, or copy the part you need."
        ) % {"session": session.title, "length": len(agenda), "max": AGENDA_MAX}})
    session.agenda = agenda
    session.updated_at = timezone.now()
    session.full_clean(exclude=["network", "school", "coach", "request", "kind",
                                "interaction"])
    session.save(update_fields=["agenda", "updated_at"])
    # Labelled as the menu labels sessions: by kind, since a title may be the coach's words.
    activity_record(actor=actor, action="session.add_resource", target=session,
                    organisation=session.school,
                    label=f"{session.kind.name} session {session.pk}")
    return session
