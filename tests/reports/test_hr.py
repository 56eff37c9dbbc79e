"""HR's list of the district's official reports: what it holds, filters, pages, queries."""

# Fixtures are imported by name from test_individual_fixtures; using them as arguments
# is what pytest expects, not a redefinition.
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from assessments.models import Assessment, Team, User
from tests.reports.helpers import make_cycle

pytestmark = pytest.mark.django_db
LIST = reverse("reports:hr_list")


def official_rows(cycle, team, count, status=Assessment.Status.FINALIZED, prefix="p"):
    """``count`` people of ``team`` with an official assessment in ``cycle`` (no PDF kept)."""
    role = cycle.assessments.first().role_profile
    people = [
        User.objects.create_user(
            f"{prefix}{n}@{cycle.district.slug}.example",
            full_name=f"Person {prefix}{n:02d}",
            district=cycle.district,
            team=team,
            job_role=role.code,
        )
        for n in range(count)
    ]
    return Assessment.objects.bulk_create(
        Assessment(
            cycle=cycle,
            person=person,
            role_profile=role,
            status=status,
            finalized_at=timezone.now(),
        )
        for person in people
    )


def names(response) -> list[str]:
    return [a.person.full_name for a in response.context["page"].object_list]


def test_hr_sees_the_official_reports_of_their_district_only(client, a, b, finalized, cycle):
    other = make_cycle(b, cycle.framework, title="Riverside 2026")
    official_rows(other, b.team, 2)
    client.force_login(a.hr)
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Northfield Netadmin"]  # the lead's draft is not there
    page = response.content.decode()
    assert finalized.official_reports.get().sha256 in page
    assert reverse("reports:individual_pdf", args=[finalized.pk]) in page
    assert "Riverside" not in page


def test_acknowledged_reports_are_listed_and_drafts_are_not(client, a, cycle):
    official_rows(cycle, a.team, 1, status=Assessment.Status.ACKNOWLEDGED, prefix="ack")
    official_rows(cycle, a.team, 1, status=Assessment.Status.SUBMITTED, prefix="sub")
    client.force_login(a.hr)
    assert names(client.get(LIST)) == ["Person ack00"]


def test_filters_by_cycle_team_and_status(client, a, cycle):
    later = make_cycle(a, cycle.framework, title="2027", opens=datetime.date(2027, 11, 1))
    ops = Team.objects.create(district=a.district, name="Operations")
    official_rows(cycle, a.team, 1, prefix="t")
    official_rows(cycle, ops, 1, prefix="o")
    official_rows(later, ops, 1, status=Assessment.Status.ACKNOWLEDGED, prefix="l")
    client.force_login(a.hr)
    assert names(client.get(LIST)) == ["Person l00", "Person o00", "Person t00"]
    assert names(client.get(LIST, {"cycle": cycle.pk})) == ["Person o00", "Person t00"]
    assert names(client.get(LIST, {"team": ops.pk})) == ["Person l00", "Person o00"]
    assert names(client.get(LIST, {"status": "acknowledged"})) == ["Person l00"]
    assert names(client.get(LIST, {"cycle": cycle.pk, "team": ops.pk})) == ["Person o00"]


def test_another_districts_cycle_or_team_as_a_filter_finds_nothing(client, a, b, cycle):
    official_rows(cycle, a.team, 1)
    client.force_login(a.hr)
    assert names(client.get(LIST, {"team": b.team.pk})) == []
    assert names(client.get(LIST, {"status": "draft"})) == []


def test_pages_of_25(client, a, cycle):
    official_rows(cycle, a.team, 26)
    client.force_login(a.hr)
    first = client.get(LIST)
    assert len(names(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert names(client.get(LIST, {"page": 2})) == ["Person p25"]
    assert len(names(client.get(LIST, {"page": "nonsense"}))) == 25


@pytest.mark.parametrize("who", ["staff", "lead", "superintendent", "admin"])
def test_only_hr_opens_the_list(client, a, who):
    client.force_login(getattr(a, who))
    assert client.get(LIST).status_code == 403


def test_signing_in_is_required(client, a):
    assert client.get(LIST).status_code == 302


def test_hr_on_a_draft_gets_404(client, a, submitted):
    client.force_login(a.hr)
    assert client.get(reverse("reports:individual", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("reports:individual_pdf", args=[submitted.pk])).status_code == 404


def test_hr_home_links_to_the_list(client, a):
    client.force_login(a.hr)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()


# The HR list, whatever the number of rows:
#  1. the session
#  2. the signed-in person
#  3. their granted roles        (role_required → User.role_set)
#  4. whether they lead a team   (User.role_set)
#  5. who reports to them         (access.reporting_lines, for Assessment.visible_to)
#  6. the count for the paginator
#  7. the page of assessments with cycle, person, team and reviewer
#  8. their official PDFs, latest version first (reports.official.latest_first)
#  9. the cycles of the filter's choices
# 10. the teams of the filter's choices
# (the session row is written at most once a minute: assessments.sessions)
LIST_QUERIES = 10


@pytest.mark.parametrize("rows", [1, 25])
@pytest.mark.parametrize("query", [{}, {"q": "person", "sort": "-team"}, {"sort": "finalized"}])
def test_the_list_makes_a_fixed_number_of_queries(
    client, a, cycle, rows, query, django_assert_num_queries
):
    official_rows(cycle, a.team, rows)
    client.force_login(a.hr)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, query)
    assert len(names(response)) == rows


# Search and sort


def rows_named(cycle, team, *full_names, status=Assessment.Status.FINALIZED):
    """One official assessment per name, in ``team``."""
    made = official_rows(cycle, team, len(full_names), status=status, prefix=slugify(full_names[0]))
    for assessment, name in zip(made, full_names, strict=True):
        User.objects.filter(pk=assessment.person_id).update(full_name=name)
    return made


def test_searches_by_name_every_word_anywhere_in_it(client, a, cycle):
    rows_named(cycle, a.team, "Ada Lovelace", "Alan Turing", "Grace Hopper")
    client.force_login(a.hr)
    assert names(client.get(LIST, {"q": "  ada  "})) == ["Ada Lovelace"]
    assert names(client.get(LIST, {"q": "TURING alan"})) == ["Alan Turing"]
    assert names(client.get(LIST, {"q": "a"})) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert names(client.get(LIST, {"q": "nobody"})) == []


def test_sorts_by_each_column_both_ways(client, a, cycle):
    ops = Team.objects.create(district=a.district, name="Zoology")
    zed, amy = rows_named(cycle, a.team, "Zed Zulu", "Amy Alpha")
    (bob,) = rows_named(cycle, ops, "Bob Bravo", status=Assessment.Status.ACKNOWLEDGED)
    Assessment.objects.filter(pk=zed.pk).update(
        finalized_at=timezone.now() - datetime.timedelta(days=3)
    )
    Assessment.objects.filter(pk=bob.pk).update(
        finalized_at=timezone.now() - datetime.timedelta(days=1)
    )
    Assessment.objects.filter(pk=amy.pk).update(finalized_at=timezone.now())
    client.force_login(a.hr)
    assert a.team.name < ops.name
    # Ties (same team, same status) keep the name order both ways.
    expected = {
        "person": (["Amy Alpha", "Bob Bravo", "Zed Zulu"], ["Zed Zulu", "Bob Bravo", "Amy Alpha"]),
        "team": (["Amy Alpha", "Zed Zulu", "Bob Bravo"], ["Bob Bravo", "Amy Alpha", "Zed Zulu"]),
        "status": (["Bob Bravo", "Amy Alpha", "Zed Zulu"], ["Amy Alpha", "Zed Zulu", "Bob Bravo"]),
        "finalized": (
            ["Zed Zulu", "Bob Bravo", "Amy Alpha"],
            ["Amy Alpha", "Bob Bravo", "Zed Zulu"],
        ),
    }
    for key, (ascending, descending) in expected.items():
        assert names(client.get(LIST, {"sort": key})) == ascending, key
        assert names(client.get(LIST, {"sort": f"-{key}"})) == descending, key


def test_sorting_by_cycle_and_the_default_put_the_latest_cycle_first(client, a, cycle):
    later = make_cycle(a, cycle.framework, title="2027", opens=datetime.date(2027, 11, 1))
    rows_named(cycle, a.team, "Early Person")
    rows_named(later, a.team, "Late Person")
    client.force_login(a.hr)
    assert names(client.get(LIST)) == ["Late Person", "Early Person"]
    assert names(client.get(LIST, {"sort": "cycle"})) == ["Early Person", "Late Person"]
    assert names(client.get(LIST, {"sort": "-cycle"})) == ["Late Person", "Early Person"]


@pytest.mark.parametrize(
    "hostile",
    [
        {"sort": "person__password"},
        {"sort": "-pk; DROP TABLE assessments_assessment"},
        {"sort": "--person"},
        {"sort": "\x00"},
        {"sort": ["person", "-person"]},
        {"page": "-1"},
        {"page": "9" * 40},
        {"sort": "x" * 10_000},
    ],
)
def test_hostile_sort_or_page_gives_the_default_order(client, a, cycle, hostile):
    later = make_cycle(a, cycle.framework, title="2027", opens=datetime.date(2027, 11, 1))
    rows_named(cycle, a.team, "Early Person")
    rows_named(later, a.team, "Late Person")
    client.force_login(a.hr)
    response = client.get(LIST, hostile)
    assert response.status_code == 200
    assert names(response) == ["Late Person", "Early Person"]


@pytest.mark.parametrize("q", ["\x00", "x" * 101, "%", "_", "' OR 1=1 --", "<script>"])
def test_hostile_search_never_fails(client, a, cycle, q):
    rows_named(cycle, a.team, "Ada Lovelace")
    client.force_login(a.hr)
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert names(response) == []
    assert "<script>" not in response.content.decode()


def test_sort_links_keep_the_search_and_pages_keep_both(client, a, cycle):
    rows_named(cycle, a.team, *[f"Ada {n:02d}" for n in range(26)])
    client.force_login(a.hr)
    first = client.get(LIST, {"q": "ada", "sort": "-person"}).content.decode()
    assert 'href="?q=ada&amp;sort=-person&amp;page=2"' in first
    second = client.get(LIST, {"q": "ada", "sort": "-person", "page": 2})
    assert names(second) == ["Ada 00"]
    page = second.content.decode()
    # The person heading turns the order round, from the first page.
    assert 'href="?q=ada&amp;sort=person"' in page
    assert 'aria-sort="descending"' in page
    assert 'href="?q=ada&amp;sort=-person&amp;page=1"' in page
