from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bettertogether.reports"
    label = "reports"
