"""What the product ships with: three cycle templates and a starter set of conversation
resources, written for Better Together. A data migration installs them; `install()` puts
them back where a test flushed the tables. Networks copy and change their own."""

from __future__ import annotations

# (name, description, [(name, purpose, expected_days, collects_evidence, guidance)])
TEMPLATES = [
    (
        "Impact Cycle",
        "Identify a goal from a clear picture of the classroom, learn a teaching strategy, "
        "and improve until the goal is met.",
        [
            ("Identify", "identify", 14, True,
             "Get a clear picture of how things are now: a video of the lesson, student "
             "work, or an observation. Set a student-focused goal and choose a strategy "
             "that could reach it. Record the baseline."),
            ("Learn", "learn", 10, False,
             "The coach explains the strategy, with a checklist of what it looks like. The "
             "teacher sees it modelled: in class, on video, or by teaching it together."),
            ("Improve", "improve", 28, True,
             "The teacher uses the strategy. Check progress toward the goal every week or "
             "two and adapt the strategy until the goal is met."),
        ],
    ),
    (
        "Student-Centered Coaching cycle",
        "A goal for student learning, unpacked into learning targets, planned week by week "
        "from student work, taught together, and measured before and after.",
        [
            ("Goal", "goal", 7, False,
             "Agree a standards-based goal for what students will learn."),
            ("Learning targets", "plan", 7, False,
             "Unpack the goal into student-friendly “I can” learning targets: the success "
             "criteria."),
            ("Pre-assessment", "assess", 7, True,
             "Give a short pre-assessment and sort the results by learning target. Record "
             "how many students meet each target."),
            ("Weekly planning", "plan", 21, False,
             "Meet every week to look at student work and plan the next lessons from it."),
            ("Co-teaching", "teach", 21, False,
             "Teach together in the classroom and gather evidence of what students can do."),
            ("Post-assessment", "assess", 7, True,
             "Give the post-assessment and compare it with the pre-assessment."),
            ("Reflection", "reflect", 7, False,
             "Reflect together on growth in student learning and in teaching practice, and "
             "decide what comes next."),
        ],
    ),
    (
        "Tech integration cycle",
        "A short cycle to bring a tool into teaching with a clear purpose for students.",
        [
            ("Identify the need", "identify", 3, False,
             "Name what students should be able to do that a tool could help with."),
            ("Learn the tool", "learn", 5, False,
             "Learn the tool together and plan one lesson that uses it."),
            ("Try it with students", "teach", 10, True,
             "Teach the lesson, with the coach in the room if that helps. Look at what "
             "students made."),
            ("Reflect and share", "reflect", 3, False,
             "What worked for students? Keep it, change it, or drop it, and share what you "
             "learned with colleagues."),
        ],
    ),
]

# (kind, purpose, title, body)
RESOURCES = [
    ("stems", "identify", "Getting a clear picture",
     "What did you notice about how students responded?\n"
     "When were students most engaged today? What was happening then?\n"
     "If this lesson went exactly as you hoped, what would students be doing?\n"
     "On a scale of 1 to 10, how close was the lesson to your ideal? What would make it one "
     "point higher?"),
    ("stems", "goal", "Setting a goal that matters",
     "What would you like students to know or be able to do by the end of the unit?\n"
     "How will we know they got there? What will we look at?\n"
     "Why does this goal matter to you?\n"
     "Is this something we can reach in the next six to eight weeks?"),
    ("protocol", "goal", "Checking a goal against the checklist",
     "1. Read the goal aloud together.\n"
     "2. For each point of the checklist (powerful, easy, emotionally compelling, "
     "reachable, student-focused), the teacher says yes, not yet, or no.\n"
     "3. For each “not yet”, rewrite one phrase of the goal together.\n"
     "4. Agree the baseline and how it will be measured before leaving."),
    ("stems", "plan", "Planning from student work",
     "Which students met the learning target? What does their work show?\n"
     "Which students are close? What is the next step for them?\n"
     "What will you try this week, and what shall I do in the room?\n"
     "What will we look at next week to know if it worked?"),
    ("protocol", "assess", "Sorting a pre-assessment",
     "1. Lay out the work without names (cover or number it).\n"
     "2. Sort it into three piles: meets the target, nearly there, not yet.\n"
     "3. Count each pile and record the numbers as the cycle's evidence.\n"
     "4. Pick two pieces from “nearly there” and name exactly what is missing.\n"
     "5. Plan the first lesson for the “nearly there” group."),
    ("stems", "learn", "Learning a new strategy",
     "What would this look like in your classroom?\n"
     "What part of the strategy feels most useful? Which part feels hardest?\n"
     "Would it help to see it first: I model it, we watch a video, or we teach it "
     "together?"),
    ("protocol", "teach", "Co-teaching roles",
     "Before the lesson, agree in five minutes: who leads each part, who watches whom, what "
     "evidence of learning each of us collects, and the signal for “let me step in”."),
    ("stems", "improve", "Checking progress",
     "Where are students now compared with the baseline?\n"
     "What is working that we should keep doing?\n"
     "What shall we change for the next two weeks?"),
    ("stems", "reflect", "Reflecting on the cycle",
     "What changed for students? What is your evidence?\n"
     "What did you learn about your teaching?\n"
     "What surprised you?\n"
     "What would you like to work on next?"),
    ("protocol", "debrief", "Debrief after an observation",
     "1. The teacher speaks first: what went well, and what they would change.\n"
     "2. The coach shares what students did and said (facts, not judgements).\n"
     "3. Together: one thing to keep, one thing to try.\n"
     "4. Agree the next step and when to meet again."),
    ("stems", "debrief", "Quick debrief questions",
     "How do you think it went?\n"
     "What did students do that told you they were learning?\n"
     "What would you do the same way next time? What would you change?"),
    ("protocol", "reflect", "Watching your own lesson video",
     "1. Watch the video alone first, once, without notes.\n"
     "2. Watch again, noting the moments students were most and least engaged.\n"
     "3. Choose one moment to talk about with your coach.\n"
     "4. Together, ask: what were students doing just before that moment?"),
]


def install(apps=None) -> None:
    """Put the built-in templates and resources in place (creates only what is missing)."""
    if apps is None:
        from django.apps import apps as live

        apps = live
    template_model = apps.get_model("goals", "CycleTemplate")
    stage_model = apps.get_model("goals", "TemplateStage")
    resource_model = apps.get_model("goals", "ConversationResource")
    for name, description, stages in TEMPLATES:
        template, created = template_model.objects.get_or_create(
            network=None, name=name, defaults={"description": description})
        if created:
            stage_model.objects.bulk_create([
                stage_model(template=template, position=position, name=stage_name,
                            purpose=purpose, expected_days=days, collects_evidence=evidence,
                            guidance=guidance)
                for position, (stage_name, purpose, days, evidence, guidance)
                in enumerate(stages, start=1)
            ])
    for kind, purpose, title, body in RESOURCES:
        resource_model.objects.get_or_create(
            network=None, owner=None, title=title,
            defaults={"kind": kind, "purpose": purpose, "body": body})
