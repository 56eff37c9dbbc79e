"""
The official PDF of an assessment, in two versions, each rendered once and kept: version 1
at finalization (awaiting acknowledgment), version 2 at acknowledgment, its signature
block complete (names, dates, the person's comment). The latest is the record HR
downloads and exports.

``store_official_report`` is the renderer that ``assessments.workflow.finalize`` and
``acknowledge`` call (registered in ``ReportsConfig.ready``), inside their transaction:
if rendering or writing fails, the step fails with it (nothing is half-done). The file goes under ``PRIVATE_STORAGE_ROOT``, out of
reach of any URL, written to a temporary file in the same directory and moved into place
with ``os.replace`` (a reader never sees half a file). Its SHA-256 is kept in
``OfficialReport``, and every later download, by anyone, is that exact file.

Where the hash is shown, and why not inside the PDF: a document cannot carry its own
SHA-256 (printing the hash changes the bytes, and so the hash), neither in its text nor in
its metadata. So the hash travels *beside* the file: on the report page, on the HR list,
and in the ``X-Content-SHA256`` / ``Repr-Digest`` headers of every download. What the PDF
prints in its footer instead is a stable document identifier, "Official record #<id>,
finalized <date>", which finds the stored hash to compare a printed or e-mailed copy with.

A stored PDF that was rendered without its stylesheet (``lacks_stylesheet``: before the
fetcher read hashed static names, every official PDF of a DEBUG-off server) is rendered
again by ``rerender_official_report`` (``manage.py rerender_official_pdfs``): a new file
with a new hash, the old file kept as a ``SupersededOfficialReport``, and an audit event.
"""

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from pypdf import PdfReader

from assessments import audit
from assessments.models import Assessment
from reports.individual import individual_context
from reports.models import OfficialReport, SupersededOfficialReport
from reports.pdf import render_pdf

TEMPLATE = "reports/individual_pdf.html"
# The page size that static/css/report-pdf.css sets, in points (WeasyPrint's own is A4).
LETTER = (612, 792)


def official_path(assessment: Assessment, *, version: int = 1, revision: int = 1) -> str:
    """Where a version of an assessment's official PDF lives, under PRIVATE_STORAGE_ROOT."""
    suffix = (f"-v{version}" if version > 1 else "") + (f"-r{revision}" if revision > 1 else "")
    return f"official/cycle-{assessment.cycle_id}/assessment-{assessment.pk}{suffix}.pdf"


def render_individual_pdf(ctx: dict, *, official: bool) -> bytes:
    """The individual report as PDF: the official record or a working copy."""
    return render_pdf(TEMPLATE, {**ctx, "pdf_official": official})


def store_official_report(*, assessment: Assessment) -> OfficialReport:
    """
    Render the official PDF of a just-finalized (version 1) or just-acknowledged (version
    2) assessment, store it, record its hash.
    """
    acknowledged = assessment.status == Assessment.Status.ACKNOWLEDGED
    version = (
        OfficialReport.Version.ACKNOWLEDGED if acknowledged else OfficialReport.Version.FINALIZED
    )
    content = render_individual_pdf(individual_context(assessment), official=True)
    relative = official_path(assessment, version=version)
    write_atomically(Path(settings.PRIVATE_STORAGE_ROOT) / relative, content)
    return OfficialReport.objects.create(
        assessment=assessment,
        version=version,
        path=relative,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def find_official(assessment: Assessment, version: int | None = None) -> OfficialReport | None:
    """The stored official PDF of ``assessment``: ``version``, or by default the latest."""
    found = OfficialReport.objects.filter(assessment=assessment)
    if version is not None:
        found = found.filter(version=version)
    return found.order_by("-version").first()


def latest_first() -> Prefetch:
    """
    Prefetch of an assessment list's official PDFs, latest version first, on
    ``official_versions`` (one query for the whole list): ``official_versions.0`` is
    the record HR downloads.
    """
    return Prefetch(
        "official_reports",
        OfficialReport.objects.order_by("-version"),
        to_attr="official_versions",
    )


def read_official(official: OfficialReport) -> bytes:
    """The stored bytes (the caller checks them against ``official.sha256``)."""
    return (Path(settings.PRIVATE_STORAGE_ROOT) / official.path).read_bytes()


def lacks_stylesheet(content: bytes) -> bool:
    """
    Whether a PDF was rendered without ``report-pdf.css``: only that stylesheet makes the
    pages US Letter and prints "page i of n" on each (the header and footer text would be
    there without it, once, as plain paragraphs).
    """
    pages = PdfReader(io.BytesIO(content)).pages
    return any(
        (round(page.mediabox.width), round(page.mediabox.height)) != LETTER
        or f"page {number} of {len(pages)}" not in page.extract_text()
        for number, page in enumerate(pages, start=1)
    )


@transaction.atomic
def rerender_official_report(*, official: OfficialReport, reason: str) -> OfficialReport:
    """
    Render an official record again into a new file, keep the old file as superseded,
    point the record at the new file and hash, and audit the change. The document shows
    the assessment as it stood at that version (version 1 leaves a later acknowledgment
    out). Refused with ValidationError, nothing changed, if the new rendering lacks its
    stylesheet too.
    """
    official = OfficialReport.objects.select_for_update().get(pk=official.pk)
    assessment = official.assessment
    ctx = individual_context(assessment)
    if official.version == OfficialReport.Version.FINALIZED:
        ctx["assessment"].acknowledged_at = None
        ctx["assessment"].acknowledgment_comment = ""
    content = render_individual_pdf(ctx, official=True)
    if lacks_stylesheet(content):
        raise ValidationError(
            f"Official record #{assessment.pk} still renders without its stylesheet: "
            "run collectstatic first."
        )
    old = SupersededOfficialReport.objects.create(
        official=official,
        path=official.path,
        sha256=official.sha256,
        size=official.size,
        rendered_at=official.created_at,
        reason=reason,
    )
    revision = official.superseded.count() + 1
    official.path = official_path(assessment, version=official.version, revision=revision)
    official.sha256 = hashlib.sha256(content).hexdigest()
    official.size = len(content)
    official.created_at = timezone.now()
    official.save(update_fields=["path", "sha256", "size", "created_at"])
    write_atomically(Path(settings.PRIVATE_STORAGE_ROOT) / official.path, content)
    audit.record(
        None,
        "official.rerendered",
        obj=assessment,
        district=assessment.cycle.district,
        reason=reason,
        version=official.version,
        old_sha256=old.sha256,
        new_sha256=official.sha256,
        old_path=old.path,
        new_path=official.path,
    )
    return official


def write_atomically(path: Path, content: bytes) -> None:
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
