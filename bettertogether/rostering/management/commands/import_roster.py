"""`manage.py import_roster PATH --network NAME [--dry-run]`: the nightly roster sync.

PATH is a OneRoster zip, a folder holding its CSV files, or a plain CSV. The roster is
checked as a whole; every problem is printed with its file, line and column (each kind up
to twenty times, then "… and N more like this"), and then nothing is imported and the
command exits with status 1. Otherwise it prints what changed (or, with --dry-run, what
would change), who was not brought in and why, and what was read leniently (warnings).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettertogether.directory.models import Organisation
from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.problems import describe, describe_warning
from bettertogether.rostering.services import roster_import
from bettertogether.rostering.summary import summary_lines


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 bundle or a plain CSV roster into a network."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a OneRoster .zip, a folder of its CSV files, or a .csv")
        parser.add_argument("--network", required=True, help="the network's exact name")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report what would change, changing nothing")

    def handle(self, *args, path, network, dry_run, **options):
        target = Organisation.objects.filter(name=network, kind=Organisation.Kind.NETWORK).first()
        if target is None:
            raise CommandError(f"There is no network called {network!r}.")
        run = roster_import(actor=None, network=target, path=Path(path), dry_run=dry_run)
        if run.status != ImportRun.Status.DONE:
            for problem in run.problems:
                self.stderr.write(describe(problem))
                if problem.get("more"):
                    self.stderr.write(f"  … and {problem['more']} more like this")
            hidden = run.problems_total - sum(1 + p.get("more", 0) for p in run.problems)
            if hidden > 0:
                self.stderr.write(f"… and {hidden} more.")
            self._warnings(run, self.stderr)
            raise CommandError(f"{run.problems_total} problem(s): nothing was imported.")
        heading = "Would change (dry run):" if dry_run else "Imported:"
        self.stdout.write(heading)
        for line in summary_lines(run.summary):
            self.stdout.write(f"  {line}")
        self._warnings(run, self.stdout)

    def _warnings(self, run, out) -> None:
        if run.warnings:
            out.write("Read as meant (warnings):")
        for warning in run.warnings:
            out.write(f"  {describe_warning(warning)}")
