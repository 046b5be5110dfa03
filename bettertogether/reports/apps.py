from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bettertogether.reports"
    label = "reports"

    def ready(self) -> None:
        from bettertogether.coaching.signals import log_changed

        from . import tallies

        log_changed.connect(tallies.on_log_changed, dispatch_uid="reports.tallies")
