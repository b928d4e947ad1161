from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secession.web.apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from secession.web.apps.accounts.wiring import connect

        connect()
