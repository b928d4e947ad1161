from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "secession.web.apps.translations"
    label = "translations"
    verbose_name = "Translations"

    def ready(self) -> None:
        from secession.web.apps.translations.wiring import connect

        connect()
