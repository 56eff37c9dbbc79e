"""
The files of the report jobs (``reports.exports.report_jobs``): the team and district
PDFs, and each person's PDF in a team's ZIP. Rendered in the worker, never in a request.

``_built`` is the one place where a queued team or district PDF gets its figures: the
job's ``basis`` goes to the builders there and nowhere else.
"""

from collections.abc import Callable

from assessments.models import Assessment

from .. import charts, district, team
from ..basis import Basis, basis_from
from ..models import CycleExport
from ..pdf import render_pdf
from ..working_copy import working_copy_pdf
from .builder import official_pdf

Kind = CycleExport.Kind


def report_pdf(job: CycleExport) -> bytes:
    """The team or district PDF that ``job`` asked for, on the job's basis."""
    basis = basis_from(job.options.get("basis"))
    if job.kind == Kind.TEAM_PDF:
        ctx = {
            "team": job.team,
            "district": job.team.district,
            "cycle": job.cycle,
            "basis": basis,
            "data": _built(team.build, job.team, job.cycle, basis=basis),
        }
        return render_pdf("reports/team_pdf.html", ctx)
    found = job.cycle.district
    cycles = district.cycles_for(job.requested_by)
    data = _built(district.build, found, job.cycle, cycles, basis=basis)
    ctx = {
        "district": found,
        "cycle": job.cycle,
        "basis": basis,
        "data": data,
        "trend_chart": charts.district_trend(found, data.trend, basis),
    }
    return render_pdf("reports/district_pdf.html", ctx)


def _built(builder: Callable, *args, basis: Basis):
    """
    The figures of a queued report, from ``reports.team.build`` or
    ``reports.district.build``, on ``basis``.
    """
    return builder(*args, basis=basis)


def individual_pdf(assessment: Assessment) -> bytes:
    """
    One person's report for a team's ZIP: the stored official PDF once there is one
    (checked against its SHA-256), else the working copy (rendered once per state).
    """
    if assessment.status in Assessment.OFFICIAL and assessment.official_versions:
        return official_pdf(assessment)
    return working_copy_pdf(assessment)
