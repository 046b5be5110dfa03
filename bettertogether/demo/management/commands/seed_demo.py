"""Load demo data: `small` for trying the product, `district` for the benchmark.

Each capability has a module in `bettertogether.demo` with `seed_small(rng)` and
`seed_district(rng)`; they run in the order of `SEEDERS`, later ones building on the rows
the earlier ones wrote. Each gets its own random generator, derived from the seed and
its name, so adding a capability does not change what the others produce.

Seeding twice does nothing the second time: the network each scale creates marks it.
"""

from __future__ import annotations

import importlib
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from bettertogether.coaching.tallies import recount
from bettertogether.demo.common import DEFAULT_SEED, DISTRICT_NETWORK, SMALL_NETWORK
from bettertogether.directory.models import CaseloadAssignment, Organisation, Person

SEEDERS = (
    "bettertogether.demo.directory",
    "bettertogether.demo.rostering",
    "bettertogether.demo.coaching",
    "bettertogether.demo.menu",
    "bettertogether.demo.goals",
    "bettertogether.demo.reports",  # last: sums the reports' tallies from the whole log
)

MARKERS = {"small": SMALL_NETWORK, "district": DISTRICT_NETWORK}

# Seeding never sends email: queued emails (invitations) are dropped, and anything sent
# directly goes to memory.
QUIET_MAIL = {
    "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
}


class Command(BaseCommand):
    help = "Load the demo dataset (small) or the benchmark dataset (district). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(MARKERS), default="small")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, scale: str, seed: int, **options):
        marker = MARKERS[scale]
        if Organisation.objects.filter(kind=Organisation.Kind.NETWORK, name=marker).exists():
            self.stdout.write(f"The {scale} demo already exists ({marker}); nothing to do.")
            return
        started = time.perf_counter()
        seed_all(scale=scale, seed=seed, log=self.stdout.write)
        elapsed = time.perf_counter() - started
        network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=marker)
        people = Person.objects.filter(memberships__network=network).distinct().count()
        schools = network.schools.count()
        caseloads = CaseloadAssignment.objects.filter(school__network=network).count()
        self.stdout.write(self.style.SUCCESS(
            f"Loaded the {scale} demo in {elapsed:.1f} s: {marker}, {schools} schools, "
            f"{people} people, {caseloads} caseload assignments."
        ))


def seed_all(*, scale: str, seed: int = DEFAULT_SEED, log=None, **options) -> None:
    """Run every seeder for `scale` in one transaction: all of the demo or none of it.

    `options` go to each `seed_<scale>` function (tests pass a smaller district `size`).
    """
    with override_settings(**QUIET_MAIL), transaction.atomic():
        for name in SEEDERS:
            module = importlib.import_module(name)
            rng = random.Random(f"{seed}:{name}")  # noqa: S311 (demo data, not secrets)
            step = time.perf_counter()
            # Each seeder's log is recounted once when it ends (the next may read reports).
            with recount.deferred():
                getattr(module, f"seed_{scale}")(rng, **options)
            if log is not None:
                log(f"  {name.rsplit('.', 1)[-1]}: {time.perf_counter() - step:.1f} s")
