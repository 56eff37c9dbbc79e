"""
The demo that `make run` loads: every account signs in and lands on a page for its role,
and Northfield USD is a district whose reports say something.

The demo is loaded once for this module (it renders a hundred official PDFs) inside a
transaction that is rolled back at the end; each test runs in a savepoint on top of it.
"""

import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from assessments.models import (
    Assessment,
    AuditEvent,
    Cycle,
    DevelopmentGoal,
    District,
    Rating,
    Team,
    User,
)
from frameworks.models import Framework
from reports import district as district_report
from reports import team as team_report
from reports.individual import individual_context
from reports.models import OfficialReport
from tests.conftest import NEXT_FIXTURE, SHIPPED

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
    "admin": "Roster import",
}
TEAMS = {"Infrastructure & Security", "Instructional Technology", "Data & Privacy", "Support"}
Status = Assessment.Status


@pytest.fixture(scope="module")
def demo_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-private")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, demo_storage):
    with (
        django_db_blocker.unblock(),
        override_settings(
            PRIVATE_STORAGE_ROOT=demo_storage,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        # A transactional test before this module may have flushed the session's framework.
        if not Framework.objects.filter(slug=SHIPPED[0], version=SHIPPED[1]).exists():
            call_command("loaddata", "k12-it-leadership", verbosity=0)
        call_command("loaddata", NEXT_FIXTURE, verbosity=0)
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def cycles_of(slug: str) -> list[Cycle]:
    """The district's cycles, oldest first."""
    return list(Cycle.objects.filter(district__slug=slug).order_by("opens_on"))


def test_the_current_cycle_uses_2026_2_and_the_past_ones_2026_1_followed_across():
    """The report of this year's assessment compares with last year's across the versions."""
    for slug in ("northfield", "riverside"):
        *past, current = cycles_of(slug)
        assert current.status == Cycle.Status.OPEN and current.framework.version == "2026.2"
        assert {(c.status, c.framework.version) for c in past} == {("closed", "2026.1")}
    current = Assessment.objects.get(
        person__email="netadmin@northfield.example", cycle__status=Cycle.Status.OPEN
    )
    ctx = individual_context(current)
    assert ctx["previous_version"] == "2026.1"
    changes = {c.line.code: c.change for c in ctx["report"].competencies}
    assert changes["INF.3"] is not None and changes["INF.11"] is not None  # kept, split
    assert changes["LRN.9"] is None  # new in 2026.2


def test_northfield_has_four_teams_of_about_thirty_people_each_with_its_lead():
    northfield = District.objects.get(slug="northfield")
    teams = Team.objects.filter(district=northfield).select_related("lead")
    assert {t.name for t in teams} == TEAMS
    staff = User.objects.filter(district=northfield).exclude(job_role="").select_related("team")
    assert 25 <= len(staff) <= 35
    assert all(s.team is not None for s in staff)
    cto = User.objects.get(email="cto@northfield.example")
    for team in teams:
        members = [s for s in staff if s.team_id == team.pk]
        assert len(members) >= 5 and team.lead in members, team.name
        for member in members:
            # Each member is reviewed by the lead; the leads by the CTO, the CTO by the
            # superintendent.
            expected = cto if member == team.lead else team.lead
            if member == cto:
                expected = User.objects.get(email="superintendent@northfield.example")
            assert member.reviewer() == expected, member.email
    assert [t.name for t in Team.objects.filter(district__slug="riverside")] == ["Technology"]
    assert User.objects.filter(district__slug="riverside").exclude(job_role="").count() == 6


def test_three_cycles_the_district_grew_and_the_past_ones_are_closed_and_official():
    cycles = cycles_of("northfield")
    assert [c.status for c in cycles] == ["closed", "closed", "open"]
    sizes = [c.assessments.count() for c in cycles]
    assert sizes[0] < sizes[1] < sizes[2]
    for cycle in cycles[:2]:
        statuses = set(cycle.assessments.values_list("status", flat=True))
        assert statuses <= set(Assessment.OFFICIAL) and Status.ACKNOWLEDGED in statuses
    # Every official assessment has its PDFs: version 1, and 2 once acknowledged.
    for assessment in Assessment.objects.filter(status__in=Assessment.OFFICIAL):
        versions = [o.version for o in assessment.official_reports.order_by("version")]
        assert versions == ([1, 2] if assessment.status == Status.ACKNOWLEDGED else [1])


def test_the_official_pdfs_are_stored_files_with_their_hashes(demo_storage):
    cto_last_year = Assessment.objects.get(
        person__email="cto@northfield.example", cycle=cycles_of("northfield")[1]
    )
    for official in cto_last_year.official_reports.all():
        content = (demo_storage / official.path).read_bytes()
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == official.sha256


def test_the_open_cycle_shows_every_state():
    for slug in ("northfield", "riverside"):
        current = Cycle.objects.get(district__slug=slug, status=Cycle.Status.OPEN)
        states = set(current.assessments.values_list("status", flat=True))
        assert states == {s.value for s in Status}
    drafts = Assessment.objects.filter(
        cycle__district__slug="northfield", cycle__status=Cycle.Status.OPEN, status=Status.DRAFT
    )
    rated = {a.person.email: a.ratings.filter(level__isnull=False).count() for a in drafts}
    assert 0 in rated.values(), "nobody has not started"
    assert any(n > 0 for n in rated.values()), "no draft is part rated"
    tech = Assessment.objects.get(person__email="tech@northfield.example", status=Status.DRAFT)
    assert 0 < rated[tech.person.email] < tech.ratings.count()


def test_last_years_assessments_of_the_demo_accounts_were_acknowledged():
    for slug in ("northfield", "riverside"):
        last_year = cycles_of(slug)[-2]
        for mailbox in ("cto", "netadmin", "tech", "coach", "support", "privacy"):
            mine = last_year.assessments.get(person__email=f"{mailbox}@{slug}.example")
            assert mine.status == Status.ACKNOWLEDGED, mailbox


def test_the_cto_reports_to_the_superintendent_who_reviews_them():
    for slug in ("northfield", "riverside"):
        cto = User.objects.get(email=f"cto@{slug}.example")
        superintendent = User.objects.get(email=f"superintendent@{slug}.example")
        assert cto.reviewer() == superintendent
        for past in cycles_of(slug)[:-1]:
            cto_then = past.assessments.get(person=cto)
            assert cto_then.reviewer == superintendent
            assert [o.version for o in cto_then.official_reports.order_by("version")] == [1, 2]
        waiting = Assessment.objects.reviewable_by(superintendent)
        assert [a.person for a in waiting] == [cto]


def test_ratings_reviews_notes_and_plans_are_varied():
    official = Rating.objects.filter(
        assessment__cycle__district__slug="northfield",
        assessment__status__in=Assessment.OFFICIAL,
    ).values_list("level__value", "reviewer_level__value")
    differ = [abs(own - reviewer) for own, reviewer in official if own != reviewer]
    assert 0.05 < len(differ) / len(official) < 0.4  # reviewers mostly agree
    assert max(differ) == 1
    assert len({own for own, _ in official}) == 6  # the whole scale is used
    northfield = Assessment.objects.filter(cycle__district__slug="northfield")
    assert all(a.review_comment for a in northfield.filter(status__in=Assessment.OFFICIAL))
    assert len({a.review_comment for a in northfield.exclude(review_comment="")}) > 20
    notes = Rating.objects.filter(assessment__in=northfield).exclude(note="")
    assert notes.count() > 100 and notes.values("note").distinct().count() > 10
    assert Rating.objects.filter(assessment__in=northfield).exclude(reviewer_note="").exists()
    goals = DevelopmentGoal.objects.filter(assessment__in=northfield)
    assert goals.values("assessment").distinct().count() >= 8
    assert goals.exclude(lead_comment="").exists()


def test_the_trend_rises_over_three_cycles_while_well_being_slips():
    northfield = District.objects.get(slug="northfield")
    cycles = cycles_of("northfield")
    trend = district_report.trend(northfield, cycles)
    assert [point.cycle for point in trend] == cycles
    assert trend[0].percent < trend[1].percent < trend[2].percent
    first, last = (district_report.build(northfield, c, cycles) for c in (cycles[0], cycles[-1]))
    codes = [code for code, _ in last.domains]
    assert codes == [code for code, _ in first.domains]
    wel = codes.index("WEL")
    assert last.total.domain_percents[wel] < first.total.domain_percents[wel]


def test_teams_differ_by_domain_and_have_single_points_of_failure():
    cycle = cycles_of("northfield")[-1]
    data = {
        team.name: team_report.build(team, cycle)
        for team in Team.objects.filter(district__slug="northfield")
    }
    readiness = {
        name: {d.code: d.readiness.percent for d in team.report.domains}
        for name, team in data.items()
    }
    infrastructure = readiness["Infrastructure & Security"]
    instruction = readiness["Instructional Technology"]
    assert infrastructure["INF"] > infrastructure["LRN"] + 10
    assert instruction["LRN"] > instruction["INF"] + 10
    assert all(team.report.single_points_of_failure for team in data.values())
    # Only Nadia Adams meets the firewall competency in her team.
    alone = data["Infrastructure & Security"].single_points_of_failure
    assert {c.code: names for c, names in alone}["INF.3"] == ["Nadia Adams"]


def test_a_second_run_changes_nothing():
    def state():
        return (
            [
                model.objects.count()
                for model in (User, Team, Cycle, Assessment, Rating, OfficialReport, AuditEvent)
            ],
            DevelopmentGoal.objects.count(),
            list(
                Rating.objects.filter(assessment__person__email__startswith="n")
                .order_by("pk")
                .values_list("pk", "level__value", "reviewer_level__value", "note")
            ),
        )

    before = state()
    call_command("load_demo", verbosity=0)
    assert state() == before


def test_every_demo_account_signs_in_and_lands_on_its_page(client):
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
    assert response.redirect_chain[-1][0] == "/admin/"
