"""
The official PDF of a finalized assessment: rendered once, at finalization, and kept.

``store_official_report`` runs in answer to ``assessments.signals.assessment_finalized``,
inside the transaction that finalizes: if rendering or writing fails, the finalization
fails with it (nothing is half-done). The file goes under ``PRIVATE_STORAGE_ROOT``, out of
reach of any URL, written to a temporary file in the same directory and moved into place
with ``os.replace`` (a reader never sees half a file). Its SHA-256 is kept in
``OfficialReport``, and every later download, by anyone, is that exact file.

Where the hash is shown, and why not inside the PDF: a document cannot carry its own
SHA-256 (printing the hash changes the bytes, and so the hash), neither in its text nor in
its metadata. So the hash travels *beside* the file: on the report page, on the HR list,
and in the ``X-Content-SHA256`` / ``Repr-Digest`` headers of every download. What the PDF
prints in its footer instead is a stable document identifier, "Official record #<id>,
finalized <date>", which finds the stored hash to compare a printed or e-mailed copy with.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

from assessments.models import Assessment
from reports.individual import individual_context
from reports.models import OfficialReport
from reports.pdf import render_pdf

TEMPLATE = "reports/individual_pdf.html"


def official_path(assessment: Assessment) -> str:
    """Where an assessment's official PDF lives, relative to PRIVATE_STORAGE_ROOT."""
    return f"official/cycle-{assessment.cycle_id}/assessment-{assessment.pk}.pdf"


def render_individual_pdf(ctx: dict, *, official: bool) -> bytes:
    """The individual report as PDF: the official record or a working copy."""
    return render_pdf(TEMPLATE, {**ctx, "pdf_official": official})


def store_official_report(*, assessment: Assessment) -> OfficialReport:
    """Render the official PDF of a just-finalized assessment, store it, record its hash."""
    content = render_individual_pdf(individual_context(assessment), official=True)
    relative = official_path(assessment)
    _write_atomically(Path(settings.PRIVATE_STORAGE_ROOT) / relative, content)
    return OfficialReport.objects.create(
        assessment=assessment,
        path=relative,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def find_official(assessment: Assessment) -> OfficialReport | None:
    return OfficialReport.objects.filter(assessment=assessment).first()


def read_official(official: OfficialReport) -> bytes:
    """The stored bytes (the caller checks them against ``official.sha256``)."""
    return (Path(settings.PRIVATE_STORAGE_ROOT) / official.path).read_bytes()


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file readable by its owner only.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def on_assessment_finalized(sender, *, assessment, **kwargs) -> None:
    """Receiver of ``assessment_finalized`` (connected in ``ReportsConfig.ready``)."""
    store_official_report(assessment=assessment)
