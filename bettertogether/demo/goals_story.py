"""The small demo's goals, coaching cycles, evidence and growth goals, written by hand.

Days count from today (negative: before it), so the story always looks current; `{-29}`
in a text becomes that day's date ("2 Nov"). People are keys of `cast`; indicators are
codes of the network's framework (`goals_vocabulary.FRAMEWORK`).

teacher@riverside.example (Maya Thompson) and coach@riverside.example (Jordan Reyes) have
a Student-Centered cycle under way (three stages done, the fourth overdue), an Impact
Cycle completed last spring with a visible growth, and a draft goal from the request Maya
made for an observation tomorrow.
"""

from __future__ import annotations

from typing import NamedTuple

from bettertogether.coaching.models import Place

IMPACT, STUDENT_CENTERED, TECH = ("Impact Cycle", "Student-Centered Coaching cycle",
                                  "Tech integration cycle")
SHARE, SCORE = "share", "score"


class Contact(NamedTuple):
    """A contact the coach logged for a stage (on the school day on or before `day`)."""

    day: int
    time: str
    kind: str
    minutes: int
    note: str
    place: str = Place.CLASSROOM
    tags: tuple[str, ...] = ()


class Stage(NamedTuple):
    plan: str = ""
    happened: str = ""
    done: int | None = None
    contacts: tuple[Contact, ...] = ()
    attach: str = ""  # the start of a shared note already in the coach's log


class Point(NamedTuple):
    moment: str
    day: int
    students: int
    meeting: int | None = None
    mean: str | None = None
    sd: str | None = None


class Measure(NamedTuple):
    name: str
    kind: str
    target: str
    points: tuple[Point, ...]
    scale_max: str | None = None


class CycleStory(NamedTuple):
    template: str
    starts: int
    stages: tuple[Stage, ...]  # the template's first stages; the rest untouched
    measures: tuple[Measure, ...] = ()
    private_notes: str = ""
    closed: int | None = None
    outcome: str = ""
    stopped: bool = False
    coach_reflection: str = ""
    teacher_reflection: str = ""


class GoalStory(NamedTuple):
    coach: str
    teachers: tuple[str, ...]
    created: int
    title: str
    outcome: str
    criteria: str
    measure: str
    baseline: str
    target: str
    expectations: str
    checks: int = 5  # how many points of the checklist are ticked, in its order
    active: bool = True  # False: a draft
    cycle: CycleStory | None = None
    request: str = ""  # the item of the teacher's request to the coach it started from
    indicators: tuple[str, ...] = ()


_RETELL = Measure("Retells in order with a detail from the text", SHARE,
                  "3 or 4 on the retelling rubric",
                  (Point("before", -33, 24, 9), Point("checkpoint", -15, 23, 14)))

_OPINION = Measure("Opinion writing rubric", SCORE, "8 or more of 12", (
    Point("before", -232, 24, mean="5.4", sd="2.1"),
    Point("checkpoint", -199, 23, mean="6.8", sd="2.0"),
    Point("after", -182, 24, mean="8.1", sd="1.9")), scale_max="12")

MAYA = (
    GoalStory(
        "coach", ("teacher",), -52, "Retelling with evidence from the text",
        "Students will retell a story in order (beginning, middle and end) and explain how a "
        "character feels, using a detail from the text to show it.",
        "I can retell the beginning, middle and end of a story.\n"
        "I can use the words first, next, then and last.\n"
        "I can say how a character feels and point to the words or picture that show it.",
        "The retelling rubric (0–4) on a short text read in the guided reading group: how "
        "many students score 3 or 4.",
        "9 of 24 students score 3 or 4 on the pre-assessment of {-33}",
        "20 of 24 students score 3 or 4 on the post-assessment",
        "Jordan and Maya write the learning targets with the class by {-36}. Maya gives the "
        "pre-assessment by {-29} and we sort it together that week. We plan every week from "
        "the reading-group notes; Jordan co-teaches two guided reading groups a week until "
        "{+13}. Post-assessment by {+20}.",
        indicators=("1.1", "2.1", "2.3"),
        cycle=CycleStory(STUDENT_CENTERED, -50, (
            Stage("Agree the goal from the running records and the first retelling check.",
                  "Most of the class can name the characters but skip the middle of the "
                  "story. We chose retelling with a detail from the text.", -45,
                  (Contact(-48, "15:35", "Co-planning", 40,
                           "Set the retelling goal together from the running records",
                           Place.MEETING, ("1.1",)),)),
            Stage("Write three “I can” targets in the class's own words and make an anchor "
                  "chart for the carpet.",
                  "Targets written with the class on chart paper; students drew the picture "
                  "cues themselves.", -38,
                  (Contact(-41, "15:30", "Co-planning", 30,
                           "Wrote the three “I can” retelling targets and the anchor chart",
                           tags=("2.1",)),)),
            Stage("Each reading group retells the same short text. We score it with the "
                  "rubric and sort it into meets, nearly there and not yet.",
                  "9 of 24 scored 3 or 4. The “nearly there” group (8 students) retell in "
                  "order but give no detail from the text.", -30,
                  (Contact(-33, "15:20", "Data dive", 45,
                           "Sorted the retelling pre-assessment into three piles: 9 of 24 "
                           "meet the target", Place.MEETING, ("2.3",)),)),
            Stage("Every Thursday: read the reading-group notes, move students between "
                  "groups, and plan next week's texts and questions.",
                  "Week 1: sequencing words on the table tents. Week 2: “show me the words” "
                  "after every retell. The checkpoint shows the nearly-there group moving.",
                  contacts=(Contact(-22, "15:30", "Co-planning", 45,
                                    "Planned week one of the retelling groups from the "
                                    "pre-assessment piles", tags=("2.3",)),
                            Contact(-15, "15:25", "Feedback conversation", 30,
                                    "Checkpoint: 14 of 23 retell with a detail; the "
                                    "nearly-there group needs the sequencing words",
                                    tags=("1.1", "2.3"))),
                  attach="Formed four reading groups"),
            Stage("Jordan takes the “not yet” group twice a week while Maya confers; we swap "
                  "the week after."),
        ), (_RETELL,),
            private_notes="Maya is hard on herself when a lesson wobbles: start every debrief "
                          "with what the students did. She may be covering a colleague's "
                          "class in January, so keep the co-teaching before the winter "
                          "break. Don't bring her data to the grade-level meeting until she "
                          "offers to share it herself."),
    ),
    GoalStory(
        "coach", ("teacher",), -238, "Opinion writing: reasons and examples",
        "Students will write an opinion piece that states their opinion, gives two reasons "
        "with an example for each, and ends with a sentence that sums it up.",
        "I can state my opinion in my first sentence.\n"
        "I can give two reasons and an example for each.\n"
        "I can use linking words: because, also, for example.\n"
        "I can end with a sentence that sums up my opinion.",
        "The grade 2 opinion writing rubric (four traits scored 0–3, 12 in all) on an "
        "on-demand piece before and after the cycle.",
        "Class mean 5.4 of 12 (SD 2.1) on the on-demand piece of {-232}",
        "Class mean of 8 or more, and every student gives at least one reason",
        "Jordan films a writing lesson by {-231} and we choose the strategy from the video. "
        "Jordan models the reasons-and-examples mini-lesson by {-214}. Maya teaches it every "
        "day; we look at six writing folders together every other week until the "
        "post-assessment on {-182}.",
        indicators=("1.1", "2.1"),
        cycle=CycleStory(IMPACT, -235, (
            Stage("Jordan films the writing block; we watch it together and score the "
                  "on-demand pieces.",
                  "Nearly everyone stated an opinion; only 6 of 24 gave a reason with an "
                  "example. Strategy chosen: partners say their reasons out loud before "
                  "writing.", -222,
                  (Contact(-233, "10:05", "Observation", 40,
                           "Filmed the writing block for our goal-setting conversation"),
                   Contact(-231, "15:30", "Feedback conversation", 35,
                           "Watched the writing video together; chose talking the reasons "
                           "through with a partner before writing", Place.MEETING))),
            Stage("Jordan models the reasons-and-examples mini-lesson with a mentor text; "
                  "Maya notes on the checklist what students do.",
                  "Modelled with “I Wanna Iguana”. Partner talk worked at once; the planning "
                  "sheet had too many boxes, so we cut it to three.", -212,
                  (Contact(-216, "09:50", "Modelling a lesson", 45,
                           "Modelled the reasons-and-examples mini-lesson with a mentor "
                           "text", tags=("1.1",)),)),
            Stage("Maya teaches the routine every day. Every other week we look at six "
                  "writing folders and adjust.",
                  "Checkpoint at a mean of 6.8; we added sentence frames for the linking "
                  "words. The post-assessment mean was 8.1.", -181,
                  (Contact(-199, "15:30", "Feedback conversation", 30,
                           "Checkpoint on the writing folders: mean up to 6.8 of 12; added "
                           "sentence frames for the linking words", Place.MEETING),)),
        ), (_OPINION,), closed=-178, outcome="met",
            coach_reflection="The class mean rose from 5.4 to 8.1 of 12, and 22 of 24 "
                             "students gave at least one reason with an example. What moved "
                             "it was saying the reasons to a partner before writing. Next: "
                             "the same routine for informational writing.",
            teacher_reflection="Saying their reasons out loud first changed everything: even "
                               "my most reluctant writers had something to put down. I'm "
                               "keeping partner talk before writing and want to try it in "
                               "our science journals."),
    ),
    GoalStory(
        "coach", ("teacher",), -1, "Independent work at literacy centers",
        "While Maya teaches a guided reading group, students at literacy centers start on "
        "their own, finish the task and check their work without interrupting the group.",
        "I can find my center and start within two minutes.\n"
        "I can use “ask three before me” when I'm stuck.\n"
        "I can check my work with the center checklist.",
        "Jordan counts interruptions to the guided reading group and finished center tasks "
        "in two 30-minute observations.",
        "To be counted in the observation on {+1}",
        "No more than two interruptions per group; 20 of 24 students finish their task",
        "Jordan observes the reading block on {+1}. We look at the tallies together that "
        "week and decide whether to start a cycle after the break.",
        checks=3, active=False, request="Observe and give feedback", indicators=("2.2",),
    ),
)
