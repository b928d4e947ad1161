from django.apps import AppConfig


class VerifiableConfig(AppConfig):
    name = "secession.web.apps.verifiable"
    label = "verifiable"
    verbose_name = "Verifiable ballots"

    def ready(self) -> None:
        from secession.web.apps.verifiable.wiring import connect

        connect()
