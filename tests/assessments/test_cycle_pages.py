"""Cycles people can trust: closing after a confirmation, reopening, adding newcomers."""

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.models import Assessment, AuditEvent, Cycle
from assessments.roles import Role
from tests.cast import make_person, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(a, shipped_framework):
    cycle = open_cycle(a, shipped_framework, a.staff, a.lead)
    mine = cycle.assessments.get(person=a.lead)
    changes = [workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()]
    mine = workflow.save_ratings(
        person=a.lead, assessment=mine, version=mine.version, changes=changes
    )
    workflow.submit(person=a.lead, assessment=mine, version=mine.version)
    return cycle


def test_closing_asks_first_and_lists_who_has_not_submitted_or_been_reviewed(admin_a, a, cycle):
    url = reverse("assessments:cycle_close", args=[cycle.pk])
    page = admin_a.get(url).text
    assert "Not submitted (1)" in page and "Northfield Netadmin — Draft" in page
    assert "Submitted, not reviewed yet (1)" in page and "<li>Northfield CTO</li>" in page
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN  # a GET changes nothing
    assert admin_a.post(url).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.CLOSED


def test_an_admin_reopens_a_closed_cycle_and_it_is_audited(admin_a, client, a, cycle):
    workflow.close_cycle(actor=a.admin, cycle=cycle)
    url = reverse("assessments:cycle_reopen", args=[cycle.pk])
    assert admin_a.post(url).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN
    event = AuditEvent.objects.get(action="cycle.reopened")
    assert event.actor == a.admin and event.object_id == str(cycle.pk)
    page = admin_a.post(url, follow=True).text  # open already: refused, said so
    assert "is open already" in page
    assert AuditEvent.objects.filter(action="cycle.reopened").count() == 1
    # Its assessments thaw: the lead's submission can be reviewed again.
    mine = cycle.assessments.get(person=a.lead)
    workflow.return_for_revision(reviewer=a.superintendent, assessment=mine, message="More.")


def test_people_added_since_the_cycle_opened_join_in_one_action(admin_a, a, cycle):
    new = [
        make_person(
            a.district,
            f"new{n}@northfield.example",
            f"Newcomer {n}",
            Role.STAFF,
            team=a.team,
            job_role="tech-support-specialist",
        )
        for n in (1, 2)
    ]
    make_person(a.district, "boss@northfield.example", "No Job Role", Role.HR)
    page = admin_a.get(reverse("assessments:cycle", args=[cycle.pk])).text
    assert "Add 2 people to 2026 annual review" in page
    assert "No Job Role" not in page.split("since this cycle opened")[1].split("</section>")[0]
    response = admin_a.post(reverse("assessments:cycle_add_newcomers", args=[cycle.pk]))
    assert response.status_code == 302
    assert set(
        Assessment.objects.filter(cycle=cycle, person__in=new).values_list(
            "person__email", flat=True
        )
    ) == {p.email for p in new}
    assert AuditEvent.objects.filter(action="cycle.participant_added").count() == 2
    page = admin_a.get(reverse("assessments:cycle", args=[cycle.pk])).text
    assert "since this cycle opened" not in page


def test_adding_newcomers_is_all_or_nothing_and_names_who_lacks_a_reviewer(admin_a, a, cycle):
    make_person(
        a.district,
        "ok@northfield.example",
        "Ready One",
        Role.STAFF,
        team=a.team,
        job_role="tech-support-specialist",
    )
    make_person(
        a.district,
        "loner@northfield.example",
        "Lone Newcomer",
        Role.STAFF,
        job_role="tech-support-specialist",
    )
    response = admin_a.post(
        reverse("assessments:cycle_add_newcomers", args=[cycle.pk]), follow=True
    )
    assert "Lone Newcomer has no reviewer" in response.text
    assert cycle.assessments.count() == 2
