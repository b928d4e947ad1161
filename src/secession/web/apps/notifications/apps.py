from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "secession.web.apps.notifications"
    label = "notifications"
    verbose_name = "Email notices"

    def ready(self) -> None:
        from secession.web.apps.notifications.wiring import connect

        connect()
