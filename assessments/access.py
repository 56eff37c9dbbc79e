"""
The view side of the one access rule: ``role_required`` (a missing role answers 403) and
one ``get_*_or_404`` per object type (an object of another district, or one the viewer may
not see, answers 404 exactly like one that does not exist). Who sees what is decided by the
queryset methods in ``assessments.querysets``; the views reach them only through here.

The district always comes from the signed-in person, never from the request.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from frameworks.access import is_platform_admin as is_platform_admin
from frameworks.access import platform_admin_required as platform_admin_required

from .models import Assessment, Cycle, Team, User
from .querysets import DISTRICT_WIDE as DISTRICT_WIDE


def role_required(*roles: str):
    """
    Sign-in required; then 403 unless the person holds one of ``roles`` in their district.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_person_or_404(viewer, pk, *, manage: bool = False):
    people = User.objects.manageable_by(viewer) if manage else User.objects.visible_to(viewer)
    return get_object_or_404(people, pk=pk)


def get_team_or_404(viewer, pk, *, manage: bool = False, report: bool = False):
    """The team ``pk`` if the viewer may read it (or manage it, or read its report); else 404."""
    if manage:
        teams = Team.objects.manageable_by(viewer)
    elif report:
        teams = Team.objects.reportable_by(viewer).select_related("district")
    else:
        teams = Team.objects.visible_to(viewer)
    return get_object_or_404(teams, pk=pk)


def get_cycle_or_404(viewer, pk, *, purpose: str = "read"):
    """The cycle ``pk`` if the viewer may read it (or "manage" or "export" it); else 404."""
    cycles = {
        "read": Cycle.objects.visible_to,
        "manage": Cycle.objects.manageable_by,
        "export": Cycle.objects.exportable_by,
    }[purpose](viewer)
    return get_object_or_404(cycles, pk=pk)


def get_assessment_or_404(viewer, pk, *, purpose: str = "read"):
    """
    The assessment ``pk`` if the viewer may read it (or, for "review", review it; for
    "own", act on it as its author; for "plan", work on its development plan); else 404. Look the assessment up here first, then
    check its state: an assessment that is not the viewer's answers 404 whatever its state.
    """
    assessments = {
        "read": Assessment.objects.visible_to,
        "review": Assessment.objects.reviewable_by,
        "own": Assessment.objects.owned_by,
        "plan": Assessment.objects.plannable_by,
    }[purpose](viewer)
    related = ("cycle__framework", "cycle__district", "person__team", "role_profile")
    return get_object_or_404(assessments.select_related(*related), pk=pk)
