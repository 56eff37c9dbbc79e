"""
Who may see and change what: the one access rule that every view goes through.

- A person sees only their own district; every object of another district answers 404,
  exactly like an object that does not exist (``get_*_or_404`` below).
- Inside the district, a missing role answers 403 (``role_required``).
- Staff see themselves; a lead also sees the members of the teams they lead; the
  superintendent, HR and district admins see everyone in the district. District admins
  alone manage people and teams.
- Assessments: a person reads and edits their own; a lead reads and reviews the
  submitted work of their team's members (never their own); the superintendent reads
  every assessment of the district; HR reads only finalized or acknowledged ones;
  district admins see cycles and who has submitted, not what anyone rated.
- Platform admins (superusers without a district) work in the Django admin only.

The district always comes from the signed-in person, never from the request.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .roles import LEAD, Role

DISTRICT_WIDE = (Role.ADMIN, Role.SUPERINTENDENT, Role.HR)


class PersonQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(district_id=viewer.district_id)

    def visible_to(self, viewer):
        """People whose profile and work this viewer may read."""
        people = self.in_district_of(viewer)
        if viewer.is_authenticated and viewer.has_role(*DISTRICT_WIDE):
            return people
        allowed = Q(pk=viewer.pk)
        if viewer.is_authenticated and viewer.has_role(LEAD):
            allowed |= Q(team__lead=viewer)
        return people.filter(allowed)

    def manageable_by(self, viewer):
        """People this viewer may add, edit, invite or deactivate: district admins only."""
        if viewer.is_authenticated and viewer.has_role(Role.ADMIN):
            return self.in_district_of(viewer)
        return self.none()


class TeamQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(district_id=viewer.district_id)

    def visible_to(self, viewer):
        """Teams this viewer may read: all of the district's, or the ones they lead."""
        teams = self.in_district_of(viewer)
        if viewer.is_authenticated and viewer.has_role(*DISTRICT_WIDE):
            return teams
        return teams.filter(lead=viewer)

    def manageable_by(self, viewer):
        if viewer.is_authenticated and viewer.has_role(Role.ADMIN):
            return self.in_district_of(viewer)
        return self.none()


class CycleQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Cycles of the viewer's own district."""
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(district_id=viewer.district_id)

    def manageable_by(self, viewer):
        """Cycles this viewer may open, close and add people to: district admins only."""
        if viewer.is_authenticated and viewer.has_role(Role.ADMIN):
            return self.visible_to(viewer)
        return self.none()


OFFICIAL_STATUSES = ("finalized", "acknowledged")


class AssessmentQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(cycle__district_id=viewer.district_id)

    def visible_to(self, viewer):
        """Assessments whose ratings, notes and reports this viewer may read."""
        assessments = self.in_district_of(viewer)
        if not viewer.is_authenticated:
            return assessments
        if viewer.has_role(Role.SUPERINTENDENT):
            return assessments
        allowed = Q(person=viewer)
        if viewer.has_role(LEAD):
            allowed |= Q(person__team__lead=viewer)
        if viewer.has_role(Role.HR):
            allowed |= Q(status__in=OFFICIAL_STATUSES)
        return assessments.filter(allowed)

    def reviewable_by(self, viewer):
        """Submitted work of the members of the viewer's teams; nobody reviews themselves."""
        if not viewer.is_authenticated or not viewer.has_role(LEAD):
            return self.none()
        return (
            self.in_district_of(viewer)
            .filter(person__team__lead=viewer, status="submitted")
            .exclude(person=viewer)
        )

    def trackable_by(self, viewer):
        """Assessments whose status (not content) this viewer may follow: district admins."""
        if viewer.is_authenticated and viewer.has_role(Role.ADMIN):
            return self.in_district_of(viewer)
        return self.visible_to(viewer)


class AuditEventQuerySet(models.QuerySet):
    """Append-only: updates and deletes through querysets are refused."""

    def visible_to(self, viewer):
        """The events of the viewer's district, for its district admins only."""
        if not viewer.is_authenticated or not viewer.has_role(Role.ADMIN):
            return self.none()
        return self.filter(district_id=viewer.district_id)

    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


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
    from .models import User

    people = User.objects.manageable_by(viewer) if manage else User.objects.visible_to(viewer)
    return get_object_or_404(people, pk=pk)


def get_team_or_404(viewer, pk, *, manage: bool = False):
    from .models import Team

    teams = Team.objects.manageable_by(viewer) if manage else Team.objects.visible_to(viewer)
    return get_object_or_404(teams, pk=pk)


def get_assessment_or_404(viewer, pk, *, purpose: str = "read"):
    """The assessment ``pk`` if the viewer may read it (or, for "review", review it); else 404."""
    from .models import Assessment

    assessments = {
        "read": Assessment.objects.visible_to,
        "review": Assessment.objects.reviewable_by,
    }[purpose](viewer)
    related = ("cycle__framework", "cycle__district", "person__team", "role_profile")
    return get_object_or_404(assessments.select_related(*related), pk=pk)
