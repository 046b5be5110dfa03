"""`manage.py restore ARCHIVE`: a backup made by `manage.py backup`, onto an empty server.

    manage.py restore /srv/backups/bettertogether-2026-12-08.zip

Stop the app servers and the task worker first. Every check is made before anything
changes; what is refused, and why, is in `bettertogether/core/backup/restore.py`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettertogether.core.backup.archive import BackupError
from bettertogether.core.backup.database import vendor_name
from bettertogether.core.backup.restore import backup_restore, counted


class Command(BaseCommand):
    help = "Restore a backup (database and files) onto an empty server."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument("--database", default="default",
                            help="The database to restore into (default: default).")
        parser.add_argument(
            "--force", action="store_true",
            help="Replace what the database and the file storage hold (asks first, unless "
                 "--no-input).")
        parser.add_argument("--no-input", "--noinput", action="store_false",
                            dest="interactive", help="Ask nothing (with --force: replace).")

    def handle(self, *args, archive: Path, database: str, force: bool, interactive: bool,
               **options):
        log = self.stdout.write if options["verbosity"] >= 1 else (lambda message: None)
        confirm = self._ask if force and interactive else None
        try:
            done = backup_restore(archive, using=database, force=force, confirm=confirm,
                                  log=log)
        except BackupError as error:
            raise CommandError(error.message) from error
        migrated = (f", then applied {counted(len(done.migrated), 'newer migration')}"
                    if done.migrated else "")
        self.stdout.write(self.style.SUCCESS(
            f"Restored the {vendor_name(done.vendor)} database and "
            f"{counted(done.files, 'file')} of the backup made {done.created_at}{migrated}, "
            f"in {done.seconds:.1f} s."))

    def _ask(self, question: str) -> bool:
        answer = input(f"{question} Type 'yes' to go on: ")
        return answer.strip().lower() == "yes"
