"""The demo that `make run` loads: every account signs in and lands on a page for its role."""

import pytest
from django.core.management import call_command

from assessments.models import Assessment, Cycle, User
from reports.individual import individual_context

pytestmark = pytest.mark.django_db

PASSWORD = "skills-demo-2026"
# account → a text its landing page must show
LANDINGS = {
    "cto": "Waiting for your review",
    "netadmin": "Submitted",
    "coach": "Returned for revision",
    "support": "Finalized",
    "privacy": "Acknowledged",
    "superintendent": "District report",
    "hr": "Official reports",
    # District admins (and platform admins) set up their second factor first.
    "admin": "Set up your sign-in code",
}


@pytest.fixture
def demo(shipped_framework, framework_2026_2):
    call_command("load_demo", verbosity=0)


def test_the_current_cycle_uses_2026_2_and_last_year_2026_1_followed_across(demo):
    """The report of this year's assessment compares with last year's across the versions."""
    for slug in ("northfield", "riverside"):
        cycles = Cycle.objects.filter(district__slug=slug)
        assert cycles.get(status=Cycle.Status.OPEN).framework.version == "2026.2"
        assert cycles.get(status=Cycle.Status.CLOSED).framework.version == "2026.1"
    current = Assessment.objects.get(
        person__email="netadmin@northfield.example", cycle__status=Cycle.Status.OPEN
    )
    ctx = individual_context(current)
    assert ctx["previous_version"] == "2026.1"
    changes = {c.line.code: c.change for c in ctx["report"].competencies}
    assert changes["INF.3"] is not None and changes["INF.11"] is not None  # kept, split
    assert changes["LRN.9"] is None  # new in 2026.2


def test_demo_has_every_state_and_loads_again_without_change(demo):
    for slug in ("northfield", "riverside"):
        current = Cycle.objects.get(district__slug=slug, status=Cycle.Status.OPEN)
        states = set(current.assessments.values_list("status", flat=True))
        assert states == {s.value for s in Assessment.Status}
        assert Cycle.objects.filter(district__slug=slug, status=Cycle.Status.CLOSED).exists()
    counts = (User.objects.count(), Cycle.objects.count(), Assessment.objects.count())
    call_command("load_demo", verbosity=0)
    assert (User.objects.count(), Cycle.objects.count(), Assessment.objects.count()) == counts


def test_the_cto_reports_to_the_superintendent_who_reviews_them(demo):
    for slug in ("northfield", "riverside"):
        cto = User.objects.get(email=f"cto@{slug}.example")
        superintendent = User.objects.get(email=f"superintendent@{slug}.example")
        assert cto.reviewer() == superintendent
        past = Cycle.objects.get(district__slug=slug, status=Cycle.Status.CLOSED)
        assert set(past.assessments.values_list("status", flat=True)) == {"acknowledged"}
        cto_last_year = past.assessments.get(person=cto)
        assert cto_last_year.reviewer == superintendent
        assert [o.version for o in cto_last_year.official_reports.all()] == [1, 2]
        waiting = Assessment.objects.reviewable_by(superintendent)
        assert [a.person for a in waiting] == [cto]


def test_every_demo_account_signs_in_and_lands_on_its_page(client, demo):
    for district in ("northfield", "riverside"):
        for mailbox, landing in LANDINGS.items():
            client.logout()
            response = client.post(
                "/account/signin/",
                {"username": f"{mailbox}@{district}.example", "password": PASSWORD},
                follow=True,
            )
            assert response.status_code == 200, mailbox
            assert landing in response.text, f"{mailbox}@{district}"
    client.logout()
    response = client.post(
        "/account/signin/",
        {"username": "root@skillsportal.example", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/account/signin/enrol/"
