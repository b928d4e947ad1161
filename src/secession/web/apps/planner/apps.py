from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "secession.web.apps.planner"
    label = "planner"
    verbose_name = "Border planner"

    def ready(self) -> None:
        from secession.web.apps.planner.wiring import connect

        connect()
