"""A backup of the small demo, restored into a fresh database and an empty file storage,
is the demo again: every table (columns, row count, a hash of its rows in order), every
sequence, every file.

The demo makes no files of its own, so the test adds one of each kind a server keeps: a
roster preview waiting for "Apply", a coach's work sample and a report PDF."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from bettertogether.core.backup.create import backup_create
from bettertogether.core.backup.restore import backup_restore
from bettertogether.directory.models import Organisation, Person
from bettertogether.goals.evidence import sample_upload
from bettertogether.goals.models import Cycle, CycleStatus
from bettertogether.reports.models import ReportExport
from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.services import import_run_start

from .backup_support import database_fingerprint, files_fingerprint, tables_of

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
ROSTER = (b"name,email,role,school\r\n"
          b"Nia Newhire,nia.newhire@riverside.example,teacher,Lincoln Elementary School\r\n")


def _add_a_file_of_each_kind() -> None:
    network = Organisation.objects.get(name="Riverside Unified School District")
    admin = Person.objects.get(email="admin@riverside.example")
    preview = import_run_start(actor=admin, network=network, dry_run=True,
                               upload=SimpleUploadedFile("new-hires.csv", ROSTER))
    cycle = Cycle.objects.filter(status=CycleStatus.ACTIVE).order_by("pk").first()
    sample_upload(actor=cycle.coach, cycle=cycle, description="Exit ticket, anonymised",
                  file=SimpleUploadedFile("exit-ticket.png", PNG))
    export = ReportExport.objects.filter(status=ReportExport.Status.DONE).first() or (
        ReportExport.objects.create(requested_by=admin, kind="network", subject=network,
                                    status=ReportExport.Status.DONE,
                                    idempotency_key="6f1c1f5e-3b7a-4d8e-9a55-0c7f5c1e2a10"))
    export.file.save("network-report.pdf", ContentFile(b"%PDF-1.7\n" + bytes(5000)))
    assert ImportRun.objects.get(pk=preview.pk).upload  # kept for "Apply"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_restored_demo_is_the_demo_table_by_table_and_file_by_file(fresh_database, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    _add_a_file_of_each_kind()
    demo = database_fingerprint("default")
    demo_files = files_fingerprint(default_storage)
    archive = tmp_path / "demo.zip"

    backup_create(archive)
    target = fresh_database()
    storage = FileSystemStorage(location=tmp_path / "restored-media")
    done = backup_restore(archive, using=target, storage=storage)

    assert database_fingerprint(target) == demo
    assert files_fingerprint(storage) == demo_files
    assert {name.split("/")[0] for name in demo_files} == {"rosters", "evidence", "reports"}
    assert (done.files, done.migrated) == (3, [])
    # Not a vacuous comparison: the demo is all there.
    assert len(tables_of(target)) > 60
    assert demo["directory_person"][1] == Person.objects.using(target).count() > 50
    assert demo["coaching_interaction"][1] > 200
