"""The home page, and the health check for load balancers."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from frameworks.models import Framework, RoleProfile

from ..models import Assessment, Cycle, Team
from ..roles import ROLE_NAMES
from ..selectors import with_progress


@login_required
def home(request):
    """Each person's landing page, with what fits their roles in the district."""
    person = request.user
    if person.district_id is None:
        # Platform admins have no district: their work is in the Django admin.
        return redirect("admin:index") if person.is_staff else redirect("frameworks:list")
    framework = Framework.objects.published().order_by("-id").first()
    job_role = (
        RoleProfile.objects.filter(framework=framework, code=person.job_role).first()
        if framework and person.job_role
        else None
    )
    mine = list(
        # Their assessments in their district now: a move leaves the old one's behind.
        with_progress(Assessment.objects.in_district_of(person).filter(person=person))
        .select_related("cycle", "role_profile")
        .order_by("-cycle__opens_on")
    )
    current = [a for a in mine if a.cycle.status == Cycle.Status.OPEN]
    ctx = {
        "current": current,
        "past": [a for a in mine if a not in current],
        "to_review": Assessment.objects.reviewable_by(person).select_related("person", "cycle"),
        "district": person.district,
        "team": person.team,
        "framework": framework,
        "job_role": job_role,
        "roles": [ROLE_NAMES[role] for role in sorted(person.role_set())],
        "led_teams": Team.objects.filter(lead=person).prefetch_related("members"),
    }
    return render(request, "assessments/home.html", ctx)


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
