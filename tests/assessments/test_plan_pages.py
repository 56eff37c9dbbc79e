"""The development plan: nothing silently dropped, and the reviewer comments on it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import plans, workflow
from assessments.models import Assessment, DevelopmentGoal
from tests.cast import open_cycle
from tests.reports.helpers import finalize

pytestmark = pytest.mark.django_db


@pytest.fixture
def cto_submitted(a, shipped_framework):
    mine = open_cycle(a, shipped_framework, a.lead).assessments.get()
    changes = [workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()]
    mine = workflow.save_ratings(
        person=a.lead, assessment=mine, version=mine.version, changes=changes
    )
    return workflow.submit(person=a.lead, assessment=mine, version=mine.version)


def row(competency="", goal="", actions="", date=""):
    data = {"goals-TOTAL_FORMS": 5, "goals-INITIAL_FORMS": 0}
    data.update(
        {
            "goals-0-competency": competency,
            "goals-0-goal": goal,
            "goals-0-actions": actions,
            "goals-0-target_date": date,
        }
    )
    return data


@pytest.mark.parametrize(
    "kind, message",
    [
        ("no competency", "Choose the competency this goal is for, or clear the row."),
        ("past date", "The target date is in the past: choose a later one."),
    ],
)
def test_a_goal_that_cannot_be_kept_is_refused_with_a_message(
    client, a, cto_submitted, kind, message
):
    competency = cto_submitted.ratings.first().competency_id
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "no competency": row("", "Run a tabletop exercise", "Book it", "2027-03-01"),
        "past date": row(competency, "Run a tabletop exercise", "Book it", yesterday.isoformat()),
    }[kind]
    client.force_login(a.lead)
    response = client.post(reverse("assessments:plan", args=[cto_submitted.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert "The development plan is saved" not in response.text
    assert not DevelopmentGoal.objects.exists()


def test_the_service_refuses_a_past_target_date(a, cto_submitted):
    goal = plans.GoalInput(
        competency_id=cto_submitted.ratings.first().competency_id,
        goal="g",
        actions="a",
        resource_id=None,
        target_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="in the past"):
        plans.save_plan(person=a.lead, assessment=cto_submitted, goals=[goal])


def test_the_reviewer_sees_and_comments_on_the_plan(client, a, cto_submitted):
    goal = plans.GoalInput(
        competency_id=cto_submitted.ratings.first().competency_id,
        goal="Lead the incident drill",
        actions="Plan it in spring",
        resource_id=None,
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    (saved,) = plans.save_plan(person=a.lead, assessment=cto_submitted, goals=[goal])
    client.force_login(a.superintendent)  # the CTO's reviewer
    url = reverse("assessments:plan", args=[cto_submitted.pk])
    assert "Lead the incident drill" in client.get(url).text
    response = client.post(url, {f"comments-goal-{saved.pk}": "Good choice."})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.lead_comment == "Good choice."
    with pytest.raises(ValidationError, match="reviewer"):
        plans.comment_on_plan(lead=a.staff, assessment=cto_submitted, comments={saved.pk: "x"})


def test_the_acknowledgment_comment_is_read_through_a_form(client, a, cto_submitted):
    """Kept as written up to the service (which trims it); a null character is refused
    with a message rather than reaching the database."""
    finalize(cto_submitted, a.superintendent)
    client.force_login(a.lead)
    url = reverse("assessments:acknowledge", args=[cto_submitted.pk])
    response = client.post(url, {"comment": "Read\x00 it."}, follow=True)
    assert "Null characters are not allowed." in response.text
    cto_submitted.refresh_from_db()
    assert cto_submitted.status == Assessment.Status.FINALIZED
    response = client.post(url, {"comment": "  Read it; agreed.  "}, follow=True)
    assert "Thank you: your acknowledgment is recorded." in response.text
    cto_submitted.refresh_from_db()
    assert cto_submitted.status == Assessment.Status.ACKNOWLEDGED
    assert cto_submitted.acknowledgment_comment == "Read it; agreed."
