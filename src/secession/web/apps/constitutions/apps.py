from django.apps import AppConfig


class ConstitutionsConfig(AppConfig):
    name = "secession.web.apps.constitutions"
    label = "constitutions"
    verbose_name = "Constitutions"

    def ready(self) -> None:
        from secession.web.apps.constitutions.wiring import connect

        connect()
