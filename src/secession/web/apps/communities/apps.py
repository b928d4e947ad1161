from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "secession.web.apps.communities"
    label = "communities"
    verbose_name = "Communities"
