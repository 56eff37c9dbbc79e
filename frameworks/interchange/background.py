"""
Large files from the import page, once ``requesting.queue_import`` has stored one in a
``FrameworkImport`` row: the task worker imports it here, the row's status telling the
page how far it got.
"""

import logging

from django.utils import timezone

from ..models import FrameworkImport
from .service import ImportResult, import_framework

logger = logging.getLogger(__name__)

# Files larger than this are imported in the background; smaller ones while the page waits.
BACKGROUND_BYTES = 1024 * 1024

Status = FrameworkImport.Status


def run(import_id: int) -> FrameworkImport:
    """
    Import one queued file (run by the worker); never raises for a problem with the file:
    the result says it. The stored bytes are dropped once read.
    """
    claimed = FrameworkImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
        status=Status.CHECKING
    )
    job = FrameworkImport.objects.get(pk=import_id)
    if not claimed:
        logger.info("Framework import %s is %s, not queued: nothing to do.", import_id, job.status)
        return job

    def writing() -> None:
        FrameworkImport.objects.filter(pk=import_id).update(status=Status.WRITING)

    try:
        result = import_framework(
            content=bytes(job.content),
            format=job.format,
            dry_run=job.dry_run,
            competency_depth=job.competency_depth,
            before_writing=writing,
        )
    except Exception as error:
        logger.exception("Framework import %s failed", import_id)
        result = ImportResult(
            format=job.format,
            dry_run=job.dry_run,
            errors=[
                f"An unexpected error stopped the import ({type(error).__name__}); "
                "the details are in the worker's log."
            ],
        )
    job.status = Status.DONE if result.ok else Status.FAILED
    job.result = result_fields(result)
    job.framework = result.framework
    job.content = b""
    job.finished_at = timezone.now()
    job.save()
    return job


def result_fields(result: ImportResult) -> dict:
    """What the import page shows of ``result``, as JSON."""
    diff = result.diff
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "slug": result.slug,
        "version": result.version,
        "title": result.title,
        "warnings": result.warnings,
        "errors": result.errors,
        "info": result.info,
        "counts": result.counts,
        "diff": None
        if diff is None
        else {"against": diff.against, "unchanged": diff.unchanged, "sections": diff.sections()},
    }
