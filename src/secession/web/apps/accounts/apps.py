from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secession.web.apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"
