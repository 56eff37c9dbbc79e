"""
Reports too large to render in a request — a team PDF, the district PDF, a ZIP of a
team's individual reports — asked for now, rendered by the worker, followed on a
progress page and downloaded once done (the views are in ``reports.views.jobs``).

They are ``CycleExport`` rows of another ``kind``, built by the same claim, heartbeat,
sweep and progress as HR's cycle exports (``reports.exports.builder.run``). A job
records everything its file depends on: kind, team, cycle and, in ``options``, the
``basis`` of the figures. The requester is the only one who may follow it, and only
while they may still read the report.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from assessments.models import Assessment

from ..downloads import safe_filename
from ..models import CycleExport
from ..official import latest_first, write_atomically
from . import rendering
from .builder import ExportError, Progress, run, write_zip
from .sweep import EXPORTS_DIR

Kind = CycleExport.Kind


def build(export_id: int) -> CycleExport:
    """Render one queued report job (run by the worker)."""
    return run(export_id, _write)


def _write(job: CycleExport) -> str:
    if job.kind == Kind.TEAM_REPORTS:
        return _write_team_reports(job)
    progress = Progress(job, total=1)
    relative = f"{EXPORTS_DIR}/report-{job.pk}.pdf"
    write_atomically(Path(settings.PRIVATE_STORAGE_ROOT) / relative, rendering.report_pdf(job))
    progress.advance(1)
    return relative


def team_assessments(job: CycleExport):
    """
    The assessments of the job's team and cycle that its requester may read and that
    were handed in (a draft is nobody's report yet), with their official PDFs.
    """
    return (
        Assessment.objects.visible_to(job.requested_by)
        .filter(cycle=job.cycle, person__team=job.team, status__in=Assessment.HANDED_IN)
        .select_related("person")
        .prefetch_related(latest_first())
        .order_by("person__full_name", "pk")
    )


def _write_team_reports(job: CycleExport) -> str:
    assessments = list(team_assessments(job))
    if not assessments:
        raise ExportError("Nobody in this team has handed in an assessment in this cycle yet.")
    progress = Progress(job, total=len(assessments))

    def fill(archive: zipfile.ZipFile) -> None:
        for done, assessment in enumerate(assessments, start=1):
            name = slugify(assessment.person.get_full_name()) or "person"
            archive.writestr(
                f"{name}-{assessment.pk}.pdf",
                rendering.individual_pdf(assessment),
                compress_type=zipfile.ZIP_STORED,
            )
            progress.advance(done)

    return write_zip(job, f"report-{job.pk}.zip", fill)


def download_name(job: CycleExport) -> str:
    """The file name of a job's download: ASCII letters, digits and hyphens only."""
    if job.kind == Kind.TEAM_PDF:
        return safe_filename(job.team.name, job.cycle.title, "team-report", extension="pdf")
    if job.kind == Kind.DISTRICT_PDF:
        district = job.cycle.district.name
        return safe_filename(district, job.cycle.title, "district-report", extension="pdf")
    return safe_filename(job.team.name, job.cycle.title, "individual-reports", extension="zip")


def content_type(job: CycleExport) -> str:
    return "application/zip" if job.kind == Kind.TEAM_REPORTS else "application/pdf"
