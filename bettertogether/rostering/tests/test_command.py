"""`manage.py import_roster`: the nightly sync prints problems or a summary, and its exit
status says which."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Person
from bettertogether.rostering.models import ImportRun

from .support import FIXTURES, fixture_files, world_state, zip_files


def _call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_folder_and_prints_the_summary(cast):
    out, err = _call(str(FIXTURES / "oneroster-1.2"), "--network", "Riverside")

    assert err == ""
    assert out.splitlines()[:3] == [
        "Imported:",
        "  schools: 2 added, 0 updated",
        "  people: 5 added, 0 updated, 0 switched off, 0 switched back on",
    ]
    assert ("  not brought in: 5 — 3 students, 1 parent or guardian, 1 counselor"
            in out.splitlines())
    assert out.splitlines()[-2:] == [
        "Read as meant (warnings):",
        "  users.csv, column email, line 6: No email address; the username, which is one, "
        "was used."]
    assert Person.objects.filter(source_id="usr-t1").exists()
    run = ImportRun.objects.get()
    assert (run.started_by, run.dry_run, run.status) == (None, False, "done")
    entry = ActivityEntry.objects.get(action="roster.import")
    assert entry.actor is None


def test_command_dry_run_changes_nothing(cast, tmp_path):
    path = zip_files(tmp_path / "roster.zip", fixture_files("oneroster-1.1"))
    before = world_state()

    out, _err = _call(str(path), "--network", "Riverside", "--dry-run")

    assert out.startswith("Would change (dry run):\n  schools: 2 added")
    after = world_state()
    assert after == before


def test_command_prints_every_problem_and_fails(cast):
    before = world_state()

    with pytest.raises(CommandError, match=r"^6 problem\(s\): nothing was imported\.$"):
        _call(str(FIXTURES / "oneroster-1.2-broken"), "--network", "Riverside")

    assert world_state() == before


def test_command_problem_lines_name_file_line_and_column(cast, capsys):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(FIXTURES / "oneroster-1.2-broken"), "--network",
                     "Riverside", stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert ("classes.csv, line 2, column schoolSourcedId: org-nowhere is not a sourcedId in "
            "orgs.csv.") in lines
    assert lines[-4:] == [
        "Read as meant (warnings):",
        "  users.csv, column enabledUser, line 4: “TRUE” was read as true.",
        "  users.csv, column email, line 6: No email address; the username, which is one, "
        "was used.",
        "  roles.csv, column role, line 4: “Teacher” was read as teacher.",
    ]


def test_command_says_and_n_more_like_this(cast, tmp_path):
    from bettertogether.rostering.testing import oneroster_files

    files = oneroster_files(version="1.1", schools=1, teachers_per_school=25)
    files["users.csv"] = files["users.csv"].replace(",teacher,", ",teacherx,")
    path = zip_files(tmp_path / "roster.zip", files)
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^25 problem\(s\)"):
        call_command("import_roster", str(path), "--network", "Riverside",
                     stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 21
    assert lines[-1] == "  … and 5 more like this"


def test_command_unknown_network(cast):
    with pytest.raises(CommandError, match="no network called 'Nowhere'"):
        _call(str(FIXTURES / "oneroster-1.2"), "--network", "Nowhere")


def test_command_file_over_the_limit_is_refused(cast, tmp_path):
    path = tmp_path / "huge.zip"
    with path.open("wb") as handle:
        handle.truncate(201 * 1024 * 1024)  # sparse: takes no room

    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_roster", str(path), "--network", "Riverside",
                     stdout=io.StringIO(), stderr=err)

    assert "the largest roster we accept is 200 MB" in err.getvalue()
