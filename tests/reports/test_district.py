"""
The district report: readiness by team and domain, participation, the trend across
cycles; in the context builder, the page and the PDF; who may open it; bad input; and
a query count that does not grow with teams or people.

The worked example reuses the team report's (tests/reports/test_team.py): in the 2026
cycle the Technology team is at 75.0% (D0 66.6%, D1 85.7%), with three assessed, two
submitted and none finalized. A second team "Schools" of four people rated 1
everywhere (1+1+1+1+1+1 = 6 of 16 each) joins it:

    district 2026: 24 + 4 × 6 = 48 of 32 + 4 × 16 = 96 → 50.0%
    Schools: D0 (targets 1, 3, 5) 3 of 9 → 33.3%; D1 (2, 4, 1) 3 of 7 → 42.8%; 37.5%

An older cycle (2025) where the staff member rated 1 everywhere: 6 of 16 → 37.5%.
"""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import AuditEvent
from reports import district as district_report
from tests.factories import make_framework, make_team
from tests.reports import test_team as team_tests
from tests.reports.helpers import queued_download
from tests.reports.test_team import HOSTILE, TEMPLATE, open_cycle, rate_and_submit

# The team report's worked example, shared as fixtures.
framework, team = team_tests.framework, team_tests.team

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(team, framework, django_capture_on_commit_callbacks):
    made = make_team(team.district, framework, people=4, cycle=team.cycle, name="Schools", level=1)
    team.schools = made.team
    with django_capture_on_commit_callbacks(execute=True):
        older = open_cycle(
            team,
            framework,
            [team.staff],
            title="2025 annual review",
            opens_on=datetime.date(2025, 9, 1),
        )
        rate_and_submit(older.assessments.get(), {}, default=1)
    team.older = older
    return team


def cycles_of(cast):
    return district_report.cycles_for(cast.superintendent)


def test_context_builder_figures(district):
    cycles = cycles_of(district)
    data = district_report.build(district.district, district.cycle, cycles)
    rows = {row.name: row for row in data.teams}
    assert list(rows) == ["Schools", "Technology"]
    technology, schools = rows["Technology"], rows["Schools"]
    assert (technology.assessed, technology.submitted, technology.finalized) == (3, 2, 0)
    assert technology.not_submitted == 1
    assert [str(p) for p in technology.domain_percents] == ["66.6", "85.7"]
    assert str(technology.overall.percent) == "75.0"
    assert (schools.assessed, schools.submitted) == (4, 4)
    assert [str(p) for p in schools.domain_percents] == ["33.3", "42.8"]
    assert str(schools.overall.percent) == "37.5"
    assert str(data.total.overall.percent) == "50.0"
    assert (data.total.assessed, data.total.submitted) == (7, 6)
    assert [(p.cycle.title, str(p.percent), p.people) for p in data.trend] == [
        ("2025 annual review", "37.5", 1),
        ("2026 annual review", "50.0", 6),
    ]
    # The trend (summed by the database) agrees with reports.gaps for the cycle shown.
    assert data.trend[-1].met_points == data.total.overall.met_points
    assert data.trend[-1].target_points == data.total.overall.target_points


def test_an_older_cycle_can_be_chosen(district):
    data = district_report.build(district.district, district.older, cycles_of(district))
    rows = {row.name: row for row in data.teams}
    assert str(rows["Technology"].overall.percent) == "37.5"
    assert rows["Schools"].assessed == 0 and rows["Schools"].domain_percents == (None, None)


def test_people_without_a_team_get_a_row(district):
    district.staff.team = None
    district.staff.save(update_fields=["team"])
    data = district_report.build(district.district, district.cycle, cycles_of(district))
    assert [row.name for row in data.teams] == ["Schools", "Technology", "No team"]
    assert data.teams[-1].submitted == 1


def test_page_shows_the_figures(client, district):
    client.force_login(district.superintendent)
    response = client.get(reverse("reports:district"))
    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("66.6%", "85.7%", "75.0%", "33.3%", "42.8%", "37.5%", "50.0%"):
        assert figure in html
    assert '<img class="chart" src="data:image/svg+xml;base64,' in html
    assert (
        'alt="Readiness across cycles, Northfield (reviewed where available), '
        "percent of target reached: " in html
    )
    assert "2025 annual review 37.5%; 2026 annual review 50.0%" in html
    assert "<td>3</td><td>2</td><td>0</td><td>1</td>" in html  # Technology's participation
    assert AuditEvent.objects.filter(action="report.viewed", object_type="district").exists()


def test_pdf_carries_the_same_figures(client, district):
    client.force_login(district.superintendent)
    response = queued_download(client, reverse("reports:district_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="northfield-2026-annual-review-district-report.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response.body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for figure in ("66.6%", "85.7%", "75.0%", "33.3%", "42.8%", "37.5%", "50.0%"):
        assert figure in text
    assert "Schools" in text and "Technology" in text
    assert reader.metadata.title == "District report — Northfield — 2026 annual review"


@pytest.mark.parametrize("name", ["district", "district_pdf"])
def test_only_the_superintendent(client, district, b, name):
    address = reverse(f"reports:{name}")
    for person in (district.lead, district.staff, district.hr, district.admin):
        client.force_login(person)
        assert client.get(address).status_code == 403, person
    assert Client().get(address).status_code == 302
    # Another district's superintendent sees their own district, never this one's.
    client.force_login(b.superintendent)
    response = client.get(address)
    assert response.status_code == (200 if name == "district" else 404)
    assert b"Technology" not in response.content or b"Riverside" in response.content


@pytest.mark.parametrize("name", ["district", "district_pdf"])
def test_a_cycle_of_another_district_is_404(client, district, b, framework, name):
    theirs = open_cycle(b, framework, [b.staff])
    client.force_login(district.superintendent)
    address = reverse(f"reports:{name}")
    assert client.get(f"{address}?cycle={theirs.pk}").status_code == 404
    assert client.get(f"{address}?cycle=1%20OR%201=1").status_code == 404


def test_hostile_team_names_are_inert(client, district):
    district.schools.name = HOSTILE + " " + TEMPLATE
    district.schools.save(update_fields=["name"])
    client.force_login(district.superintendent)
    html = client.get(reverse("reports:district")).content.decode()
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert TEMPLATE in html
    pdf = queued_download(client, reverse("reports:district_pdf")).body
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert HOSTILE in text.replace("\n", "")


# --- speed --------------------------------------------------------------------------


def district_page_queries(client, cast, django_assert_num_queries):
    client.force_login(cast.superintendent)
    # 1 session, 2 the signed-in person, 3 their role grants, 4 whether they lead a
    # team (role_required), 5 the district, 6 its cycles with their counts, 7 its
    # teams, 8 the cycle's assessments, 9 the framework's competencies with domains,
    # 10 the framework's targets, 11 every counted rating of the cycle at once, 12 the
    # trend summed per cycle, 13 the audit event (the session row is written at most once a
    # minute: assessments.sessions).
    with django_assert_num_queries(13):
        response = client.get(reverse("reports:district"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("teams", "people"), [(1, 5), (4, 10)])
def test_district_page_queries_do_not_grow(
    client, a, teams, people, shipped_framework, django_assert_num_queries
):
    first = make_team(a.district, shipped_framework, people=people)
    for _ in range(teams - 1):
        make_team(a.district, shipped_framework, people=people, cycle=first.cycle)
    response = district_page_queries(client, a, django_assert_num_queries)
    assert f"<td>{teams * people}</td>" in response.content.decode()


def test_district_page_queries_do_not_grow_with_competencies(client, a, django_assert_num_queries):
    make_team(a.district, make_framework(competencies=60), people=5)
    district_page_queries(client, a, django_assert_num_queries)


def test_the_navigation_offers_the_district_report_to_the_superintendent(client, a):
    address = reverse("reports:district")
    client.force_login(a.superintendent)
    landing = client.get(reverse("home"), follow=True).content.decode()  # the dashboard
    assert f'href="{address}">District report</a>' in landing
    client.force_login(a.lead)
    assert address not in client.get(reverse("home")).content.decode()


def test_the_trend_names_each_cycle_s_framework_version_and_warns_across_versions(
    client, a, shipped_framework, framework_2026_2
):
    """Last year on 2026.1, this year on 2026.2: each point against its own version's targets."""
    for framework, title, opens_on in (
        (shipped_framework, "2025 annual review", datetime.date(2025, 9, 1)),
        (framework_2026_2, "2026 annual review", datetime.date(2026, 9, 1)),
    ):
        cycle = open_cycle(a, framework, [a.lead, a.staff], title=title, opens_on=opens_on)
        for assessment in cycle.assessments.all():
            rate_and_submit(assessment, {}, default=2)
    data = district_report.build(a.district, cycle, district_report.cycles_for(a.superintendent))
    assert [(p.cycle.title, p.cycle.framework.version) for p in data.trend] == [
        ("2025 annual review", "2026.1"),
        ("2026 annual review", "2026.2"),
    ]
    assert data.trend_versions == ("2026.1", "2026.2")

    client.force_login(a.superintendent)
    page = client.get(reverse("reports:district")).text
    assert "<td>2026.1</td>" in page and "<td>2026.2</td>" in page
    assert "measured against the role targets of its own framework version" in page
