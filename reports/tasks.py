"""
Background tasks of the reports app (Django's tasks framework). Each is a thin entry
point: the work and its rules live in the service modules.
"""

from django.tasks import task

from .exports import builder, report_jobs


@task()
def build_cycle_export(*, export_id: int) -> str:
    """Build one whole-cycle export (see ``reports.exports.builder.build``); returns its status."""
    return builder.build(export_id).status


@task()
def build_report_job(*, export_id: int) -> str:
    """Render one team/district PDF or team ZIP (``reports.exports.report_jobs.build``)."""
    return report_jobs.build(export_id).status
