"""A CASE 1.1 package (1EdTech Competencies and Academic Standards Exchange), read into a
`ParsedFramework`.

A package is one JSON object: `CFDocument` (the framework), `CFItems` (a flat list of
statements) and `CFAssociations`. The tree is given by the `isChildOf` associations, each
from a child (`originNodeURI`) to its parent (`destinationNodeURI`): another item, or the
document itself. Siblings are ordered by their association's `sequenceNumber`, then by
their place in `CFItems`.

**Standard or indicator is decided by depth**, not by `CFItemType`, which every publisher
fills with its own words ("Standard", "Domain", "Strand", "Competency", "Indicator"…):

- an item whose parent is the document is a **standard**;
- every item below a standard, at any depth, is an **indicator** of that standard. Deeper
  levels are flattened into the standard's list in tree order (depth first), so an
  indicator's sub-points follow it.

What we read, and so require: the document's `identifier` and `title` (its `version`, and
its `publisher` — or else its `creator` — when present); each item's `identifier` and
`fullStatement`, and `humanCodingScheme` as its code when present; each association's
`associationType`, and for `isChildOf` the `identifier` of both ends and `sequenceNumber`
when present. Everything else is read past, and so are associations of other types
(`exactMatchOf`, `isRelatedTo`, …), which may point outside the package.

Checked: every item has exactly one place in the tree, every `isChildOf` points at items
of the package (or at the document), no item is its own ancestor, identifiers are unique,
and there are at most `MAX_ITEMS` items. Problems name their JSON path, counting from 0:
`CFItems[3].fullStatement`.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .case_tree import Item, Link, in_order, standards_of
from .structure import (
    CODE_MAX,
    IDENTIFIER_MAX,
    MAX_ITEMS,
    PUBLISHER_MAX,
    STATEMENT_MAX,
    TITLE_MAX,
    VERSION_MAX,
    ParsedFramework,
    Problems,
    decode,
    too_long,
)

EXPORT_AGAIN = gettext_lazy("Export the package again from the framework's CASE server; a "
                            "package edited by hand often loses a comma or a quote.")


def read_case(data: bytes) -> ParsedFramework | Problems:
    problems = Problems()
    text = decode(data, problems)
    if text is None:
        return problems
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(_("This is not valid JSON: %(error)s.") % {"error": error.msg},
                     EXPORT_AGAIN, line=error.lineno, column=str(error.colno))
        return problems
    except RecursionError:
        problems.add(_("This JSON is nested too deeply to be a CASE package."), EXPORT_AGAIN)
        return problems
    if not isinstance(package, dict):
        problems.add(_("A CASE package is one JSON object holding CFDocument, CFItems and "
                       "CFAssociations; this file holds something else."), EXPORT_AGAIN)
        return problems
    return _Reader(package, problems).read()


class _Reader:
    def __init__(self, package: dict, problems: Problems):
        self.package = package
        self.problems = problems
        self.misplaced: set[str] = set()  # items whose isChildOf was wrong: reported already

    def read(self) -> ParsedFramework | Problems:
        document = self._document()
        document_id = document.get("identifier") if document else None
        items = self._items(document_id)
        if items is None or document is None:
            return self.problems
        parents = self._parents(document_id, items)
        if self.problems:
            return self.problems
        roots = standards_of(document_id, items, parents, self.problems)
        if self.problems:
            return self.problems
        return ParsedFramework(
            kind="case", title=document["title"], identifier=document_id,
            version=document["version"], publisher=document["publisher"],
            items=in_order(document_id, items, parents, roots),
            title_at={"path": "CFDocument.title"})

    def _text(self, obj: dict, key: str, path: str, *, limit: int, required: bool) -> str | None:
        """The text at `obj[key]`, stripped; None (with a problem) when it is wrong."""
        value = obj.get(key)
        where = f"{path}.{key}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.add(_("%(field)s is required.") % {"field": key},
                                  _("Fill it in at the publisher's CASE server and export "
                                    "the package again."), path=where)
                return None
            return ""
        if not isinstance(value, str):
            self.problems.add(_("%(field)s must be text.") % {"field": key}, EXPORT_AGAIN,
                              path=where)
            return None
        value = value.strip()
        if len(value) > limit:
            self.problems.add(too_long(value, limit), _("Shorten it in the package."),
                              path=where)
            return None
        return value

    def _document(self) -> dict | None:
        raw = self.package.get("CFDocument")
        if not isinstance(raw, dict):
            self.problems.add(_("The package has no CFDocument: the framework's title and "
                                "identifier are missing."), EXPORT_AGAIN, path="CFDocument")
            return None
        found = {
            "identifier": self._text(raw, "identifier", "CFDocument", limit=IDENTIFIER_MAX,
                                     required=True),
            "title": self._text(raw, "title", "CFDocument", limit=TITLE_MAX, required=True),
            "version": self._text(raw, "version", "CFDocument", limit=VERSION_MAX,
                                  required=False),
            "publisher": self._text(raw, "publisher", "CFDocument", limit=PUBLISHER_MAX,
                                    required=False),
        }
        if found["publisher"] == "" and isinstance(raw.get("creator"), str):
            found["publisher"] = raw["creator"].strip()[:PUBLISHER_MAX]
        return None if None in found.values() else found

    def _items(self, document_id: str | None) -> dict[str, Item] | None:
        raw = self.package.get("CFItems")
        if not isinstance(raw, list) or not raw:
            self.problems.add(_("The package has no CFItems: there is nothing to import."),
                              _("Export the whole package, with its items, not the document "
                                "alone."), path="CFItems")
            return None
        if len(raw) > MAX_ITEMS:
            self.problems.add(
                _("The package has %(n)s items; the most we import is %(limit)s.") % {
                    "n": f"{len(raw):,}", "limit": f"{MAX_ITEMS:,}"},
                _("Import one framework at a time, not a whole catalogue."), path="CFItems")
            return None
        items: dict[str, Item] = {}
        for index, entry in enumerate(raw):
            path = f"CFItems[{index}]"
            if not isinstance(entry, dict):
                self.problems.add(_("Each item must be a JSON object."), EXPORT_AGAIN,
                                  path=path)
                continue
            identifier = self._text(entry, "identifier", path, limit=IDENTIFIER_MAX,
                                    required=True)
            statement = self._text(entry, "fullStatement", path, limit=STATEMENT_MAX,
                                   required=True)
            code = self._text(entry, "humanCodingScheme", path, limit=CODE_MAX,
                              required=False)
            if identifier is None:
                continue
            if identifier in items or identifier == document_id:
                first = (_("the CFDocument's identifier") if identifier == document_id else
                         _("the identifier of CFItems[%(i)s]") % {"i": items[identifier].index})
                self.problems.add(_("%(id)s is also %(first)s.") % {"id": identifier,
                                                                    "first": first},
                                  _("Give every item its own identifier."),
                                  path=f"{path}.identifier")
                continue
            items[identifier] = Item(index, identifier, code or "", statement or "")
        return items

    def _node(self, association: dict, key: str, path: str) -> str | None:
        node = association.get(key)
        if not isinstance(node, dict):
            self.problems.add(_("%(field)s is required: the item it links, with its "
                                "identifier.") % {"field": key}, EXPORT_AGAIN,
                              path=f"{path}.{key}")
            return None
        return self._text(node, "identifier", f"{path}.{key}", limit=IDENTIFIER_MAX,
                          required=True)

    def _parents(self, document_id: str, items: dict[str, Item]) -> dict[str, Link]:
        raw = self.package.get("CFAssociations")
        if not isinstance(raw, list) or not raw:
            self.problems.add(_("The package has no CFAssociations, so its items have no "
                                "place in a tree."), EXPORT_AGAIN, path="CFAssociations")
            return {}
        parents: dict[str, Link] = {}
        for index, association in enumerate(raw):
            path = f"CFAssociations[{index}]"
            if not isinstance(association, dict):
                self.problems.add(_("Each association must be a JSON object."), EXPORT_AGAIN,
                                  path=path)
                continue
            kind = self._text(association, "associationType", path, limit=IDENTIFIER_MAX,
                              required=True)
            if kind != "isChildOf":
                continue
            link = self._child_link(association, path, index, document_id, items)
            if link is None:
                continue
            child, parent = link
            sequence = self._sequence(association, path)
            placed = parents.get(child)
            if placed is not None and placed.parent != parent:
                self.problems.add(
                    _("CFItems[%(i)s] (%(label)s) is already placed in the tree by "
                      "CFAssociations[%(j)s]; an item has one place only.") % {
                        "i": items[child].index, "label": items[child].label,
                        "j": placed.index},
                    _("Keep one isChildOf association for it."), path=path)
            elif placed is None:
                parents[child] = Link(parent, sequence, index)
        for item in items.values():
            if item.identifier not in parents and item.identifier not in self.misplaced:
                self.problems.add(
                    _("This item (%(label)s) has no place in the tree: no isChildOf "
                      "association starts from it.") % {"label": item.label},
                    _("Add an isChildOf association from it to its parent (or to the "
                      "document), or leave the item out."), path=f"CFItems[{item.index}]")
        return parents

    def _child_link(self, association: dict, path: str, index: int, document_id: str,
                    items: dict[str, Item]) -> tuple[str, str] | None:
        child = self._node(association, "originNodeURI", path)
        parent = self._node(association, "destinationNodeURI", path)
        if child is None or parent is None:
            return None
        if child not in items:
            what = (_("The document cannot be the child of anything.") if child == document_id
                    else _("%(id)s is not an item in CFItems.") % {"id": child})
            self.problems.add(what, _("Point it at an item of this package, or remove the "
                                      "association."),
                              path=f"{path}.originNodeURI.identifier")
            return None
        if parent not in items and parent != document_id:
            self.misplaced.add(child)
            self.problems.add(
                _("%(id)s is neither the document nor an item in CFItems.") % {"id": parent},
                _("A framework is imported whole: point it at the document or at an item "
                  "of this package."), path=f"{path}.destinationNodeURI.identifier")
            return None
        return child, parent

    def _sequence(self, association: dict, path: str) -> int | None:
        sequence = association.get("sequenceNumber")
        if sequence is None:
            return None
        if isinstance(sequence, bool) or not isinstance(sequence, int):
            self.problems.add(_("sequenceNumber must be a whole number."), EXPORT_AGAIN,
                              path=f"{path}.sequenceNumber")
            return None
        return sequence
