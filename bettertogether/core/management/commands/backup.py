"""`manage.py backup ARCHIVE`: the database and every stored file, in one archive.

    manage.py backup /srv/backups/bettertogether-2026-12-08.zip

What goes in, and why the database's own tools copy it: `bettertogether/core/backup/`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettertogether.core.backup.archive import BackupError
from bettertogether.core.backup.create import backup_create
from bettertogether.core.backup.database import vendor_name
from bettertogether.core.backup.restore import counted


class Command(BaseCommand):
    help = "Back up the database and every uploaded or generated file to one archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive to write (a .zip).")
        parser.add_argument("--database", default="default",
                            help="The database to back up (default: default).")

    def handle(self, *args, archive: Path, database: str, **options):
        log = self.stdout.write if options["verbosity"] >= 1 else (lambda message: None)
        try:
            made = backup_create(archive, using=database, log=log)
        except BackupError as error:
            raise CommandError(error.message) from error
        for name in made.skipped:
            self.stderr.write(f"Left out {name}: it was deleted while the backup ran.")
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {vendor_name(made.vendor)} database ({_size(made.database_bytes)}) "
            f"and {counted(made.files, 'file')} ({_size(made.file_bytes)}) "
            f"to {made.path} in {made.seconds:.1f} s."))


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
