from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "bettertogether.coaching"
    label = "coaching"
