"""
Who may see and change what: the one access rule, as queryset methods that the models use
as their managers and every view reaches through ``assessments.access``.

- A person sees only their own district; every object of another district answers 404,
  exactly like an object that does not exist (``access.get_*_or_404``).
- Inside the district, a missing role answers 403 (``access.role_required``).
- Staff see themselves; a lead also sees the members of the teams they lead; the
  superintendent, HR and district admins see everyone in the district. District admins
  alone manage people and teams.
- Assessments: a person reads and edits their own. A draft (or one returned for
  revision) is private until submitted: a lead reads and reviews the submitted and
  later work of their team's members (never their own); the superintendent reads every
  submitted or later assessment of the district; HR reads only finalized or acknowledged
  ones. Status and progress (never ratings) are followed through ``trackable_by``: by the
  lead for their team, by the superintendent and district admins for the district.
- Team reports: the lead of the team, or the superintendent for any team of the district.
- Whole-cycle exports: HR, for their district's cycles.
- Platform admins (``frameworks.access.is_platform_admin``) manage districts and frameworks;
  that one check is defined in ``frameworks`` (which imports neither of the other apps) and
  re-exported by ``assessments.access``.

The district always comes from the signed-in person, never from the request.
"""

from django.db import models
from django.db.models import Q

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

    def reportable_by(self, viewer):
        """
        Teams whose report this viewer may read: every team of the district for the
        superintendent, the teams they lead for a lead (so HR or a district admin who also
        leads a team sees only that team).
        """
        teams = self.in_district_of(viewer)
        if viewer.is_authenticated and viewer.has_role(Role.SUPERINTENDENT):
            return teams
        return teams.filter(lead=viewer)


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

    def exportable_by(self, viewer):
        """Cycles whose official records this viewer may export as one ZIP: HR only."""
        if viewer.is_authenticated and viewer.has_role(Role.HR):
            return self.visible_to(viewer)
        return self.none()


class CycleExportQuerySet(models.QuerySet):
    """For ``reports.models.CycleExport``: the rule lives here, the model in ``reports``."""

    def visible_to(self, viewer):
        """Exports this viewer may follow and download: HR, of their own district's cycles."""
        if not viewer.is_authenticated or not viewer.has_role(Role.HR):
            return self.none()
        return self.filter(cycle__district_id=viewer.district_id)


class AssessmentQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(cycle__district_id=viewer.district_id)

    def visible_to(self, viewer):
        """
        Assessments whose ratings, notes and reports this viewer may read: their own in
        any state; others' only once submitted (a draft is private): their team members'
        for a lead, the district's for the superintendent, finalized or acknowledged ones
        for HR.
        """
        assessments = self.in_district_of(viewer)
        if not viewer.is_authenticated:
            return assessments
        allowed = Q(person=viewer)
        handed_in = Q(status__in=self.model.HANDED_IN)
        if viewer.has_role(Role.SUPERINTENDENT):
            allowed |= handed_in
        elif viewer.has_role(LEAD):
            allowed |= handed_in & Q(person__team__lead=viewer)
        if viewer.has_role(Role.HR):
            allowed |= Q(status__in=self.model.OFFICIAL)
        return assessments.filter(allowed)

    def owned_by(self, viewer):
        """The viewer's own assessments: the only ones they edit, submit or acknowledge."""
        return self.in_district_of(viewer).filter(person=viewer)

    def plannable_by(self, viewer):
        """
        Assessments whose development plan this viewer works on: their own (they write
        it), and their team members' submitted or later work (they comment on it).
        """
        if not viewer.is_authenticated or not viewer.has_role(LEAD):
            return self.owned_by(viewer)
        led = Q(person__team__lead=viewer, status__in=self.model.HANDED_IN)
        return self.in_district_of(viewer).filter(Q(person=viewer) | led)

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
        """
        Assessments whose status and progress (never their ratings or notes) this viewer
        may follow: the district's for district admins and the superintendent, their own
        and their team members' for a lead, their own for everyone else. Only for pages
        that show status and how many competencies are rated.
        """
        assessments = self.in_district_of(viewer)
        if not viewer.is_authenticated:
            return assessments
        if viewer.has_role(Role.ADMIN, Role.SUPERINTENDENT):
            return assessments
        allowed = Q(person=viewer)
        if viewer.has_role(LEAD):
            allowed |= Q(person__team__lead=viewer)
        return assessments.filter(allowed)


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
