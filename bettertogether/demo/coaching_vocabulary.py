"""Words and numbers the coaching demo data is made of: kinds, minutes, places, notes."""

from __future__ import annotations

import datetime
import random

from bettertogether.coaching.models import (
    Place,
)

# The district dataset is written as of this day (exclusive), whatever day it is built on.
DISTRICT_TODAY = datetime.date(2026, 11, 24)

FAVOURS = ("Tech help", "Copies and materials", "Check-in")
CYCLE = ("Co-planning", "Modelling a lesson", "Co-planning", "Observation",
         "Feedback conversation", "Data dive", "Co-teaching", "Check-in")
TEAM_KINDS = ("Co-planning", "Data dive", "PD session")
OWN_TIME = ("Planning", "Meetings", "Duties", "Own learning")

# Minutes by kind: (shortest, longest), in steps of five.
MINUTES = {
    "Tech help": (5, 20), "Copies and materials": (5, 15), "Check-in": (5, 20),
    "Co-planning": (30, 60), "Modelling a lesson": (40, 60), "Co-teaching": (40, 60),
    "Observation": (20, 50), "Feedback conversation": (20, 45), "Data dive": (30, 60),
    "PD session": (45, 90), "Planning": (20, 60), "Meetings": (30, 60), "Duties": (15, 45),
    "Own learning": (30, 90),
}

PLACES = {
    "Tech help": (Place.CLASSROOM, Place.CLASSROOM, Place.EMAIL),
    "Copies and materials": (Place.OFFICE,),
    "Check-in": (Place.HALLWAY, Place.CLASSROOM, Place.EMAIL),
    "Co-planning": (Place.CLASSROOM, Place.MEETING, Place.VIRTUAL),
    "Modelling a lesson": (Place.CLASSROOM,),
    "Co-teaching": (Place.CLASSROOM,),
    "Observation": (Place.CLASSROOM,),
    "Feedback conversation": (Place.CLASSROOM, Place.OFFICE),
    "Data dive": (Place.MEETING, Place.OFFICE),
    "PD session": (Place.MEETING,),
    "Planning": (Place.OFFICE,),
    "Meetings": (Place.MEETING, Place.VIRTUAL),
    "Duties": (Place.HALLWAY, Place.OTHER),
    "Own learning": (Place.VIRTUAL, Place.OTHER, Place.OFFICE),
}

SHARED_NOTES = {
    "Tech help": (
        "Set up the document camera for the science fair",
        "Fixed the projector connection and saved the settings",
        "Reset the classroom printer queue",
        "Showed how to share the slides with students in the learning platform",
        "Got the new interactive display talking to the laptop",
        "Set up breakout groups for the video call with families",
    ),
    "Copies and materials": (
        "Copied the reading packets for next week",
        "Laminated the number lines for small groups",
        "Printed and cut the vocabulary cards",
        "Formatted the unit test so it fits on two pages",
        "Pulled the levelled readers for the new group",
    ),
    "Check-in": (
        "Quick chat about how the new seating plan is going",
        "Asked how the first week of centres went",
        "Caught up after the field trip",
        "Talked through the parent email before it went out",
        "Checked how the new routine for transitions is landing",
    ),
    "Co-planning": (
        "Planned the launch of the persuasive writing unit",
        "Mapped out small groups for next week from the exit tickets",
        "Planned a number talk to open each math lesson",
        "Built the lab stations together; roles card for each group",
        "Sketched the success criteria for the research project",
    ),
    "Modelling a lesson": (
        "Modelled a think-aloud with the mentor text",
        "Modelled the turn-and-talk routine with the whole class",
        "Modelled a guided reading group while you watched the timing",
        "Modelled the warm-up with mini whiteboards",
    ),
    "Co-teaching": (
        "Co-taught the stations lesson; you led, I took the small group",
        "Team-taught the lab; the exit ticket went well",
    ),
    "Observation": (
        "Visited for the first 20 minutes; focused on student talk as agreed",
        "Tallied questions asked and who answered them",
        "Watched the small-group rotation; notes on timing to share",
        "Scripted the launch of the lesson for our conversation",
    ),
    "Feedback conversation": (
        "Looked at the student talk tally together; next step: more wait time",
        "Agreed to try cold-calling with whiteboards next week",
        "Reviewed the exit tickets: 18 of 24 met the target",
        "Celebrated the transitions: down to under two minutes",
    ),
    "Data dive": (
        "Sorted the reading assessment into groups for intervention",
        "Looked at the unit test item by item; fractions need reteaching",
        "Compared the fall benchmark with last spring's results",
    ),
    "PD session": (
        "Ran the session on checking for understanding",
        "Led the workshop on small-group instruction",
        "Shared strategies for academic vocabulary",
    ),
}

PRIVATE_NOTES = (
    "Seemed overwhelmed — check in after conferences",
    "Mentioned a difficult class this year; go gently",
    "Ready for a coaching cycle? Ask after the break",
    "Nervous about the observation from the principal",
    "Wants ideas but not in front of the team",
    "Much more relaxed than last month",
    "Brought up the workload again — offer help with grading",
    "Asked for resources on behaviour; follow up",
)

OWN_TIME_NOTES = {
    "Planning": ("Prep for Thursday's PD", "Updated the coaching menu",
                 "Planned the next round of learning walks"),
    "Meetings": ("Coaches' team meeting at the district office",
                 "Leadership team: shared this month's coaching totals"),
    "Duties": ("Lunch duty", "Covered a class for an hour", "Bus duty"),
    "Own learning": ("Read two chapters of the coaching book club text",
                     "Webinar on student-centered coaching"),
}


def minutes_of(rng: random.Random, kind: str) -> int:
    low, high = MINUTES[kind]
    return low + 5 * rng.randint(0, (high - low) // 5)
