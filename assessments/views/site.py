"""The home page, and the health check for load balancers."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from frameworks.models import Framework, RoleProfile

from ..access import is_platform_admin
from ..models import Assessment, Cycle, Team
from ..roles import ROLE_NAMES, Role
from ..selectors import with_progress


@require_safe
@login_required
def home(request):
    """Each person's landing page, with what fits their roles in the district."""
    person = request.user
    if person.district_id is None:
        # Platform admins have no district: their work is in the Django admin.
        return redirect("admin:index" if is_platform_admin(person) else "frameworks:list")
    if _lands_on_dashboard(person):
        return redirect("reports:dashboard")
    framework = Framework.objects.published().order_by("-id").first()
    job_role = (
        RoleProfile.objects.filter(framework=framework, code=person.job_role).first()
        if framework and person.job_role
        else None
    )
    mine = list(
        with_progress(Assessment.objects.owned_by(person))
        .select_related("cycle", "role_profile")
        .order_by("-cycle__opens_on")
    )
    current = [a for a in mine if a.cycle.status == Cycle.Status.OPEN]
    is_admin = person.has_role(Role.ADMIN)
    ctx = {
        "current": current,
        "past": [a for a in mine if a not in current],
        "to_review": Assessment.objects.reviewable_by(person).select_related("person", "cycle"),
        "district": person.district,
        "team": person.team,
        "framework": framework,
        "job_role": job_role,
        "roles": [ROLE_NAMES[role] for role in sorted(person.role_set())],
        # "Job role not set" is shown to those who need one (staff) or set it (admins).
        "needs_job_role": not job_role and (person.has_role(Role.STAFF) or is_admin),
        "is_admin": is_admin,
        # A district admin's landing: where each open cycle stands, by status.
        "open_cycles": _cycle_progress(person) if is_admin else [],
        "led_teams": Team.objects.filter(lead=person).prefetch_related("members"),
        # Status and progress only: a member's draft stays private until submitted.
        "team_progress": with_progress(
            Assessment.objects.trackable_by(person)
            .filter(person__team__lead=person, cycle__status=Cycle.Status.OPEN)
            .exclude(person=person)
            .select_related("person", "cycle")
        ).order_by("person__full_name", "cycle__opens_on"),
    }
    return render(request, "assessments/home.html", ctx)


def _lands_on_dashboard(person) -> bool:
    """
    The superintendent's landing page is the district dashboard (which lists the reviews
    waiting for them too), unless this page holds other work of theirs: a district admin's
    or HR's, or assessments of their own.
    """
    return (
        person.has_role(Role.SUPERINTENDENT)
        and not person.has_role(Role.ADMIN, Role.HR)
        and not Assessment.objects.owned_by(person).exists()
    )


def _cycle_progress(admin) -> list[tuple[Cycle, dict[str, int]]]:
    """The district's open cycles, each with how many assessments are in each status."""
    cycles = list(Cycle.objects.manageable_by(admin).filter(status=Cycle.Status.OPEN))
    counts = (
        Assessment.objects.trackable_by(admin)
        .filter(cycle__in=cycles)
        .values_list("cycle_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_cycle: dict[int, dict[str, int]] = {cycle.pk: {} for cycle in cycles}
    for cycle_id, status, n in counts:
        by_cycle[cycle_id][status] = n
    labels = dict(Assessment.Status.choices)
    return [
        (cycle, {labels[s]: by_cycle[cycle.pk].get(s, 0) for s in Assessment.Status.values})
        for cycle in cycles
    ]


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
