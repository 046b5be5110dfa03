"""Uploads built to exhaust the importer end with a clear message and cost little memory.

Each hostile file is built here, as a stream (a few megabytes on disk at most), and read
the way an import reads it in a Python process of its own, whose peak memory is measured
(`ru_maxrss`) against the same process before it read anything. The process is also given
a 2 GB address-space limit, so a regression fails the test instead of the machine. The
upload page and the nightly command are then shown to say the same, without a traceback.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bettertogether.rostering import hostile
from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.services import roster_import
from bettertogether.rostering.testing import oneroster_files

from .support import world_state

REPO = Path(__file__).resolve().parents[3]
GROWTH_LIMIT_MB = 48  # what reading any of these may add to a process's peak memory

_MEASURE = """
import json, os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettertogether.settings")
import django
django.setup()
from bettertogether.rostering import hostile, oneroster, plain_csv  # loaded before measuring
limit = 2 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = hostile.check_upload(sys.argv[1])
result["grew_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(result))
"""


def _read_apart(path: Path) -> dict:
    """Read the upload in a process of its own; what became of it and how much memory
    its peak grew by."""
    env = {**os.environ, "BT_TESTING": "true", "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)  # nothing here touches a database
    finished = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.splitlines()[-1])


def _said(result: dict) -> str:
    return result["refused"] or " ".join(result["problems"])


# (build it in a folder, what is said)
HOSTILE = {
    "lying-headers": (lambda folder: hostile.lying_headers(folder / "lying.zip",
                                                           unpacks_to=200 << 20),
                      "This zip file is damaged and cannot be opened."),
    "zip-bomb": (lambda folder: hostile.zip_bomb(folder / "bomb.zip"),
                 "The zip unpacks to 3072 MB; the most we read is 1024 MB."),
    "nested-folders": (lambda folder: hostile.nested_folders(folder / "nested.zip"),
                       "The zip holds folders (roster/). A OneRoster bundle is flat"),
    "zip-in-zip": (lambda folder: hostile.zip_in_zip(folder / "zips.zip"),
                   "The zip has no manifest.csv."),
    "many-members": (lambda folder: hostile.many_members(folder / "many.zip"),
                     "The zip holds 20,000 files; a OneRoster bundle holds a few dozen"),
    "endless-line": (lambda folder: hostile.endless_line(folder / "line.zip",
                                                         length=200 << 20),
                     "Line 2 is longer than 1,048,576 characters"),
    "open-quote": (lambda folder: hostile.open_quote(folder / "quote.zip"),
                   "The line that starts on line 2 runs on for more than 2,097,152 "
                   "characters: a quotation mark is probably left open."),
    "binary-junk": (lambda folder: hostile.binary_junk(folder / "junk.zip"),
                    "users.csv is not UTF-8 text (the first character we could not read is "
                    "on line 2)."),
    "junk-csv": (lambda folder: hostile.junk_csv(folder / "junk.csv"),
                 "junk.csv is neither."),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_upload_ends_with_a_clear_message_in_little_memory(tmp_path, case):
    build, words = HOSTILE[case]
    path = build(tmp_path)

    result = _read_apart(path)

    assert words in _said(result), result
    assert result["people"] == 0
    assert result["grew_mb"] < GROWTH_LIMIT_MB, result


def test_hostile_upload_is_small_on_disk_though_it_unpacks_to_hundreds_of_megabytes(tmp_path):
    assert hostile.lying_headers(tmp_path / "lying.zip", unpacks_to=200 << 20).stat(
    ).st_size < 2 << 20
    assert hostile.endless_line(tmp_path / "line.zip", length=200 << 20).stat().st_size < (
        2 << 20)


@pytest.mark.slow
def test_honest_large_users_file_is_read_in_memory_that_does_not_grow_with_it(tmp_path):
    path = hostile.honest_users(tmp_path / "users.zip", megabytes=10)

    result = _read_apart(path)

    assert result["problems"] == [], result
    # Every 500th line is a teacher; the 60,000 students cost 8 bytes each while read.
    assert result["people"] == 126
    assert result["grew_mb"] < 24, result


@pytest.mark.slow
def test_extra_files_of_a_zip_in_a_zip_are_said_to_be_left_unread(tmp_path):
    result = _read_apart(hostile.zip_in_zip(tmp_path / "zips.zip"))

    assert result["warnings"] == [
        "The zip also holds files that are not CSV (roster-4.zip); they were not read."]


# --- the same through the upload page and the command ---------------------------------------


@pytest.fixture
def upload(client_for, cast, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def post(path: Path):
        data = {"network": cast.network.pk, "dry_run": "on",
                "file": SimpleUploadedFile(path.name, path.read_bytes())}
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(cast.admin).post(reverse("rostering:imports"), data)

    return post


@pytest.mark.parametrize(("case", "words"), [
    ("zip-bomb", "The zip unpacks to 3072 MB"),
    ("many-members", "The zip holds 20,000 files"),
    ("nested-folders", "The zip holds folders (roster/)"),
])
def test_upload_page_refuses_a_hostile_zip_at_the_field(cast, upload, tmp_path, case, words):
    before = world_state()

    response = upload(HOSTILE[case][0](tmp_path))

    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors["file"])
    assert not ImportRun.objects.exists()
    assert world_state() == before


def test_upload_page_reports_a_zip_with_lying_headers_as_damaged(cast, client_for, upload,
                                                                  tmp_path):
    before = world_state()

    upload(hostile.lying_headers(tmp_path / "lying.zip", unpacks_to=50 << 20))

    run = ImportRun.objects.get()
    page = client_for(cast.admin).get(reverse("rostering:import", args=[run.pk]))
    assert (run.status, run.upload) == ("failed", "")
    assert run.problems == [{"file": "users.csv", "line": None, "column": "",
                             "message": "This zip file is damaged and cannot be opened. "
                                        "Export the roster again."}]
    assert b"This zip file is damaged" in page.content
    assert b"Something went wrong" not in page.content
    assert world_state() == before


def test_command_counts_what_a_folder_unpacks_to_on_the_bytes_read(cast, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr("bettertogether.rostering.upload.MAX_UNPACKED_BYTES", 64 * 1024)
    folder = tmp_path / "export"
    folder.mkdir()
    files = oneroster_files(version="1.2", schools=3, teachers_per_school=40)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 problem\(s\)"):
        call_command("import_roster", str(folder), "--network", "Riverside",
                     stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines()[0] == (
        "The roster unpacks to more than 0 MB, the most we read. Leave out files we do not "
        "read (results, line items, demographics) and export it again.")


def test_plain_csv_longer_than_any_school_is_refused(cast, tmp_path, monkeypatch):
    monkeypatch.setattr("bettertogether.rostering.plain_csv.MAX_LINES", 3)
    path = tmp_path / "staff.csv"
    path.write_text("name,email,role,school\n" + "".join(
        f"T{n},t{n}@example.org,teacher,Oak\n" for n in range(5)), encoding="utf-8")

    run = roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=True)

    assert run.status == "failed"
    assert [(p["line"], p["message"]) for p in run.problems] == [
        (4, "A plain CSV is for a small school, and this one runs past 3 lines. Import a "
            "district from its OneRoster export.")]
