from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Districts, people and assessments"

    def ready(self) -> None:
        # Register the receivers of sign-in: audit, and the session's sign-in time.
        from . import middleware, signin  # noqa: F401
