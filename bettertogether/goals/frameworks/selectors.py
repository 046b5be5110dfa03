"""Reads of frameworks, scoped to the acting person (see `rules.py`): outside the network's
admins, coaches and school leaders a framework does not exist (404).

Coverage is counts only — goals, cycles and interactions tagged with each item, and the
minutes of those interactions — over the whole network, from aggregates that never select
a note, a title or a name. It costs one query at any size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from bettertogether.directory.models import Organisation

from ..models import Cycle, Framework, FrameworkItem, Goal, InteractionIndicator
from .rules import VIEW_FRAMEWORKS

STANDARD, INDICATOR = FrameworkItem.Level.STANDARD, FrameworkItem.Level.INDICATOR


def framework_network_get_for(*, actor, pk: int) -> Organisation:
    """A network whose frameworks the actor may read."""
    try:
        network = Organisation.objects.get(pk=pk, kind=Organisation.Kind.NETWORK)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such network") from exc
    if not actor.has_perm(VIEW_FRAMEWORKS, network):
        raise Http404("No such network")
    return network


def frameworks_of(*, network: Organisation) -> QuerySet[Framework]:
    """The network's frameworks with their numbers of standards and indicators."""
    return (Framework.objects.filter(network=network)
            .annotate(standard_count=Count("items", filter=Q(items__level=STANDARD)),
                      indicator_count=Count("items", filter=Q(items__level=INDICATOR)))
            .order_by("title", "pk"))


def framework_get_for(*, actor, pk: int) -> Framework:
    try:
        framework = Framework.objects.select_related("network").get(pk=pk)
    except (Framework.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such framework") from exc
    if not actor.has_perm(VIEW_FRAMEWORKS, framework.network):
        raise Http404("No such framework")
    return framework


@dataclass
class Coverage:
    """One item and how much coaching touched it."""

    item: FrameworkItem
    goals: int
    cycles: int
    interactions: int
    minutes: int

    @property
    def touched(self) -> bool:
        return bool(self.goals or self.cycles or self.interactions)


@dataclass
class StandardCoverage:
    standard: Coverage | None  # None: indicators whose standard is gone
    indicators: list[Coverage] = field(default_factory=list)


def _count(queryset: QuerySet, column: str, total=None) -> Coalesce:
    per_item = (queryset.filter(**{column: OuterRef("pk")}).order_by().values(column)
                .annotate(n=total or Count("pk")).values("n")[:1])
    return Coalesce(Subquery(per_item, output_field=IntegerField()), 0)


def framework_coverage(*, framework: Framework) -> list[StandardCoverage]:
    """The framework's standards in order, each with its indicators, and every item's
    coverage. One query."""
    rows = (FrameworkItem.objects.filter(framework=framework)
            .annotate(
                goal_count=_count(Goal.indicators.through.objects, "frameworkitem_id"),
                cycle_count=_count(Cycle.indicators.through.objects, "frameworkitem_id"),
                interaction_count=_count(InteractionIndicator.objects, "item_id"),
                minute_count=_count(InteractionIndicator.objects, "item_id",
                                    Sum("interaction__minutes")))
            .only("id", "parent_id", "level", "code", "statement", "position")
            .order_by("position", "pk"))
    found = [Coverage(item=item, goals=item.goal_count, cycles=item.cycle_count,
                      interactions=item.interaction_count, minutes=item.minute_count)
             for item in rows]
    blocks = {row.item.pk: StandardCoverage(standard=row) for row in found
              if row.item.parent_id is None}
    loose: list[Coverage] = []
    for row in found:
        if row.item.parent_id in blocks:
            blocks[row.item.parent_id].indicators.append(row)
        elif row.item.parent_id is not None:
            loose.append(row)
    standards = list(blocks.values())
    if loose:
        standards.append(StandardCoverage(standard=None, indicators=loose))
    return standards


def taggable_items_for(*, network_id: int) -> QuerySet[FrameworkItem]:
    """Every item of the network's frameworks, framework by framework, in order."""
    return (FrameworkItem.objects.filter(framework__network_id=network_id)
            .select_related("framework")
            .only("id", "level", "code", "statement", "position", "framework_id",
                  "framework__title")
            .order_by("framework__title", "framework_id", "position", "pk"))


def interaction_item_ids(*, interaction) -> list[int]:
    return list(InteractionIndicator.objects.filter(interaction=interaction)
                .values_list("item_id", flat=True))
