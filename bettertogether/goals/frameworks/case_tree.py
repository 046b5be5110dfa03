"""The tree of a CASE package, once every item has one parent (see `case.py`): each item's
standard, the circles of parents that never reach the document, and the order items come in.
Both walks are loops rather than recursion: a tree can be thousands of levels deep."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .structure import INDICATOR, STANDARD, ParsedItem, Problems


@dataclass(frozen=True)
class Item:
    index: int  # in CFItems
    identifier: str
    code: str
    statement: str

    @property
    def label(self) -> str:
        return self.code or self.identifier


@dataclass(frozen=True)
class Link:
    parent: str
    sequence: int | None
    index: int  # of the association in CFAssociations


def standards_of(document_id: str, items: dict[str, Item], parents: dict[str, Link],
                 problems: Problems) -> dict[str, str | None]:
    """Each item's standard: its ancestor just under the document (a standard's is itself).
    A circle of isChildOf associations is a problem, reported once."""
    standard_of: dict[str, str | None] = {}
    for start in items:
        trail: list[str] = []
        on_trail: set[str] = set()
        node, standard = start, None
        while True:
            if node in standard_of:
                standard = standard_of[node]
                break
            if node in on_trail:
                _circle(trail[trail.index(node):], items, parents, problems)
                break
            trail.append(node)
            on_trail.add(node)
            if parents[node].parent == document_id:
                standard = node
                break
            node = parents[node].parent
        for visited in trail:
            standard_of[visited] = standard
    return standard_of


def _circle(circle: list[str], items: dict[str, Item], parents: dict[str, Link],
            problems: Problems) -> None:
    labels = [items[node].label for node in circle] + [items[circle[0]].label]
    problems.add(
        _("These isChildOf associations go round in a circle (%(circle)s), so none of them "
          "reaches the document.") % {"circle": " → ".join(labels)},
        _("Point one of them at the item's real parent."),
        path=f"CFAssociations[{parents[circle[0]].index}]")


def in_order(document_id: str, items: dict[str, Item], parents: dict[str, Link],
             standard_of: dict[str, str | None]) -> list[ParsedItem]:
    """Depth first from the document; siblings by sequenceNumber, then by CFItems order."""
    children: dict[str, list[str]] = {}
    for identifier, link in parents.items():
        children.setdefault(link.parent, []).append(identifier)
    for siblings in children.values():
        siblings.sort(key=lambda i: (parents[i].sequence is None, parents[i].sequence or 0,
                                     items[i].index))
    ordered: list[ParsedItem] = []
    stack = list(reversed(children.get(document_id, [])))
    while stack:
        node = stack.pop()
        item = items[node]
        is_standard = standard_of[node] == node
        ordered.append(ParsedItem(
            key=node, level=STANDARD if is_standard else INDICATOR, code=item.code,
            statement=item.statement, identifier=node,
            parent_key=None if is_standard else standard_of[node], position=len(ordered)))
        stack.extend(reversed(children.get(node, [])))
    return ordered
