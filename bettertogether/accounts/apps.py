from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bettertogether.accounts"
    label = "accounts"
