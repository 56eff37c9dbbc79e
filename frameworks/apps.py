from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "Competency frameworks"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (registers the frozen-framework guard)
