"""Words the goals demo data is made of: a framework of teaching practice, goals as coaches
and teachers write them, what happens in each kind of stage, reflections and growth goals.
The small demo uses the framework's first two standards; the district uses all four."""

from __future__ import annotations

from typing import NamedTuple

# (code, statement, [(code, statement)]): invented for the demo.
FRAMEWORK = (
    ("1", "Student discourse: students talk and write about their thinking", (
        ("1.1", "Students explain and justify their reasoning, in speech and in writing."),
        ("1.2", "Students build on, question and respond to each other's ideas."),
        ("1.3", "The teacher asks open questions and gives time to think before anyone "
                "answers."),
    )),
    ("2", "Checking for understanding: teaching follows the evidence of learning", (
        ("2.1", "Learning targets are written as “I can” statements students understand, "
                "and used during the lesson."),
        ("2.2", "The teacher gathers evidence from every student during the lesson and "
                "adjusts the teaching."),
        ("2.3", "Small groups are formed and re-formed from recent evidence."),
    )),
    ("3", "Literacy across the day: reading and writing in every subject", (
        ("3.1", "Students read complex texts closely and cite evidence for what they say."),
        ("3.2", "Students write often, for real audiences and purposes."),
        ("3.3", "Vocabulary is taught in context and practised in talk and writing."),
    )),
    ("4", "A classroom where everyone learns", (
        ("4.1", "Routines and transitions give students more time for learning."),
        ("4.2", "Tasks offer every student a way in and a way to go further."),
        ("4.3", "Students use feedback to improve their work."),
    )),
)
SMALL_FRAMEWORK = ("Riverside Instructional Framework", "2026", 2)  # title, version, standards
DISTRICT_FRAMEWORK = ("Metro Teaching and Learning Framework", "2025", 4)


class Idea(NamedTuple):
    """A goal as a coach and teacher might set it; `{base}` and `{goal}` are filled in from
    the first measure's before point and target."""

    title: str
    outcome: str
    criteria: str
    measure: str
    baseline: str
    target: str
    expectations: str
    measures: tuple[tuple[str, str, str, int | None], ...]  # (name, kind, target, scale max)
    indicators: tuple[str, ...]


_SHARE, _SCORE = "share", "score"

IDEAS = (
    Idea("Explaining reasoning in math",
         "Students will explain and justify how they solved a problem, with a model, a "
         "number sentence or words.",
         "I can explain how I got my answer.\nI can show my thinking with a model.\n"
         "I can say whether I agree with a classmate and why.",
         "A weekly exit ticket scored on the reasoning rubric.",
         "{base} score 3 or more on the reasoning rubric", "{goal} or more",
         "Coach models the think-aloud in week 1; teacher uses the routine daily; we sort "
         "the exit tickets together every Thursday.",
         (("Explains reasoning (3+ on the rubric)", _SHARE, "3 or 4 on the rubric", None),
          ("Problem-solving check", _SCORE, "", 20)), ("1.1", "2.2")),
    Idea("Citing evidence from the text",
         "Students will answer questions about a text by quoting or pointing to the words "
         "that support their answer.",
         "I can find the sentence that proves my answer.\nI can explain how it proves it.",
         "Two text-dependent questions each week, scored for evidence.",
         "{base} cite evidence that supports their answer", "{goal} or more",
         "Teacher and coach plan the questions each Monday; coach co-teaches on Wednesdays.",
         (("Cites supporting evidence", _SHARE, "Quotes or points to the right words", None),
          ("Reading response rubric", _SCORE, "", 4)), ("3.1", "1.1")),
    Idea("Reading fluency",
         "Students will read grade-level text aloud accurately, at a good pace and with "
         "expression.",
         "I can read the words correctly.\nI can read smoothly, like I talk.\n"
         "I can change my voice to show what the text means.",
         "A one-minute fluency check every two weeks.",
         "Class mean {base} words correct per minute", "Mean of {goal} or more",
         "Teacher runs partner reading daily; coach checks fluency with the teacher every "
         "other Friday.",
         (("Words correct per minute", _SCORE, "", None),
          ("Reads with expression (3+ on the scale)", _SHARE, "3 or 4 on the scale", None)),
         ("2.3", "3.1")),
    Idea("Argument writing with reasons and evidence",
         "Students will write an argument with a clear claim, two reasons and evidence for "
         "each, and a counterclaim they answer.",
         "I can state a claim.\nI can support it with reasons and evidence.\n"
         "I can answer a counterclaim.",
         "An on-demand argument scored on the writing rubric before and after.",
         "Class mean {base} on the writing rubric", "Class mean of {goal} or more",
         "Coach models the counterclaim lesson; teacher confers with six writers a day; we "
         "score the drafts together.",
         (("Argument writing rubric", _SCORE, "", 12),), ("3.2", "4.3")),
    Idea("Academic vocabulary in writing",
         "Students will use the unit's key words correctly when they explain their ideas in "
         "writing.",
         "I can use the unit words in my sentences.\nI can explain what the words mean.",
         "Exit tickets checked for correct use of the unit words.",
         "{base} use the unit words correctly", "{goal} or more",
         "Teacher introduces four words a week with the word wall; coach plans the sentence "
         "frames with the teacher.",
         (("Uses unit vocabulary correctly", _SHARE, "Three or more words used correctly",
           None),), ("3.3",)),
    Idea("Designing investigations",
         "Students will design a fair test: a testable question, one variable changed and "
         "the others kept the same.",
         "I can write a question I can test.\nI can name what I change and what I keep "
         "the same.\nI can explain what my results show.",
         "Lab reports scored on the investigation checklist.",
         "{base} design a fair test", "{goal} or more",
         "Coach and teacher plan the first open lab; the coach joins it; we read the lab "
         "reports together.",
         (("Designs a fair test", _SHARE, "All three parts of the checklist", None),
          ("Lab report score", _SCORE, "", 10)), ("1.1", "4.2")),
    Idea("Everyone talks in partner talk",
         "Students will take turns in partner talk, each one speaking and answering their "
         "partner's question.",
         "I can share my idea with my partner.\nI can ask my partner a question about "
         "theirs.",
         "The coach tallies who speaks in partner talk in three lessons.",
         "{base} speak in partner talk", "{goal} or more",
         "Coach models the talk moves; teacher uses turn-and-talk three times a lesson.",
         (("Speaks and responds in partner talk", _SHARE, "Speaks and asks a question",
           None),), ("1.2", "1.3")),
    Idea("Fractions that make sense",
         "Students will compare, order and place fractions on a number line and explain "
         "their thinking with a model.",
         "I can place a fraction on a number line.\nI can compare fractions and explain "
         "which is greater.",
         "The unit check before and after, and weekly exit tickets.",
         "Class mean {base} on the unit check", "Class mean of {goal} or more",
         "Coach and teacher plan the number-line lessons; coach co-teaches the small group.",
         (("Fractions unit check", _SCORE, "", 20),
          ("Fractions exit ticket", _SHARE, "Both questions right", None)), ("1.1", "4.2")),
    Idea("Revising with feedback",
         "Students will use written feedback to revise their work and say what they "
         "changed.",
         "I can read my feedback and choose one thing to fix.\nI can explain what I changed "
         "and why.",
         "Drafts compared before and after revision with the feedback checklist.",
         "{base} revise using the feedback", "{goal} or more",
         "Teacher gives one feedback point per draft; coach co-plans the revision lesson.",
         (("Revises using feedback", _SHARE, "The revision answers the feedback", None),),
         ("4.3", "3.2")),
    Idea("A quick start to every lesson",
         "Students will start the warm-up within two minutes of the bell, on their own.",
         "I can find the warm-up and start it without being asked.\nI can finish it in "
         "five minutes.",
         "The coach times the start of the lesson and counts who is working at two "
         "minutes.",
         "{base} start within two minutes", "{goal} or more",
         "Coach and teacher plan the entry routine; teacher practises it daily for two "
         "weeks.",
         (("Working within two minutes", _SHARE, "Working on the warm-up at two minutes",
           None),), ("4.1",)),
    Idea("Drafting and revising online",
         "Students will post their drafts in the learning platform, comment on two "
         "classmates' drafts and revise their own.",
         "I can post my draft.\nI can give a comment that helps.\nI can revise from the "
         "comments I get.",
         "Comments scored with the feedback checklist; drafts compared.",
         "{base} give a comment that meets the checklist", "{goal} or more",
         "Coach builds the discussion space with the teacher; teacher models a good comment.",
         (("Gives helpful comments", _SHARE, "Meets the feedback checklist", None),),
         ("4.3",)),
    Idea("Math facts fluency",
         "Students will recall multiplication facts quickly and use them to solve "
         "problems.",
         "I can recall my facts to 10 × 10.\nI can use a fact I know to find one I don't.",
         "A two-minute facts check every week.",
         "Class mean {base} facts in two minutes", "Class mean of {goal} or more",
         "Teacher runs daily fact games; coach models the strategy talk.",
         (("Facts in two minutes", _SCORE, "", 40),), ("2.2",)),
)

# What a stage of each purpose planned and what happened, as a pair might write them.
STAGE_WORDS = {
    "identify": (("Coach observes a lesson; we look at student work together.",
                  "Chose the goal from what students did in the lesson."),
                 ("Film a lesson and watch it together.",
                  "Saw where students lose the thread; agreed the goal and a strategy.")),
    "goal": (("Agree a goal for student learning from the unit.", "Goal agreed and written."),
             ("Look at the standards and last unit's results.", "Goal set from the results.")),
    "learn": (("Coach explains the strategy and models it.",
               "Modelled it once; the teacher led the second lesson."),
              ("Watch a video of the strategy and plan how to use it.",
               "Planned the first lesson with the checklist.")),
    "plan": (("Write the learning targets; plan the next lessons from student work.",
              "Targets on the board; small groups planned from the exit tickets."),
             ("Meet weekly to look at student work and plan.",
              "Regrouped students twice from the evidence.")),
    "assess": (("Give the assessment and sort it by learning target.",
                "Results sorted into meets, nearly there and not yet."),
               ("Score the assessment together.", "Scored and counted; groups formed.")),
    "teach": (("Teach together: coach takes a small group.",
               "Co-taught three lessons; the small group caught up."),
              ("Co-teach the lesson and gather evidence.",
               "Taught it together; exit tickets collected.")),
    "improve": (("Teacher uses the strategy; we check progress every two weeks.",
                 "Adjusted the strategy after the first check."),
                ("Keep going and check progress.", "Progress checked twice; kept going.")),
    "reflect": (("Reflect together on what changed for students.",
                 "Agreed what to keep and what comes next."),
                ("Look back at the evidence together.", "Decided on the next goal.")),
    "debrief": (("Debrief the lesson.", "One thing to keep, one to try."),),
}

COACH_REFLECTIONS = {
    "met": ("The evidence moved well past the baseline; the routine is now the teacher's own.",
            "Students reached the target. Next: the same strategy in the next unit.",
            "Clear growth for most students; the small group closed the gap."),
    "partly_met": ("Real growth, but short of the target; we will keep the strategy going.",
                   "Most students moved; a group still needs the next step.",
                   "Progress for many students; the timing was too short for the rest."),
    "not_met": ("Little change in the evidence; we chose the wrong measure, not the wrong "
                "goal.", "The schedule got in the way; we will start again next term."),
}
TEACHER_REFLECTIONS = (
    "Seeing the student work every week changed how I plan.",
    "Having my coach in the room made it easier to try something new.",
    "My students notice their own progress now.",
    "I want to keep this routine and try it in another subject.",
    "It took longer than we planned, but I know what to do next.",
)
PRIVATE_NOTES = (
    "Prefers to meet before school; afternoons are taken by family.",
    "Nervous about sharing data with the team; keep it between us for now.",
    "Much more confident since the second co-taught lesson.",
    "Mentioned a possible move to another grade next year.",
    "Gets discouraged by flat checkpoints; lead with the students who moved.",
)
GROWTH_GOALS = (
    ("Confer with every student at least once a week",
     "A notebook with a page per student and a note from each conference."),
    ("Use exit tickets to plan the next lesson", "Small groups planned from every ticket."),
    ("Ask more open questions", "Wait time after every question, and more students answer."),
    ("Bring student talk into every lesson", "Turn-and-talk at least twice a lesson."),
    ("Get feedback to students within two days", "Short, specific comments on every draft."),
    ("Learn the new math curriculum well", "Plan each unit from its end-of-unit task."),
    ("Make transitions quicker", "Under a minute, with a signal the class knows."),
    ("Try project-based learning this spring", "One project, with a real audience."),
)
