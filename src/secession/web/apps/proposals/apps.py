from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "secession.web.apps.proposals"
    label = "proposals"
    verbose_name = "Proposals and votes"

    def ready(self) -> None:
        from secession.web.apps.proposals.wiring import connect

        connect()
