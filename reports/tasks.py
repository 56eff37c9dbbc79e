"""
Background tasks of the reports app (Django's tasks framework). Each is a thin entry
point: the work and its rules live in the service modules.
"""

from django.tasks import task

from .exports import builder


@task()
def build_cycle_export(*, export_id: int) -> str:
    """Build one whole-cycle export (see ``reports.exports.builder.build``); returns its status."""
    return builder.build(export_id).status
