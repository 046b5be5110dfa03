"""The disclosure gate: every figure, name, row and activity entry that a school leader, a
network admin or a snapshot's reader sees of coaching passes through here.

Coaching is not evaluation, so what flows up to leaders is decided in this one module:
report pages and partials, CSV, Excel, PDF and snapshots (`reports`), a school's coaching
and goals summaries (`coaching`, `goals`), the leader's and the admin's home (`core`), who
sees caseloads (`directory`) and the activity log (`activity`) all call it, and a new app
adds its figures here rather than a threshold of its own. It lives in `directory`, the
lowest layer, because every app may import `directory` and `directory` imports no other
app: the gate can serve them all without a cycle.

The rules
- **Floors** (`MIN_*`): the product's smallest group for each kind of figure. An
  organisation may set a higher bar, never a lower one (`at_least`, `student_floor`).
- **Groups**: a figure about a group of teachers — a school, the teachers of a grade or
  subject, the teachers a filter leaves, a coach's teachers of a grade — is shown only when
  the group holds at least `MIN_TEACHERS` teachers (`group_shown`). A school below that
  shows its leaders and admins no coaching figure and no name, whatever its policy.
- **Counts of people**: a count of teachers (reached, contacted, trusting, partnering, in a
  caseload, in a cycle) is shown when it is 0 or at least `MIN_TEACHERS` (`count_shown`):
  "2 teachers had repeated contact" singles out two people a leader may well know. Counts
  of things (contacts, minutes, requests, goals, cycles) describe the coaching of the
  group they belong to and follow that group's rule.
- **Student evidence**: over groups of at least the school's minimum of students (never
  under `MIN_STUDENTS`), and each figure over at least `MIN_CYCLES_WITH_EVIDENCE` cycles.
- **Differencing**: a hidden figure must not come back by subtraction. (1) A school below
  the floor is left out of every total across schools (`hidden_schools`): a network's
  figures and a coach's snapshot count shown schools only, so neither the network's table
  nor one report set against another gives the small school back. (2) Inside a table, when
  a row or a count is hidden, more rows are hidden (`complete`) until what the hidden ones
  add up to — all a reader can get by taking the shown rows from the total — could be shown
  itself: at least two rows, about at least `MIN_TEACHERS` teachers, with a count of 0 or
  at least `MIN_TEACHERS`.
- **Names**: the school's leader-visibility policy decides whether its leaders and the
  network's admins see who was coached on what kind of support (`names_coached`). Caseloads
  are made by network admins, so admins always see them; leaders only under the policy.
- **Activity**: a coaching action (declared next to its label in `activity.models`) names
  neither the teacher nor the coach to a leader or admin unless the school's policy shows
  who was coached: admins know every caseload, so "Cora Coach started a coaching cycle"
  names the teacher as surely as the teacher's own name would. A school below the floor
  shows no coaching entry at all. Administrative actions (invitations, roles, settings,
  imports, caseloads) stay named, and a person's own actions are always theirs to see
  (`CoachingNames`).
- **Representation**: a hidden figure is `HIDDEN` (None) in a report's data and reads the
  same word everywhere — the page, CSV, Excel, PDF and a snapshot (`hidden_word`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import format_html
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Organisation

# --- floors ----------------------------------------------------------------------------------

MIN_TEACHERS = 5  # teachers a figure for leaders may describe
MIN_STUDENTS = 10  # students in an evidence group; a school may set more
MIN_CYCLES_WITH_EVIDENCE = 3  # cycles behind each student-evidence figure
MIN_RATINGS = 3  # survey respondents behind a rating (leadership feedback, to come)
MIN_FREE_TEXT = 5  # respondents before any free-text answer is shown (to come)

HIDDEN = None  # a hidden figure in a report's data


def at_least(floor: int, *chosen: int | None) -> int:
    """The bar for a figure: the product's floor, raised by whatever an organisation chose
    (never lowered)."""
    return max([floor, *(value for value in chosen if value)])


def student_floor(*organisations: Organisation | None) -> int:
    """The smallest group of students shown for these organisations together."""
    return at_least(MIN_STUDENTS, *(getattr(o, "min_student_group", None)
                                    for o in organisations if o is not None))


def ratings_floor(organisation: Organisation | None = None) -> int:
    return at_least(MIN_RATINGS, getattr(organisation, "min_ratings", None))


def free_text_floor(organisation: Organisation | None = None) -> int:
    return at_least(MIN_FREE_TEXT, getattr(organisation, "min_free_text", None))


def students_shown_q(*, students: str, school_minimum: str, floor: int) -> Q:
    """Rows whose group of students reaches both `floor` and the row's own school's
    minimum (a network report spans schools with different bars), as a condition."""
    return Q(**{f"{students}__gte": Greatest(
        Value(floor), Coalesce(F(school_minimum), Value(floor)))})


def evidence_shown(cycles: int) -> bool:
    return cycles >= MIN_CYCLES_WITH_EVIDENCE


# --- groups and counts -----------------------------------------------------------------------


def group_shown(size: int) -> bool:
    """A group of teachers (a school, a grade's teachers, a caseload) large enough to
    describe."""
    return size >= MIN_TEACHERS


def count_shown(n: int) -> bool:
    """A count of teachers large enough to show: none, or at least the floor."""
    return n == 0 or n >= MIN_TEACHERS


def teachers(n: int | None) -> int | None:
    """A count of teachers as a leader may read it: the number, or HIDDEN."""
    return n if n is not None and count_shown(n) else HIDDEN


def share_text(part: int | None, whole: int | None) -> str | None:
    """`part` as a share of `whole`: hidden when either is, a dash for an empty whole."""
    if part is HIDDEN or whole is HIDDEN:
        return HIDDEN
    return f"{round(100 * part / whole)}%" if whole else "—"


def complete(hidden: Iterable[int], *, values: Sequence[int],
             groups: Sequence[int] | None = None) -> set[int]:
    """The rows of a breakdown to hide so that no hidden one comes back by subtraction.

    `hidden` are the rows (indices) already hidden, `values` the rows' counts of teachers
    in the column a total sums, `groups` the teachers each row is about (when rows are
    groups). A reader who takes the shown rows from the total learns what the hidden rows
    add up to; that sum is safe when at least two rows make it, it counts 0 or at least
    `MIN_TEACHERS` teachers, and they are about at least `MIN_TEACHERS` teachers together.
    Until it is, the smallest shown row is hidden too (one that moves the count, while the
    count is what is wrong). Hiding every row is always safe: the total is then the sum,
    and the total passes this gate itself.
    """
    hidden = set(hidden)
    sizes = groups if groups is not None else [0] * len(values)

    def unsafe_count() -> bool:
        return not count_shown(sum(values[i] for i in hidden))

    def unsafe() -> bool:
        if not hidden or len(hidden) == len(values):
            return False
        return (len(hidden) < 2 or unsafe_count()
                or (groups is not None and not group_shown(sum(sizes[i] for i in hidden))))

    while unsafe():
        by_count = unsafe_count()
        hidden.add(min((i for i in range(len(values)) if i not in hidden),
                       key=lambda i: (by_count and values[i] == 0, sizes[i], values[i], i)))
    return hidden


# --- schools too small to describe -----------------------------------------------------------


def school_sizes(*, network_ids: Iterable[int] = (), school_ids: Iterable[int] = (),
                 teachers_of=None) -> dict[int, int]:
    """Teachers (switched on) of each school of these networks, or of these schools, in one
    query. `teachers_of` narrows them to a grade's or subject's teachers (a subquery of
    person ids). A school with no teacher is in the answer with 0."""
    from .models import Organisation, Role

    teaching = Q(memberships__role=Role.TEACHER, memberships__person__is_active=True)
    if teachers_of is not None:
        teaching &= Q(memberships__person_id__in=teachers_of)
    schools = (Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
               .filter(Q(network_id__in=list(network_ids)) | Q(pk__in=list(school_ids)))
               .annotate(n=Count("memberships__person", distinct=True, filter=teaching))
               .order_by().values_list("pk", "n"))
    return dict(schools)


def hidden_schools(sizes: dict[int, int]) -> frozenset[int]:
    """The schools too small to describe: left out of every total across schools."""
    return frozenset(pk for pk, size in sizes.items() if not group_shown(size))


# --- names: the leader-visibility policy -----------------------------------------------------


def names_coached(organisation: Organisation, *, size: int | None) -> bool:
    """Whether the leaders of `organisation` (and its network's admins) may see who was
    coached on what kind of support: its policy says so, and (for a school) it is large
    enough to describe at all. `size` is the school's teachers (None for a network)."""
    from .models import LeaderVisibility

    if size is not None and not group_shown(size):
        return False
    return organisation.leader_visibility == LeaderVisibility.WHO_AND_KIND


@dataclass(frozen=True)
class CoachingNames:
    """For one reader of the activity log: which coaching entries it shows, and whose name
    each may carry. Built once per page (`coaching_names_for`)."""

    reader_id: int | None
    small_school_ids: frozenset[int]

    def hidden_q(self, coaching_actions: Iterable[str]) -> Q:
        """The coaching entries of schools too small to describe (the reader's own aside)."""
        return (Q(action__in=list(coaching_actions),
                  organisation_id__in=list(self.small_school_ids))
                & ~Q(actor_id=self.reader_id))

    def names(self, *, organisation: Organisation | None, actor_id: int | None) -> bool:
        """Whether a coaching entry may name who did it (and whom it was about)."""
        if actor_id is not None and actor_id == self.reader_id:
            return True
        if organisation is None or organisation.pk in self.small_school_ids:
            return False
        return names_coached(organisation, size=None)


def coaching_names_for(*, reader, network_ids: Iterable[int]) -> CoachingNames:
    """The reader's rule for the activity of these networks: one query."""
    sizes = school_sizes(network_ids=network_ids)
    return CoachingNames(reader_id=getattr(reader, "pk", None),
                         small_school_ids=hidden_schools(sizes))


# --- how a hidden figure reads ---------------------------------------------------------------


def hidden_word() -> str:
    """What a hidden figure reads in every format: page, CSV, Excel, PDF, snapshot."""
    return _("hidden")


def hidden_title() -> str:
    return _("Hidden: it would describe fewer than %(n)s teachers") % {"n": MIN_TEACHERS}


def hidden_html() -> str:
    """A hidden figure on a page: the word, with why for anyone who hovers or listens."""
    return format_html('<span class="suppressed" title="{}">{}</span>', hidden_title(),
                       hidden_word())


def as_text(value):
    """A figure for an export: hidden figures read as they do on the page."""
    return hidden_word() if value is HIDDEN else value


def hidden_note(rows: int, cells: int = 0) -> str:
    """The note under a table with hidden rows or figures."""
    notes = []
    if rows:
        notes.append(_("%(n)s row(s) are hidden: they describe fewer than %(min)s teachers, "
                       "or would give such a row back.") % {"n": rows, "min": MIN_TEACHERS})
    if cells:
        notes.append(_("Counts of 1 to %(max)s teachers are hidden, with any figure that "
                       "would give them back.") % {"max": MIN_TEACHERS - 1})
    return " ".join(notes)
