"""
Asking for a background import of a large file: keep it in a ``FrameworkImport`` row and
queue the task after the commit (``frameworks.tasks``, which runs ``background.run``).
"""

from django.db import transaction

from ..models import FrameworkImport
from ..tasks import run_framework_import


def queue_import(
    *, actor, content: bytes, filename: str, format: str, dry_run: bool, competency_depth
) -> FrameworkImport:
    """Keep the file for the worker and queue its import (after the commit)."""
    job = FrameworkImport.objects.create(
        requested_by=actor,
        filename=filename[:255],
        format=format,
        dry_run=dry_run,
        competency_depth=competency_depth,
        content=content,
        size=len(content),
    )
    transaction.on_commit(lambda: run_framework_import.enqueue(import_id=job.pk))
    return job
