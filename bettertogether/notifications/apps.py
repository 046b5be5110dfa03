from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bettertogether.notifications"
    label = "notifications"
