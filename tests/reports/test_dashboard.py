"""
The district dashboard: its figures in the builder and on the page, on each basis; the
links onwards; the superintendent's landing; who may open it; and a query count that
does not grow with people, teams, competencies or cycles.

The worked example is the district report's (tests/reports/test_district.py): in 2026
Technology (lead 3 everywhere but 4 in D1.3, staff 2 everywhere, a drafter who rated
nothing) and Schools (four people at 1 everywhere); in 2025 the staff member alone, at 1.
Targets are 1, 2, 3, 4, 5, 1 for D0.0, D1.1, D0.2, D1.3, D0.4, D1.5, of importance
essential, important, helpful in turn (weights 3, 2, 1):

    overall 2026: 48 of 96 → 50.0%; 2025: 6 of 16 → 37.5%; change +12.5 points
    priority, Σ gap × weight over everyone:
      D0.4 (t5, ×2): lead 2×2 + staff 3×2 + Schools 4 × 4×2 = 4 + 6 + 32 = 42, 6 people
      D1.3 (t4, ×3): staff 2×3 + Schools 4 × 3×3 = 6 + 36 = 42, 5 people
      D0.2 (t3, ×1): staff 1 + Schools 4 × 2 = 9;  D1.1 (t2, ×2): Schools 4 × 2 = 8
    D0.4 and D1.3 tie at 42: by code, D0.4 first.
    D1.3 is essential for all six and met by the lead alone: the one single point of failure.
"""

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from assessments.models import AuditEvent, Cycle, Rating
from reports import dashboard
from reports import district as district_report
from reports.basis import Basis
from tests.factories import make_framework, make_team
from tests.reports import test_district as district_tests
from tests.reports import test_team as team_tests
from tests.reports.helpers import finalize, review
from tests.reports.test_team import HOSTILE, TEMPLATE

framework, team = team_tests.framework, team_tests.team
district = district_tests.district

pytestmark = pytest.mark.django_db


def build(cast, basis=Basis.REVIEWED, cycle=None):
    cycles = district_report.cycles_for(cast.superintendent)
    return dashboard.build(cast.district, cycle or cast.cycle, cycles, basis=basis)


def test_figures(district):
    data = build(district)
    assert data.previous_cycle == district.older
    assert (str(data.total.percent), str(data.total.previous_percent)) == ("50.0", "37.5")
    assert str(data.total.change) == "12.5"
    rows = {row.name: row for row in data.teams}
    assert list(rows) == ["Schools", "Technology"]
    technology, schools = rows["Technology"], rows["Schools"]
    assert technology.pk == district.team.pk
    assert [str(p) for p in technology.domain_percents] == ["66.6", "85.7"]
    assert (str(technology.percent), str(technology.change)) == ("75.0", "37.5")
    assert (str(schools.percent), schools.previous_percent, schools.change) == ("37.5", None, None)
    assert (technology.participation.not_started, technology.participation.submitted) == (1, 2)
    assert (technology.participation.draft, technology.participation.total) == (0, 3)
    assert (data.total.participation.submitted, data.total.participation.total) == (6, 7)


def test_the_largest_gaps_and_the_teams_that_carry_them(district):
    district.schools.name = "Village schools"  # after Technology by name, first by share
    district.schools.save(update_fields=["name"])
    data = build(district)
    gaps = [(g.code, g.priority, g.people, g.assessed) for g in data.priority_gaps]
    assert gaps == [("D0.4", 42, 6, 6), ("D1.3", 42, 5, 6), ("D0.2", 9, 5, 6), ("D1.1", 8, 4, 6)]
    first, second = data.priority_gaps[:2]
    assert [(c.name, c.priority, c.people) for c in first.carriers] == [
        ("Village schools", 32, 4),
        ("Technology", 10, 2),
    ]
    assert [(c.name, c.priority, c.people) for c in second.carriers] == [
        ("Village schools", 36, 4),
        ("Technology", 6, 1),
    ]
    assert first.carriers[1].pk == district.team.pk and first.other_teams == 0


def test_single_points_of_failure(district):
    (point,) = build(district).single_points
    lead = district.cycle.assessments.get(person=district.lead)
    assert (point.code, point.essential_for, point.met_by) == (
        "D1.3",
        6,
        (lead.pk, "Northfield CTO"),
    )
    # Once nobody meets it, nobody is named.
    lead.ratings.filter(competency__code="D1.3").update(level=None)
    (point,) = build(district).single_points
    assert (point.code, point.met_by) == ("D1.3", None)


def test_each_basis_gives_its_own_figures(district):
    """The staff member's review at 3 everywhere is finalized: 13 of 16 for them."""
    staff = district.cycle.assessments.get(person=district.staff)
    finalize(review(staff, district.lead, 3), district.lead)
    # Reviewed where available: lead 14 (self) + staff 13 (reviewer) + Schools 24 = 51 of 96.
    assert str(build(district, Basis.REVIEWED).total.percent) == "53.1"
    assert str(build(district, Basis.SELF).total.percent) == "50.0"
    # The reviewer's levels alone: only a final review counts, the staff member's 13 of 16.
    assert str(build(district, Basis.REVIEWER).total.percent) == "81.2"
    # On every basis the dashboard agrees with the district report, team by team.
    cycles = district_report.cycles_for(district.superintendent)
    for basis in Basis:
        report = district_report.build(district.district, district.cycle, cycles, basis=basis)
        mine = build(district, basis)
        assert mine.total.percent == report.total.overall.percent, basis
        assert [r.percent for r in mine.teams] == [
            r.overall.percent if r.counted else None for r in report.teams
        ], basis
        assert [r.domain_percents for r in mine.teams] == [
            r.domain_percents for r in report.teams
        ], basis


def test_an_older_cycle_has_no_last_cycle(district):
    data = build(district, cycle=district.older)
    assert data.previous_cycle is None and str(data.total.percent) == "37.5"
    assert data.total.change is None


def test_across_framework_versions_each_cycle_counts_against_its_own(
    client, a, shipped_framework, framework_2026_2
):
    """On every basis, this year and last year agree with the district trend."""
    for framework, title, opens_on in (
        (shipped_framework, "2025 annual review", datetime.date(2025, 9, 1)),
        (framework_2026_2, "2026 annual review", datetime.date(2026, 9, 1)),
    ):
        cycle = team_tests.open_cycle(a, framework, [a.lead, a.staff], title, opens_on)
        for n, assessment in enumerate(cycle.assessments.order_by("pk")):
            team_tests.rate_and_submit(assessment, {}, default=2 + n + opens_on.year - 2025)
    cycles = district_report.cycles_for(a.superintendent)
    for basis in (Basis.SELF, Basis.REVIEWED):
        data = dashboard.build(a.district, cycle, cycles, basis=basis)
        trend = district_report.trend(a.district, cycles, basis=basis)
        assert (data.total.previous_percent, data.total.percent) == tuple(p.percent for p in trend)
    client.force_login(a.superintendent)
    page = client.get(reverse("reports:dashboard")).text
    assert "2025 annual review used version 2026.1 of the framework" in page


# --- the page -----------------------------------------------------------------------


def test_the_page_shows_the_figures_and_links_onwards(client, district):
    client.force_login(district.superintendent)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("50.0%", "+12.5 points", "37.5%", "66.6%", "85.7%", "priority 42"):
        assert text in html, text
    assert "Reviewed where available" in html  # the basis is printed
    cycle = district.cycle.pk
    team_report = f"/reports/teams/{district.team.pk}/?cycle={cycle}&amp;basis=reviewed"
    readiness_row = f'<th scope="row"><a href="{team_report}">Technology</a></th><td>66.6%</td>'
    assert readiness_row in html
    assert f'<th scope="row"><a href="{team_report}">Technology</a></th><td>1</td>' in html
    d04 = district.cycle.framework.competencies.get(code="D0.4").pk
    assert f'href="/reports/competencies/{d04}/?cycle={cycle}&amp;basis=reviewed"' in html
    team_link = f"/reports/competencies/{d04}/?team={district.schools.pk}&amp;cycle={cycle}"
    assert f'href="{team_link}&amp;basis=reviewed">Schools</a>' in html
    lead = district.cycle.assessments.get(person=district.lead)
    assert f'met only by <a href="/reports/assessments/{lead.pk}/">Northfield CTO</a>' in html
    # The CTO's submission waits for the superintendent, on the dashboard too.
    assert "Waiting for your review" in html
    assert f'href="/assessments/{lead.pk}/review/"' in html
    assert AuditEvent.objects.filter(action="report.viewed", detail__report="dashboard").exists()


def test_the_page_follows_the_basis_asked_for(client, district):
    staff = district.cycle.assessments.get(person=district.staff)
    finalize(review(staff, district.lead, 3), district.lead)
    client.force_login(district.superintendent)
    page = client.get(reverse("reports:dashboard"), {"basis": "self"}).text
    assert "<strong>Self-ratings</strong>" in page and "50.0%" in page
    page = client.get(reverse("reports:dashboard"), {"basis": "nonsense"}).text
    assert "<strong>Reviewed where available</strong>" in page and "53.1%" in page


def test_the_superintendent_lands_on_the_dashboard(client, district):
    client.force_login(district.superintendent)
    assert client.get(reverse("home"))["Location"] == reverse("reports:dashboard")
    client.force_login(district.lead)
    assert client.get(reverse("home")).status_code == 200


def test_a_superintendent_with_other_work_keeps_the_home_page(client, district):
    district.superintendent.roles.create(role="hr")
    client.force_login(district.superintendent)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("reports:dashboard") in response.text


def test_only_the_superintendent(client, district, b):
    address = reverse("reports:dashboard")
    for person in (district.lead, district.staff, district.hr, district.admin):
        client.force_login(person)
        assert client.get(address).status_code == 403, person
    assert Client().get(address).status_code == 302
    client.force_login(b.superintendent)
    page = client.get(address).text
    assert "Riverside" in page and "Schools" not in page and "Technology" not in page


def test_a_cycle_of_another_district_is_404(client, district, b, framework):
    theirs = team_tests.open_cycle(b, framework, [b.staff])
    client.force_login(district.superintendent)
    address = reverse("reports:dashboard")
    assert client.get(f"{address}?cycle={theirs.pk}").status_code == 404
    assert client.get(f"{address}?cycle=1%20OR%201=1").status_code == 404


def test_without_any_cycle_the_page_says_so(client, a):
    client.force_login(a.superintendent)
    assert "nothing to report" in client.get(reverse("reports:dashboard")).text


def test_hostile_names_are_inert(client, district):
    district.schools.name = HOSTILE + " " + TEMPLATE
    district.schools.save(update_fields=["name"])
    district.lead.full_name = HOSTILE
    district.lead.save(update_fields=["full_name"])
    client.force_login(district.superintendent)
    html = client.get(reverse("reports:dashboard")).text
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert TEMPLATE in html


# --- speed --------------------------------------------------------------------------


def dashboard_queries(client, cast, django_assert_num_queries, basis="reviewed"):
    client.force_login(cast.superintendent)
    # 1 session, 2 the signed-in person, 3 their role grants, 4 whether they lead a team
    # (role_required), 5 the district, 6 its cycles with their counts, 7 its teams, 8 the
    # participation per team and status, 9 the scale levels, 10 the competencies and
    # 11 the targets of both cycles' frameworks, 12 the ratings of both cycles grouped,
    # 13 the name of whoever alone meets a single point of failure, 14 the audit event,
    # 15 the reporting lines and 16 the reviews waiting (the session row is written at
    # most once a minute: assessments.sessions).
    with django_assert_num_queries(16):
        response = client.get(reverse("reports:dashboard"), {"basis": basis})
    assert response.status_code == 200
    return response


def sized_district(cast, framework, *, teams: int, people: int, cycles: int):
    """
    ``teams`` teams of ``people`` with an assessment in each of ``cycles`` yearly cycles;
    everyone rated 1 but the first person of the first team, who rates 5 (so that some
    essential competency is met by one person alone, on every basis: their assessment is
    finalized, and each reviewer gives the same level as the person).
    """
    made = []
    for year in range(2026 - cycles + 1, 2027):
        cycle = Cycle.objects.create(
            district=cast.district,
            framework=framework,
            title=f"{year} review",
            opens_on=datetime.date(year, 9, 1),
            due_on=datetime.date(year, 10, 1),
        )
        made = [
            make_team(
                cast.district,
                framework,
                people=people,
                cycle=cycle,
                again=made[n] if made else None,
                statuses=("finalized", "submitted", "draft"),
                level=(lambda i, j, n=n: 5 if n == 0 and i == 0 else 1),
            )
            for n in range(teams)
        ]
    # Every reviewer agrees, so that each basis finds the same single point of failure.
    Rating.objects.filter(assessment__cycle__district=cast.district).update(
        reviewer_level=F("level")
    )
    return made


@pytest.mark.parametrize(
    ("teams", "people", "cycles", "basis"),
    [(1, 4, 2, "reviewed"), (2, 8, 4, "reviewed"), (2, 8, 4, "self"), (2, 8, 4, "reviewer")],
)
def test_dashboard_queries_do_not_grow(
    client, a, teams, people, cycles, basis, shipped_framework, django_assert_num_queries
):
    sized_district(a, shipped_framework, teams=teams, people=people, cycles=cycles)
    response = dashboard_queries(client, a, django_assert_num_queries, basis)
    assert "met only by" in response.text
    assert f"<td>{teams * people}</td>" in response.text  # everyone in the participation


def test_dashboard_queries_do_not_grow_with_competencies(client, a, django_assert_num_queries):
    sized_district(a, make_framework(competencies=60), teams=1, people=4, cycles=2)
    dashboard_queries(client, a, django_assert_num_queries)
