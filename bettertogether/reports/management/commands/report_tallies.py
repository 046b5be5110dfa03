"""`manage.py report_tallies --check | --rebuild [--network PK]`: prove or repair the tallies
of the coach's log that the reports read (`coaching/tallies/`).

`--check` compares every network's tallies with a direct computation from the coach's log
(`coaching.tallies.proof.differences`) and prints what differs, network by network — and
any log entry no tally can hold (`uncounted`) — and says which networks have a recount
queued after a change of their time zone or terms (their tallies differ until the task
worker is done; that is not a failure); it exits with status 1 if any other network
differs. `--rebuild` sums the tallies again from the whole log
(`coaching.tallies.network.rebuild`), as after a bulk load that bypassed the services, and
settles any queued recount; the network's log writes wait while it runs. Given both, it
rebuilds and then checks. `--network` limits either to one network.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from bettertogether.coaching.models import TallyRecount
from bettertogether.coaching.tallies import network as tallies
from bettertogether.coaching.tallies.proof import differences
from bettertogether.directory.models import Organisation

SHOWN = 5  # rows of each difference printed (all of them with -v 2)
EQUAL, RECOUNTING, DIFFERS = "equal", "recounting", "differs"


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
            found = [self._check(each, verbosity) for each in networks]
            if found.count(DIFFERS):
                raise CommandError(f"The tallies of {found.count(DIFFERS)} of {len(networks)} "
                                   f"network(s) differ from the log.", returncode=1)
            recounting = (f"; {found.count(RECOUNTING)} being recounted"
                          if found.count(RECOUNTING) else "")
            self.stdout.write(self.style.SUCCESS(
                f"The tallies of {found.count(EQUAL)} network(s) equal the log{recounting}."))

    def _check(self, network: Organisation, verbosity: int) -> str:
        found = differences(network)
        if not found:
            self.stdout.write(f"{_name(network)}: equal to the log.")
            return EQUAL
        pending = TallyRecount.objects.filter(network=network, done_at__isnull=True).count()
        if pending:
            self.stdout.write(self.style.WARNING(
                f"{_name(network)}: being recounted after {pending} change(s) of its time "
                f"zone or terms; the task worker has not finished yet (if that lasts, is a "
                f"worker running? --rebuild recounts it here)."))
            return RECOUNTING
        self.stdout.write(self.style.ERROR(f"{_name(network)}: differs from the log."))
        shown = None if verbosity >= 2 else SHOWN
        for table, sides in found.items():
            if table == "uncounted":
                self.stdout.write(f"  uncounted: {len(sides['missing'])} entr(ies) of the log "
                                  f"dated where no month bitmap reaches (fix or delete them)")
            else:
                self.stdout.write(f"  {table}: {len(sides['extra'])} row(s) not in the log, "
                                  f"{len(sides['missing'])} row(s) of the log missing")
            for side, label in (("extra", "extra"), ("missing", "missing")):
                for row in sorted(sides[side], key=repr)[:shown]:
                    self.stdout.write(f"    {label}: {row}")
        return DIFFERS


def _name(network: Organisation) -> str:
    return f"{network.name} (id {network.pk})"
