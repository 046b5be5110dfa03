"""The small demo's other goals and cycles: the technology coach's, the math coach's and the
trust coach's, in various states, and teachers' own growth goals. Written like
`goals_story`, whose shapes they use."""

from __future__ import annotations

from bettertogether.coaching.models import Place

from .common import OUTSIDER_NETWORK, SMALL_NETWORK
from .goals_story import (
    IMPACT,
    MAYA,
    SCORE,
    SHARE,
    STUDENT_CENTERED,
    TECH,
    Contact,
    CycleStory,
    GoalStory,
    Measure,
    Point,
    Stage,
)

RIVERSIDE_OTHERS = (
    GoalStory(
        "techcoach", ("t30",), -18, "Student-designed labs with the probeware",
        "Students will plan their own investigation with the probeware: write a testable "
        "question, name the variable they change and the ones they keep the same, and "
        "explain what their graph shows.",
        "I can write a question I can test with the probes.\n"
        "I can name what I change, what I measure and what I keep the same.\n"
        "I can explain what my graph shows in two sentences.",
        "Lab reports scored on the investigation checklist: how many students write a "
        "testable question and control their variables.",
        "8 of 28 students on the first lab report", "22 of 28 on the third lab report",
        "Priya and Sophia try the data-logging app together by {-10}. Sophia teaches the "
        "first student-designed lab by {+2} with Priya in the room; we read the lab reports "
        "together the week after.",
        indicators=("1.1", "2.2"),
        cycle=CycleStory(TECH, -16, (
            Stage("Name what students should be able to do that the probes could help with.",
                  "Students follow the lab sheet but can't design a test of their own. The "
                  "probes make it quick to try an idea and see the graph.", -13,
                  (Contact(-15, "07:40", "Co-planning", 30,
                           "Named the need: students design their own test, and the probes "
                           "make it quick to try"),)),
            Stage("Try the data-logging app together and plan one lesson where each group "
                  "designs its own test.",
                  "Built the lesson on heating curves: each group chooses the substance and "
                  "the amount.", -9,
                  (Contact(-10, "07:35", "Tech help", 20,
                           "Tried the data-logging app together and added the class to it"),)),
            Stage("Sophia teaches the lesson; Priya circulates and notes which groups get "
                  "stuck on the variables."),
        ), (Measure("Writes a testable question and controls the variables", SHARE,
                    "All three parts of the investigation checklist",
                    (Point("before", -8, 28, 8),)),)),
    ),
    GoalStory(
        "techcoach", ("t38",), -68, "Self-grading quizzes that students learn from",
        "Students will use the self-grading quiz to find their own misconceptions about cell "
        "structure, correct them on a second try and explain what they changed.",
        "I can read the feedback on a question I got wrong.\n"
        "I can correct my answer and say what I changed.\n"
        "I can name one idea about cells I understand better now.",
        "The quiz's own report: how many students correct a wrong first answer on the "
        "second try and explain the change.",
        "10 of 27 students on the first quiz", "20 of 27 students",
        "Priya turns the cell-structure quiz into a self-grading form by {-57}. Valentina "
        "uses it with both biology sections for two weeks; we read the quiz reports together "
        "on {-46}.",
        indicators=("2.2",),
        cycle=CycleStory(TECH, -65, (
            Stage("Find where students give up on a wrong answer.",
                  "Students look at the score, never the feedback.", -62),
            Stage("Write feedback for each question that points to the idea, not the answer.",
                  "Feedback written for all twelve questions; the quiz allows two tries.",
                  -57, (Contact(-59, "11:45", "Co-planning", 30,
                                "Wrote the feedback for each quiz question together",
                                Place.VIRTUAL),)),
            Stage("Valentina uses the quiz in both sections; Priya watches one lesson.",
                  "Most students read the feedback on short questions and skipped it on "
                  "long ones.", -46,
                  (Contact(-50, "10:10", "Observation", 30,
                           "Watched second period use the quiz feedback on a second try"),)),
            Stage("Read the quiz reports together and decide what to keep.",
                  "Keep the quiz; shorten the feedback on long questions.", -43),
        ), (Measure("Corrects a wrong answer on the second try", SHARE,
                    "Corrects the answer and explains the change",
                    (Point("before", -56, 27, 10), Point("after", -47, 26, 17))),),
            closed=-41, outcome="partly_met",
            coach_reflection="17 of 26 students corrected a wrong answer and could say why, "
                             "up from 10 of 27. Students skipped the feedback on long "
                             "questions, so we are shortening it before the genetics unit.",
            teacher_reflection="The report showed me exactly which misconceptions to "
                               "reteach. Some students still click until it's right; next "
                               "time I'll ask for the explanation before the second try."),
    ),
    GoalStory(
        "techcoach", ("t28",), -1, "Peer feedback on essay drafts",
        "Seniors will give each other specific, kind feedback on essay drafts in the "
        "learning platform, and use the feedback they get to revise one paragraph.",
        "I can point to one sentence that works and say why.\n"
        "I can ask one question that helps the writer go further.\n"
        "I can revise a paragraph using the feedback I got.",
        "Comments on the drafts scored with the feedback checklist, and the revised "
        "paragraph compared with the first draft.",
        "Not measured yet: the first drafts go up next week",
        "Every student gives two comments that meet the checklist",
        "Priya and Elizabeth build the discussion space at their planning session; the "
        "first drafts go up the week after.",
        checks=2, active=False, request="Build a lesson in the learning platform",
    ),
    GoalStory(
        "mathcoach", ("t09",), -32, "Place value: show and explain",
        "First graders will show a two-digit number with tens and ones, say what each digit "
        "is worth, and explain how they know.",
        "I can show a number with tens and ones.\n"
        "I can tell what each digit is worth.\n"
        "I can explain my thinking to a partner.",
        "A two-question exit ticket at the end of each place-value lesson: how many "
        "students get both right and explain one.",
        "7 of 22 students on the first exit ticket", "18 of 22 students",
        "Marcus models the whiteboard check-in by {-12}. Hannah uses it in every math "
        "lesson; we sort the exit tickets together every Wednesday until {+22}.",
        indicators=("1.1", "2.2"),
        cycle=CycleStory(IMPACT, -30, (
            Stage("Marcus watches the math block and counts how many students show their "
                  "thinking.",
                  "About a third of the class answered aloud; the rest waited. We chose mini "
                  "whiteboards at three points in the lesson.", -17,
                  (Contact(-27, "10:35", "Observation", 45,
                           "Counted who showed their thinking in the math block",
                           tags=("2.2",)),)),
            Stage("Marcus models the whiteboard check-in; Hannah notes who is stuck and what "
                  "she would do next.",
                  "Modelled it twice; Hannah ran the third lesson herself with the hinge "
                  "question on the slides.", -7,
                  (Contact(-12, "10:40", "Modelling a lesson", 45,
                           "Modelled the whiteboard check-in with place-value questions",
                           tags=("2.2",)),)),
            Stage("Hannah uses the check-in every lesson; every Wednesday we sort the exit "
                  "tickets and plan the next day's small group."),
        ), (Measure("Place-value exit ticket: both right, one explained", SHARE,
                    "Both questions right and one explained",
                    (Point("before", -20, 22, 7), Point("checkpoint", -5, 22, 12))),)),
    ),
    GoalStory(
        "mathcoach", ("t02", "t08"), -9, "Counting a set to 20",
        "Kindergarteners will count a set of up to 20 objects, touching each one once, and "
        "tell how many there are without counting again.",
        "I can touch each thing once as I count.\n"
        "I can tell how many without counting again.\n"
        "I can show the number on a ten-frame.",
        "A one-minute counting interview with every child, three times this term.",
        "12 of 38 children count a set of 20 correctly", "30 of 38 children",
        "Marcus, Carlos and Lucía plan the counting centers on {+6}; Carlos and Lucía run "
        "the next counting interviews by {+30}.",
    ),
    GoalStory(
        "mathcoach", ("t06",), -80, "Fractions on a number line",
        "Fifth graders will place fractions and mixed numbers on a number line and use it "
        "to compare fractions with unlike denominators.",
        "I can place a fraction on a number line.\n"
        "I can compare two fractions and explain which is greater.",
        "Number-line items of the unit pre- and post-assessment.",
        "11 of 26 students place fractions correctly", "22 of 26 students",
        "Marcus and Fatima unpack the unit by {-64}; pre-assessment by {-57}.",
        checks=4,
        cycle=CycleStory(STUDENT_CENTERED, -77, (
            Stage("Agree a goal from the fractions unit.", "Number lines, not pie charts.",
                  -71),
            Stage("Write the learning targets.", "Two targets, on the board every lesson.",
                  -64),
            Stage("Give the pre-assessment and sort it.", "11 of 26 place fractions "
                  "correctly; most can't place a mixed number.", -57),
        ), (Measure("Places fractions on a number line", SHARE, "4 of 5 items correct",
                    (Point("before", -58, 26, 11),)),),
            closed=-50, outcome="not_met", stopped=True,
            coach_reflection="We stopped after the pre-assessment: the fifth-grade team "
                             "moved fractions to the spring in the new curriculum map. The "
                             "pre-assessment groups are saved for when we start again."),
    ),
    GoalStory(
        "coach", ("t16",), -6, "Writing stamina in writer's workshop",
        "Sixth graders will write independently for 20 minutes in writer's workshop, "
        "choosing their own next step when they finish a draft.",
        "I can write for 20 minutes without stopping to ask what to do.\n"
        "I can use the “when I'm done” chart to choose my next step.",
        "Minutes of independent writing, timed in three lessons, and how many students are "
        "still writing at the end.",
        "Most students stop after 8 minutes", "20 minutes for 24 of 28 students",
        "Olivia launches the workshop with the plan we made; Jordan times the writing in "
        "three lessons by {+14}.",
        checks=4,
    ),
)

NORTHFIELD_GOALS = (
    GoalStory(
        "coach", ("teacher",), -26, "Comparing fractions with bar models",
        "Pupils will use bar models to compare and order unit fractions and explain which "
        "is greater and why.",
        "I can draw a bar model for a unit fraction.\n"
        "I can compare two unit fractions and explain which is greater.\n"
        "I can order three fractions from smallest to greatest.",
        "The Year 3 fractions check (10 marks) before and after the unit.",
        "Class mean 3.8 of 10 (SD 1.9)", "Class mean of 7 or more",
        "Owen models the bar-model lesson by {-3}. Harriet teaches the sequence and we look "
        "at books together every fortnight until {+28}.",
        cycle=CycleStory(IMPACT, -24, (
            Stage("Owen watches a fractions lesson and we look at the books together.",
                  "Most pupils think a bigger denominator means a bigger fraction. Strategy: "
                  "bar models for every comparison.", -11,
                  (Contact(-20, "09:50", "Observation", 40,
                           "Watched the fractions lesson: most pupils thought a bigger "
                           "denominator meant a bigger fraction"),)),
            Stage("Owen models the bar-model lesson; Harriet notes the questions pupils ask.",
                  contacts=(Contact(-3, "09:50", "Modelling a lesson", 45,
                                    "Modelled the bar-model lesson for comparing unit "
                                    "fractions"),),
                  attach="Planned the fractions launch"),
        ), (Measure("Fractions check", SCORE, "7 or more of 10",
                    (Point("before", -19, 26, mean="3.8", sd="1.9"),), scale_max="10"),),
            private_notes="Harriet told me she was never a maths person. Keep the focus on "
                          "what the pupils are doing, not on her subject knowledge, and "
                          "praise the questioning: it is already good."),
    ),
    GoalStory(
        "coach", ("n02",), -250, "Retrieval practice that sticks",
        "Year 9 pupils will recall and use key facts and methods from earlier units "
        "(angles, area, ratio) without notes, in starter quizzes and in problem solving.",
        "I can answer the starter questions without my book.\n"
        "I can say which method I used and why.\n"
        "I can fix a mistake from my quiz using my notes afterwards.",
        "A ten-question low-stakes quiz on earlier units: how many pupils score 7 or more.",
        "11 of 29 pupils score 7 or more", "21 of 29 pupils",
        "Owen and Callum write the first six starter quizzes by {-238}; Callum uses one "
        "every lesson and we look at the scores together every fortnight.",
        cycle=CycleStory(STUDENT_CENTERED, -247, (
            Stage("Agree the goal from the mock results.", "Earlier units were forgotten.",
                  -240),
            Stage("Write the targets with the class.", "Three targets in pupils' words.", -233),
            Stage("Give the first quiz and count the scores.", "11 of 29 scored 7 or more.",
                  -226, (Contact(-229, "13:40", "Data dive", 40,
                                 "Went through the first retrieval quiz: 11 of 29 scored 7 "
                                 "or more", Place.MEETING),)),
            Stage("Plan the starters fortnightly from the scores.",
                  "Spacing the questions across units worked better than one unit a week.",
                  -205),
            Stage("Teach together: Owen runs the starter while Callum circulates.",
                  "Pupils now mark their own quiz and fix one mistake.", -184,
                  (Contact(-195, "11:45", "Co-teaching", 50,
                           "Co-taught the starter and the self-marking routine"),)),
            Stage("Give the final quiz.", "21 of 28 scored 7 or more.", -172),
            Stage("Reflect together.", "Keep the starters; share them with the department.",
                  -168),
        ), (Measure("Scores 7 or more on the retrieval quiz", SHARE, "7 or more of 10", (
            Point("before", -232, 29, 11), Point("checkpoint", -205, 28, 16),
            Point("after", -172, 28, 21))),),
            closed=-166, outcome="met",
            coach_reflection="21 of 28 pupils now score 7 or more, up from 11 of 29. Spacing "
                             "the questions across units made the difference.",
            teacher_reflection="The starters are now the calmest five minutes of the lesson. "
                               "I'll keep them and share the question bank with the "
                               "department."),
    ),
)

GOALS = {SMALL_NETWORK: MAYA + RIVERSIDE_OTHERS, OUTSIDER_NETWORK: NORTHFIELD_GOALS}

# A teacher's own growth goals: (title, what it looks like when they get there, status,
# days ago it was written).
GROWTH = {
    SMALL_NETWORK: {
        "teacher": (
            ("Confer with every reader at least once a week",
             "A conferring notebook with a page for each child, and one note from each "
             "conference that I use to plan the next week's groups.", "active", -40),
            ("Finish every running record in the first three weeks of school",
             "All 24 done by the end of week three, so reading groups start in week four.",
             "done", -105),
        ),
        "t03": (("Run a 15-minute guided reading group that stays on track",
                 "A timer, a routine the children know, and the other groups busy without "
                 "me.", "active", -30),),
        "t20": (("Set up lab routines my sixth graders run themselves",
                 "Roles cards, a clean-up signal and a safety check students lead.",
                 "active", -25),),
    },
    OUTSIDER_NETWORK: {
        "teacher": (("Teach fractions with confidence across Year 3",
                     "Bar models in every fractions lesson, and pupils who can explain "
                     "them to a partner.", "active", -20),),
    },
}
