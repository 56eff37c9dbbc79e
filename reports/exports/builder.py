"""
The ZIP builder, run by the worker: progress and heartbeat as it goes, the ZIP written to
a temporary file and moved into place whole, every failure recorded with its reason.
"""

import hashlib
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from assessments.models import Assessment

from ..downloads import safe_filename
from ..models import CycleExport
from ..official import read_official
from . import index
from .access import official_assessments
from .sweep import EXPORTS_DIR, exports_dir, remove_partial, sweep_stale

logger = logging.getLogger(__name__)

Status = CycleExport.Status


class ExportError(Exception):
    """Why an export could not be built, in words HR can act on."""


class Abandoned(Exception):
    """The export stopped being ours (the sweep marked it failed) while we built it."""


def build(export_id: int) -> CycleExport:
    """Build the ZIP of one queued cycle export (run by the worker)."""
    return run(export_id, _write_zip)


def run(export_id: int, write: Callable[[CycleExport], str]) -> CycleExport:
    """
    Claim one queued job and build its file with ``write`` (which returns the file's
    path under PRIVATE_STORAGE_ROOT and reports progress through ``Progress``). Never
    raises for a problem with the job itself: it is marked failed with the reason instead.
    """
    sweep_stale()
    now = timezone.now()
    claimed = CycleExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, heartbeat_at=now, done=0
    )
    export = CycleExport.objects.select_related(
        "cycle__district", "team__district", "requested_by"
    ).get(pk=export_id)
    if not claimed:
        logger.info("Export %s is %s, not queued: nothing to do.", export_id, export.status)
        return export
    try:
        relative = write(export)
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
    remove_partial(export.pk)


def _write_zip(export: CycleExport) -> str:
    """Write the ZIP; returns its path relative to PRIVATE_STORAGE_ROOT."""
    assessments = list(official_assessments(export.cycle))
    total = len(assessments)
    if total == 0:
        raise ExportError(
            "This cycle has no finalized or acknowledged assessment any more: nothing to export."
        )
    progress = Progress(export, total=total)

    def fill(archive: zipfile.ZipFile) -> None:
        listing = index.Index()
        used: set[str] = set()
        for done, assessment in enumerate(assessments, start=1):
            body = official_pdf(assessment)
            filename = _unique(_pdf_name(assessment), used)
            archive.writestr(f"reports/{filename}", body, compress_type=zipfile.ZIP_STORED)
            listing.add(f"reports/{filename}", assessment, body)
            progress.advance(done)
        archive.writestr("index.csv", listing.text(), compress_type=zipfile.ZIP_DEFLATED)

    return write_zip(export, f"cycle-{export.cycle_id}-export-{export.pk}.zip", fill)


def write_zip(export: CycleExport, name: str, fill: Callable[[zipfile.ZipFile], None]) -> str:
    """
    Write the ZIP ``name`` of ``export``, whose members ``fill`` adds, to a temporary file
    moved into place whole (a half-written ZIP is never offered; the sweep removes what a
    killed worker left). Returns its path relative to PRIVATE_STORAGE_ROOT.
    """
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed and moved below
        dir=folder, prefix=f"export-{export.pk}-", suffix=".part", delete=False
    )
    try:
        with handle, zipfile.ZipFile(handle, "w") as archive:
            fill(archive)
        os.replace(handle.name, folder / name)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return f"{EXPORTS_DIR}/{name}"


class Progress:
    """
    A job's progress and heartbeat, written at most once every ``INTERVAL`` seconds of
    ``clock`` (and always at the start and the end), so the number of writes follows
    the time the job takes, not the number of files in it. Raises ``Abandoned`` when a
    write finds the job no longer ours to build (the sweep marked it failed).
    """

    INTERVAL = 1.0

    def __init__(self, export: CycleExport, *, total: int):
        self.export, self.total = export, total
        self._write(0)

    def advance(self, done: int) -> None:
        if done >= self.total or clock() - self._written_at >= self.INTERVAL:
            self._write(done)

    def _write(self, done: int) -> None:
        moved = CycleExport.objects.filter(pk=self.export.pk, status=Status.RUNNING).update(
            done=done, total=self.total, heartbeat_at=timezone.now()
        )
        if not moved:
            raise Abandoned
        self.export.done, self.export.total = done, self.total
        self._written_at = clock()


def clock() -> float:
    """Seconds, for spacing progress writes (a test may put its own clock here)."""
    return time.monotonic()


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


def download_name(export: CycleExport) -> str:
    """A safe file name for the ZIP: ASCII letters, digits and hyphens only."""
    return safe_filename(export.cycle.title, "official-reports", str(export.pk), extension="zip")
