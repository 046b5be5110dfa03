"""Print who to sign in as in the small demo, one line per role."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bettertogether.demo.cast import SIGNINS
from bettertogether.demo.common import DEMO_PASSWORD
from bettertogether.directory.models import Person, Role

URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "List the demo sign-ins (email, role, school, password) of the small demo."

    def handle(self, *args, **options):
        people = {
            p.email: p
            for p in Person.objects.filter(email__in=[e for e, _what in SIGNINS])
            .prefetch_related("memberships__organisation")
        }
        if not people:
            self.stdout.write("No demo data yet: run `manage.py seed_demo --scale small`.")
            return
        rows = [("Email", "Role", "Where", "Password")]
        for email, what in SIGNINS:
            person = people.get(email)
            if person is None:
                continue
            rows.append((email, what, _where(person), DEMO_PASSWORD))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        rule = "  ".join("-" * w for w in widths)
        self.stdout.write(f"Demo sign-ins (open {URL}):")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                              .rstrip())
            if n == 0:
                self.stdout.write(rule)


def _where(person: Person) -> str:
    memberships = list(person.memberships.all())
    schools = [m.organisation.name for m in memberships if m.role in {
        Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER}]
    if schools:
        return ", ".join(sorted(set(schools)))
    networks = sorted({m.organisation.name for m in memberships})
    return ", ".join(networks) or "—"
