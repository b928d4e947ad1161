from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "secession.web.apps.registry"
    label = "registry"
    verbose_name = "Registry of free peoples"

    def ready(self) -> None:
        from secession.web.apps.registry.wiring import connect

        connect()
