"""Reads of import runs, scoped to the networks the actor administers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from bettertogether.directory.models import Organisation
from bettertogether.directory.scope import scope_for

from .models import ImportRun


def import_runs_visible_to(*, actor) -> QuerySet[ImportRun]:
    """Every import run of the networks the actor administers, newest first."""
    return (
        ImportRun.objects.filter(network_id__in=scope_for(actor).admin_network_ids)
        .select_related("network", "started_by")
        .annotate(was_applied=Exists(ImportRun.objects.filter(preview_of=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )


def import_run_get_for(*, actor, pk: int) -> ImportRun:
    try:
        return import_runs_visible_to(actor=actor).get(pk=pk)
    except (ImportRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such import") from exc


def networks_importable_by(*, actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=scope_for(actor).admin_network_ids, kind=Organisation.Kind.NETWORK
    ).order_by("name")
