from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "bettertogether.rostering"
    label = "rostering"
    verbose_name = "Rosters"
