from django.apps import AppConfig


class SnapshotsConfig(AppConfig):
    name = "secession.web.apps.snapshots"
    label = "snapshots"
    verbose_name = "Static snapshots"

    def ready(self) -> None:
        from secession.web.apps.snapshots.wiring import connect

        connect()
