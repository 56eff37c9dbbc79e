from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Gap reports"

    def ready(self) -> None:
        from assessments.signals import assessment_finalized

        from .official import on_assessment_finalized

        # Renders and stores the official PDF inside the finalizing transaction.
        assessment_finalized.connect(
            on_assessment_finalized, dispatch_uid="reports.official.on_assessment_finalized"
        )
