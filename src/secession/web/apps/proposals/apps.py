from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "secession.web.apps.proposals"
    label = "proposals"
    verbose_name = "Proposals and votes"
