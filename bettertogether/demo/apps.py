from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bettertogether.demo"
    label = "demo"
