"""An organisation's calendar: its time zone, today there, its school years and its terms.

Every app asks here and nowhere else (this is the bottom layer: anything may import it).

**Time zone.** A network sets its zone (`Organisation.time_zone`); its schools copy it.
`zone_of(organisation)` reads it, falling back to UTC for a name the machine does not know.
Days are the organisation's days: a day starts at `midnight(day, zone)` there, and
`today_in(zone)` is the date there now. A request runs in the signed-in person's network
zone (the core middleware activates it, and a background task that renders for a network
activates that network's, see `directory.localisation`), so inside either,
`timezone.localdate()` and the templates' dates already mean the organisation's day.

**School year.** The current school year is the one that holds today; between two years,
the one that started last; before any has started, the first.

**Terms, and the rule for "this term".** A school year is cut into its terms with no day
left over: a term *runs* from its first day to the day before the next term begins; the
year's first term also runs from the year's first day, and its last term to the year's last
day. "This term" is the run, in the current school year, that holds today:

- on a school day, the term under way (on its first and on its last day too);
- in a holiday between two terms, the term that has just ended: a holiday belongs to the
  term before it, as the reports' term tallies count it, so nothing logged in a holiday
  falls between two terms;
- before the year's first term begins, the year's first term (a coach back for the new year
  means this year's first term, not last year's last);
- after the year's last term, that last term.

A school year without terms has no "this term"; pages then show the school year. "Last
term" is the run before this term's, which may be the previous year's last term.

The coaching summary, the caseload's "contacts this term", the reports' quick links and
"this term against the last" all read these runs, so they count the same days.
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from .models import Organisation, SchoolYear, Term

UTC = zoneinfo.ZoneInfo("UTC")
DAY = datetime.timedelta(days=1)
RECENT_DAYS = 30


# --- the zone and the day ---------------------------------------------------------------------


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of that name; UTC for an empty or unknown name (never an error)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_of(organisation: Organisation) -> zoneinfo.ZoneInfo:
    """The organisation's time zone."""
    return zone_named(organisation.time_zone)


def today_in(zone: datetime.tzinfo | None = None, *,
             now: datetime.datetime | None = None) -> datetime.date:
    """The date in the zone (the active one if none is given) at `now` (or now)."""
    return timezone.localdate(now or timezone.now(), timezone=zone)


def midnight(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """The moment the day starts in the zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


# --- runs of days -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """Whole days of an organisation's calendar, the first and the last included.

    `name` is a term's or a school year's name ("" for the last 30 days); a term also
    carries its school year's name, to tell one year's Autumn from the next.
    """

    name: str
    first_day: datetime.date
    last_day: datetime.date
    school_year: str = ""

    def holds(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day

    def so_far(self, today: datetime.date) -> Span:
        """The same days up to today (for a report of what has happened)."""
        return dataclasses.replace(self, last_day=min(self.last_day, today))

    def since(self, zone: datetime.tzinfo) -> datetime.datetime:
        """The first moment of the first day, in the zone."""
        return midnight(self.first_day, zone)

    def until(self, zone: datetime.tzinfo) -> datetime.datetime:
        """The first moment after the last day, in the zone."""
        return midnight(self.last_day + DAY, zone)


def recent_days(today: datetime.date) -> Span:
    """The last 30 days, today included."""
    return Span("", today - (RECENT_DAYS - 1) * DAY, today)


def school_year_span(year: SchoolYear) -> Span:
    return Span(year.name, year.starts_on, year.ends_on, school_year=year.name)


def _pick_year(years: Iterable, today: datetime.date):
    """The year holding today; else the last to have started; else the first.

    `years` are anything with `starts_on` and `ends_on` (model rows or `_Year`s).
    """
    years = list(years)
    holding = [y for y in years if y.starts_on <= today <= y.ends_on]
    started = [y for y in years if y.starts_on <= today]
    if holding:
        return max(holding, key=lambda y: y.starts_on)
    if started:
        return max(started, key=lambda y: y.starts_on)
    return min(years, key=lambda y: y.starts_on, default=None)


def term_runs(*, year_name: str, year_starts: datetime.date, year_ends: datetime.date,
              terms: Sequence[tuple[str, datetime.date]]) -> list[Span]:
    """A school year cut into its terms' runs (see the module's docstring).

    `terms` are (name, first day) pairs in any order.
    """
    ordered = sorted(terms, key=lambda term: (term[1], term[0]))
    runs = []
    for at, (name, starts) in enumerate(ordered):
        first = year_starts if at == 0 else starts
        last = ordered[at + 1][1] - DAY if at + 1 < len(ordered) else year_ends
        runs.append(Span(name, first, max(first, last), school_year=year_name))
    return runs


def _run_on(runs: Sequence[Span], today: datetime.date) -> Span | None:
    """The run holding today; before the first, the first; after the last, the last."""
    if not runs:
        return None
    started = [run for run in runs if run.first_day <= today]
    return started[-1] if started else runs[0]


# --- one school year, as most pages need it ------------------------------------------------


def current_school_year(*, network_id: int | None,
                        today: datetime.date | None = None) -> SchoolYear | None:
    """The network's current school year (one query; its network comes with it).

    Without `today`, today in the active zone: inside a request or a task, the network's.
    """
    if network_id is None:
        return None
    today = today or timezone.localdate()
    years = SchoolYear.objects.filter(network_id=network_id).select_related("network")
    return _pick_year(years, today)


def this_term(*, school_year: SchoolYear | None, today: datetime.date) -> Span | None:
    """This term of the school year on that day, by the rule above (one query)."""
    if school_year is None:
        return None
    terms = Term.objects.filter(school_year=school_year).values_list("name", "starts_on")
    runs = term_runs(year_name=school_year.name, year_starts=school_year.starts_on,
                     year_ends=school_year.ends_on, terms=list(terms))
    return _run_on(runs, today)


# --- a network's whole calendar, for the reports ----------------------------------------------


@dataclass(frozen=True)
class _Year:
    pk: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    runs: tuple[Span, ...]


class NetworkCalendar:
    """A network's school years and the runs of their terms, read in one query."""

    def __init__(self, years: Iterable[_Year]):
        self.years = sorted(years, key=lambda year: year.starts_on)

    def school_year_on(self, day: datetime.date) -> _Year | None:
        return _pick_year(self.years, day)

    def this_term(self, day: datetime.date) -> Span | None:
        year = self.school_year_on(day)
        return _run_on(year.runs, day) if year else None

    def last_term(self, day: datetime.date) -> Span | None:
        """The run before this term's, in this school year or an earlier one."""
        now = self.this_term(day)
        if now is None:
            return None
        earlier = [run for year in self.years for run in year.runs
                   if run.first_day < now.first_day]
        return max(earlier, key=lambda run: run.first_day, default=None)


def network_calendar(network_id: int) -> NetworkCalendar:
    """Every school year of the network with its terms: one query."""
    rows = (SchoolYear.objects.filter(network_id=network_id)
            .values_list("pk", "name", "starts_on", "ends_on", "terms__name",
                         "terms__starts_on")
            .order_by("starts_on", "pk"))
    found: dict[int, dict] = {}
    for pk, name, starts_on, ends_on, term_name, term_starts in rows:
        year = found.setdefault(pk, {"name": name, "starts_on": starts_on,
                                     "ends_on": ends_on, "terms": []})
        if term_starts is not None:
            year["terms"].append((term_name, term_starts))
    return NetworkCalendar(
        _Year(pk=pk, name=year["name"], starts_on=year["starts_on"], ends_on=year["ends_on"],
              runs=tuple(term_runs(year_name=year["name"], year_starts=year["starts_on"],
                                   year_ends=year["ends_on"], terms=year["terms"])))
        for pk, year in found.items())
