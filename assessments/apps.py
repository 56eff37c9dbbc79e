from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Districts, people and assessments"

    def ready(self) -> None:
        from . import signin  # noqa: F401  (registers the sign-in audit receivers)
