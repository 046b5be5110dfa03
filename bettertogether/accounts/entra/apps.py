from django.apps import AppConfig


class EntraConfig(AppConfig):
    name = "bettertogether.accounts.entra"
    label = "entra"
    verbose_name = "Microsoft Entra ID sign-in"
