"""
The district report: the superintendent only, their own district. A page, and a PDF
rendered in the background (``reports.views.jobs``).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from assessments import audit
from assessments.access import role_required
from assessments.models import District
from assessments.roles import Role
from reports import charts, district
from reports.basis import Basis, basis_from
from reports.models import CycleExport
from reports.views import choosing, jobs


def _context(request) -> dict:
    """
    The page's context, shared by page and PDF; 404 for a cycle of another district.
    ``?basis=`` chooses which ratings count (anything unknown: the default).
    """
    found = District.objects.get(pk=request.user.district_id)
    cycles, cycle = choosing.district_cycle(request.user, request.GET.get("cycle"))
    basis = basis_from(request.GET.get("basis"))
    data = district.build(found, cycle, cycles, basis=basis) if cycle else None
    trend = data.trend if data else ()
    return {
        "district": found,
        "cycles": cycles,
        "cycle": cycle,
        "basis": basis,
        "bases": Basis.choices,
        "data": data,
        "trend_chart": charts.district_trend(found, trend, basis),
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
        basis=ctx["basis"].value,
    )
    # The page links each team to its report; the PDF does not.
    return render(request, "reports/district.html", {**ctx, "links": True})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.SUPERINTENDENT)
def district_report_pdf(request):
    """The district PDF, rendered by the worker (``reports.views.jobs``)."""
    cycle = district.choose_cycle(district.cycles_for(request.user), request.GET.get("cycle"))
    if cycle is None:
        raise Http404("No such cycle.")
    return jobs.offer_or_queue(request, kind=CycleExport.Kind.DISTRICT_PDF, cycle=cycle)
