"""Landing pages by role: each person sees what they have to do next."""

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.roles import Role
from tests.cast import make_person, open_cycle

pytestmark = pytest.mark.django_db


def home(client, person) -> str:
    """The page a person lands on (the superintendent's is the district dashboard)."""
    client.force_login(person)
    return client.get(reverse("home"), follow=True).text


@pytest.fixture
def cycle(a, shipped_framework):
    cycle = open_cycle(a, shipped_framework, a.staff, a.lead)
    for person in (a.staff, a.lead):
        mine = cycle.assessments.get(person=person)
        changes = [workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()]
        mine = workflow.save_ratings(
            person=person, assessment=mine, version=mine.version, changes=changes
        )
        workflow.submit(person=person, assessment=mine, version=mine.version)
    return cycle


def test_a_reviewers_queue_links_to_each_persons_assessment_and_report(client, a, cycle):
    for reviewer, person in ((a.lead, a.staff), (a.superintendent, a.lead)):
        mine = cycle.assessments.get(person=person)
        page = home(client, reviewer)
        assert "Waiting for your review" in page
        for name in ("assessments:review", "assessments:detail", "reports:individual"):
            assert f'href="{reverse(name, args=[mine.pk])}"' in page, (reviewer, name)


def test_each_role_lands_on_its_work(client, a, cycle):
    landing = home(client, a.superintendent)
    assert "District dashboard: Northfield" in landing
    assert f'href="{reverse("reports:district")}"' in landing
    assert f'href="{reverse("reports:hr_list")}"' in home(client, a.hr)
    admin = home(client, a.admin)
    assert "Open cycles" in admin and "2 submitted" in admin and "0 draft" in admin


def test_staff_are_told_what_to_do_next(client, a, cycle):
    mine = cycle.assessments.get(person=a.staff)
    mine = workflow.return_for_revision(reviewer=a.lead, assessment=mine, message="Add notes.")
    page = home(client, a.staff)
    assert "fix what your reviewer returned: Add notes." in page


def test_only_those_who_can_fix_it_see_job_role_not_set(client, a):
    for person in (a.superintendent, a.hr):
        assert "Not set yet" not in home(client, person)
    assert "set it on the <a" in home(client, a.admin)
    newcomer = make_person(a.district, "new@northfield.example", "New Staff", Role.STAFF)
    assert "Not set yet — ask your district admin" in home(client, newcomer)


def test_people_who_take_no_part_in_cycles_see_no_rating_prompts(client, a, cycle):
    """The superintendent (no job role) is not asked to rate; staff are."""
    assert not a.superintendent.job_role
    page = home(client, a.superintendent)
    assert "Your assessment" not in page and "Before you rate yourself" not in page
    page = home(client, a.staff)
    assert "Your assessment" in page and "Before you rate yourself" in page
