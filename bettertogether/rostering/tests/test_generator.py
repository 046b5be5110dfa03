"""The bundle generator the benchmark uses, and the benchmark helper itself (no timing)."""

import zipfile

import pytest

from bettertogether.rostering.bench import time_import
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.rostering.testing import build_oneroster_bundle

from .support import import_files


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_generated_bundle_is_flat_valid_and_imports(cast, tmp_path, version):
    path = build_oneroster_bundle(tmp_path / "r.zip", version=version, schools=2,
                                  teachers_per_school=3, classes_per_teacher=2,
                                  students_per_class=4)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        files = {name: archive.read(name).decode() for name in names}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert all("/" not in name for name in names)
    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 2 * 3 + 2 + 1
    assert RosterClass.objects.count() == 2 * 3 * 2
    assert set(RosterClass.objects.values_list("student_count", flat=True)) == {4}


def test_time_import_reports_what_it_measured(db):
    result = time_import("Bench check", teachers=6, schools=2, classes_per_teacher=1,
                         students_per_class=2)

    assert (result["status"], result["teachers"], result["classes"]) == ("done", 6, 6)
    assert result["summary"]["people"]["created"] == 6 + 2 + 1
    assert result["seconds"] >= 0
    assert result["cpu_seconds"] >= 0
    assert result["peak_memory_mb"] >= result["memory_before_mb"] > 0
    assert result["peak_memory_growth_mb"] == round(
        result["peak_memory_mb"] - result["memory_before_mb"], 1)
