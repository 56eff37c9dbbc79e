"""
Who may see and change what: the one access rule, as queryset methods that the models use
as their managers and every view reaches through ``assessments.access``.

- A person sees only their own district; every object of another district answers 404,
  exactly like an object that does not exist (``access.get_*_or_404``).
- Inside the district, a missing role answers 403 (``access.role_required``).
- Reporting lines: every person's reviewer is the lead of their team, or, for a team's
  lead (or a person whose team has no lead), whom they report to (``reviewer_id``, the
  one rule). Nobody reviews themselves. A reviewer's "people" are those who report to
  them, directly and through the chain (``reporting_lines``).
- Staff see themselves; a reviewer also sees their people; the superintendent, HR and
  district admins see everyone in the district. District admins alone manage people and
  teams.
- Assessments: a person reads and edits their own. A draft (or one returned for
  revision) is private until submitted: a reviewer reads the submitted and later work of
  their people and reviews that of the people whose reviewer they are (never their own);
  the superintendent reads every submitted or later assessment of the district (and
  reviews only the people who report to them); HR reads only finalized or acknowledged
  ones. Status and progress (never ratings) are followed through ``trackable_by``: by a
  reviewer for their people, by the superintendent and district admins for the district.
- Team reports: the lead of the team, or the superintendent for any team of the district.
- Whole-cycle exports: HR, for their district's cycles.
- Platform admins (``frameworks.access.is_platform_admin``) manage districts and frameworks;
  that one check is defined in ``frameworks`` (which imports neither of the other apps) and
  re-exported by ``assessments.access``.

The district always comes from the signed-in person, never from the request.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .roles import Role

DISTRICT_WIDE = (Role.ADMIN, Role.SUPERINTENDENT, Role.HR)


def reviewer_id(person_id: int, team_lead_id: int | None, reports_to_id: int | None) -> int | None:
    """
    The one rule of who reviews a person: the lead of their team; for the team's own lead,
    or a person whose team has no lead, whom they report to; never the person themselves.
    None when neither is set.
    """
    if team_lead_id is not None and team_lead_id != person_id:
        return team_lead_id
    if reports_to_id is not None and reports_to_id != person_id:
        return reports_to_id
    return None


@dataclass(frozen=True)
class ReportingLines:
    """The people a viewer reviews (``direct``) and all who report to them (``chain``)."""

    direct: frozenset[int]
    chain: frozenset[int]


def reporting_lines(viewer) -> ReportingLines:
    """
    Who reports to ``viewer``, directly and through the chain: one query reading the
    district's reporting lines (a fixed cost whatever the district's size or depth), kept
    on the instance for the rest of the request.
    """
    if not hasattr(viewer, "_reporting_lines"):
        reviewed: dict[int, set[int]] = {}
        if viewer.is_authenticated and viewer.district_id is not None:
            lines = viewer._meta.default_manager.filter(district_id=viewer.district_id).values_list(
                "pk", "team__lead_id", "reports_to_id"
            )
            for person_id, lead_id, reports_to_id in lines:
                reviewer = reviewer_id(person_id, lead_id, reports_to_id)
                if reviewer is not None:
                    reviewed.setdefault(reviewer, set()).add(person_id)
        direct = reviewed.get(viewer.pk, set())
        chain, frontier = set(), set(direct)
        while frontier:  # the chain may loop back (A reports to B, B to A): stop there
            chain |= frontier
            frontier = set().union(*(reviewed.get(p, set()) for p in frontier)) - chain
        chain.discard(viewer.pk)
        viewer._reporting_lines = ReportingLines(frozenset(direct - {viewer.pk}), frozenset(chain))
    return viewer._reporting_lines


class PersonQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(district_id=viewer.district_id)

    def visible_to(self, viewer):
        """
        People whose profile and work this viewer may read: themselves and the people who
        report to them, directly and through the chain; the whole district for the
        superintendent, HR and district admins.
        """
        people = self.in_district_of(viewer)
        if viewer.is_authenticated and viewer.has_role(*DISTRICT_WIDE):
            return people
        if not viewer.is_authenticated:
            return people
        return people.filter(Q(pk=viewer.pk) | Q(pk__in=reporting_lines(viewer).chain))

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
        """Cycle exports this viewer may follow and download: HR, of their own district's."""
        if not viewer.is_authenticated or not viewer.has_role(Role.HR):
            return self.none()
        return self.filter(kind="cycle", cycle__district_id=viewer.district_id)

    def reports_of(self, viewer):
        """
        The report jobs (team and district PDFs, a team's reports) this viewer asked for,
        in their own district. Whether they may still read the report is checked again
        on every look (``reports.exports.access.get_report_job_or_404``).
        """
        if not viewer.is_authenticated:
            return self.none()
        return self.exclude(kind="cycle").filter(
            requested_by=viewer, cycle__district_id=viewer.district_id
        )


class AssessmentQuerySet(models.QuerySet):
    def in_district_of(self, viewer):
        if not viewer.is_authenticated or viewer.district_id is None:
            return self.none()
        return self.filter(cycle__district_id=viewer.district_id)

    def visible_to(self, viewer):
        """
        Assessments whose ratings, notes and reports this viewer may read: their own in
        any state; others' only once submitted (a draft is private): those of the people
        who report to them (directly or through the chain), the district's for the
        superintendent, finalized or acknowledged ones for HR.
        """
        assessments = self.in_district_of(viewer)
        if not viewer.is_authenticated:
            return assessments
        allowed = Q(person=viewer)
        handed_in = Q(status__in=self.model.HANDED_IN)
        if viewer.has_role(Role.SUPERINTENDENT):
            allowed |= handed_in
        else:
            allowed |= handed_in & Q(person__in=reporting_lines(viewer).chain)
        if viewer.has_role(Role.HR):
            allowed |= Q(status__in=self.model.OFFICIAL)
        return assessments.filter(allowed)

    def owned_by(self, viewer):
        """The viewer's own assessments: the only ones they edit, submit or acknowledge."""
        return self.in_district_of(viewer).filter(person=viewer)

    def plannable_by(self, viewer):
        """
        Assessments whose development plan this viewer works on: their own (they write
        it), and the submitted or later work of the people they review (they comment on it).
        """
        if not viewer.is_authenticated:
            return self.none()
        reviewed = Q(person__in=reporting_lines(viewer).direct, status__in=self.model.HANDED_IN)
        return self.in_district_of(viewer).filter(Q(person=viewer) | reviewed)

    def reviewable_by(self, viewer):
        """
        Submitted work of the people whose reviewer the viewer is (``reviewer_id``);
        nobody reviews themselves.
        """
        if not viewer.is_authenticated:
            return self.none()
        return self.in_district_of(viewer).filter(
            person__in=reporting_lines(viewer).direct, status="submitted"
        )

    def trackable_by(self, viewer):
        """
        Assessments whose status and progress (never their ratings or notes) this viewer
        may follow: the district's for district admins and the superintendent, their own
        and their people's (directly or through the chain) for a reviewer, their own for
        everyone else. Only for pages that show status and how many competencies are rated.
        """
        assessments = self.in_district_of(viewer)
        if not viewer.is_authenticated:
            return assessments
        if viewer.has_role(Role.ADMIN, Role.SUPERINTENDENT):
            return assessments
        return assessments.filter(Q(person=viewer) | Q(person__in=reporting_lines(viewer).chain))


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
