"""Reads of cycle templates for the network admins who keep them.

The pages live under a network: its admins see the built-in templates and the network's
own; for anyone else the network's templates do not exist (404).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from bettertogether.coaching.rules import administers_network
from bettertogether.directory import selectors as directory
from bettertogether.directory.models import Organisation

from .models import Cycle, CycleStatus, CycleTemplate, TemplateStage

NAME_MAX = CycleTemplate._meta.get_field("name").max_length


def network_for_templates(*, actor, pk: int) -> Organisation:
    """A network whose templates the actor keeps: one they administer."""
    network = directory.organisation_get_for(actor=actor, pk=pk)
    if not administers_network.test(actor, network):  # goals.manage_templates
        raise Http404("No such network")
    return network


def _templates_of(network: Organisation):
    return CycleTemplate.objects.filter(Q(network__isnull=True) | Q(network=network))


def templates_of_network(*, network: Organisation) -> dict[str, list[CycleTemplate]]:
    """The built-in templates and the network's own, with stage counts and days: one query."""
    rows = list(_templates_of(network).select_related("copied_from")
                .annotate(stage_count=Count("stages"), total_days=Sum("stages__expected_days"))
                .order_by("name", "pk"))
    return {"built_in": [t for t in rows if t.network_id is None],
            "own": [t for t in rows if t.network_id is not None]}


def template_get_for(*, network: Organisation, pk: int) -> CycleTemplate:
    try:
        return _templates_of(network).select_related("copied_from", "network").get(pk=pk)
    except (CycleTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such template") from exc


def stages_of_template(*, template: CycleTemplate) -> list[TemplateStage]:
    return list(template.stages.order_by("position"))


def template_stage_get_for(*, template: CycleTemplate, pk: int) -> TemplateStage:
    try:
        return template.stages.select_related("template").get(pk=pk)
    except (TemplateStage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such stage") from exc


def running_cycles_of(*, template: CycleTemplate) -> int:
    """How many cycles under way started from the template (a count, never which)."""
    return Cycle.objects.filter(template=template, status=CycleStatus.ACTIVE).count()


def copy_name(*, template: CycleTemplate, network: Organisation, taken: set[str]) -> str:
    """A free name to offer for a copy: "Impact Cycle (Riverside)" for a built-in one,
    "Our cycle (copy)" for one of the network's own; then "… 2", "… 3"."""
    suffix = network.name if template.network_id is None else _("copy")
    base = f"{template.name} ({suffix})"[:NAME_MAX - 4]
    taken = {name.lower() for name in taken}
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base} {n}"
    return name
