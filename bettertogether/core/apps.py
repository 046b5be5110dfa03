from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bettertogether.core"
    label = "core"
