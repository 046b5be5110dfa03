from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "bettertogether.activity"
    label = "activity"
