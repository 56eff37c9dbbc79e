"""
Whole-cycle exports for HR: one ZIP of a cycle's official PDFs (finalized and
acknowledged assessments only) and an ``index.csv`` with each file's SHA-256.

``request_export`` records the request and queues ``reports.tasks.build_cycle_export``
once the transaction commits; a worker (``manage.py db_worker``) then calls ``build``,
which writes progress (done/total and a heartbeat) as it goes, writes the ZIP to a
temporary file and moves it into place under PRIVATE_STORAGE_ROOT with ``os.replace``,
so a half-written ZIP is never offered. Any error marks the export failed with a message
that says why.

A worker killed mid-export stops moving the heartbeat: ``sweep_stale`` marks such an
export failed once its heartbeat is older than ``STALE_AFTER``. The status page and every
new build run the sweep, so nothing stays "running" forever.
"""

import csv
import hashlib
import io
import logging
import os
import tempfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from assessments import audit
from assessments.models import Assessment, Cycle, User

from .downloads import safe_filename
from .models import CycleExport
from .official import latest_first, read_official

logger = logging.getLogger(__name__)

Status = CycleExport.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)
# A running export whose heartbeat is older than this was abandoned by its worker.
STALE_AFTER = timedelta(minutes=2)
EXPORTS_DIR = "exports"
INDEX_COLUMNS = [
    "file",
    "person",
    "email",
    "team",
    "job_role",
    "status",
    "finalized_at",
    "acknowledged_at",
    "sha256",
    "bytes",
]


class ExportError(Exception):
    """Why an export could not be built, in words HR can act on."""


class Abandoned(Exception):
    """The export stopped being ours (the sweep marked it failed) while we built it."""


# --- who may see what ------------------------------------------------------------------


def get_export_or_404(viewer, pk) -> CycleExport:
    """
    One export the viewer may follow (``CycleExport.objects.visible_to``, whose rule is in
    ``assessments.access``); another district's answers 404 like no export.
    """
    return get_object_or_404(
        CycleExport.objects.visible_to(viewer).select_related("cycle", "requested_by"), pk=pk
    )


def official_assessments(cycle: Cycle):
    """
    The assessments of ``cycle`` that have an official PDF to export, each with its
    official PDFs, latest first (the export takes the latest).
    """
    return (
        Assessment.objects.filter(cycle=cycle, status__in=Assessment.OFFICIAL)
        .select_related("person__team", "role_profile")
        .prefetch_related(latest_first())
        .order_by("person__full_name", "pk")
    )


# --- requesting ------------------------------------------------------------------------


@transaction.atomic
def request_export(*, actor: User, cycle: Cycle, address: str | None = None) -> CycleExport:
    """
    Queue a ZIP of ``cycle``'s official reports for ``actor`` (HR of the cycle's
    district). While one export of the cycle is queued or running it is returned instead
    of starting a second.
    """
    if not Cycle.objects.exportable_by(actor).filter(pk=cycle.pk).exists():
        raise ValidationError("Only HR of this cycle's district can export it.")
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one request at a time
    sweep_stale()
    active = CycleExport.objects.filter(cycle=cycle, status__in=ACTIVE).first()
    if active is not None:
        return active
    total = official_assessments(cycle).count()
    if total == 0:
        raise ValidationError(
            "This cycle has no finalized or acknowledged assessment yet: nothing to export."
        )
    export = CycleExport.objects.create(cycle=cycle, requested_by=actor, total=total)
    audit.record(
        None,
        "export.requested",
        actor=actor,
        obj=export,
        district=cycle.district,
        address=address,
        cycle=cycle.title,
        reports=total,
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from .tasks import build_cycle_export

    build_cycle_export.enqueue(export_id=export_id)


# --- the sweep -------------------------------------------------------------------------


def sweep_stale(*, now: datetime | None = None) -> int:
    """
    Mark failed every running export whose worker has shown no sign of life for
    ``STALE_AFTER`` (a worker killed mid-export), and remove its temporary file.
    Returns how many were marked.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = CycleExport.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    minutes = int(STALE_AFTER.total_seconds() // 60)
    marked = stale.filter(pk__in=ids).update(
        status=Status.FAILED,
        finished_at=now,
        error=(
            f"The worker building this export stopped responding (no progress for over "
            f"{minutes} minutes; it was probably restarted or killed). Nothing was kept: "
            "start a new export."
        ),
    )
    for pk in ids:
        _remove_partial(pk)
    logger.warning("Marked %d abandoned export(s) failed: %s", marked, ids)
    return marked


def _remove_partial(export_id: int) -> None:
    folder = _exports_dir()
    if folder.is_dir():
        for part in folder.glob(f"export-{export_id}-*.part"):
            part.unlink(missing_ok=True)


# --- building --------------------------------------------------------------------------


def build(export_id: int) -> CycleExport:
    """
    Build the ZIP of one queued export (run by the worker). Never raises for a problem
    with the export itself: the export is marked failed with the reason instead.
    """
    sweep_stale()
    now = timezone.now()
    claimed = CycleExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, heartbeat_at=now, done=0
    )
    export = CycleExport.objects.select_related("cycle").get(pk=export_id)
    if not claimed:
        logger.info("Export %s is %s, not queued: nothing to do.", export_id, export.status)
        return export
    try:
        relative = _write_zip(export)
    except Abandoned:
        logger.warning("Export %s was marked failed while it was being built.", export_id)
    except ExportError as error:
        _fail(export, str(error))
    except OSError as error:
        logger.exception("Export %s could not be written", export_id)
        _fail(export, f"The ZIP file could not be written: {error.strerror or error}.")
    except Exception as error:
        logger.exception("Export %s failed", export_id)
        _fail(
            export,
            f"An unexpected error stopped the export ({type(error).__name__}); "
            "the details are in the worker's log.",
        )
    else:
        finished = CycleExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.DONE,
            path=relative,
            done=export.total,
            heartbeat_at=timezone.now(),
            finished_at=timezone.now(),
        )
        if not finished:
            (Path(settings.PRIVATE_STORAGE_ROOT) / relative).unlink(missing_ok=True)
    export.refresh_from_db()
    return export


def _fail(export: CycleExport, message: str) -> None:
    CycleExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )
    _remove_partial(export.pk)


def _exports_dir() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / EXPORTS_DIR


def _write_zip(export: CycleExport) -> str:
    """Write the ZIP; returns its path relative to PRIVATE_STORAGE_ROOT."""
    assessments = list(official_assessments(export.cycle))
    total = len(assessments)
    if total == 0:
        raise ExportError(
            "This cycle has no finalized or acknowledged assessment any more: nothing to export."
        )
    _progress(export, done=0, total=total)
    folder = _exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"cycle-{export.cycle_id}-export-{export.pk}.zip"
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed and moved below
        dir=folder, prefix=f"export-{export.pk}-", suffix=".part", delete=False
    )
    try:
        with handle, zipfile.ZipFile(handle, "w") as archive:
            index = io.StringIO()
            writer = csv.writer(index)
            writer.writerow(INDEX_COLUMNS)
            used: set[str] = set()
            for done, assessment in enumerate(assessments, start=1):
                body = official_pdf(assessment)
                filename = _unique(_pdf_name(assessment), used)
                archive.writestr(f"reports/{filename}", body, compress_type=zipfile.ZIP_STORED)
                writer.writerow(_index_row(f"reports/{filename}", assessment, body))
                _progress(export, done=done, total=total)
            archive.writestr("index.csv", index.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
        os.replace(handle.name, folder / name)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return f"{EXPORTS_DIR}/{name}"


def _progress(export: CycleExport, *, done: int, total: int) -> None:
    """Move progress and heartbeat on; stop if the export is no longer ours to build."""
    moved = CycleExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
        done=done, total=total, heartbeat_at=timezone.now()
    )
    if not moved:
        raise Abandoned
    export.done, export.total = done, total


def official_pdf(assessment: Assessment) -> bytes:
    """
    The latest stored official PDF of ``assessment`` (from ``official_assessments``),
    checked against its recorded SHA-256.
    """
    who = assessment.person.get_full_name()
    if not assessment.official_versions:
        raise ExportError(
            f"The assessment of {who} is {assessment.get_status_display().lower()} but has "
            "no official PDF yet. Export again once it has been rendered."
        )
    report = assessment.official_versions[0]
    try:
        body = read_official(report)
    except FileNotFoundError:
        raise ExportError(
            f"The official PDF of {who} is missing from the private storage ({report.path})."
        ) from None
    if hashlib.sha256(body).hexdigest() != report.sha256:
        raise ExportError(
            f"The official PDF of {who} no longer matches the SHA-256 recorded when it was "
            "finalized; it may have been altered. Nothing was exported."
        )
    return body


def _pdf_name(assessment: Assessment) -> str:
    person = slugify(assessment.person.get_full_name()) or "person"
    return f"{person}-{assessment.pk}.pdf"


def _unique(name: str, used: set[str]) -> str:
    stem, suffix, n = name.removesuffix(".pdf"), ".pdf", 2
    while name in used:
        name, n = f"{stem}-{n}{suffix}", n + 1
    used.add(name)
    return name


def _index_row(filename: str, assessment: Assessment, body: bytes) -> list[str]:
    person = assessment.person

    def when(value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else ""

    return [
        filename,
        neutralise(person.get_full_name()),
        neutralise(person.email),
        neutralise(person.team.name if person.team else ""),
        neutralise(assessment.role_profile.title),
        assessment.status,
        when(assessment.finalized_at),
        when(assessment.acknowledged_at),
        hashlib.sha256(body).hexdigest(),
        str(len(body)),
    ]


def neutralise(text: str) -> str:
    """A spreadsheet never runs a cell: text starting = + - @ or a control gets a quote."""
    if text and (text[0] in "=+-@" or ord(text[0]) < 32):
        return "'" + text
    return text


def download_name(export: CycleExport) -> str:
    """A safe file name for the ZIP: ASCII letters, digits and hyphens only."""
    return safe_filename(export.cycle.title, "official-reports", str(export.pk), extension="zip")
