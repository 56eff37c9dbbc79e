"""
The team report: the lead of the team, or the superintendent for any team of their
district; nobody else. A page, and the same report as PDF, CSV and XLSX.

Access: ``role_required`` answers 403 to anyone who is neither a lead nor the
superintendent; a team that is not theirs (another lead's, another district's, or none
at all) answers 404, as everywhere (``assessments.access``).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import get_team_or_404, role_required
from assessments.roles import LEAD, Role
from reports import spreadsheets, team
from reports.downloads import attachment, safe_filename
from reports.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request, pk) -> dict:
    """The page's context, shared by every format; 404 for a cycle of another district."""
    found = get_team_or_404(request.user, pk, report=True)
    cycles = team.cycles_for(request.user, found)
    cycle = team.choose_cycle(cycles, request.GET.get("cycle"))
    if cycle is None and (request.GET.get("cycle") or cycles):
        raise Http404("No such cycle.")
    return {
        "team": found,
        "district": found.district,
        "cycles": cycles,
        "cycle": cycle,
        "data": team.build(found, cycle) if cycle else None,
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
    )


@require_safe
@role_required(Role.SUPERINTENDENT, LEAD)
def team_report_pdf(request, pk):
    ctx = _download_context(request, pk)
    content = render_pdf("reports/team_pdf.html", ctx, request=request)
    return _download(request, ctx, content, "pdf", "application/pdf")


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
            ("Not submitted", team.waiting_rows(data)),
        ]
    )
    return _download(request, ctx, content, "xlsx", XLSX)
