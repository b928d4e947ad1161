from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "secession.web.apps.alliances"
    label = "alliances"
    verbose_name = "Alliances"

    def ready(self) -> None:
        from secession.web.apps.alliances.wiring import connect

        connect()
