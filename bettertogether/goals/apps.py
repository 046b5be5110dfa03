from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "bettertogether.goals"
    label = "goals"
    verbose_name = "Goals, coaching cycles and evidence"

    def ready(self) -> None:
        # The caseload, the timeline, the teacher page and the menu's funnel read goals and
        # cycles from here.
        from bettertogether.coaching.facts import (
            register,
            register_teacher_section,
            register_timeline,
        )
        from bettertogether.menu.funnel import register as register_funnel

        from .facts import funnel_counts, goal_facts, growth_goals_section, timeline_events

        register(goal_facts)
        register_timeline(timeline_events)
        register_teacher_section(growth_goals_section)
        register_funnel(funnel_counts)
