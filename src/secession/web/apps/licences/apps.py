from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "secession.web.apps.licences"
    label = "licences"
    verbose_name = "Data licences"

    def ready(self) -> None:
        from secession.web.apps.licences.wiring import connect

        connect()
