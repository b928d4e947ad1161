from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "secession.web.apps.opendata"
    label = "opendata"
    verbose_name = "Open data"
