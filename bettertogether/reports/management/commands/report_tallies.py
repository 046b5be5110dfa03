"""`manage.py report_tallies --check | --rebuild [--network PK]`: prove or repair the reports'
tallies.

`--check` compares every network's tallies with a direct computation from the coach's log
(`tallies.differences`) and prints what differs, network by network; it exits with status 1
if anything does. `--rebuild` sums the tallies again from the whole log (`tallies.rebuild`),
as after a bulk import that bypassed the services. Given both, it rebuilds and then checks.
`--network` limits either to one network.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from bettertogether.directory.models import Organisation
from bettertogether.reports import tallies

SHOWN = 5  # rows of each difference printed (all of them with -v 2)


class Command(BaseCommand):
    help = "Check the reports' tallies against the coach's log, or rebuild them from it."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="print how the tallies differ from the log; exit 1 if they do")
        parser.add_argument("--rebuild", action="store_true",
                            help="sum the tallies again from the whole log")
        parser.add_argument("--network", type=int, metavar="PK",
                            help="only this network (its id); every network otherwise")

    def handle(self, *args, check, rebuild, network, verbosity, **options):
        if not check and not rebuild:
            raise CommandError("Say what to do: --check, --rebuild, or both.")
        networks = Organisation.objects.filter(kind=Organisation.Kind.NETWORK).order_by("pk")
        if network is not None:
            networks = networks.filter(pk=network)
            if not networks.exists():
                raise CommandError(f"There is no network with id {network}.")
        networks = list(networks)
        if rebuild:
            for each in networks:
                started = time.perf_counter()
                tallies.rebuild(each)
                self.stdout.write(f"Rebuilt {_name(each)} in "
                                  f"{time.perf_counter() - started:.1f} s.")
        if check:
            differing = [each for each in networks if self._differs(each, verbosity)]
            if differing:
                raise CommandError(f"The tallies of {len(differing)} of {len(networks)} "
                                   f"network(s) differ from the log.", returncode=1)
            self.stdout.write(self.style.SUCCESS(
                f"The tallies of {len(networks)} network(s) equal the log."))

    def _differs(self, network: Organisation, verbosity: int) -> bool:
        found = tallies.differences(network)
        if not found:
            self.stdout.write(f"{_name(network)}: equal to the log.")
            return False
        self.stdout.write(self.style.ERROR(f"{_name(network)}: differs from the log."))
        shown = None if verbosity >= 2 else SHOWN
        for table, sides in found.items():
            self.stdout.write(f"  {table}: {len(sides['extra'])} row(s) not in the log, "
                              f"{len(sides['missing'])} row(s) of the log missing")
            for side, label in (("extra", "extra"), ("missing", "missing")):
                for row in sorted(sides[side], key=repr)[:shown]:
                    self.stdout.write(f"    {label}: {row}")
        return True


def _name(network: Organisation) -> str:
    return f"{network.name} (id {network.pk})"
