"""
The team report: its figures in the context builder, the page, the PDF, the CSV and the
XLSX; who may open it; bad input; and a query count that does not grow with people or
competencies.

The worked example (``team`` below) uses a generated framework of six competencies in
two domains, where every role has the targets 1, 2, 3, 4, 5, 1 for competencies 0 … 5
(importance essential, important, helpful in turn); domain D0 holds competencies 0, 2, 4
and D1 holds 1, 3, 5:

    lead   rates 3 everywhere but 4 in D1.3   → 1+2+3+4+3+1 = 14 of 16 → 87.5%
    staff  rates 2 everywhere                 → 1+2+2+2+2+1 = 10 of 16 → 62.5%
    team                                       → 24 of 32 → 75.0%
    D0 (targets 1, 3, 5): lead 1+3+3, staff 1+2+2 → 12 of 18 → 66.6% (rounded down)
    D1 (targets 2, 4, 1): lead 2+4+1, staff 2+2+1 → 12 of 14 → 85.7%

D1.3 (target 4, essential) is met by the lead alone: the one single point of failure.
"""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments import workflow
from assessments.models import Assessment, AuditEvent, Cycle, Team
from assessments.roles import Role
from assessments.workflow import RatingChange
from reports import team as team_report
from tests.cast import make_person
from tests.factories import make_framework, make_team
from tests.reports.helpers import queued_download

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
TEMPLATE = "{{ 7*7 }}"
LONG_WORD = "W" * 150  # the longest name a person can have (User.full_name)


@pytest.fixture
def framework(db):
    return make_framework(
        competencies=6, domains=2, roles=("district-cto", "network-security-admin")
    )


def open_cycle(cast, framework, people, title="2026 annual review", opens_on=None):
    opens_on = opens_on or datetime.date(2026, 9, 1)
    return workflow.open_cycle(
        actor=cast.admin,
        district=cast.district,
        framework=framework,
        title=title,
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=30),
        people=people,
    )


def rate_and_submit(assessment, levels: dict[str, int], default: int) -> Assessment:
    ratings = assessment.ratings.select_related("competency")
    changes = [
        RatingChange(r.competency_id, level=levels.get(r.competency.code, default)) for r in ratings
    ]
    assessment = workflow.save_ratings(
        person=assessment.person,
        assessment=assessment,
        version=assessment.version,
        changes=changes,
    )
    return workflow.submit(
        person=assessment.person, assessment=assessment, version=assessment.version
    )


@pytest.fixture
def team(a, framework, django_capture_on_commit_callbacks):
    """The worked example, plus a member in draft and one without an assessment."""
    a.drafter = make_person(
        a.district,
        "drafter@northfield.example",
        FORMULA,
        Role.STAFF,
        team=a.team,
        job_role="network-security-admin",
    )
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(a, framework, [a.lead, a.staff, a.drafter])
        rate_and_submit(cycle.assessments.get(person=a.lead), {"D1.3": 4}, default=3)
        rate_and_submit(cycle.assessments.get(person=a.staff), {}, default=2)
    a.late = make_person(
        a.district,
        "late@northfield.example",
        HOSTILE,
        Role.STAFF,
        team=a.team,
        job_role="network-security-admin",
    )
    a.cycle = cycle
    return a


def url(name, team, cycle=None):
    base = reverse(f"reports:{name}", args=[team.pk])
    return f"{base}?cycle={cycle.pk}" if cycle else base


# --- the figures --------------------------------------------------------------------


def test_context_builder_figures(team):
    data = team_report.build(team.team, team.cycle)
    report = data.report
    assert (report.people, report.assessed) == (2, 2)
    assert str(report.overall.percent) == "75.0"
    assert (report.overall.met_points, report.overall.target_points) == (24, 32)
    assert [(d.code, str(d.readiness.percent)) for d in report.domains] == [
        ("D0", "66.6"),
        ("D1", "85.7"),
    ]
    assert [c.code for c in report.single_points_of_failure] == ["D1.3"]
    assert data.single_points_of_failure[0][1] == ["Northfield CTO"]
    rows = {row.name: row for row in data.rows}
    assert str(rows["Northfield CTO"].readiness.percent) == "87.5"
    assert str(rows["Northfield Netadmin"].readiness.percent) == "62.5"
    assert [c.code for c in data.columns] == ["D0.0", "D0.2", "D0.4", "D1.1", "D1.3", "D1.5"]
    assert [c.text for c in rows["Northfield Netadmin"].cells] == ["0", "1", "3", "0", "2", "0"]
    assert [c.css for c in rows["Northfield Netadmin"].cells] == [
        "hm-0", "hm-1", "hm-3", "hm-0", "hm-2", "hm-0",
    ]  # fmt: skip
    assert [c.text for c in rows["Northfield CTO"].cells] == ["0", "0", "2", "0", "0", "0"]
    assert [(w.name, w.status) for w in data.waiting] == [
        (HOSTILE, "No assessment in this cycle"),
        (FORMULA, "Draft"),
    ]


def test_a_returned_assessment_does_not_count(team):
    staff = team.cycle.assessments.get(person=team.staff)
    workflow.return_for_revision(reviewer=team.lead, assessment=staff, message="Evidence?")
    data = team_report.build(team.team, team.cycle)
    assert (data.report.assessed, str(data.report.overall.percent)) == (1, "87.5")
    assert ("Northfield Netadmin", "Returned for revision") in [
        (w.name, w.status) for w in data.waiting
    ]


def test_page_shows_the_figures_for_the_lead(client, team):
    client.force_login(team.lead)
    response = client.get(url("team", team.team))
    assert response.status_code == 200
    html = response.content.decode()
    assert "75.0%" in html and "66.6%" in html and "85.7%" in html
    assert "87.5%" in html and "62.5%" in html
    assert "submitted, finalized or acknowledged" in html
    assert '<td class="hm hm-3">3</td>' in html  # the number, not only the colour
    netadmin = team.cycle.assessments.get(person=team.staff)
    assert (
        f'<th scope="row" class="hm-person"><a href="/reports/assessments/{netadmin.pk}/">'
        "Northfield Netadmin</a>"
    ) in html
    assert '<th scope="colgroup" colspan="3">Domain 0</th>' in html
    assert "met only by Northfield CTO" in html
    assert "Not submitted yet" in html and "Draft" in html
    assert AuditEvent.objects.filter(
        action="report.viewed", object_type="team", object_id=str(team.team.pk)
    ).exists()


def test_pdf_carries_the_same_figures(client, team):
    client.force_login(team.lead)
    response = queued_download(client, url("team_pdf", team.team, team.cycle))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="technology-2026-annual-review-team-report.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for figure in ("75.0%", "66.6%", "85.7%", "87.5%", "62.5%", "Northfield Netadmin"):
        assert figure in text
    assert reader.metadata.title == "Team report — Technology — 2026 annual review"
    # The heat map sits on a landscape page of its own.
    sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
    assert sizes == {(612, 792), (792, 612)}


def test_csv_carries_the_same_figures(client, team):
    client.force_login(team.lead)
    response = client.get(url("team_csv", team.team))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('team-report.csv"')
    assert response["Cache-Control"] == "no-store, private"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Person", "Job role", "Status", "Ratings counted", "Readiness %"]
    assert rows[0][5] == "D0.0 Competency 0"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Northfield Netadmin"][3:] == [
        "Reviewed where available", "62.5", "0", "1", "3", "0", "2", "0",
    ]  # fmt: skip
    assert by_name["Northfield CTO"][4] == "87.5"


def test_xlsx_carries_the_same_figures(client, team):
    client.force_login(team.lead)
    response = client.get(url("team_xlsx", team.team))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('team-report.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Heat map", "Domains", "Coverage", "Not submitted yet"]
    heat = {row[0]: row for row in workbook["Heat map"].iter_rows(min_row=2, values_only=True)}
    assert heat["Northfield Netadmin"][3:] == ("Reviewed where available", 62.5, 0, 1, 3, 0, 2, 0)
    domains = {row[0]: row[2] for row in workbook["Domains"].iter_rows(values_only=True)}
    assert (domains["D0" and "Domain 0"], domains["Domain 1"], domains["Overall"]) == (
        66.6,
        85.7,
        75.0,
    )
    coverage = {row[1]: row for row in workbook["Coverage"].iter_rows(values_only=True)}
    assert coverage["D1.3"][7:] == ("yes", "Northfield CTO")
    waiting = [row for row in workbook["Not submitted yet"].iter_rows(min_row=2, values_only=True)]
    assert ("'" + FORMULA, "Draft") in waiting


def test_the_superintendent_may_choose_an_older_cycle(client, team, framework):
    older = Cycle.objects.create(
        district=team.district,
        framework=framework,
        title="2025 annual review",
        opens_on=datetime.date(2025, 9, 1),
        due_on=datetime.date(2025, 10, 1),
    )
    client.force_login(team.superintendent)
    assert "selected>2026 annual review" in client.get(url("team", team.team)).content.decode()
    response = client.get(url("team", team.team, older))
    assert response.status_code == 200
    assert "Nobody's assessment counts yet" in response.content.decode()


# --- who may see it -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["team", "team_pdf", "team_csv", "team_xlsx"])
def test_who_may_open_it(client, team, b, name):
    target = url(name, team.team)
    other_team = Team.objects.create(district=team.district, name="Schools", lead=team.staff)
    expected = [
        (team.lead, target, 200),
        (team.superintendent, target, 200),
        (team.staff, target, 404),  # leads another team: this one is not theirs
        (team.hr, target, 403),  # no lead or superintendent role
        (team.admin, target, 403),
        (team.drafter, target, 403),  # a staff member
        (b.superintendent, target, 404),  # another district's team
        (b.lead, target, 404),
        (team.lead, url(name, other_team), 404),  # a team of the district led by another
    ]
    for person, address, status in expected:
        client.force_login(person)
        assert client.get(address).status_code == status, (person, address)


def test_signed_out_goes_to_sign_in(team):
    response = Client().get(url("team", team.team))
    assert response.status_code == 302


def test_hr_who_leads_a_team_sees_only_that_team(client, team):
    team.hr_team = Team.objects.create(district=team.district, name="HR systems", lead=team.hr)
    client.force_login(team.hr)
    assert client.get(url("team", team.hr_team)).status_code == 200
    assert client.get(url("team", team.team)).status_code == 404


@pytest.mark.parametrize("name", ["team", "team_pdf", "team_csv", "team_xlsx"])
def test_a_cycle_of_another_district_is_404(client, team, b, framework, name):
    theirs = open_cycle(b, framework, [b.staff])
    client.force_login(team.superintendent)
    assert client.get(url(name, team.team, theirs)).status_code == 404
    assert client.get(url(name, team.team) + "?cycle=nonsense").status_code == 404


def test_without_any_cycle_the_page_says_so_and_downloads_are_404(client, a):
    client.force_login(a.lead)
    response = client.get(url("team", a.team))
    assert response.status_code == 200
    assert "nothing to report" in response.content.decode()
    assert client.get(url("team_pdf", a.team)).status_code == 404


# --- bad input ----------------------------------------------------------------------


@pytest.fixture
def hostile_team(team, framework, django_capture_on_commit_callbacks):
    """Submitted members whose names are hostile; the team's name is too."""
    Team.objects.filter(pk=team.team.pk).update(name=TEMPLATE + " " + HOSTILE)
    team.team.refresh_from_db()
    people = [
        make_person(
            team.district,
            f"h{i}@northfield.example",
            name,
            Role.STAFF,
            team=team.team,
            job_role="network-security-admin",
        )
        for i, name in enumerate([HOSTILE, FORMULA, TEMPLATE, LONG_WORD, "@SUM(1+1)", "\tTab"])
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            workflow.add_participant(actor=team.admin, cycle=team.cycle, person=person)
            rate_and_submit(team.cycle.assessments.get(person=person), {}, default=1)
    return team


def test_hostile_names_are_inert_in_the_page(client, hostile_team):
    client.force_login(hostile_team.lead)
    html = client.get(url("team", hostile_team.team)).content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Printed as text, never evaluated (a bare "49" could be part of a CSP nonce).
    assert TEMPLATE in html and "49 &lt;script&gt;" not in html
    assert LONG_WORD in html  # wraps through CSS (overflow-wrap), never cut


def test_hostile_names_are_inert_in_the_pdf(client, hostile_team):
    client.force_login(hostile_team.lead)
    response = queued_download(client, url("team_pdf", hostile_team.team))
    assert response.status_code == 200
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.body)).pages
    ).replace("\n", "")
    assert HOSTILE in text  # shown as the text it is
    assert "{{ 7*7 }}" in text
    assert response["Content-Disposition"] == (
        'attachment; filename="77-scriptalert1script-2026-annual-review-team-report.pdf"'
    )


def test_hostile_names_are_inert_in_the_csv(client, hostile_team):
    client.force_login(hostile_team.lead)
    response = client.get(url("team_csv", hostile_team.team))
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert "'" + FORMULA in names and FORMULA not in names
    assert "'@SUM(1+1)" in names and "'\tTab" in names
    assert HOSTILE in names and TEMPLATE in names and LONG_WORD in names


def test_hostile_names_are_inert_in_the_xlsx(client, hostile_team):
    client.force_login(hostile_team.lead)
    response = client.get(url("team_xlsx", hostile_team.team))
    sheet = load_workbook(io.BytesIO(response.content))["Heat map"]
    cells = {cell.value: cell for cell in sheet["A"]}
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert cells["'" + FORMULA].data_type == "s"  # text, not a formula
    assert "'@SUM(1+1)" in cells and "'\tTab" in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# --- speed --------------------------------------------------------------------------


def team_page_queries(client, lead, team, django_assert_num_queries):
    client.force_login(lead)
    address = url("team", team)
    # 1 session, 2 the signed-in person, 3 their role grants, 4 whether they lead a
    # team (role_required), 5 the team with its district (access), 6 the district's
    # cycles with the team's count of assessments, 7 the team's members, 8 their
    # assessments in the cycle, 9 the framework's competencies with domains, 10 the
    # targets of the role profiles in use, 11 every counted rating at once, 12 the
    # audit event (the session row is written at most once a minute: assessments.sessions).
    with django_assert_num_queries(12):
        response = client.get(address)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("people", [3, 30])
def test_team_page_queries_do_not_grow_with_people(
    client, a, people, shipped_framework, django_assert_num_queries
):
    made = make_team(a.district, shipped_framework, people=people, lead=a.lead)
    response = team_page_queries(client, a.lead, made.team, django_assert_num_queries)
    assert response.content.decode().count('class="hm-person"') == people


@pytest.mark.parametrize("competencies", [None, 60])
def test_team_page_queries_do_not_grow_with_competencies(
    client, a, competencies, shipped_framework, django_assert_num_queries
):
    framework = make_framework(competencies=competencies) if competencies else shipped_framework
    made = make_team(a.district, framework, people=5, lead=a.lead)
    response = team_page_queries(client, a.lead, made.team, django_assert_num_queries)
    expected = competencies or shipped_framework.competencies.count()
    assert response.content.decode().count("<abbr title=") == expected


def test_the_home_page_links_a_lead_to_the_team_report(client, a):
    client.force_login(a.lead)
    assert url("team", a.team) in client.get(reverse("home")).content.decode()
    client.force_login(a.staff)
    assert url("team", a.team) not in client.get(reverse("home")).content.decode()
