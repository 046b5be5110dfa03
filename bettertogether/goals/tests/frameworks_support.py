"""Helpers for the frameworks tests: a tiny CASE 1.1 package of invented content, the
shipped CSV sample, and imports through the service."""

from __future__ import annotations

import copy
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from bettertogether.goals.frameworks.plain_csv import TEMPLATE
from bettertogether.goals.frameworks.services import framework_import
from bettertogether.goals.models import Framework, FrameworkItem, InteractionIndicator

DOC = "6c1d9e0f-2a3b-4c5d-8e7f-000000000000"


def _id(n: int) -> str:
    return f"0b7e4d2a-5c1f-4e8b-9a3d-{n:012d}"


# (identifier, code, statement), in an order that is not the tree's: the tree comes from
# the associations and their sequence numbers.
ITEMS = [
    (_id(22), "FB.2.b", "Students revise a piece of work after feedback."),
    (_id(1), "FB.1", "Feedback is timely and specific."),
    (_id(13), "FB.1.c", "Written feedback asks a question the student answers."),
    (_id(11), "FB.1.a", "Feedback comes while students can still act on it."),
    (_id(2), "FB.2", "Students use feedback to improve their work."),
    (_id(221), "FB.2.b.i", "The revision is set beside the first draft."),
    (_id(12), "FB.1.b", "Feedback names the success criterion it refers to."),
    (_id(21), "FB.2.a", "Students keep a record of the feedback they receive."),
]
# (child, parent, sequenceNumber)
TREE = [
    (_id(2), DOC, 2), (_id(1), DOC, 1),
    (_id(13), _id(1), 3), (_id(11), _id(1), 1), (_id(12), _id(1), 2),
    (_id(22), _id(2), 2), (_id(21), _id(2), 1), (_id(221), _id(22), 1),
]
IN_ORDER = [("standard", "FB.1"), ("indicator", "FB.1.a"), ("indicator", "FB.1.b"),
            ("indicator", "FB.1.c"), ("standard", "FB.2"), ("indicator", "FB.2.a"),
            ("indicator", "FB.2.b"), ("indicator", "FB.2.b.i")]


def _node(identifier: str) -> dict:
    return {"identifier": identifier, "uri": f"https://case.example/uri/{identifier}",
            "title": identifier}


def case_package() -> dict:
    """A fresh copy of the invented package: a document, 2 standards, 6 indicators (one of
    them a level deeper), and an association of another type that points outside."""
    package = {
        "CFDocument": {
            "identifier": DOC, "uri": f"https://case.example/uri/{DOC}",
            "creator": "Riverside Coaching Team", "title": "Riverside Feedback Practices",
            "version": "2.0", "lastChangeDateTime": "2026-08-01T12:00:00+00:00",
            "CFPackageURI": _node(DOC),
        },
        "CFItems": [
            {"identifier": identifier, "uri": f"https://case.example/uri/{identifier}",
             "humanCodingScheme": code, "fullStatement": statement,
             "CFItemType": "Standard" if code.count(".") == 1 else "Indicator",
             "lastChangeDateTime": "2026-08-01T12:00:00+00:00", "CFDocumentURI": _node(DOC)}
            for identifier, code, statement in ITEMS
        ],
        "CFAssociations": [
            {"identifier": _id(900 + n), "uri": f"https://case.example/uri/{_id(900 + n)}",
             "associationType": "isChildOf", "sequenceNumber": sequence,
             "originNodeURI": _node(child), "destinationNodeURI": _node(parent),
             "lastChangeDateTime": "2026-08-01T12:00:00+00:00", "CFDocumentURI": _node(DOC)}
            for n, (child, parent, sequence) in enumerate(TREE)
        ],
    }
    package["CFAssociations"].append({
        "identifier": _id(999), "uri": f"https://case.example/uri/{_id(999)}",
        "associationType": "exactMatchOf", "originNodeURI": _node(_id(11)),
        "destinationNodeURI": _node("elsewhere-1"),
        "lastChangeDateTime": "2026-08-01T12:00:00+00:00"})
    return copy.deepcopy(package)


def item_of(package: dict, code: str) -> dict:
    return next(item for item in package["CFItems"] if item["humanCodingScheme"] == code)


def json_file(package, name="framework.json") -> SimpleUploadedFile:
    """An upload of `package` (a dict), or of bytes as they are."""
    data = package if isinstance(package, bytes) else json.dumps(package).encode()
    return SimpleUploadedFile(name, data, "application/json")


def csv_file(text: str = TEMPLATE, name="framework.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/csv")


def import_case(network, actor, package=None, *, dry_run=False):
    return framework_import(actor=actor, network=network,
                            upload=json_file(package or case_package()), dry_run=dry_run)


def import_csv(network, actor, text: str = TEMPLATE, *, dry_run=False):
    return framework_import(actor=actor, network=network, upload=csv_file(text),
                            dry_run=dry_run)


def outline(framework: Framework) -> list[tuple[str, str, str | None]]:
    """The framework's items in order as (level, code, code of the parent)."""
    return [(item.level, item.code, item.parent.code if item.parent else None)
            for item in framework.items.select_related("parent").order_by("position", "pk")]


def frameworks_state() -> dict:
    """Everything an import could change, to compare before and after."""
    return {
        "frameworks": list(Framework.objects.order_by("pk").values_list(
            "pk", "network_id", "title", "identifier", "version", "publisher", "updated_at")),
        "items": list(FrameworkItem.objects.order_by("pk").values_list(
            "pk", "framework_id", "parent_id", "level", "code", "statement", "identifier",
            "position")),
        "links": list(InteractionIndicator.objects.order_by("pk").values_list(
            "pk", "interaction_id", "item_id")),
    }
