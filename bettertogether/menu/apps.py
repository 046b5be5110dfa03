from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "bettertogether.menu"
    label = "menu"
    verbose_name = "Coaching menu, requests and sessions"

    def ready(self) -> None:
        # The caseload reads "asked for help" and "open requests" from this app.
        from bettertogether.coaching.facts import register, register_timeline

        from .facts import request_facts, timeline_events

        register(request_facts)
        register_timeline(timeline_events)
