"""
The world the security suite attacks: districts A and B, each with the standard cast, a
cycle with assessments in several states (the lead's own draft, every competency rated
and ready to submit; a team member's private draft; a submitted one, reviewed on every
competency and ready to finalize, and a finalized one), and
an export, a team PDF job of the lead's; plus a platform admin.
"""

import datetime
from types import SimpleNamespace

import pytest

from assessments import workflow
from assessments.models import Cycle, User
from assessments.roles import Role
from assessments.workflow import RatingChange
from frameworks.models import FrameworkImport
from reports.models import CycleExport
from tests.cast import make_district, make_person, open_cycle

ROLES = ("staff", "lead", "superintendent", "hr", "admin")


def _through(assessment, *, to: str, lead):
    changes = [RatingChange(r.competency_id, level=3) for r in assessment.ratings.all()]
    assessment = workflow.save_ratings(
        person=assessment.person, assessment=assessment, version=assessment.version, changes=changes
    )
    if to == "draft":
        return assessment
    assessment = workflow.submit(
        person=assessment.person, assessment=assessment, version=assessment.version
    )
    # Reviewed on every competency: ready to finalize.
    assessment = workflow.save_review(
        reviewer=lead, assessment=assessment, version=assessment.version, changes=changes
    )
    if to == "finalized":
        assessment = workflow.finalize(reviewer=lead, assessment=assessment)
    return assessment


def build_district(slug, framework):
    cast = make_district(slug, slug.title())
    cast.coach = make_person(
        cast.district,
        f"coach@{slug}.example",
        f"{slug.title()} Coach",
        Role.STAFF,
        team=cast.team,
        job_role="instructional-tech-coordinator",
    )
    cast.tech = make_person(
        cast.district,
        f"tech@{slug}.example",
        f"{slug.title()} Technician",
        Role.STAFF,
        team=cast.team,
        job_role="tech-support-specialist",
    )
    cast.cycle = open_cycle(cast, framework, cast.staff, cast.coach, cast.lead, cast.tech)
    assessments = cast.cycle.assessments
    cast.finalized = _through(assessments.get(person=cast.staff), to="finalized", lead=cast.lead)
    cast.submitted = _through(assessments.get(person=cast.coach), to="submitted", lead=cast.lead)
    cast.draft = _through(assessments.get(person=cast.lead), to="draft", lead=cast.lead)
    cast.member_draft = _through(assessments.get(person=cast.tech), to="draft", lead=cast.lead)
    cast.export = CycleExport.objects.create(cycle=cast.cycle, requested_by=cast.hr)
    # A team PDF the lead asked for (rendered in the background, not yet done).
    cast.report_job = CycleExport.objects.create(
        kind=CycleExport.Kind.TEAM_PDF, cycle=cast.cycle, team=cast.team, requested_by=cast.lead
    )
    # Last year's cycle, closed (an admin may reopen it).
    cast.closed_cycle = Cycle.objects.create(
        district=cast.district,
        framework=framework,
        title="2025 review",
        opens_on=datetime.date(2025, 11, 1),
        due_on=datetime.date(2025, 12, 15),
        status=Cycle.Status.CLOSED,
    )
    # Added to the district after the cycle opened; invited, has not chosen a password yet.
    cast.newcomer = User.objects.create_user(
        f"newcomer@{slug}.example",
        None,
        full_name=f"{slug.title()} Newcomer",
        district=cast.district,
        team=cast.team,
        job_role="data-privacy-lead",
    )
    return cast


@pytest.fixture
def world(db, shipped_framework, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    root = User.objects.create_superuser("root@skillsportal.example", "x" * 16)
    return SimpleNamespace(
        a=build_district("northfield", shipped_framework),
        b=build_district("riverside", shipped_framework),
        framework=shipped_framework,
        root=root,
        # A large file a platform admin uploaded, waiting for the worker.
        framework_import=FrameworkImport.objects.create(
            requested_by=root, filename="state.json", format="case", dry_run=True, size=2**20
        ),
    )
