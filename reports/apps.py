from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Gap reports"

    def ready(self) -> None:
        from assessments import workflow

        from .official import store_official_report

        # assessments.workflow.finalize calls it by name to render the official PDF.
        workflow.register_official_record_renderer(store_official_report)
