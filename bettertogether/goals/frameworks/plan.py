"""Comparing a framework read from a file with what the network holds, and writing the
difference.

- A CASE package updates the network's framework with the same document identifier; a CSV
  the framework with the same title that did not come from a CASE package. A title is
  unique in a network, so a new framework cannot take one that is used.
- Items are matched by CASE identifier (from a CSV: by code) and updated in place, so what
  coaches tagged with them stays tagged when a framework gets a new version.
- An item the file no longer holds is deleted when nothing is tagged with it. Otherwise it
  is kept, after the file's items, and reported; so is a standard a kept indicator still
  sits under, since deleting a standard deletes what is under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.directory.models import Organisation

from ..models import Cycle, Framework, FrameworkItem, Goal, InteractionIndicator
from .structure import ParsedFramework, ParsedItem, Problems

ITEM_FIELDS = ("level", "code", "statement", "identifier", "parent", "position")
FRAMEWORK_FIELDS = ("title", "identifier", "version", "publisher")
BATCH = 500
_NEW = object()  # the parent of an item whose parent is created by this import


@dataclass(frozen=True)
class KeptItem:
    code: str
    statement: str
    level: str


@dataclass
class Summary:
    """What an import changes. Counts are of standards and indicators together."""

    is_new: bool
    standards: int
    indicators: int
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: list[KeptItem] = field(default_factory=list)
    framework_fields: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed + len(self.framework_fields) + (
            1 if self.is_new else 0)


class ImportPlan:
    def __init__(self, *, network: Organisation, parsed: ParsedFramework,
                 framework: Framework | None):
        self.network, self.parsed, self.framework = network, parsed, framework
        self.existing: list[FrameworkItem] = list(
            framework.items.order_by("position", "pk")) if framework else []
        self.by_key: dict[str, FrameworkItem] = {}
        for item in self.existing:
            self.by_key.setdefault(self._key(item), item)
        self.new: list[ParsedItem] = []
        self.changed: list[tuple[FrameworkItem, ParsedItem]] = []
        self.moved: list[FrameworkItem] = []  # kept items, to their place after the file's
        self.deleted: list[int] = []
        self.summary = Summary(is_new=framework is None, standards=parsed.standard_count,
                               indicators=parsed.indicator_count)
        self._compare()

    def _key(self, item: FrameworkItem) -> str:
        return item.identifier if self.parsed.kind == "case" else item.code

    def _expected_parent(self, parsed: ParsedItem):
        if parsed.parent_key is None:
            return None
        parent = self.by_key.get(parsed.parent_key)
        return parent.pk if parent is not None else _NEW

    def _compare(self) -> None:
        summary = self.summary
        if self.framework is not None:
            summary.framework_fields = [name for name in FRAMEWORK_FIELDS
                                        if getattr(self.framework, name)
                                        != getattr(self.parsed, name)]
        matched: set[int] = set()
        for parsed in self.parsed.items:
            item = self.by_key.get(parsed.key)
            if item is None:
                self.new.append(parsed)
                continue
            matched.add(item.pk)
            if (item.level, item.code, item.statement, item.identifier, item.position,
                    item.parent_id) == (parsed.level, parsed.code, parsed.statement,
                                        parsed.identifier, parsed.position,
                                        self._expected_parent(parsed)):
                summary.unchanged += 1
            else:
                self.changed.append((item, parsed))
        summary.added, summary.changed = len(self.new), len(self.changed)
        self._leftovers([item for item in self.existing if item.pk not in matched])

    def _leftovers(self, leftovers: list[FrameworkItem]) -> None:
        if not leftovers:
            return
        kept = _tagged_ids(self.framework) & {item.pk for item in leftovers}
        parent_of = {item.pk: item.parent_id for item in self.existing}
        leftover_ids = {item.pk for item in leftovers}
        for pk in list(kept):
            parent = parent_of.get(pk)
            while parent in leftover_ids and parent not in kept:
                kept.add(parent)
                parent = parent_of.get(parent)
        position = len(self.parsed.items)
        for item in leftovers:
            if item.pk not in kept:
                self.deleted.append(item.pk)
                continue
            self.summary.kept.append(KeptItem(item.code, item.statement, item.level))
            if item.position != position:
                item.position = position
                self.moved.append(item)
            position += 1
        self.summary.removed = len(self.deleted)

    def write(self) -> Framework:
        """Write the difference (inside the caller's transaction)."""
        framework = self.framework or Framework(network=self.network)
        for name in FRAMEWORK_FIELDS:
            setattr(framework, name, getattr(self.parsed, name))
        framework.updated_at = timezone.now()
        if self.summary.is_new or self.summary.framework_fields:
            framework.full_clean(exclude=["network"])
            framework.save()
        else:
            framework.save(update_fields=["updated_at"])
        created: dict[str, int] = {}
        for level in (FrameworkItem.Level.STANDARD, FrameworkItem.Level.INDICATOR):
            rows = [self._fill(FrameworkItem(framework=framework), parsed, created)
                    for parsed in self.new if parsed.level == level]
            FrameworkItem.objects.bulk_create(rows, batch_size=BATCH)
            created.update({self._key(row): row.pk for row in rows})
        changed = [self._fill(item, parsed, created) for item, parsed in self.changed]
        FrameworkItem.objects.bulk_update(changed, ITEM_FIELDS, batch_size=BATCH)
        FrameworkItem.objects.bulk_update(self.moved, ["position"], batch_size=BATCH)
        for start in range(0, len(self.deleted), BATCH):
            FrameworkItem.objects.filter(pk__in=self.deleted[start:start + BATCH]).delete()
        return framework

    def _fill(self, item: FrameworkItem, parsed: ParsedItem,
              created: dict[str, int]) -> FrameworkItem:
        item.level, item.code, item.statement = parsed.level, parsed.code, parsed.statement
        item.identifier, item.position = parsed.identifier, parsed.position
        parent = self._expected_parent(parsed)
        item.parent_id = created[parsed.parent_key] if parent is _NEW else parent
        item.clean_fields(exclude=["framework", "parent"])
        return item


def _tagged_ids(framework: Framework) -> set[int]:
    """The framework's items that a goal, a cycle or an interaction is tagged with."""
    goals = Goal.indicators.through.objects.filter(frameworkitem__framework=framework)
    cycles = Cycle.indicators.through.objects.filter(frameworkitem__framework=framework)
    links = InteractionIndicator.objects.filter(item__framework=framework)
    return (set(goals.values_list("frameworkitem_id", flat=True))
            | set(cycles.values_list("frameworkitem_id", flat=True))
            | set(links.values_list("item_id", flat=True)))


def plan_import(*, network: Organisation, parsed: ParsedFramework) -> ImportPlan | Problems:
    """The plan for `parsed`, or the problems that stop it (a title taken, a CSV over a
    framework that came from CASE). Locks the matched framework until the transaction ends."""
    problems = Problems()
    frameworks = Framework.objects.select_for_update().filter(network=network)
    if parsed.kind == "case":
        found = frameworks.filter(identifier=parsed.identifier).first()
    else:
        found = frameworks.filter(title=parsed.title).first()
        if found is not None and found.identifier:
            problems.add(_("“%(title)s” came from a CASE package: a CSV cannot update it.")
                         % {"title": parsed.title},
                         _("Import its new version as a CASE package, or give the framework "
                           "in this file another title."), **parsed.title_at)
            return problems
    others = frameworks.exclude(pk=found.pk) if found is not None else frameworks
    if others.filter(title=parsed.title).exists():
        problems.add(_("The network already has another framework called “%(title)s”.")
                     % {"title": parsed.title},
                     _("Give this framework another title in the file."), **parsed.title_at)
        return problems
    return ImportPlan(network=network, parsed=parsed, framework=found)
