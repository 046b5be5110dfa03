"""The rows of the benchmark's requests and sessions, one story at a time (`menu_district`
decides how many of each): a logged session drawn from the coach's log, a session ahead,
a team session, a cancelled one, an open request, a declined or withdrawn one, and the
bench teacher's own. Ids are given here so rows can refer to each other before a single
`COPY` per table writes them."""

from __future__ import annotations

import datetime
import random
import uuid

from bettertogether.coaching.models import Place
from bettertogether.menu.models import CoachingSession, RequestStatus, SessionStatus, SupportRequest

from .coaching_district import first_free_id, write_rows
from .coaching_vocabulary import MINUTES, PLACES
from .menu_vocabulary import ACCEPTED, DECLINED, NOTES, PROPOSED, SLOTS, TEAM_TITLES, TIMES

S = RequestStatus
HOUR, MINUTE = datetime.timedelta(hours=1), datetime.timedelta(minutes=1)
TEAM_KINDS = ("Co-planning", "Co-planning", "Data dive", "PD session", "Observation")
# Kinds a teacher asks for on the menu; a check-in in the hallway is not requested.
NOT_REQUESTED = frozenset({"Check-in"})
Item = tuple[int, str, str, int]  # (id, kind name, title, typical minutes)

_REQUEST_COLUMNS = (
    "id", "network_id", "school_id", "teacher_id", "coach_id", "item_id", "note",
    "preferred_times", "status", "coach_message", "proposed_start", "proposed_end",
    "proposed_place", "idempotency_key", "created_at", "answered_at", "updated_at",
)
_SESSION_COLUMNS = (
    "id", "network_id", "school_id", "coach_id", "request_id", "kind_id", "title",
    "starts_at", "ends_at", "place", "location", "agenda", "status", "sequence", "uid",
    "interaction_id", "idempotency_key", "created_at", "updated_at",
)
_ATTENDEE_COLUMNS = ("id", "coachingsession_id", "person_id")


class Rows:
    """Requests and sessions as the stories make them, written together by `write`."""

    def __init__(self, rng: random.Random, network_id: int, kinds: dict[str, int],
                 menus: dict[int, tuple[list[Item], dict[str, Item]]],
                 now: datetime.datetime):
        self.rng, self.network_id, self.kinds, self.menus, self.now = (
            rng, network_id, kinds, menus, now)
        self.requests: list[tuple] = []
        self.sessions: list[tuple] = []
        self.attendees: list[tuple] = []
        self._ids = [first_free_id(SupportRequest), first_free_id(CoachingSession),
                     first_free_id(CoachingSession.attendees.through)]

    # --- the rows -----------------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _take(self, table: int) -> int:
        self._ids[table] += 1
        return self._ids[table] - 1

    def request(self, pair, item: Item, status: str, created, *, answered=None, updated=None,
                message: str = "", proposal=(None, None, "")) -> int:
        rng, pk = self.rng, self._take(0)
        coach, teacher, school = pair
        note = rng.choice(NOTES[item[1]]) if rng.random() < 0.9 else ""
        self.requests.append((
            pk, self.network_id, school, teacher, coach, item[0], note, rng.choice(TIMES),
            status, message, *proposal, self._uuid(), created, answered,
            updated or answered or created))
        return pk

    def session(self, coach: int, teachers, school: int, kind: str, title: str, start,
                minutes: int, *, created, updated=None, request=None, interaction=None,
                place=None, cancelled=False, sequence=0) -> None:
        rng, pk = self.rng, self._take(1)
        if place is None:
            place = rng.choice([p for p in PLACES[kind] if p != Place.EMAIL])
        self.sessions.append((
            pk, self.network_id, school, coach, request, self.kinds[kind], title, start,
            start + datetime.timedelta(minutes=minutes), place, "", "",
            SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED, sequence,
            self._uuid(), interaction, None if request else self._uuid(), created,
            updated or created))
        self.attendees += [(self._take(2), pk, teacher) for teacher in teachers]

    def write(self) -> None:
        write_rows(SupportRequest, _REQUEST_COLUMNS, self.requests)
        write_rows(CoachingSession, _SESSION_COLUMNS, self.sessions)
        write_rows(CoachingSession.attendees.through, _ATTENDEE_COLUMNS, self.attendees)

    # --- helpers ------------------------------------------------------------------------

    def _at(self, midnight: datetime.datetime) -> datetime.datetime:
        hour, minute = self.rng.choice(SLOTS)
        return midnight + datetime.timedelta(hours=hour, minutes=minute)

    def _item(self, coach: int) -> Item:
        """Any item the coach offers, their own three times as likely as the network's."""
        offered, _by_kind = self.menus[coach]
        return self.rng.choice(offered)

    def _hours(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.rng.randint(low * 60, high * 60))

    def _before_now(self, moment, margin=MINUTE):
        return min(moment, self.now - margin)

    def eligible(self, row: tuple) -> bool:
        """Whether an interaction of the log can be a logged session."""
        _pk, coach, _school, kind, _minutes, _occurred, _place, teachers = row
        if len(teachers) > 1:
            return kind in TEAM_TITLES
        return (len(teachers) == 1 and kind not in NOT_REQUESTED
                and kind in self.menus.get(coach, ((), {}))[1])

    # --- the stories --------------------------------------------------------------------

    def logged(self, row: tuple) -> None:
        """A session that happened and was logged: the interaction it was logged as, and
        (with one teacher) the request it came from."""
        pk, coach, school, kind, minutes, occurred, place, teachers = row
        done = occurred + datetime.timedelta(minutes=minutes)
        moved = 1 if self.rng.random() < 0.1 else 0
        if len(teachers) > 1:
            self.session(coach, teachers, school, kind, self.rng.choice(TEAM_TITLES[kind]),
                         occurred, minutes, created=occurred - self._hours(24, 336),
                         updated=done, interaction=pk, place=place, sequence=moved)
            return
        item = self.menus[coach][1][kind]
        created = occurred - self._hours(20, 240)
        answered = min(created + self._hours(1, 30), occurred - HOUR)
        request = self.request((coach, teachers[0], school), item, S.DONE, created,
                               answered=answered, updated=done,
                               message=self.rng.choice(ACCEPTED))
        self.session(coach, teachers, school, kind, item[2], occurred, minutes,
                     created=answered, updated=done, request=request, interaction=pk,
                     place=place, sequence=moved)

    def ahead(self, pair, midnight, item: Item | None = None) -> None:
        """A request said yes to: its session is to come, or held and not logged yet."""
        item = item or self._item(pair[0])
        start = self._at(midnight)
        created = min(start, self.now) - self._hours(4, 240)
        answered = min(created + self._hours(1, 25), self.now - MINUTE * 5, start - HOUR)
        request = self.request(pair, item, S.SCHEDULED, created, answered=answered,
                               message=self.rng.choice(ACCEPTED))
        self.session(pair[0], (pair[1],), pair[2], item[1], item[2], start, item[3],
                     created=answered, request=request)

    def team(self, pair, colleagues: list[int], midnight) -> None:
        """A session the coach scheduled with teachers of one school, weeks ahead."""
        rng = self.rng
        others = [t for t in colleagues if t != pair[1]]
        members = (pair[1], *rng.sample(others, min(len(others), rng.randint(1, 3))))
        kind = rng.choice(TEAM_KINDS)
        low, high = MINUTES[kind]
        self.session(pair[0], members, pair[2], kind, rng.choice(TEAM_TITLES[kind]),
                     self._at(midnight), low + 5 * rng.randint(0, (high - low) // 5),
                     created=self.now - self._hours(2, 720))

    def cancelled(self, pair, midnight) -> None:
        """A session called off (its request, reopened, went on to something else)."""
        item = self._item(pair[0])
        start = self._at(midnight)
        created = min(start, self.now) - self._hours(24, 240)
        called_off = created + (min(start, self.now) - created) * self.rng.random()
        self.session(pair[0], (pair[1],), pair[2], item[1], item[2], start, item[3],
                     created=created, updated=called_off, cancelled=True,
                     sequence=self.rng.choice((1, 1, 1, 2)))

    def open(self, pair, midnight, proposal_day=None, item: Item | None = None) -> None:
        """A request waiting for the coach, or (a proposal day given) for the teacher."""
        rng, item = self.rng, item or self._item(pair[0])
        created = self._before_now(midnight + self._hours(7, 21), MINUTE * 10)
        if proposal_day is None:
            self.request(pair, item, S.PENDING, created)
            return
        start = self._at(proposal_day)
        place = rng.choice((Place.CLASSROOM, Place.MEETING, Place.VIRTUAL))
        self.request(pair, item, S.PROPOSED, created,
                     answered=self._before_now(created + self._hours(1, 30), MINUTE * 5),
                     message=rng.choice(PROPOSED) if rng.random() < 0.8 else "",
                     proposal=(start, start + datetime.timedelta(minutes=item[3]), place))

    def closed(self, pair, midnight, status: str | None = None) -> None:
        """A request the coach declined (with a message), or the teacher withdrew."""
        rng, item = self.rng, self._item(pair[0])
        created = self._before_now(midnight + self._hours(7, 21), MINUTE * 10)
        status = status or (S.DECLINED if rng.random() < 0.4 else S.WITHDRAWN)
        answered = self._before_now(created + self._hours(1, 48), MINUTE * 5)
        if status == S.DECLINED:
            self.request(pair, item, status, created, answered=answered,
                         message=rng.choice(DECLINED))
        elif rng.random() < 0.7:  # withdrawn before the coach answered
            self.request(pair, item, status, created,
                         updated=self._before_now(created + self._hours(2, 96)))
        else:  # withdrawn rather than take the time proposed
            start = self._at(midnight + datetime.timedelta(days=rng.choice((2, 3, 4, 7))))
            self.request(pair, item, status, created, answered=answered,
                         updated=self._before_now(answered + self._hours(1, 48)),
                         message=rng.choice(PROPOSED),
                         proposal=(start, start + datetime.timedelta(minutes=item[3]),
                                   Place.CLASSROOM))

    def persona(self, pair, past: list, future: list) -> None:
        """The bench teacher with the bench coach: a request in every open or closed
        status, a session held and one to come, and co-planning every other week."""
        self.open(pair, past[-2][1])
        self.open(pair, past[-3][1], future[min(3, len(future) - 1)][1])
        self.ahead(pair, past[-1][1])
        self.ahead(pair, future[min(1, len(future) - 1)][1])
        self.closed(pair, past[-12][1], S.DECLINED)
        self.closed(pair, past[-20][1], S.WITHDRAWN)
        kind = "Co-planning"
        for _year, midnight in future[2::10]:
            self.session(pair[0], (pair[1],), pair[2], kind, "Co-planning: next week's lessons",
                         midnight + datetime.timedelta(hours=15, minutes=30), 45,
                         created=self.now - datetime.timedelta(days=20), place=Place.CLASSROOM)
