"""The small demo's coaching menus and what teachers asked of them, written by hand.

Days are counted in school days from today (negative: before it), so the story always
looks current; `TOMORROW` is tomorrow whatever day that is. People are keys of `cast`.
"""

from __future__ import annotations

from typing import NamedTuple

from bettertogether.coaching.models import Place
from bettertogether.menu.models import RequestStatus as S

from .common import OUTSIDER_NETWORK, SMALL_NETWORK

TOMORROW = "tomorrow"


class Ask(NamedTuple):
    """One request: who asked whom for what, and how it went."""

    coach: str
    teacher: str
    item: str  # a title on the coach's menu or the network's
    status: str
    asked: int  # school days ago
    note: str
    times: str = ""
    message: str = ""  # the coach's answer
    at: tuple[int | str, str] | None = None  # the session (or proposed time): day, "HH:MM"
    logged: str = ""  # done: the shared note of the logged interaction
    place: str = Place.CLASSROOM
    location: str = ""
    asked_time: str = "16:10"


class Meeting(NamedTuple):
    """A session the coach scheduled without a request, often with a team."""

    coach: str
    teachers: tuple[str, ...]
    title: str
    kind: str
    day: int
    time: str
    minutes: int
    place: str
    location: str = ""
    agenda: str = ""
    logged: str = ""  # past: logged with this shared note
    cancelled: bool = False  # called off two school days after it was scheduled
    scheduled: int = 4  # school days before today (or before the day, if past)


MENUS = {
    SMALL_NETWORK: {
        "coach": ("Co-plan a lesson", "Model a strategy in your class",
                  "Observe and give feedback", "Look at student work together",
                  "Plan small-group reading", "Copies and materials for a unit"),
        "techcoach": ("Set up your smartboard or projector",
                      "Set up student devices for a class",
                      "Build a lesson in the learning platform", "Make a quiz that grades itself",
                      "Model a lesson with devices", "Observe and give feedback"),
        "mathcoach": ("Plan a number talk", "Model a math lesson in your class",
                      "Co-teach a math workshop", "Look at student work together",
                      "Set up math manipulatives and centers", "Observe and give feedback",
                      "Talk through a lesson video"),
    },
    OUTSIDER_NETWORK: {
        "coach": ("Plan a maths lesson together", "Model a strategy in your class",
                  "Observe and give feedback", "Look at pupils' work together",
                  "Set up your interactive whiteboard",
                  "Photocopying and resources for a unit"),
    },
}

_ROOM12 = "Room 12"

REQUESTS = {
    SMALL_NETWORK: (
        # Maya Thompson (teacher@riverside.example): one request in every status.
        Ask("coach", "teacher", "Plan small-group reading", S.DONE, 14,
            "My running records are done and I have 24 kids at very different levels. Could "
            "we sort them into groups and plan the first week?",
            "After school Tuesday or Thursday", "Happy to. Bring the running records.",
            at=(-10, "15:30"), location=_ROOM12,
            logged="Formed four reading groups from the running records; the first "
                   "rotation starts Monday"),
        Ask("coach", "teacher", "Observe and give feedback", S.SCHEDULED, 3,
            "Could you watch my guided reading groups and tell me whether the other kids "
            "are really working at their centers?",
            "Mornings, in the reading block (9:45–11:15)",
            "Yes! I'll come for the first 30 minutes of your reading block and note what "
            "the other groups are doing.", at=(TOMORROW, "10:15"), location=_ROOM12),
        Ask("coach", "teacher", "Copies and materials for a unit", S.DECLINED, 7,
            "Could you copy and staple the poetry packets for my class? 26 copies, "
            "double-sided.", "Any time this week",
            "I'm sorry, I can't take on copying this month while I cover the testing "
            "window. The front office can run these by Thursday if you drop them in the "
            "tray, and I'd love to help plan the unit itself."),
        Ask("techcoach", "teacher", "Set up your smartboard or projector", S.PENDING, 0,
            "The projector in Room 12 keeps losing the laptop signal halfway through a "
            "lesson.", "Before school (7:30–7:55), any day", asked_time="07:20"),
        Ask("mathcoach", "teacher", "Plan a number talk", S.PROPOSED, 2,
            "I'd like to start number talks after the winter break. Can we plan the first "
            "few together?", "Wednesday morning before school",
            "Wednesday mornings I'm in Grade 3. How about before school next week?",
            at=(4, "07:40")),
        Ask("mathcoach", "teacher", "Set up math manipulatives and centers", S.WITHDRAWN, 18,
            "Could you help me sort the base-ten blocks into bins for centers?"),
        # Jordan Reyes (coach@riverside.example): the inbox and the sessions to come.
        Ask("coach", "t03", "Model a strategy in your class", S.DONE, 20,
            "I'm new to guided reading. Could you show me what a group looks like with my "
            "first graders?", "Any morning before 11", at=(-16, "09:50"),
            logged="Modelled a guided reading group with the decodable text; you ran the "
                   "second group with the same routine"),
        Ask("coach", "t16", "Co-plan a lesson", S.DONE, 9,
            "I want to try writing workshop with my 6th graders. Can we plan the first "
            "lesson together?", "After school, not Mondays", "Yes, let's.",
            at=(-6, "15:20"), place=Place.MEETING,
            logged="Planned the writing workshop launch: mini-lesson, conferring schedule "
                   "and share time"),
        Ask("coach", "t07", "Look at student work together", S.SCHEDULED, 4,
            "The first persuasive essays are in. Can we look at a few together and decide "
            "what to teach next?", "After school, any day but Wednesday",
            "Happy to. Bring six essays: two strong, two in the middle, two that worry you.",
            at=(-1, "15:15")),
        Ask("coach", "t20", "Co-plan a lesson", S.SCHEDULED, 2,
            "Our first lab with burners is next week. Could we plan the safety routines and "
            "group roles together?", "My planning period (1:10–1:55)",
            "Yes. Let's meet in your room so we can walk through the stations.",
            at=(6, "13:10"), location="Room 204"),
        Ask("coach", "t09", "Model a strategy in your class", S.PENDING, 1,
            "I keep finding out on the test that half the class didn't get it. Could you "
            "show me a quick way to check for understanding during the lesson?",
            "Math block, 10:30–11:30, Tuesday to Thursday"),
        Ask("coach", "t25", "Look at student work together", S.PENDING, 2,
            "I've started collecting exit tickets but I don't know what to do with them. "
            "Could we go through a stack together?", "3rd period planning (10:40–11:25)"),
        Ask("coach", "t10", "Observe and give feedback", S.PROPOSED, 4,
            "Could you watch my writing conferences? I feel like I talk too much.",
            "Thursday writing block",
            "Thursday's writing block is taken, but I could come Monday at 1:10 for the "
            "mini-lesson and the first conferences. Would that work?", at=(3, "13:10")),
        Ask("coach", "t20", "New-teacher welcome", S.DONE, 30,
            "I'm new this year and still finding my way around. Could someone show me where "
            "things are?", "After school", "Welcome! Let's start at the copy room.",
            at=(-28, "15:30"), place=Place.HALLWAY,
            logged="Walked the building: copy room, supply closet, the science prep room; "
                   "who to ask for lab orders"),
        Ask("coach", "t11", "Co-plan a lesson", S.WITHDRAWN, 15,
            "Could you help me plan a vocabulary lesson for my newcomers?"),
        # Priya Natarajan, the technology coach.
        Ask("techcoach", "t30", "Set up student devices for a class", S.DONE, 12,
            "We start the probeware labs next week and half the Chromebooks won't pair.",
            "Before school", at=(-9, "07:40"), location="Chem lab 2",
            logged="Probeware paired with all 28 Chromebooks; students collect and return "
                   "them by table number"),
        Ask("techcoach", "t38", "Make a quiz that grades itself", S.DONE, 8,
            "Grading the cell-structure quiz by hand takes my whole weekend.", "Lunch",
            at=(-5, "11:45"), place=Place.VIRTUAL,
            logged="Turned the cell-structure quiz into a self-grading form; question 7 "
                   "needs rewording"),
        Ask("techcoach", "t28", "Build a lesson in the learning platform", S.SCHEDULED, 3,
            "I'd like my seniors to post their essay drafts and comment on each other's.",
            "6th period planning (2:00–2:50)", "See you Thursday!", at=(2, "14:00"),
            location="Room 301"),
        Ask("techcoach", "t32", "Help with the learning platform", S.PENDING, 1,
            "I can't work out how to add my co-teacher to my classes.", "Any lunch"),
        Ask("techcoach", "t17", "Model a lesson with devices", S.DECLINED, 6,
            "Could you model a lesson where students record their lab explanations?",
            "Fridays",
            "I'd love to, but Fridays are booked through the break. Kevin Tran did exactly "
            "this with his class last month; ask him to show you, and I'll come in "
            "January."),
        Ask("techcoach", "t23", "Observe and give feedback", S.WITHDRAWN, 10,
            "Could you watch how I run the coding club's pair programming?",
            "After school Wednesday", "How about Wednesday at 3:15?", at=(-6, "15:15")),
        # Marcus Bell, the K–5 math coach.
        Ask("mathcoach", "t02", "Co-teach a math workshop", S.SCHEDULED, 4,
            "I'd like to try a math workshop with stations, and I can't do it alone with "
            "kindergarteners.", "Math block, 10:40–11:40", "Yes! I'll take the counting group.",
            at=(2, "10:40")),
        Ask("mathcoach", "t09", "Look at student work together", S.DONE, 9,
            "The place-value exit tickets are a mess. Can we sort them together?",
            "After school", at=(-7, "15:30"), place=Place.MEETING,
            logged="Sorted the place-value exit tickets: three groups for Thursday's "
                   "small-group time"),
        Ask("mathcoach", "t04", "Model a math lesson in your class", S.PENDING, 1,
            "Could you show my 3rd graders how to explain their thinking with the "
            "manipulatives?", "Mornings"),
        Ask("mathcoach", "t06", "Talk through a lesson video", S.DECLINED, 5,
            "I recorded my fractions lesson. Could we watch it together?", "Any afternoon",
            "I'm at training for the next two weeks, so I can't do it justice now. Send it "
            "to me in January and we'll watch it the first week back."),
    ),
    OUTSIDER_NETWORK: (
        Ask("coach", "teacher", "Plan a maths lesson together", S.DONE, 11,
            "Can we plan the first fractions lesson for Year 3? I want to use bar models.",
            "After school, not Tuesdays (choir)", at=(-8, "15:45"), place=Place.MEETING,
            logged="Planned the fractions launch with bar models; the hinge question is on "
                   "the slides"),
        Ask("coach", "teacher", "Observe and give feedback", S.SCHEDULED, 2,
            "Could you watch my guided practice and see who is really stuck?",
            "Any morning", "Yes, I'll come in for the first 20 minutes.", at=(5, "09:50")),
        Ask("coach", "n02", "Look at pupils' work together", S.PENDING, 1,
            "Year 9 did badly on the last assessment. Can we look at the books together?",
            "Period 5 on Wednesdays"),
        Ask("coach", "n03", "Set up your interactive whiteboard", S.DECLINED, 4,
            "The board in Y5 has stopped responding to the pen.", "Before school",
            "The IT technician is replacing that board next week, so it's theirs to fix. "
            "If it still plays up after that, I'll come straight round."),
        Ask("coach", "n04", "Model a strategy in your class", S.PROPOSED, 3,
            "Could you model a retrieval starter with my Year 11s?", "Period 2",
            "Period 2 is taken this week. Could I come on Monday, period 3?",
            at=(4, "11:45")),
    ),
}

MEETINGS = {
    SMALL_NETWORK: (
        Meeting("coach", ("teacher", "t02", "t03"), "K–2 team: plan the poetry unit",
                "Co-planning", 3, "15:30", 45, Place.MEETING, "Library",
                "Bring one poem your class loved and one that fell flat.", cancelled=True),
        Meeting("coach", ("teacher", "t02", "t03"), "K–2 team: plan the poetry unit",
                "Co-planning", 8, "15:30", 45, Place.MEETING, "Library",
                "Moved from last week (staff meeting). Bring one poem your class loved and "
                "one that fell flat.", scheduled=2),
        Meeting("coach", ("teacher", "t02", "t03"), "K–2 team: look at the reading benchmark",
                "Data dive", -12, "15:30", 45, Place.MEETING, "Library",
                logged="Sorted the benchmark into groups for each class; reteach blends "
                       "before the next check"),
        Meeting("coach", ("t16", "t20", "t25"), "Roosevelt new teachers: check-in",
                "Check-in", 2, "15:20", 30, Place.MEETING, "Room 110",
                "How the first semester went, and one thing each of you wants help with."),
        Meeting("techcoach", ("t30", "t38"), "Jefferson science: set up the lab probes",
                "Tech help", 7, "07:40", 30, Place.CLASSROOM, "Chem lab 2"),
        Meeting("mathcoach", ("t04", "t05"), "Grades 3–4: number talks", "Co-planning", -4,
                "15:30", 45, Place.MEETING, "Room 18",
                logged="Planned a week of number talks on multiplication strategies"),
    ),
    OUTSIDER_NETWORK: (
        Meeting("coach", ("n02", "n04"), "Year 10 maths: retrieval starters", "Co-planning",
                6, "15:45", 45, Place.MEETING, "Maths office",
                "Bring last week's starters and the marks."),
    ),
}
