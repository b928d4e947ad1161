from django.apps import AppConfig


class ConstitutionsConfig(AppConfig):
    name = "secession.web.apps.constitutions"
    label = "constitutions"
    verbose_name = "Constitutions"
