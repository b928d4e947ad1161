from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "secession.web.apps.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from secession.web.apps.audit.wiring import connect

        connect()
