"""A network admin imports a OneRoster 1.2 district in the browser, then re-imports it."""

import pytest
from playwright.sync_api import expect

from bettertogether.directory.models import Person
from bettertogether.rostering.testing import build_oneroster_bundle
from bettertogether.testing.browser import sign_in
from bettertogether.testing.factories import PASSWORD

pytestmark = pytest.mark.browser


def upload(page, server, bundle):
    page.goto(f"{server}/rostering/")
    page.get_by_label("Roster file").set_input_files(str(bundle))
    expect(page.get_by_label("Preview first")).to_be_checked()
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster preview")
    expect(page.get_by_role("heading", name="What this import would change")).to_be_visible()


def apply_preview(page):
    page.get_by_role("button", name="Apply this import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster import")
    expect(page.get_by_role("heading", name="What changed")).to_be_visible(timeout=30_000)


def stat(page, label):
    return page.locator(".stat", has_text=label).locator(".stat-value")


def test_roster_import_previews_applies_and_reimports_with_changes(page, server, cast, tmp_path):
    first = build_oneroster_bundle(tmp_path / "district.zip", version="1.2", schools=2,
                                   teachers_per_school=3)
    sign_in(page, server, cast.admin.email, PASSWORD)

    upload(page, server, first)
    expect(stat(page, "people added")).to_have_text("9")
    assert not Person.objects.filter(email__endswith="@district.example").exists()

    apply_preview(page)
    expect(stat(page, "people added")).to_have_text("9")
    expect(stat(page, "schools added")).to_have_text("2")
    assert Person.objects.filter(email__endswith="@district.example", is_active=True).count() == 9

    # The same district a term later: one teacher fewer in each school.
    second = build_oneroster_bundle(tmp_path / "district-later.zip", version="1.2", schools=2,
                                    teachers_per_school=2)
    upload(page, server, second)
    expect(stat(page, "people switched off")).to_have_text("2")
    apply_preview(page)
    expect(stat(page, "people added")).to_have_text("0")
    expect(stat(page, "people switched off")).to_have_text("2")
    assert Person.objects.filter(email__endswith="@district.example", is_active=True).count() == 7

    page.get_by_role("link", name="All imports").click()
    expect(page.get_by_role("table")).to_contain_text("district-later.zip")


def test_roster_import_with_problems_lists_them_and_changes_nothing(page, server, cast, tmp_path):
    broken = tmp_path / "notes.txt"
    broken.write_text("not a roster")
    people = Person.objects.count()
    sign_in(page, server, cast.admin.email, PASSWORD)
    page.goto(f"{server}/rostering/")
    page.get_by_label("Roster file").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("alert")).to_contain_text("1 problem: nothing was changed")
    expect(page.get_by_role("table")).to_contain_text("notes.txt")
    assert Person.objects.count() == people
