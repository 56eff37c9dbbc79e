"""
The one access rule (``assessments.access``) where the matrix alone does not show it:
drafts are private until submitted, status and progress stay visible to those who follow
them, a wrong actor's POST changes nothing, and who a platform admin is.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from assessments import workflow
from assessments.models import Assessment, AuditEvent, User
from frameworks.models import Framework
from frameworks.services import copy_framework

pytestmark = pytest.mark.django_db

READ_PAGES = ("assessments:detail", "reports:individual", "reports:individual_pdf")


def _statuses(client, viewer, assessment) -> dict[str, int]:
    client.force_login(viewer)
    return {
        name: client.get(reverse(name, args=[assessment.pk])).status_code for name in READ_PAGES
    }


def _returned(a):
    """The coach's submitted assessment, returned for revision by the lead."""
    return workflow.return_for_revision(reviewer=a.lead, assessment=a.submitted, message="More")


def test_a_draft_is_read_by_its_author_alone(client, world):
    a = world.a
    for viewer in (a.lead, a.superintendent, a.hr, a.admin):
        assert set(_statuses(client, viewer, a.member_draft).values()) == {404}, viewer
    assert set(_statuses(client, a.tech, a.member_draft).values()) == {200}


def test_a_returned_assessment_is_private_again(client, world):
    a = world.a
    returned = _returned(a)
    for viewer in (a.lead, a.superintendent):
        assert set(_statuses(client, viewer, returned).values()) == {404}, viewer
    assert set(_statuses(client, a.coach, returned).values()) == {200}


def test_the_lead_and_the_superintendent_read_it_once_submitted(client, world):
    a = world.a
    workflow.submit(person=a.tech, assessment=a.member_draft, version=a.member_draft.version)
    for viewer in (a.lead, a.superintendent):
        assert set(_statuses(client, viewer, a.member_draft).values()) == {200}, viewer
    assert set(_statuses(client, a.hr, a.member_draft).values()) == {404}  # not official yet


def test_the_lead_follows_a_drafts_status_and_progress_without_its_ratings(client, world):
    a = world.a
    client.force_login(a.lead)
    page = client.get(reverse("home")).content.decode()
    rated = a.member_draft.ratings.filter(level__isnull=False).count()
    total = a.member_draft.ratings.count()
    row = page[page.index(a.tech.full_name, page.index("team-progress")) :]
    assert row.startswith(f"{a.tech.full_name}</th><td>{a.cycle.title}</td><td>Draft</td>")
    assert f"<td>{rated} of {total}</td>" in row[:300]
    assert reverse("assessments:detail", args=[a.member_draft.pk]) not in page
    assert reverse("reports:individual", args=[a.member_draft.pk]) not in page


def test_the_superintendent_sees_the_draft_counted_as_not_submitted(client, world):
    a = world.a
    client.force_login(a.superintendent)
    page = client.get(reverse("reports:district")).content.decode()
    # Technology: staff (finalized), coach (submitted), lead and tech (drafts).
    assert "<td>4</td><td>2</td><td>1</td><td>2</td>" in page


def test_status_is_trackable_where_content_is_not_visible(world):
    a = world.a
    drafts = {a.draft.pk, a.member_draft.pk}
    for viewer, sees_drafts in (
        (a.lead, {a.draft.pk, a.member_draft.pk}),
        (a.superintendent, drafts),
    ):
        trackable = set(Assessment.objects.trackable_by(viewer).values_list("pk", flat=True))
        visible = set(Assessment.objects.visible_to(viewer).values_list("pk", flat=True))
        assert sees_drafts <= trackable
        assert drafts & visible == ({a.draft.pk} if viewer == a.lead else set())
    assert not Assessment.objects.trackable_by(a.hr).filter(pk__in=drafts).exists()
    assert not Assessment.objects.trackable_by(world.b.admin).filter(pk__in=drafts).exists()
    assert not Assessment.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("role", ["lead", "superintendent", "hr"])
def test_acknowledging_someone_elses_record_answers_404_and_changes_nothing(client, world, role):
    a = world.a
    client.force_login(getattr(a, role))
    response = client.post(reverse("assessments:acknowledge", args=[a.finalized.pk]))
    assert response.status_code == 404
    a.finalized.refresh_from_db()
    assert a.finalized.status == Assessment.Status.FINALIZED
    assert not AuditEvent.objects.filter(action="assessment.acknowledged").exists()


@pytest.mark.parametrize(("name", "target"), [("submit", "draft"), ("acknowledge", "finalized")])
def test_another_districts_post_answers_404_and_changes_nothing(client, world, name, target):
    assessment = getattr(world.a, target)
    for role in ("staff", "lead", "superintendent", "hr", "admin"):
        client.force_login(getattr(world.b, role))
        response = client.post(
            reverse(f"assessments:{name}", args=[assessment.pk]), {"version": assessment.version}
        )
        assert response.status_code == 404, role
    assert Assessment.objects.get(pk=assessment.pk).version == assessment.version


def _platform_admin_answers(client, user, draft) -> tuple[int, int, bool]:
    client.force_login(user)
    detail = reverse("frameworks:detail", args=[draft.slug, draft.version])
    return (
        client.get(reverse("frameworks:import")).status_code,
        client.get(detail).status_code,
        client.get(reverse("admin:index")).status_code == 200,
    )


def test_one_rule_says_who_a_platform_admin_is(client, shipped_framework):
    """The import page, draft frameworks and the Django admin let in the same people."""
    draft = copy_framework(framework=shipped_framework)
    assert draft.status == Framework.Status.DRAFT
    staff = User.objects.create_user("ops@skillsportal.example", "x" * 16, is_staff=True)
    superuser_only = User.objects.create_user(
        "su@skillsportal.example", "x" * 16, is_superuser=True
    )
    assert _platform_admin_answers(client, staff, draft) == (200, 200, True)
    assert _platform_admin_answers(client, superuser_only, draft) == (404, 404, False)
