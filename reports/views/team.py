"""
The team report: the lead of the team, or the superintendent for any team of their
district; nobody else. A page, and the same report as PDF, CSV and XLSX.

Access: ``role_required`` answers 403 to anyone who is neither a lead nor the
superintendent; a team that is not theirs (another lead's, another district's, or none
at all) answers 404, as everywhere (``assessments.access``).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from assessments import audit
from assessments.access import get_team_or_404, role_required
from assessments.roles import LEAD, Role
from reports import spreadsheets, team
from reports.basis import Basis, basis_from
from reports.downloads import attachment, safe_filename
from reports.models import CycleExport
from reports.views import jobs

Kind = CycleExport.Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request, pk) -> dict:
    """
    The page's context, shared by every format; 404 for a cycle of another district.
    ``?basis=`` chooses which ratings count (anything unknown: the default).
    """
    found = get_team_or_404(request.user, pk, report=True)
    cycles = team.cycles_for(request.user, found)
    cycle = team.choose_cycle(cycles, request.GET.get("cycle"))
    if cycle is None and (request.GET.get("cycle") or cycles):
        raise Http404("No such cycle.")
    basis = basis_from(request.GET.get("basis"))
    return {
        "team": found,
        "district": found.district,
        "cycles": cycles,
        "cycle": cycle,
        "basis": basis,
        "bases": Basis.choices,
        "data": team.build(found, cycle, basis=basis) if cycle else None,
    }


def _download_context(request, pk) -> dict:
    ctx = _context(request, pk)
    if ctx["data"] is None:
        raise Http404("This team has no cycle yet.")
    return ctx


def _filename(ctx, extension: str) -> str:
    return safe_filename(ctx["team"].name, ctx["cycle"].title, "team-report", extension=extension)


@require_safe
@role_required(Role.SUPERINTENDENT, LEAD)
def team_report(request, pk):
    ctx = _context(request, pk)
    audit.record(
        request,
        "report.viewed",
        obj=ctx["team"],
        district=ctx["district"],
        report="team",
        cycle=ctx["cycle"].pk if ctx["cycle"] else None,
        basis=ctx["basis"].value,
    )
    # The page links people and competencies onwards; the downloads do not.
    return render(request, "reports/team.html", {**ctx, "links": True})


def _download(request, ctx, content: bytes, extension: str, content_type: str):
    """One of the team report's files, as an audited attachment."""
    return attachment(
        request,
        content,
        filename=_filename(ctx, extension),
        content_type=content_type,
        obj=ctx["team"],
        report="team",
        cycle=ctx["cycle"].pk,
        basis=ctx["basis"].value,
    )


def _subject(request, pk):
    """The team and the cycle of a report rendered in the background; 404 as the page."""
    found = get_team_or_404(request.user, pk, report=True)
    cycle = team.choose_cycle(team.cycles_for(request.user, found), request.GET.get("cycle"))
    if cycle is None:
        raise Http404("No such cycle.")
    return found, cycle


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.SUPERINTENDENT, LEAD)
def team_report_pdf(request, pk):
    """The team PDF, rendered by the worker (``reports.views.jobs``): its size has no bound."""
    found, cycle = _subject(request, pk)
    return jobs.offer_or_queue(request, kind=Kind.TEAM_PDF, cycle=cycle, team=found)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.SUPERINTENDENT, LEAD)
def team_reports_zip(request, pk):
    """Every handed-in individual report of the team in one ZIP, rendered by the worker."""
    found, cycle = _subject(request, pk)
    return jobs.offer_or_queue(request, kind=Kind.TEAM_REPORTS, cycle=cycle, team=found)


@require_safe
@role_required(Role.SUPERINTENDENT, LEAD)
def team_report_csv(request, pk):
    """The heat map, one row per person: the table that a spreadsheet is for."""
    ctx = _download_context(request, pk)
    content = spreadsheets.csv_bytes(team.heat_map_rows(ctx["data"]))
    return _download(request, ctx, content, "csv", "text/csv; charset=utf-8")


@require_safe
@role_required(Role.SUPERINTENDENT, LEAD)
def team_report_xlsx(request, pk):
    """Every table of the report, one sheet each."""
    ctx = _download_context(request, pk)
    data = ctx["data"]
    content = spreadsheets.xlsx_bytes(
        [
            ("Heat map", team.heat_map_rows(data)),
            ("Domains", team.domain_rows(data)),
            ("Coverage", team.coverage_rows(data)),
            (data.waiting_title, team.waiting_rows(data)),
        ]
    )
    return _download(request, ctx, content, "xlsx", XLSX)
