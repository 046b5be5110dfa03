"""Importing a framework: in order, idempotent, updated in place, removals that keep what is
tagged, dry runs that write nothing, and only by the network's admins."""

import pytest
from django.core.exceptions import PermissionDenied

from bettertogether.activity.models import ActivityEntry
from bettertogether.goals.frameworks.plain_csv import SAMPLE
from bettertogether.goals.frameworks.services import framework_import, interaction_tag
from bettertogether.goals.models import Framework, FrameworkItem
from bettertogether.testing import factories as f

from .frameworks_support import (
    DOC,
    IN_ORDER,
    case_package,
    frameworks_state,
    import_case,
    import_csv,
    item_of,
    outline,
)
from .support import a_goal


def _counts(result) -> tuple:
    s = result.summary
    return (s.is_new, s.added, s.changed, s.unchanged, s.removed, len(s.kept))


def _contact(cast, item, minutes=30):
    interaction = f.InteractionFactory(coach=cast.coach, network=cast.network,
                                       school=cast.school, minutes=minutes,
                                       teachers=[cast.teacher])
    interaction_tag(actor=cast.coach, interaction=interaction, items=[item])
    return interaction


def test_case_package_imports_standards_and_indicators_in_order(cast):
    result = import_case(cast.network, cast.admin)

    framework = Framework.objects.get()
    assert result.ok and result.framework == framework
    assert (framework.network, framework.title, framework.identifier, framework.version,
            framework.publisher) == (cast.network, "Riverside Feedback Practices", DOC, "2.0",
                                     "Riverside Coaching Team")
    assert outline(framework) == [
        ("standard", "FB.1", None), ("indicator", "FB.1.a", "FB.1"),
        ("indicator", "FB.1.b", "FB.1"), ("indicator", "FB.1.c", "FB.1"),
        ("standard", "FB.2", None), ("indicator", "FB.2.a", "FB.2"),
        ("indicator", "FB.2.b", "FB.2"), ("indicator", "FB.2.b.i", "FB.2")]
    assert [(level, code) for level, code, _parent in outline(framework)] == IN_ORDER
    assert _counts(result) == (True, 8, 0, 0, 0, 0)
    assert (result.summary.standards, result.summary.indicators) == (2, 6)
    entry = ActivityEntry.objects.get(action="framework.import")
    assert (entry.actor, entry.target_id, entry.target_label, entry.organisation,
            entry.details) == (cast.admin, framework.pk, "Riverside Feedback Practices",
                               cast.network, {"kind": "case", "count": 9})


def test_csv_sample_imports_from_a_path_by_the_system(cast):
    result = framework_import(actor=None, network=cast.network, path=SAMPLE, dry_run=False)

    framework = Framework.objects.get()
    assert result.ok and result.kind == "csv"
    assert (framework.title, framework.identifier) == ("Sample Teaching Practice Framework", "")
    assert [code for _level, code, _parent in outline(framework)] == [
        "TP.1", "TP.1.a", "TP.1.b", "TP.1.c", "TP.2", "TP.2.a", "TP.2.b", "TP.2.c"]
    assert ActivityEntry.objects.get(action="framework.import").actor is None


@pytest.mark.parametrize("importer", [import_case, import_csv])
def test_importing_again_changes_nothing(cast, importer):
    importer(cast.network, cast.admin)
    before = frameworks_state()
    entries = ActivityEntry.objects.count()

    result = importer(cast.network, cast.admin)

    assert result.ok
    assert _counts(result) == (False, 0, 0, 8, 0, 0)
    assert result.summary.changes == 0
    assert frameworks_state() == before
    assert ActivityEntry.objects.count() == entries


def test_a_changed_statement_updates_the_item_in_place_and_keeps_its_tags(cast):
    import_case(cast.network, cast.admin)
    item = FrameworkItem.objects.get(code="FB.1.b")
    contact = _contact(cast, item)
    package = case_package()
    item_of(package, "FB.1.b")["fullStatement"] = "Feedback quotes the success criterion."
    package["CFDocument"]["version"] = "2.1"

    result = import_case(cast.network, cast.admin, package)

    assert _counts(result) == (False, 0, 1, 7, 0, 0)
    assert result.summary.framework_fields == ["version"]
    item.refresh_from_db()
    assert item.statement == "Feedback quotes the success criterion."
    assert list(contact.indicator_links.values_list("item_id", flat=True)) == [item.pk]
    assert Framework.objects.get().version == "2.1"


def test_csv_matches_items_by_code_and_moves_them(cast):
    import_csv(cast.network, cast.admin)
    moved = FrameworkItem.objects.get(code="TP.1.c")
    text = (SAMPLE.read_text().replace("TP.1,Students talk about their thinking,TP.1.c",
                                       "TP.2,Feedback moves learning forward,TP.1.c"))

    result = import_csv(cast.network, cast.admin, text)

    # TP.1.c's line now names TP.2 first: TP.2 moves up a place, and TP.1.c under it.
    assert _counts(result) == (False, 0, 2, 6, 0, 0)
    moved.refresh_from_db()
    assert moved.parent.code == "TP.2"
    assert [code for _level, code, _parent in outline(Framework.objects.get())] == [
        "TP.1", "TP.1.a", "TP.1.b", "TP.2", "TP.1.c", "TP.2.a", "TP.2.b", "TP.2.c"]


def test_removed_items_go_unless_tagged_then_they_are_kept_and_reported(cast):
    import_case(cast.network, cast.admin)
    tagged = FrameworkItem.objects.get(code="FB.2.a")
    a_goal(cast.coach, [cast.teacher], indicators=[tagged])
    package = case_package()
    gone = {"FB.1.c", "FB.2", "FB.2.a", "FB.2.b", "FB.2.b.i"}
    ids = {item["identifier"] for item in package["CFItems"] if item["humanCodingScheme"] in gone}
    package["CFItems"] = [i for i in package["CFItems"] if i["identifier"] not in ids]
    package["CFAssociations"] = [a for a in package["CFAssociations"]
                                 if a["originNodeURI"]["identifier"] not in ids]

    result = import_case(cast.network, cast.admin, package)

    # FB.2.a is tagged, so it stays, and FB.2 with it: deleting a standard deletes what is
    # under it.
    assert _counts(result) == (False, 0, 0, 3, 3, 2)
    assert [(k.level, k.code) for k in result.summary.kept] == [
        ("standard", "FB.2"), ("indicator", "FB.2.a")]
    assert outline(Framework.objects.get()) == [
        ("standard", "FB.1", None), ("indicator", "FB.1.a", "FB.1"),
        ("indicator", "FB.1.b", "FB.1"), ("standard", "FB.2", None),
        ("indicator", "FB.2.a", "FB.2")]
    assert tagged.goals.count() == 1
    # Importing the same file again reports them again, and changes nothing.
    before = frameworks_state()
    again = import_case(cast.network, cast.admin, package)
    assert _counts(again) == (False, 0, 0, 3, 0, 2)
    assert frameworks_state() == before


@pytest.mark.parametrize("first", [False, True])
def test_dry_run_writes_nothing(cast, first):
    if first:
        import_case(cast.network, cast.admin)
    package = case_package()
    item_of(package, "FB.1.a")["fullStatement"] = "Feedback arrives during the task."
    before = frameworks_state()
    entries = ActivityEntry.objects.count()

    result = import_case(cast.network, cast.admin, package, dry_run=True)

    assert result.ok and result.dry_run
    assert _counts(result) == ((False, 0, 1, 7, 0, 0) if first else (True, 8, 0, 0, 0, 0))
    assert frameworks_state() == before
    assert ActivityEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["coach", "leader", "teacher", "outsider"])
def test_only_the_networks_admins_import(cast, who):
    with pytest.raises(PermissionDenied):
        import_case(cast.network, getattr(cast, who))

    assert not Framework.objects.exists()


def test_a_school_is_not_a_network(cast):
    with pytest.raises(PermissionDenied):
        import_case(cast.school, cast.admin)


def test_a_file_with_problems_changes_nothing(cast):
    import_case(cast.network, cast.admin)
    package = case_package()
    item_of(package, "FB.1.a")["fullStatement"] = "A better statement."
    del item_of(package, "FB.2")["fullStatement"]
    before = frameworks_state()

    result = import_case(cast.network, cast.admin, package)

    assert not result.ok
    assert [p.path for p in result.problems] == ["CFItems[4].fullStatement"]
    assert result.summary is None
    assert frameworks_state() == before


def test_a_title_is_unique_in_the_network(cast):
    import_csv(cast.network, cast.admin)
    package = case_package()
    package["CFDocument"]["title"] = "Sample Teaching Practice Framework"

    result = import_case(cast.network, cast.admin, package)

    assert [(p.path, p.what) for p in result.problems] == [(
        "CFDocument.title",
        "The network already has another framework called “Sample Teaching Practice "
        "Framework”.")]
    assert Framework.objects.count() == 1


def test_a_csv_does_not_update_a_framework_from_case(cast):
    import_case(cast.network, cast.admin)
    text = SAMPLE.read_text().replace("Sample Teaching Practice Framework",
                                      "Riverside Feedback Practices")

    result = import_csv(cast.network, cast.admin, text)

    assert [(p.line, p.column) for p in result.problems] == [(2, "framework")]
    assert "came from a CASE package" in result.problems[0].what


def test_each_network_keeps_its_own_copy(cast):
    import_case(cast.network, cast.admin)

    result = import_case(cast.outsider_network, cast.outsider)

    assert result.summary.is_new
    assert sorted(Framework.objects.values_list("network__name", flat=True)) == [
        "Northfield", "Riverside"]
