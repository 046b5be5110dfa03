"""What every demo seeder shares: the demo password, network names, calendars, lists."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

# Every demo person signs in with this password, which `manage.py demo_signins` prints.
# Demo data is for trying the product on a laptop, never for a real school.
DEMO_PASSWORD = "demo-password-2026"

# A network of each name marks a seeded dataset: seeding again when it exists does nothing.
SMALL_NETWORK = "Riverside Unified School District"
OUTSIDER_NETWORK = "Northfield Learning Trust"
DISTRICT_NETWORK = "Metro District"

DEFAULT_SEED = 2026

# The district dataset's people the benchmark signs in as.
BENCH_PERSONAS = {
    "coach": "bench-coach@metro.example",
    "bigcoach": "bench-bigcoach@metro.example",
    "teacher": "bench-teacher@metro.example",
    "principal": "bench-principal@metro.example",
    "admin": "bench-admin@metro.example",
}

# The calendar address (`/calendar/<token>.ics`) of each persona with a feed in the district
# dataset. Benchmark data only, printed in the repository: not a secret of anyone's.
BENCH_CALENDAR_TOKENS = {
    "coach": "bench-coach-calendar-feed-demo-only",
    "bigcoach": "bench-bigcoach-calendar-feed-demo-only",
    "teacher": "bench-teacher-calendar-feed-demo-only",
}

Term = tuple[str, datetime.date, datetime.date]


@dataclass(frozen=True)
class Year:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    terms: tuple[Term, ...]


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def _label(first: int) -> str:
    return f"{first}–{(first + 1) % 100:02d}"


def us_semester_years(firsts=(2024, 2025, 2026)) -> list[Year]:
    """August-to-June years with a fall and a spring semester."""
    return [
        Year(_label(y), _d(y, 8, 15), _d(y + 1, 6, 15), (
            ("Fall", _d(y, 8, 15), _d(y, 12, 19)),
            ("Spring", _d(y + 1, 1, 6), _d(y + 1, 6, 15)),
        ))
        for y in firsts
    ]


def us_trimester_years(firsts=(2024, 2025, 2026)) -> list[Year]:
    """August-to-June years in three trimesters."""
    return [
        Year(_label(y), _d(y, 8, 15), _d(y + 1, 6, 15), (
            ("Trimester 1", _d(y, 8, 15), _d(y, 11, 21)),
            ("Trimester 2", _d(y, 12, 1), _d(y + 1, 3, 6)),
            ("Trimester 3", _d(y + 1, 3, 9), _d(y + 1, 6, 15)),
        ))
        for y in firsts
    ]


def english_years(firsts=(2024, 2025, 2026)) -> list[Year]:
    """September-to-July years with autumn, spring and summer terms."""
    return [
        Year(_label(y), _d(y, 9, 2), _d(y + 1, 7, 22), (
            ("Autumn term", _d(y, 9, 2), _d(y, 12, 19)),
            ("Spring term", _d(y + 1, 1, 6), _d(y + 1, 3, 31)),
            ("Summer term", _d(y + 1, 4, 21), _d(y + 1, 7, 22)),
        ))
        for y in firsts
    ]


# (code, name) in teaching order.
US_GRADES = [("K", "Kindergarten")] + [(str(n), f"Grade {n}") for n in range(1, 13)]
ENGLISH_YEAR_GROUPS = [(f"Y{n}", f"Year {n}") for n in range(1, 14)]

US_SUBJECTS = (
    "English Language Arts", "Mathematics", "Science", "Social Studies", "Spanish",
    "Visual Arts", "Music", "Physical Education", "Computer Science", "Special Education",
    "English Language Development", "Career and Technical Education",
)
ENGLISH_SUBJECTS = (
    "English", "Maths", "Science", "History", "Geography", "Computing", "Art and Design",
    "Music", "Physical Education", "Modern Foreign Languages", "Religious Education",
    "Design and Technology",
)


def email_part(name: str) -> str:
    """`Lucía O'Brien` → `lucia.obrien`: the local part of a demo email address."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [re.sub(r"[^a-z]", "", w) for w in ascii_name.lower().split()]
    return ".".join(w for w in words if w)
