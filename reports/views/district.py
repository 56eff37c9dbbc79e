"""The district report: the superintendent only, their own district. A page and a PDF."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import role_required
from assessments.models import District
from assessments.roles import Role
from reports import charts, district
from reports.downloads import attachment, safe_filename
from reports.pdf import render_pdf


def _context(request) -> dict:
    """The page's context, shared by page and PDF; 404 for a cycle of another district."""
    found = District.objects.get(pk=request.user.district_id)
    cycles = district.cycles_for(request.user)
    cycle = district.choose_cycle(cycles, request.GET.get("cycle"))
    if cycle is None and (request.GET.get("cycle") or cycles):
        raise Http404("No such cycle.")
    data = district.build(found, cycle, cycles) if cycle else None
    trend = data.trend if data else ()
    return {
        "district": found,
        "cycles": cycles,
        "cycle": cycle,
        "data": data,
        "trend_chart": charts.readiness_trend(
            [(point.cycle.title, point.percent) for point in trend],
            title=f"Readiness across cycles, {found.name}",
        ),
    }


@require_safe
@role_required(Role.SUPERINTENDENT)
def district_report(request):
    ctx = _context(request)
    audit.record(
        request,
        "report.viewed",
        obj=ctx["district"],
        district=ctx["district"],
        report="district",
        cycle=ctx["cycle"].pk if ctx["cycle"] else None,
    )
    # The page links each team to its report; the PDF does not.
    return render(request, "reports/district.html", {**ctx, "links": True})


@require_safe
@role_required(Role.SUPERINTENDENT)
def district_report_pdf(request):
    ctx = _context(request)
    if ctx["data"] is None:
        raise Http404("The district has no cycle yet.")
    content = render_pdf("reports/district_pdf.html", ctx, request=request)
    return attachment(
        request,
        content,
        filename=safe_filename(
            ctx["district"].name, ctx["cycle"].title, "district-report", extension="pdf"
        ),
        content_type="application/pdf",
        obj=ctx["district"],
        report="district",
        cycle=ctx["cycle"].pk,
    )
