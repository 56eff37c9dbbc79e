"""
One competency across the district (the superintendent) or one team (``?team=``: the
superintendent for any team of the district, a lead for the teams they lead).

Access: ``role_required`` answers 403 to anyone who is neither; the district-wide page
answers 403 to a lead, like the district report; a team that is not theirs, a cycle of
another district, or a competency that is not of the cycle's framework answer 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import get_team_or_404, role_required
from assessments.roles import LEAD, Role
from frameworks.models import Competency
from reports import competency, district
from reports.basis import basis_from
from reports.views import choosing


def _number(value: str | None) -> str | None:
    """A query-string id as given, or 404 for anything but digits; None when absent."""
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise Http404("Not an id.")
    return value


@require_safe
@role_required(Role.SUPERINTENDENT, LEAD)
def competency_report(request, pk):
    team_pk = _number(request.GET.get("team"))
    if team_pk is None and not request.user.has_role(Role.SUPERINTENDENT):
        raise PermissionDenied
    team = get_team_or_404(request.user, team_pk, report=True) if team_pk else None
    found = get_object_or_404(Competency.objects.select_related("domain", "framework"), pk=pk)
    every_cycle = district.cycles_for(request.user)
    cycles = [c for c in every_cycle if c.framework_id == found.framework_id]
    wanted = _number(request.GET.get("cycle"))
    if wanted:
        cycle = next((c for c in cycles if str(c.pk) == wanted), None)
    else:
        cycle = competency.default_cycle(cycles, found)
    if cycle is None:
        raise Http404("No cycle of this district uses this competency's framework.")
    basis = basis_from(request.GET.get("basis"))
    ctx = {
        "district": request.user.district,
        "competency": found,
        "team": team,
        "cycles": cycles,
        "cycle": cycle,
        **choosing.basis_context(basis),
        "data": competency.build(found, cycle, every_cycle, team=team, basis=basis),
        # The individual report's address but for the id: reversed once, not per person.
        "individual_url": reverse("reports:individual", args=[0]).removesuffix("0/"),
    }
    audit.record(
        request,
        "report.viewed",
        obj=team or found,
        district=request.user.district,
        report="competency",
        competency=found.code,
        cycle=cycle.pk,
    )
    return render(request, "reports/competency.html", ctx)
