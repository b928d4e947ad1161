from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "secession.web.apps.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        from secession.web.apps.communities.wiring import connect

        connect()
