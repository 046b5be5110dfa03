"""Reading framework files: a good CASE package and the CSV sample come out in order; every
problem in a broken one is reported at once with its JSON path or line and column."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bettertogether.goals.frameworks.case import read_case
from bettertogether.goals.frameworks.plain_csv import HEADER, TEMPLATE, read_csv
from bettertogether.goals.frameworks.source import read_framework
from bettertogether.goals.frameworks.structure import (
    MAX_BYTES,
    MAX_ITEMS,
    ParsedFramework,
    Problems,
)

from .frameworks_support import DOC, IN_ORDER, case_package, item_of

CODES_IN_ORDER = [code for _level, code in IN_ORDER]


def _case(package) -> ParsedFramework | Problems:
    return read_case(json.dumps(package).encode())


def _places(problems: Problems) -> list[tuple]:
    return [(p.path, p.line, p.column) for p in problems]


# --- CASE: a good package ------------------------------------------------------------------


def test_case_package_reads_standards_and_indicators_in_tree_order():
    parsed = _case(case_package())

    assert (parsed.kind, parsed.title, parsed.identifier, parsed.version, parsed.publisher) == (
        "case", "Riverside Feedback Practices", DOC, "2.0", "Riverside Coaching Team")
    assert [(item.level, item.code) for item in parsed.items] == IN_ORDER
    assert [item.position for item in parsed.items] == list(range(8))
    by_code = {item.code: item for item in parsed.items}
    assert by_code["FB.1"].parent_key is None
    assert by_code["FB.1.b"].parent_key == by_code["FB.1"].key
    # A level deeper still belongs to the standard at the top of its branch.
    assert by_code["FB.2.b.i"].parent_key == by_code["FB.2"].key
    assert by_code["FB.2.b"].statement == "Students revise a piece of work after feedback."
    assert all(item.key == item.identifier for item in parsed.items)


def test_case_siblings_without_sequence_numbers_keep_the_order_of_cf_items():
    package = case_package()
    for association in package["CFAssociations"]:
        association.pop("sequenceNumber", None)

    parsed = _case(package)

    # CFItems lists FB.1.c before FB.1.a before FB.1.b, and FB.2 after FB.1.
    assert [item.code for item in parsed.items] == [
        "FB.1", "FB.1.c", "FB.1.a", "FB.1.b", "FB.2", "FB.2.b", "FB.2.b.i", "FB.2.a"]


def test_case_publisher_falls_back_to_the_creator_and_bom_is_accepted():
    package = case_package()
    package["CFDocument"]["publisher"] = "Riverside Schools"

    assert read_case(b"\xef\xbb\xbf" + json.dumps(package).encode()).publisher == (
        "Riverside Schools")


# --- CASE: problems -------------------------------------------------------------------------


def test_case_not_json_names_line_and_column():
    problems = read_case(b'{\n  "CFDocument": {"title": "A",}\n}')

    assert _places(problems) == [("", 2, "31")]
    assert problems.kept[0].what.startswith("This is not valid JSON: ")
    assert "Export the package again" in problems.kept[0].fix


def test_case_not_utf8_names_the_line():
    problems = read_case(b'{\n"CFDocument":\n"caf\xe9"}')

    assert _places(problems) == [("", 3, "")]
    assert "not UTF-8" in problems.kept[0].what


def test_case_top_level_must_be_an_object():
    problems = read_case(b"[1, 2]")

    assert "one JSON object" in problems.kept[0].what


def test_case_every_problem_is_listed_with_its_json_path():
    package = case_package()
    del package["CFDocument"]["title"]
    item_of(package, "FB.1.a")["fullStatement"] = "   "
    item_of(package, "FB.1.b")["humanCodingScheme"] = "X" * 61
    item_of(package, "FB.2.a")["identifier"] = item_of(package, "FB.1")["identifier"]
    package["CFItems"].append("not an item")

    problems = _case(package)

    assert _places(problems) == [
        ("CFDocument.title", None, ""),
        ("CFItems[3].fullStatement", None, ""),
        ("CFItems[6].humanCodingScheme", None, ""),
        ("CFItems[7].identifier", None, ""),
        ("CFItems[8]", None, ""),
    ]
    messages = [p.what for p in problems]
    assert messages[0] == "title is required."
    assert messages[2] == "It can be 60 characters at most; this one has 61."
    assert messages[3] == (f"{item_of(package, 'FB.1')['identifier']} is also the identifier "
                           "of CFItems[1].")
    assert messages[4] == "Each item must be a JSON object."


def test_case_associations_must_point_at_items_of_the_package():
    package = case_package()
    package["CFAssociations"][3]["destinationNodeURI"]["identifier"] = "gone-away"
    package["CFAssociations"][4]["originNodeURI"]["identifier"] = "not-here"
    package["CFAssociations"][5]["sequenceNumber"] = "two"
    del package["CFAssociations"][6]["originNodeURI"]

    problems = _case(package)

    assert _places(problems) == [
        ("CFAssociations[3].destinationNodeURI.identifier", None, ""),
        ("CFAssociations[4].originNodeURI.identifier", None, ""),
        ("CFAssociations[5].sequenceNumber", None, ""),
        ("CFAssociations[6].originNodeURI", None, ""),
        # FB.1.b lost its association and FB.2.a's has no origin: neither has a place.
        ("CFItems[6]", None, ""),
        ("CFItems[7]", None, ""),
    ]
    assert problems.kept[0].what == (
        "gone-away is neither the document nor an item in CFItems.")
    assert problems.kept[1].what == "not-here is not an item in CFItems."
    assert problems.kept[4].what == (
        "This item (FB.1.b) has no place in the tree: no isChildOf association starts from it.")


def test_case_an_item_has_one_place_only():
    package = case_package()
    package["CFAssociations"].append({
        "associationType": "isChildOf", "originNodeURI": {"identifier": item_of(
            package, "FB.1.a")["identifier"]},
        "destinationNodeURI": {"identifier": item_of(package, "FB.2")["identifier"]}})

    problems = _case(package)

    assert _places(problems) == [("CFAssociations[9]", None, "")]
    assert problems.kept[0].what == ("CFItems[3] (FB.1.a) is already placed in the tree by "
                                     "CFAssociations[3]; an item has one place only.")


def test_case_circle_of_parents_is_reported_once():
    package = case_package()
    deepest = item_of(package, "FB.2.b.i")["identifier"]
    # FB.2 under FB.2.b.i, which is under FB.2.b, which is under FB.2: a circle. It is met
    # first from FB.2.b, the first of its items in CFItems, whose isChildOf is the 6th.
    package["CFAssociations"][0]["destinationNodeURI"]["identifier"] = deepest

    problems = _case(package)

    assert _places(problems) == [("CFAssociations[5]", None, "")]
    assert problems.kept[0].what == (
        "These isChildOf associations go round in a circle (FB.2.b → FB.2 → FB.2.b.i → "
        "FB.2.b), so none of them reaches the document.")


def test_case_item_that_is_its_own_parent_is_a_circle():
    package = case_package()
    package["CFAssociations"][2]["destinationNodeURI"]["identifier"] = (
        package["CFAssociations"][2]["originNodeURI"]["identifier"])

    problems = _case(package)

    assert [p.path for p in problems] == ["CFAssociations[2]"]
    assert "(FB.1.c → FB.1.c)" in problems.kept[0].what


@pytest.mark.parametrize(("change", "path"), [
    (lambda p: p.pop("CFDocument"), "CFDocument"),
    (lambda p: p.update(CFItems=[]), "CFItems"),
    (lambda p: p.update(CFAssociations={}), "CFAssociations"),
    (lambda p: p["CFDocument"].update(identifier=7), "CFDocument.identifier"),
    (lambda p: p["CFAssociations"][1].pop("associationType"),
     "CFAssociations[1].associationType"),
])
def test_case_required_parts(change, path):
    package = case_package()
    change(package)

    problems = _case(package)

    assert problems.kept[0].path == path


def test_case_too_many_items(monkeypatch):
    monkeypatch.setattr("bettertogether.goals.frameworks.case.MAX_ITEMS", 7)

    problems = _case(case_package())

    assert _places(problems) == [("CFItems", None, "")]
    assert problems.kept[0].what == "The package has 8 items; the most we import is 7."
    assert MAX_ITEMS == 20_000


# --- CSV ------------------------------------------------------------------------------------


def test_csv_sample_is_two_standards_of_three_indicators():
    parsed = read_csv(TEMPLATE.encode())

    assert (parsed.kind, parsed.title) == ("csv", "Sample Teaching Practice Framework")
    assert [(item.level, item.code, item.parent_key) for item in parsed.items] == [
        ("standard", "TP.1", None), ("indicator", "TP.1.a", "TP.1"),
        ("indicator", "TP.1.b", "TP.1"), ("indicator", "TP.1.c", "TP.1"),
        ("standard", "TP.2", None), ("indicator", "TP.2.a", "TP.2"),
        ("indicator", "TP.2.b", "TP.2"), ("indicator", "TP.2.c", "TP.2"),
    ]
    assert parsed.items[3].statement == (
        "The teacher builds on students' ideas, rather than correcting them at once.")
    assert all(item.key == item.code and item.identifier == "" for item in parsed.items)


def _csv(*lines: str) -> ParsedFramework | Problems:
    return read_csv(("\n".join(lines) + "\n").encode())


@pytest.mark.parametrize("header", [
    "framework,standard,standard_code,indicator_code,indicator",
    "Framework,standard_code,standard,indicator_code,indicator",
    "framework,standard_code,standard,indicator_code",
    "framework,standard_code,standard,indicator_code,indicator,notes",
])
def test_csv_header_must_be_exact(header):
    problems = _csv(header, "F,S1,A standard,,")

    assert [(p.line, p.what.split(";")[0]) for p in problems] == [
        (1, f"The first line must be exactly {HEADER}")]


def test_csv_header_problem_names_the_first_wrong_column():
    problems = _csv("framework,standard,standard_code,indicator_code,indicator")

    assert _places(problems) == [("", 1, "standard_code")]


def test_csv_every_problem_is_listed_with_line_and_column():
    problems = _csv(
        HEADER,
        "Feedback,FB.1,Feedback is timely.,FB.1.a,Comes while students can act.",
        "Feedback,FB.1,Feedback is quick.,FB.1.b,Names the criterion.",
        "Other title,FB.2,Students use feedback.,,",
        ",FB.3,No title here.,,",
        "Feedback,FB.2,,FB.1.a,A repeated code.",
        "Feedback,FB.2,,FB.2.a,",
        "Feedback,FB.4,,,",
        "Feedback,FB.1.a,Looks like a standard.,,",
        "Feedback,FB.5,Too few values",
    )

    assert _places(problems) == [
        ("", 3, "standard"),
        ("", 4, "framework"),
        ("", 5, "framework"),
        ("", 6, "indicator_code"),
        ("", 7, "indicator"),
        ("", 8, "standard"),
        ("", 9, "standard_code"),
        ("", 10, ""),
    ]
    messages = [p.what for p in problems]
    assert messages[0] == "Standard FB.1 reads differently on line 2."
    assert messages[1] == ("This line names the framework “Other title”; line 2 names "
                           "“Feedback”. A file holds one framework.")
    assert messages[2] == "framework is required."
    assert messages[3] == "FB.1.a is already used on line 2."
    assert messages[4] == "An indicator needs both its code and its statement."
    assert messages[5] == "standard is required the first time standard FB.4 appears."
    assert messages[6] == "FB.1.a is already an indicator's code, on line 2."
    assert messages[7] == "This line has 3 values; the header has 5."


def test_csv_header_alone_is_a_problem():
    problems = _csv(HEADER)

    assert [(p.line, p.what) for p in problems] == [
        (2, "The file has a header but no standards under it.")]


def test_csv_too_long_statement_names_its_column():
    problems = _csv(HEADER, f"F,S1,{'x' * 2001},,")

    assert _places(problems) == [("", 2, "standard")]


def test_csv_bad_quoting_is_reported():
    problems = read_csv(f'{HEADER}\nF,S1,"{"x" * 200_000}",,\n'.encode())

    assert len(problems) == 1
    assert problems.kept[0].line == 2


# --- the file as a whole --------------------------------------------------------------------


def _upload(content: bytes, name: str):
    return read_framework(upload=SimpleUploadedFile(name, content))


@pytest.mark.parametrize(("content", "name", "words"), [
    (b"%PDF-1.7 ...", "standards.pdf", "This is a PDF."),
    (b"PK\x03\x04...", "standards.xlsx", "spreadsheet or a zip"),
    (b"hello", "notes.docx", "notes.docx is neither"),
    (b"  \n", "framework.json", "The file is empty."),
])
def test_unreadable_files_are_one_clear_problem(content, name, words):
    kind, problems = _upload(content, name)

    assert kind == ""
    assert len(problems) == 1
    assert words in problems.kept[0].what


def test_too_big_file_is_refused_before_it_is_read():
    kind, problems = _upload(b"{" + b" " * MAX_BYTES + b"}", "framework.json")

    assert (kind, [p.what for p in problems]) == ("", [
        "This file is 5.1 MB; the largest framework we accept is 5 MB."])


def test_kind_comes_from_the_name_then_from_the_content():
    assert _upload(json.dumps(case_package()).encode(), "export")[0] == "case"
    assert _upload(TEMPLATE.encode(), "framework.txt")[0] == "csv"
    assert _upload(b"{}", "framework.csv")[0] == "csv"
