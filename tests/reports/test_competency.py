"""
The competency page, the drill-down's last step: everyone's level against their target,
last cycle's, the descriptors and resources; for the district or one team; on each basis;
who may open it; and a query count that does not grow with people or cycles.

The worked example is the district report's (tests/reports/test_district.py), seen at
D1.3 (target 4, essential for every role):

    2026: lead 4 (meets it), staff 2 (gap 2), Schools four people at 1 (gap 3 each)
          → 4 + 2 + 4 × 1 = 10 of 6 × 4 = 24 → 41.6%; one meets the target
          Technology 6 of 8 → 75.0%; Schools 4 of 16 → 25.0%
    2025: the staff member alone, at 1
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import AuditEvent
from frameworks.models import Competency, Resource
from reports import competency as competency_page
from reports import district as district_report
from reports.basis import Basis
from tests.cast import make_person
from tests.factories import make_framework, make_team
from tests.reports import test_district as district_tests
from tests.reports import test_team as team_tests
from tests.reports.helpers import finalize, review
from tests.reports.test_team import HOSTILE, open_cycle, rate_and_submit

team, district = team_tests.team, district_tests.district

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    """The team report's framework (tests/reports/test_team.py), with a hostile resource."""
    made = make_framework(
        competencies=6, domains=2, roles=("district-cto", "network-security-admin")
    )
    Resource.objects.create(
        competency=made.competencies.get(code="D1.3"),
        publisher="CoSN",
        title=HOSTILE,
        url="https://example.org/r",
    )
    return made


def d13(cast) -> Competency:
    return cast.cycle.framework.competencies.get(code="D1.3")


def build(cast, team=None, basis=Basis.REVIEWED):
    cycles = district_report.cycles_for(cast.superintendent)
    return competency_page.build(d13(cast), cast.cycle, cycles, team=team, basis=basis)


def address(competency, **query):
    base = reverse("reports:competency", args=[competency.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_figures_for_the_district(district):
    data = build(district)
    assert data.previous_cycle == district.older
    levels = [(p.team_name, p.line.basis_rating, p.line.target, p.gap) for p in data.people]
    assert levels == [("Schools", 1, 4, 3)] * 4 + [("Technology", 4, 4, 0), ("Technology", 2, 4, 2)]
    assert [p.name for p in data.people[4:]] == ["Northfield CTO", "Northfield Netadmin"]
    assert [p.previous for p in data.people] == [None] * 5 + [1]  # the staff member, in 2025
    assert str(data.readiness.percent) == "41.6" and data.met == 1
    assert str(data.mean_previous) == "1.0"
    assert [(t.name, str(t.readiness.percent), t.met) for t in data.teams] == [
        ("Schools", "25.0", 0),
        ("Technology", "75.0", 1),
    ]
    assert [d.level.value for d in data.descriptors] == [1, 2, 3, 4, 5]


def test_figures_for_one_team(district):
    data = build(district, team=district.team)
    assert [p.name for p in data.people] == ["Northfield CTO", "Northfield Netadmin"]
    assert str(data.readiness.percent) == "75.0" and data.teams == ()


def test_each_basis_gives_its_own_levels(district):
    """The staff member's review at 3 everywhere is finalized."""
    staff = district.cycle.assessments.get(person=district.staff)
    finalize(review(staff, district.lead, 3), district.lead)
    levels = {b: [p.line.basis_rating for p in build(district, basis=b).people] for b in Basis}
    assert levels[Basis.REVIEWED] == [1, 1, 1, 1, 4, 3]  # the staff's reviewed level
    assert levels[Basis.SELF] == [1, 1, 1, 1, 4, 2]
    assert levels[Basis.REVIEWER] == [3]  # only a final review counts: the staff's


def test_last_cycle_across_framework_versions(client, a, shipped_framework, framework_2026_2):
    """2025 on 2026.1, 2026 on 2026.2: a split and a merge are followed to the earlier codes."""
    older = open_cycle(a, shipped_framework, [a.staff], "2025", datetime.date(2025, 9, 1))
    rate_and_submit(older.assessments.get(), {"INF.6": 3, "LRN.3": 1, "LRN.7": 4}, default=2)
    now = open_cycle(a, framework_2026_2, [a.staff], "2026", datetime.date(2026, 9, 1))
    rate_and_submit(now.assessments.get(), {}, default=2)
    cycles = district_report.cycles_for(a.superintendent)
    for code, previous, via in (
        ("INF.11", 3, "split from INF.6"),
        ("LRN.3", 4, "merged from LRN.3, LRN.7"),
        ("INF.2", 2, ""),
    ):
        found = framework_2026_2.competencies.get(code=code)
        (person,) = competency_page.build(found, now, cycles).people
        assert (person.previous, person.previous_via) == (previous, via), code
    client.force_login(a.superintendent)
    page = client.get(address(framework_2026_2.competencies.get(code="INF.11"))).text
    assert "<td>3 (split from INF.6)</td>" in page


# --- the page -----------------------------------------------------------------------


def test_the_page_links_each_person_and_shows_descriptors_and_resources(client, district):
    competency = d13(district)
    client.force_login(district.superintendent)
    response = client.get(address(competency, cycle=district.cycle.pk))
    assert response.status_code == 200
    html = response.text
    staff = district.cycle.assessments.get(person=district.staff)
    assert f'<a href="/reports/assessments/{staff.pk}/">Northfield Netadmin</a>' in html
    team_link = address(competency, team=district.team.pk, cycle=district.cycle.pk)
    assert f'href="{team_link.replace("&", "&amp;")}&amp;basis=reviewed">Technology</a>' in html
    assert "41.6%" in html and "D1.3 at level 4" in html
    assert "<strong>Reviewed where available</strong>" in html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert AuditEvent.objects.filter(
        action="report.viewed", detail__report="competency", detail__competency="D1.3"
    ).exists()


def test_the_team_report_links_people_and_competencies_onwards(client, district):
    client.force_login(district.lead)
    html = client.get(reverse("reports:team", args=[district.team.pk])).text
    link = address(d13(district), team=district.team.pk, cycle=district.cycle.pk)
    link = link.replace("&", "&amp;") + "&amp;basis=reviewed"
    assert f'<a href="{link}"><abbr title="Competency 3">D1.3</abbr></a>' in html  # heat map
    assert f'<a href="{link}">Competency 3</a>' in html  # coverage
    assert f'<strong><a href="{link}">D1.3 Competency 3</a></strong>' in html  # single point
    # The lead may follow it: their own team.
    assert client.get(address(d13(district), team=district.team.pk)).status_code == 200


def test_the_individual_report_links_competencies_for_who_may_follow(client, district):
    staff = district.cycle.assessments.get(person=district.staff)
    link = address(d13(district), team=district.team.pk, cycle=district.cycle.pk)
    anchor = f'<a href="{link.replace("&", "&amp;")}">D1.3 Competency 3</a>'
    for person in (district.superintendent, district.lead):
        client.force_login(person)
        assert anchor in client.get(reverse("reports:individual", args=[staff.pk])).text
    client.force_login(district.staff)  # their own report: the team's page is not theirs
    page = client.get(reverse("reports:individual", args=[staff.pk])).text
    assert "D1.3 Competency 3" in page and "/reports/competencies/" not in page
    # The CTO reads the reports of the Schools team, whose lead reports to them, but the
    # Schools team's report (and its competency pages) is its own lead's.
    schools_lead = make_person(district.district, "sl@northfield.example", "S L", team=None)
    schools_lead.reports_to = district.lead
    schools_lead.save(update_fields=["reports_to"])
    district.schools.lead = schools_lead
    district.schools.save(update_fields=["lead"])
    member = district.cycle.assessments.filter(person__team=district.schools).first()
    client.force_login(district.lead)
    page = client.get(reverse("reports:individual", args=[member.pk])).text
    assert "D1.3 Competency 3" in page and "/reports/competencies/" not in page


def test_the_district_report_links_each_team(client, district):
    client.force_login(district.superintendent)
    html = client.get(reverse("reports:district")).text
    link = f"/reports/teams/{district.schools.pk}/?cycle={district.cycle.pk}&amp;basis=reviewed"
    # In the readiness table and in the participation table.
    assert html.count(f'<th scope="row"><a href="{link}">Schools</a></th>') == 2


# --- who may open it ----------------------------------------------------------------


def test_a_lead_sees_only_their_own_team(client, district):
    competency = d13(district)
    client.force_login(district.lead)
    assert client.get(address(competency, team=district.team.pk)).status_code == 200
    assert client.get(address(competency, team=district.schools.pk)).status_code == 404
    assert client.get(address(competency)).status_code == 403  # the district is not theirs


def test_nobody_else(client, district):
    competency = d13(district)
    for person in (district.staff, district.hr, district.admin):
        client.force_login(person)
        assert client.get(address(competency)).status_code == 403, person
        assert client.get(address(competency, team=district.team.pk)).status_code == 403
    assert Client().get(address(competency)).status_code == 302


def test_another_district_is_404(client, district, b, framework):
    competency = d13(district)
    client.force_login(b.superintendent)
    assert client.get(address(competency, team=district.team.pk)).status_code == 404
    assert client.get(address(competency)).status_code == 404  # no cycle of theirs uses it
    theirs = open_cycle(b, framework, [b.staff])
    client.force_login(district.superintendent)
    assert client.get(address(competency, cycle=theirs.pk)).status_code == 404


def test_bad_input_is_404(client, district, shipped_framework):
    competency = d13(district)
    client.force_login(district.superintendent)
    assert client.get(address(competency, team="1%20OR%201=1")).status_code == 404
    assert client.get(address(competency, cycle="x")).status_code == 404
    other = shipped_framework.competencies.first()  # no cycle of the district uses it
    assert client.get(address(other)).status_code == 404
    assert client.get(address(other, cycle=district.cycle.pk)).status_code == 404
    assert client.get(reverse("reports:competency", args=[999999])).status_code == 404


# --- speed --------------------------------------------------------------------------


def competency_queries(client, cast, competency, django_assert_num_queries, basis="reviewed"):
    client.force_login(cast.superintendent)
    # 1 session, 2 the signed-in person, 3 their role grants, 4 whether they lead a team
    # (role_required), 5 the competency with its domain and framework, 6 the district's
    # cycles with their counts, 7 the district, 8 the competency's targets, 9 last
    # cycle's levels, 10 everyone's rating, 11 the descriptors, 12 the resources, 13 the
    # audit event (the session row is written at most once a minute: assessments.sessions).
    with django_assert_num_queries(13):
        response = client.get(address(competency, basis=basis))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("teams", "people"), [(1, 4), (3, 8)])
def two_cycles(cast, framework, *, teams: int, people: int):
    """``teams`` teams of ``people``, in this year's cycle; the first team last year too."""
    older = make_team(cast.district, framework, people=people)
    older.cycle.opens_on = datetime.date(2025, 9, 1)
    older.cycle.save(update_fields=["opens_on"])
    first = make_team(cast.district, framework, again=older)
    for _ in range(teams - 1):
        make_team(cast.district, framework, people=people, cycle=first.cycle)


@pytest.mark.parametrize(
    ("teams", "people", "basis"), [(1, 4, "reviewed"), (3, 8, "reviewed"), (3, 8, "self")]
)
def test_competency_page_queries_do_not_grow(
    client, a, teams, people, basis, shipped_framework, django_assert_num_queries
):
    two_cycles(a, shipped_framework, teams=teams, people=people)
    competency = shipped_framework.competencies.order_by("pk").first()
    response = competency_queries(client, a, competency, django_assert_num_queries, basis)
    assert response.text.count("/reports/assessments/") == teams * people


def test_competency_page_queries_do_not_grow_with_competencies(
    client, a, django_assert_num_queries
):
    generated = make_framework(competencies=60)
    two_cycles(a, generated, teams=1, people=4)
    competency_queries(client, a, generated.competencies.first(), django_assert_num_queries)
