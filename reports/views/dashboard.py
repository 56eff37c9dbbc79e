"""
The district dashboard: the superintendent's landing page (``assessments.views.site.home``
sends them here), their own district only, with the review that waits for them on top.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import role_required
from assessments.models import Assessment, District
from assessments.roles import Role
from reports import dashboard
from reports.basis import basis_from
from reports.views import choosing


@require_safe
@role_required(Role.SUPERINTENDENT)
def district_dashboard(request):
    found = District.objects.get(pk=request.user.district_id)
    cycles, cycle = choosing.district_cycle(request.user, request.GET.get("cycle"))
    basis = basis_from(request.GET.get("basis"))
    ctx = {
        "district": found,
        "cycles": cycles,
        "cycle": cycle,
        **choosing.basis_context(basis),
        "data": dashboard.build(found, cycle, cycles, basis=basis) if cycle else None,
        "to_review": Assessment.objects.reviewable_by(request.user).select_related(
            "person", "cycle"
        ),
    }
    audit.record(
        request,
        "report.viewed",
        obj=found,
        district=found,
        report="dashboard",
        cycle=cycle.pk if cycle else None,
        basis=basis.value,
    )
    return render(request, "reports/dashboard.html", ctx)
