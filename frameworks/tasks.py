"""Background tasks of the frameworks app (Django's tasks framework): thin entry points."""

from django.tasks import task

from .interchange import background


@task()
def run_framework_import(*, import_id: int) -> str:
    """Import one uploaded file (see ``interchange.background.run``); returns its status."""
    return background.run(import_id).status
