"""
The basis of the team and district reports (``?basis=``): which ratings their figures
count, in the builders, the pages, the PDFs, the CSV and the XLSX; hostile values; and a
query count that does not grow with people on any basis.

The worked example uses the team report's framework (tests/reports/test_team.py): six
competencies with the targets 1, 2, 3, 4, 5, 1 (Σ 16); domain D0 holds targets 1, 3, 5
(Σ 9), D1 holds 2, 4, 1 (Σ 7). Two people of the Technology team:

    staff  self 1 everywhere, reviewer 3 everywhere, FINALIZED
           self      1+1+1 | 1+1+1            =  6 of 16
           reviewer  1+3+3 | 2+3+1            = 13 of 16 → 81.2%
    lead   self 2 everywhere, SUBMITTED; the superintendent has saved 5 everywhere as
           their review but not finalized it (work in progress: never counted)
           self      1+2+2 | 2+2+1            = 10 of 16

    basis     counts                      D0           D1           overall
    self      staff self, lead self       8/18 44.4%   8/14 57.1%   16/32 50.0%
    reviewed  staff reviewer, lead self  12/18 66.6%  11/14 78.5%   23/32 71.8%
    reviewer  staff reviewer only         7/9  77.7%   6/7  85.7%   13/16 81.2%

Were the lead's unfinished review counted on the reviewed basis, it would read
13 + 16 = 29 of 32 → 90.6%.
"""

import csv
import datetime
import io

import pytest
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Rating
from reports import district as district_report
from reports import team as team_report
from reports.basis import Basis
from tests.factories import make_framework, make_team
from tests.reports.helpers import (
    compact,
    finalize,
    make_cycle,
    pdf_text,
    queued_download,
    rate,
    review,
    submit,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    # basis: (D0, D1, overall, staff's readiness, lead's readiness or None when waiting)
    Basis.SELF: ("44.4", "57.1", "50.0", "37.5", "62.5"),
    Basis.REVIEWED: ("66.6", "78.5", "71.8", "81.2", "62.5"),
    Basis.REVIEWER: ("77.7", "85.7", "81.2", "81.2", None),
}


def make_basis_team(cast, framework):
    """The worked example in ``cast``'s district; returns the cycle."""
    cycle = make_cycle(cast, framework)
    staff = cycle.assessments.get(person=cast.staff)
    rate(staff, 1)
    submit(staff)
    review(staff, cast.lead, 3)
    finalize(staff, cast.lead)
    lead = cycle.assessments.get(person=cast.lead)
    rate(lead, 2)
    submit(lead)
    review(lead, cast.superintendent, 5)  # saved, not finalized
    return cycle


@pytest.fixture
def framework(db):
    return make_framework(
        competencies=6, domains=2, roles=("district-cto", "network-security-admin")
    )


@pytest.fixture
def cycle(a, framework):
    return make_basis_team(a, framework)


def team_url(name, cast, cycle, basis=None):
    address = reverse(f"reports:{name}", args=[cast.team.pk]) + f"?cycle={cycle.pk}"
    return address + (f"&basis={basis}" if basis is not None else "")


# --- the figures --------------------------------------------------------------------


@pytest.mark.parametrize("basis", list(Basis))
def test_team_figures_on_each_basis(a, cycle, basis):
    data = team_report.build(a.team, cycle, basis=basis)
    d0, d1, overall, staff, lead = EXPECTED[basis]
    assert data.basis == basis
    assert [str(d.readiness.percent) for d in data.report.domains] == [d0, d1]
    assert str(data.report.overall.percent) == overall
    readiness = {row.name: str(row.readiness.percent) for row in data.rows}
    assert readiness.get("Northfield Netadmin") == staff
    assert readiness.get("Northfield CTO") == lead


def test_the_default_basis_is_reviewed_where_available(a, cycle):
    assert team_report.build(a.team, cycle).basis == Basis.REVIEWED
    data = district_report.build(a.district, cycle, district_report.cycles_for(a.superintendent))
    assert data.basis == Basis.REVIEWED


def test_an_unfinished_review_is_never_counted(a, cycle):
    """The lead's saved review (5 everywhere) is not final: reviewed counts their self 2."""
    data = team_report.build(a.team, cycle, basis=Basis.REVIEWED)
    assert (data.report.overall.met_points, data.report.overall.target_points) == (23, 32)
    lead = next(row for row in data.rows if row.name == "Northfield CTO")
    assert [cell.text for cell in lead.cells] == ["0", "1", "3", "0", "2", "0"]  # self 2


def test_the_heat_map_shows_the_counted_level(a, cycle):
    def staff_cells(basis):
        data = team_report.build(a.team, cycle, basis=basis)
        return [c.text for c in next(r for r in data.rows if r.name == "Northfield Netadmin").cells]

    # Targets 1, 3, 5, 2, 4, 1 (columns D0.0, D0.2, D0.4, D1.1, D1.3, D1.5).
    assert staff_cells(Basis.SELF) == ["0", "2", "4", "1", "3", "0"]  # self 1
    assert staff_cells(Basis.REVIEWED) == ["0", "0", "2", "0", "1", "0"]  # reviewer 3


def test_on_the_reviewer_basis_a_submitted_assessment_waits(a, cycle):
    data = team_report.build(a.team, cycle, basis=Basis.REVIEWER)
    assert (data.report.people, data.report.assessed) == (1, 1)
    assert [(w.name, w.status) for w in data.waiting] == [("Northfield CTO", "Submitted")]
    assert data.waiting_title == "Not finalized yet"
    assert team_report.build(a.team, cycle).waiting == ()


@pytest.mark.parametrize("basis", list(Basis))
def test_district_figures_and_trend_on_each_basis(a, cycle, framework, basis):
    older = make_cycle(a, framework, title="2025 annual review", opens=datetime.date(2025, 11, 1))
    rate(older.assessments.get(person=a.staff), 1)
    submit(older.assessments.get(person=a.staff))  # self 1: 6 of 16, never reviewed
    cycles = district_report.cycles_for(a.superintendent)
    data = district_report.build(a.district, cycle, cycles, basis=basis)
    d0, d1, overall, *_ = EXPECTED[basis]
    (technology,) = data.teams
    assert [str(p) for p in technology.domain_percents] == [d0, d1]
    assert str(technology.overall.percent) == str(data.total.overall.percent) == overall
    assert (technology.submitted, technology.finalized) == (2, 1)  # participation: any basis
    assert technology.counted == (1 if basis == Basis.REVIEWER else 2)
    # The trend counts every cycle on the same basis: the database's sums agree with
    # reports.gaps for the cycle shown, and 2025 has nothing final to count for reviewers.
    *earlier, last = data.trend
    assert (last.met_points, last.target_points) == (
        data.total.overall.met_points,
        data.total.overall.target_points,
    )
    assert [(p.cycle.title, str(p.percent)) for p in earlier] == (
        [] if basis == Basis.REVIEWER else [("2025 annual review", "37.5")]
    )


# --- pages, PDFs and spreadsheets ----------------------------------------------------


@pytest.mark.parametrize("basis", list(Basis))
def test_team_page_names_the_basis_and_links_carry_it(client, a, cycle, basis):
    client.force_login(a.superintendent)
    html = client.get(team_url("team", a, cycle, basis)).content.decode()
    overall = EXPECTED[basis][2]
    label = basis.label.replace("'", "&#x27;")
    assert f'<tr class="team-overall"><th scope="row">Overall</th><td>{overall}%</td>' in html
    assert f'<option value="{basis}" selected>{label}</option>' in html
    assert html.count("selected>") == 2  # the cycle and the basis
    for caption in ("every counted person", "coverage table)", "Coverage per competency"):
        assert f"{caption}. Ratings counted: {label}</caption>" in html
    for name in ("team_pdf", "team_csv", "team_xlsx"):
        link = reverse(f"reports:{name}", args=[a.team.pk]) + f"?cycle={cycle.pk}&amp;basis="
        assert f'href="{link}{basis}"' in html


@pytest.mark.parametrize(
    "value", ["", "SELF", "<script>alert(1)</script>", "self\x00", "1 OR 1=1", "reviewer/../x"]
)
def test_hostile_basis_values_fall_back_to_the_default(client, a, cycle, value):
    client.force_login(a.superintendent)
    for name in ("team", "team_csv"):
        response = client.get(team_url(name, a, cycle), {"basis": value})
        assert response.status_code == 200
        assert b"Reviewed where available" in response.content
        assert b"<script>alert(1)" not in response.content
    html = client.get(reverse("reports:district"), {"basis": value}).content.decode()
    assert '<option value="reviewed" selected>Reviewed where available</option>' in html
    assert "71.8%" in html


def test_the_csv_names_the_basis_in_every_row(client, a, cycle):
    client.force_login(a.lead)
    response = client.get(team_url("team_csv", a, cycle, "self"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3:5] == ["Ratings counted", "Readiness %"]
    assert {row[3] for row in rows[1:]} == {"Self-ratings"}
    assert {row[0]: row[4] for row in rows[1:]} == {
        "Northfield CTO": "62.5",
        "Northfield Netadmin": "37.5",
    }


def test_the_xlsx_names_the_basis_on_every_sheet_of_figures(client, a, cycle):
    client.force_login(a.lead)
    response = client.get(team_url("team_xlsx", a, cycle, "reviewer"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Heat map", "Domains", "Coverage", "Not finalized yet"]
    for title in ("Heat map", "Domains", "Coverage"):
        rows = list(workbook[title].iter_rows(values_only=True))
        column = rows[0].index("Ratings counted")
        assert {row[column] for row in rows[1:]} == {"Reviewer's ratings"}, title
    domains = {row[0]: row[2] for row in workbook["Domains"].iter_rows(values_only=True)}
    assert (domains["Domain 0"], domains["Domain 1"], domains["Overall"]) == (77.7, 85.7, 81.2)


def test_the_team_pdf_names_the_basis(client, a, cycle):
    client.force_login(a.lead)
    response = queued_download(client, team_url("team_pdf", a, cycle, "self"))
    text = compact(pdf_text(response.body))
    assert compact("Technology · 2026 annual review · Self-ratings") in text  # running header
    assert compact("Ratings counted: Self-ratings") in text
    assert "50.0%" in text and "71.8%" not in text


def test_the_district_page_and_pdf_name_the_basis(client, a, cycle):
    client.force_login(a.superintendent)
    html = client.get(reverse("reports:district"), {"basis": "reviewer"}).content.decode()
    assert "Ratings counted: <strong>Reviewer&#x27;s ratings</strong>" in html
    assert "Ratings counted: Reviewer&#x27;s ratings, in every cycle</caption>" in html
    assert 'alt="Readiness across cycles, Northfield (reviewer&#x27;s ratings), ' in html
    assert f"?cycle={cycle.pk}&amp;basis=reviewer" in html
    assert "81.2%" in html and "71.8%" not in html
    pdf = queued_download(client, reverse("reports:district_pdf") + "?basis=reviewer").body
    text = compact(pdf_text(pdf))
    assert compact("District report · 2026 annual review · Reviewer's ratings") in text
    assert "81.2%" in text


# --- speed --------------------------------------------------------------------------


def reviewed_team(cast, framework, people, cycle=None):
    """A team of ``people``, half submitted and half finalized, every rating reviewed."""
    made = make_team(
        cast.district,
        framework,
        people=people,
        cycle=cycle,
        statuses=("submitted", "finalized"),
        lead=cast.lead if cycle is None else None,
    )
    Rating.objects.filter(assessment__in=made.assessments).update(reviewer_level=F("level"))
    return made


@pytest.mark.parametrize("basis", [*Basis, "nonsense"])
@pytest.mark.parametrize("people", [4, 8])
def test_team_page_queries_do_not_grow_on_any_basis(
    client, a, shipped_framework, basis, people, django_assert_num_queries
):
    made = reviewed_team(a, shipped_framework, people)
    client.force_login(a.lead)
    address = reverse("reports:team", args=[made.team.pk])
    # The 12 of tests/reports/test_team.py (team_page_queries), whatever the basis.
    with django_assert_num_queries(12):
        response = client.get(address, {"basis": basis})
    assert response.content.decode().count('class="hm-person"') == (
        people // 2 if basis == Basis.REVIEWER else people
    )


@pytest.mark.parametrize("basis", [*Basis, "nonsense"])
@pytest.mark.parametrize("people", [4, 8])
def test_team_csv_queries_do_not_grow_on_any_basis(
    client, a, shipped_framework, basis, people, django_assert_num_queries
):
    made = reviewed_team(a, shipped_framework, people)
    client.force_login(a.lead)
    address = reverse("reports:team_csv", args=[made.team.pk])
    # The page's 12 (the audit event is the download's), and the viewer's district that
    # the download's audit event names.
    with django_assert_num_queries(13):
        response = client.get(address, {"basis": basis})
    assert response.status_code == 200


@pytest.mark.parametrize("basis", [*Basis, "nonsense"])
@pytest.mark.parametrize("people", [4, 8])
def test_district_page_queries_do_not_grow_on_any_basis(
    client, a, shipped_framework, basis, people, django_assert_num_queries
):
    first = reviewed_team(a, shipped_framework, people)
    reviewed_team(a, shipped_framework, people, cycle=first.cycle)
    client.force_login(a.superintendent)
    # The 13 of tests/reports/test_district.py (district_page_queries), whatever the basis.
    with django_assert_num_queries(13):
        response = client.get(reverse("reports:district"), {"basis": basis})
    assert f"<td>{2 * people}</td>" in response.content.decode()
