"""Words the coaching-menu demo data is made of: menu items, teachers' notes, coaches'
answers and the titles of sessions a coach schedules without a request."""

from __future__ import annotations

from typing import NamedTuple


class Offer(NamedTuple):
    """A menu item as a coach would write it."""

    kind: str  # the name of a built-in support kind
    minutes: int
    description: str
    outcome: str


US_ITEMS = {
    "Set up your smartboard or projector": Offer(
        "Tech help", 15,
        "I come to your room before school or at lunch, connect your laptop to the board, "
        "projector or document camera, and save the settings so it works tomorrow too.",
        "A display that works the moment your lesson starts."),
    "Copies and materials for a unit": Offer(
        "Copies and materials", 15,
        "Send me the files and how many you need. I copy, cut, laminate and sort them, and "
        "drop them in your room.",
        "Every handout and card for the unit, in your room by the next morning."),
    "Co-plan a lesson": Offer(
        "Co-planning", 45,
        "Bring the lesson or unit you are working on. We plan it together, from the "
        "learning target to the exit ticket.",
        "A lesson ready to teach, with its materials and a way to check who got it."),
    "Model a strategy in your class": Offer(
        "Modelling a lesson", 45,
        "I teach a short lesson or routine with your students while you watch them, not me. "
        "We talk for ten minutes afterwards.",
        "A strategy you have seen work with your own students, and notes to try it yourself."),
    "Look at student work together": Offer(
        "Data dive", 45,
        "Bring a class set of writing, exit tickets or a unit test. We sort it, see what "
        "students understand, and plan what to reteach.",
        "Small groups and a reteach plan for next week."),
    "Observe and give feedback": Offer(
        "Observation", 30,
        "I visit for 20 to 30 minutes and take notes on one thing you choose: student talk, "
        "questioning, transitions. Nothing goes to your evaluator.",
        "What I saw, in writing, and one next step, within two school days."),
    "Plan small-group reading": Offer(
        "Co-planning", 30,
        "We form reading groups from your running records or assessments and plan the first "
        "week of lessons.",
        "Groups, texts and a week of rotations."),
    "Co-teach a lesson": Offer(
        "Co-teaching", 50,
        "We plan one lesson and teach it together: you lead, I take a small group or confer, "
        "then we switch.",
        "Another adult in the room for a lesson that needs one, and a plan you can reuse."),
    "Build a lesson in the learning platform": Offer(
        "Co-planning", 45,
        "We put one of your lessons into the learning platform: slides, a discussion "
        "question and an assignment students hand in online.",
        "A lesson students can open from home, and a template for the next one."),
    "Set up student devices for a class": Offer(
        "Tech help", 30,
        "Chromebooks or iPads charged, signed in and on the right page before the lesson, "
        "with a routine for handing them out and collecting them.",
        "A class set of devices ready to go, and a routine that saves ten minutes."),
    "Model a lesson with devices": Offer(
        "Modelling a lesson", 45,
        "I teach one lesson where the devices do real work (recording, drafting, sorting), "
        "so you can see the routines that keep thirty screens on task.",
        "A lesson plan and the routines, ready to reuse."),
    "Make a quiz that grades itself": Offer(
        "Tech help", 30,
        "We turn your quiz into a self-grading form: students see their score, and you see "
        "which questions tripped them up.",
        "A quiz you never grade by hand again, and a question-by-question report."),
    "Plan a number talk": Offer(
        "Co-planning", 30,
        "We choose a string of problems for your grade, plan the questions you will ask and "
        "how you will record students' thinking.",
        "Five number talks ready for the next two weeks."),
    "Model a math lesson in your class": Offer(
        "Modelling a lesson", 45,
        "I teach a math lesson with your class, with manipulatives and a short workshop "
        "rotation, while you watch how students explain their thinking.",
        "A lesson you have seen work, and the launch questions written out for you."),
    "Co-teach a math workshop": Offer(
        "Co-teaching", 50,
        "We run your math block together: one of us teaches the mini-lesson, the other pulls "
        "a small group, and we switch halfway.",
        "Two small groups seen in one lesson, and notes on who needs what next."),
    "Set up math manipulatives and centers": Offer(
        "Copies and materials", 20,
        "I sort base-ten blocks, counters and fraction tiles into labelled bins and make the "
        "task cards for your centers.",
        "Centers students can run themselves, ready on Monday."),
    "Talk through a lesson video": Offer(
        "Feedback conversation", 30,
        "Record ten minutes of a lesson on your phone. We watch it together, and you decide "
        "what we look for.",
        "One thing to keep and one thing to change, chosen by you."),
    "Run a workshop for your team": Offer(
        "PD session", 60,
        "A short workshop for your grade-level or department team on a topic you choose: "
        "checking for understanding, academic vocabulary, small groups.",
        "One strategy the whole team tries in the same week."),
}

US_NETWORK_ITEMS = {
    "New-teacher welcome": Offer(
        "Check-in", 30,
        "For anyone new to the district this year: a walk round the building, where the "
        "copier and the supplies are, who to ask for what, and a first chat about your "
        "classes.",
        "A named person to go to, and answers to the questions you didn't know to ask."),
    "Help with the learning platform": Offer(
        "Tech help", 20,
        "Stuck posting an assignment, grading online or adding a co-teacher? Any coach can "
        "sit with you and sort it out.",
        "The thing you were stuck on, done, and how to do it next time."),
    "Prepare for a parent conference": Offer(
        "Co-planning", 30,
        "We decide what you want the family to know, pick two or three pieces of student "
        "work to show, and plan how to open a hard conversation.",
        "Notes for each conference, and a calmer evening."),
}

GB_ITEMS = {
    "Plan a maths lesson together": Offer(
        "Co-planning", 45,
        "Bring the next lesson of your scheme of work. We plan the small steps, the "
        "questions to check understanding and the practice.",
        "A lesson ready to teach, with its resources."),
    "Model a strategy in your class": Offer(
        "Modelling a lesson", 45,
        "I teach a short part of a lesson with your class (a retrieval starter, a worked "
        "example) while you watch the pupils.",
        "A strategy you have seen work with your own pupils."),
    "Observe and give feedback": Offer(
        "Observation", 30,
        "I drop in for 20 minutes and look at one thing you choose. This is coaching, not a "
        "graded observation: nothing goes on file.",
        "Notes on what I saw and one next step, by the end of the week."),
    "Look at pupils' work together": Offer(
        "Data dive", 45,
        "Bring a set of books or the last assessment. We look for the misconceptions and "
        "plan what to revisit.",
        "A re-teach plan and groups for the next lesson."),
    "Set up your interactive whiteboard": Offer(
        "Tech help", 15,
        "Board, visualiser and laptop connected and calibrated before the pupils arrive.",
        "A board that works first time, every lesson."),
    "Photocopying and resources for a unit": Offer(
        "Copies and materials", 15,
        "Send me the files and the numbers; I copy, cut and laminate, and leave them in "
        "your room.",
        "Everything for the unit, ready the next morning."),
}

GB_NETWORK_ITEMS = {
    "Early career teacher welcome": Offer(
        "Check-in", 30,
        "For early career teachers: a first conversation about your timetable, your "
        "classes and who to ask for what, with a coach who is not your mentor.",
        "Someone to go to outside your department."),
    "Help with the learning platform": Offer(
        "Tech help", 20,
        "Setting homework, marking online, sharing a class with a colleague: any coach can "
        "sit with you and sort it.",
        "The thing you were stuck on, done."),
}

# --- The district: what teachers write and coaches answer, by kind of support -----------

NOTES = {
    "Tech help": (
        "The projector keeps losing the laptop signal halfway through a lesson.",
        "Half my class can't sign in to the learning platform.",
        "Could you get the document camera working before the science fair?",
        "My quiz won't let students submit their answers.",
    ),
    "Copies and materials": (
        "26 copies of the unit packet, double-sided and stapled, please.",
        "Could you laminate the vocabulary cards for my small groups?",
        "I need levelled readers for three new groups.",
    ),
    "Check-in": (
        "I'm new this year and still finding my way around.",
        "Could we have a first chat about my classes?",
    ),
    "Co-planning": (
        "I'd like to plan the launch of our next unit together.",
        "Could we plan a lesson that gets more students talking?",
        "I have three new English learners; could you help me plan for them?",
        "Can we plan the lab so it doesn't turn into chaos?",
    ),
    "Modelling a lesson": (
        "Could you show me what a good turn-and-talk looks like with my class?",
        "I'd love to see a guided reading group with my own students.",
        "Could you model a number talk so I can see the routine?",
    ),
    "Co-teaching": (
        "The stations lesson needs two adults. Could you teach it with me?",
        "Could you take a small group while I try the new workshop model?",
    ),
    "Observation": (
        "Could you watch my transitions? They take forever.",
        "I'd like another pair of eyes on who answers my questions.",
        "Could you watch my small groups and see what the rest of the class is doing?",
    ),
    "Feedback conversation": (
        "I recorded part of my lesson; could we watch it together?",
        "Can we talk through the lesson from last week?",
    ),
    "Data dive": (
        "I have the unit test results and don't know where to start.",
        "Could we sort my exit tickets into groups?",
        "Can we look at the fall benchmark for my class?",
    ),
    "PD session": (
        "Could you run something on checking for understanding for our team?",
        "Our team would like a session on academic vocabulary.",
    ),
}

TIMES = (
    "Before school, any day", "After school Tuesday or Thursday",
    "During my planning period (10:40–11:25)", "Lunch works best", "Any morning before 11",
    "Wednesday afternoons", "Whenever suits you this week", "",
)

ACCEPTED = ("See you then!", "Happy to. Bring what you have so far.",
            "Yes, I'll come to your room.", "Great idea. Let's do it.", "", "")

PROPOSED = (
    "That time is taken; could we do this instead?",
    "I'm at another school that day. Would this work?",
    "How about this? I can stay longer then.",
)

DECLINED = (
    "I'm sorry, I can't fit this in before the break. Could we look at it the first week "
    "back?",
    "The front office can run copies by Thursday if you drop them in the tray; I'm glad to "
    "help plan the unit itself.",
    "IT has a fix for that model; I've put in a ticket for you. Ask me again if it isn't "
    "sorted by Friday.",
    "I'm covering the testing window this month. Another coach at your school can help "
    "sooner, or ask me again in two weeks.",
    "Your grade-level lead is planning the same unit right now; start there, and I'd love "
    "to help with the next one.",
)

# Sessions a coach schedules without a request (often with a team), by kind of support.
TEAM_TITLES = {
    "Tech help": ("Devices set-up for the team",),
    "Copies and materials": ("Materials for the team's unit",),
    "Check-in": ("Team check-in",),
    "Co-planning": ("Grade-level co-planning", "Team planning: the next unit",
                    "Co-planning: next week's lessons"),
    "Modelling a lesson": ("Demonstration lesson",),
    "Co-teaching": ("Co-teaching the stations lesson",),
    "Observation": ("Learning walk",),
    "Feedback conversation": ("Debrief after the learning walk",),
    "Data dive": ("Data meeting: the unit test", "Looking at the benchmark together"),
    "PD session": ("Workshop: checking for understanding", "Workshop: academic vocabulary"),
}

# Local times sessions start at: before school, mid-morning, lunch, afternoon, after school.
SLOTS = ((7, 40), (8, 15), (9, 50), (10, 40), (11, 45), (13, 10), (14, 0), (15, 15), (15, 30))
