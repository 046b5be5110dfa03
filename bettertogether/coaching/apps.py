from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "bettertogether.coaching"
    label = "coaching"

    def ready(self) -> None:
        from bettertogether.directory import calendar_changes

        from .tallies.network import calendar_changed

        # A change of a network's time zone or terms moves the log between the tallies'
        # weeks, terms and months: the directory calls this by name when it happens.
        calendar_changes.register(calendar_changed)
