"""
The individual gap report: its numbers (in the context builder and on the page), who may
read it, hostile text, the audit trail, and a query count that does not grow with the
framework.
"""

# Fixtures are imported by name from test_individual_fixtures; using them as arguments
# is what pytest expects, not a redefinition.
import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import plans, workflow
from assessments.models import AuditEvent
from frameworks.models import Framework, RoleTarget
from reports.individual import individual_context
from tests.factories import make_framework
from tests.reports.helpers import (
    HOSTILE,
    LONG_WORD,
    ROLES,
    finalize,
    make_cycle,
    pdf_text,
    rate,
    submit,
)

pytestmark = pytest.mark.django_db


def url(assessment):
    return reverse("reports:individual", args=[assessment.pk])


# --- numbers, in the service --------------------------------------------------------------


def test_the_figures_of_a_submitted_assessment(submitted):
    ctx = individual_context(submitted)
    report = ctx["report"]
    # Targets 1, 2, 3, 4, 5, 1 against self 3: Σ min = 1+2+3+3+3+1 = 13 of 16.
    assert report.self_side.percent == Decimal("81.2")
    assert (report.self_side.met_points, report.self_side.target_points) == (13, 16)
    assert report.self_side.gaps == 2
    assert report.reviewer_side is None
    # D1.4: gap 2 × important 2 = 4; D0.3: gap 1 × essential 3 = 3.
    assert [(c.line.code, c.self_side.priority) for c in report.top_priorities] == [
        ("D1.4", 4),
        ("D0.3", 3),
    ]
    # Surplus first, then weight: D0.0 (2, essential) before D2.5 (2, helpful).
    assert [c.line.code for c in report.top_strengths] == ["D0.0", "D2.5", "D1.1", "D2.2"]
    assert [(d.code, str(d.self_side.percent)) for d in report.domains] == [
        ("D0", "80.0"),  # 1 + 3 of 1 + 4
        ("D1", "71.4"),  # 2 + 3 of 2 + 5, rounded down
        ("D2", "100.0"),
    ]
    assert [c.line.code for c in ctx["largest_gaps"]] == ["D1.4", "D0.3"]
    assert ctx["official"] is None and not ctx["is_official"]
    assert ctx["previous_cycle"] is None


def test_reviewer_figures_stand_beside_the_self_figures(finalized):
    report = individual_context(finalized)["report"]
    assert report.self_side.percent == Decimal("81.2")  # never averaged
    # Reviewer 2 everywhere: 1+2+2+2+2+1 = 10 of 16.
    assert report.reviewer_side.percent == Decimal("62.5")
    assert report.reviewer_side.gaps == 3


def test_notes_and_goals_reach_the_context(submitted, a):
    competency = submitted.ratings.get(competency__code="D1.4").competency
    plans.save_plan(
        person=a.staff,
        assessment=submitted,
        goals=[
            plans.GoalInput(
                competency_id=competency.pk,
                goal="Run a tabletop exercise",
                actions="Book the room",
                resource_id=None,
                target_date=datetime.date(2027, 3, 1),
            )
        ],
    )
    ctx = individual_context(submitted)
    assert [g.goal for g in ctx["goals"]] == ["Run a tabletop exercise"]
    assert {row.result.line.code: row.note for row in ctx["notes"]} == {
        "D0.0": HOSTILE,
        "D1.1": LONG_WORD,
    }


def test_change_since_the_previous_official_assessment_matches_codes_across_versions(a):
    """Two versions of one framework slug: different rows, the same competency codes."""
    old = make_framework(competencies=6, domains=3, roles=ROLES, slug="gen")
    Framework.objects.filter(pk=old.pk).update(version="0")
    new = make_framework(competencies=6, domains=3, roles=ROLES, slug="gen")
    last_year = make_cycle(a, old, title="2025 review", opens=datetime.date(2025, 11, 1))
    earlier = last_year.assessments.get(person=a.staff)
    rate(earlier, {"D0.0": 1, "D1.1": 2, "D2.2": 3, "D0.3": 4, "D1.4": 0, "D2.5": 3})
    submit(earlier)
    finalize(earlier, a.lead)

    this_year = make_cycle(a, new, title="2026 review", opens=datetime.date(2026, 11, 1))
    current = rate(this_year.assessments.get(person=a.staff), 3)
    ctx = individual_context(current)
    changes = {c.line.code: c.change for c in ctx["report"].competencies}
    assert changes == {"D0.0": 2, "D1.1": 1, "D2.2": 0, "D0.3": -1, "D1.4": 3, "D2.5": 0}
    assert ctx["previous_cycle"] == "2025 review"


def test_change_since_last_cycle_crosses_from_2026_1_to_2026_2_through_the_mapping(
    client, a, shipped_framework, framework_2026_2, django_assert_num_queries
):
    """
    Last year on 2026.1, this year on 2026.2: kept codes compare as before, a split part
    with the code it came from, a merged competency with the highest of its sources, a
    new competency not at all; the page says the comparison crosses versions and marks
    each split or merge. One query more than on one version: the mapping.
    """
    last_year = make_cycle(
        a, shipped_framework, title="2025 review", opens=datetime.date(2025, 11, 1)
    )
    earlier = last_year.assessments.get(person=a.staff)
    before = {"INF.1": 1, "INF.6": 2, "LRN.3": 1, "LRN.7": 3, "WEL.1": 4, "WEL.5": 0}
    rate(
        earlier,
        {
            code: before.get(code, 2)
            for code in earlier.ratings.values_list("competency__code", flat=True)
        },
    )
    finalize(submit(earlier), a.lead)

    this_year = make_cycle(a, framework_2026_2, title="2026 review")
    current = submit(rate(this_year.assessments.get(person=a.staff), 3))
    ctx = individual_context(current)
    lines = {c.line.code: (c.change, c.line.previous_via) for c in ctx["report"].competencies}
    assert lines["INF.1"] == (2, "")  # 3 − 1, the same competency
    assert lines["INF.6"] == (1, "split from INF.6")  # 3 − 2
    assert lines["INF.11"] == (1, "split from INF.6")  # identity came out of INF.6
    assert lines["LRN.3"] == (0, "merged from LRN.3, LRN.7")  # 3 − max(1, 3)
    assert lines["WEL.5"] == (-1, "merged from WEL.1, WEL.5")  # 3 − max(4, 0)
    assert lines["LRN.9"] == (None, "")  # E-rate is new in 2026.2
    assert lines["WEL.9"] == (1, "split from WEL.8")  # 3 − 2
    assert ctx["previous_cycle"] == "2025 review"
    assert ctx["previous_version"] == "2026.1"

    client.force_login(a.staff)
    with django_assert_num_queries(PAGE_QUERIES + 1):
        page = client.get(url(current)).text
    assert "That cycle used version 2026.1 of the framework" in page
    assert "(split from INF.6)" in page and "(merged from LRN.3, LRN.7)" in page


def test_only_an_official_earlier_assessment_is_a_baseline(a, small_framework):
    """A draft left last year, another framework slug, or a later cycle: no change shown."""
    draft_last_year = make_cycle(a, small_framework, title="2025", opens=datetime.date(2025, 1, 1))
    rate(draft_last_year.assessments.get(person=a.staff), 1)
    other = make_framework(competencies=6, domains=3, roles=ROLES, slug="other")
    elsewhere = make_cycle(a, other, title="Other", opens=datetime.date(2025, 6, 1))
    done = rate(elsewhere.assessments.get(person=a.staff), 1)
    submit(done)
    finalize(done, a.lead)

    current = make_cycle(a, small_framework, title="2026", opens=datetime.date(2026, 1, 1))
    ctx = individual_context(rate(current.assessments.get(person=a.staff), 3))
    assert {c.change for c in ctx["report"].competencies} == {None}
    assert ctx["previous_cycle"] is None


def test_a_person_who_moved_districts_brings_no_figures_from_the_old_one(client, a, b):
    """
    Finalized in Riverside, then moved to Northfield: Northfield's lead and superintendent
    see no change since last cycle and nothing of Riverside, on the page, in the working
    copy before finalizing, and in the official PDF.
    """
    framework = make_framework(competencies=6, domains=3, roles=ROLES, slug="generated")
    there = make_cycle(b, framework, title="Riverside 2025", opens=datetime.date(2025, 11, 1))
    old = rate(there.assessments.get(person=b.staff), 1)
    finalize(submit(old), b.lead)
    mover = b.staff
    mover.district, mover.team, mover.full_name = a.district, a.team, "Sam Mover"
    mover.save(update_fields=["district", "team", "full_name"])

    here = workflow.open_cycle(
        actor=a.admin,
        district=a.district,
        framework=framework,
        title="Northfield 2026",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
        people=[mover],
    )
    current = submit(rate(here.assessments.get(person=mover), 3))
    ctx = individual_context(current)
    assert ctx["previous_cycle"] is None
    assert {c.change for c in ctx["report"].competencies} == {None}

    def shown(viewer) -> list[str]:
        client.force_login(viewer)
        page = client.get(url(current)).text
        pdf = client.get(reverse("reports:individual_pdf", args=[current.pk])).content
        return [page, pdf_text(pdf)]

    texts = shown(a.lead) + shown(a.superintendent)
    client.force_login(mover)
    texts.append(client.get(reverse("home")).text)
    finalize(current, a.lead)
    texts += shown(a.lead) + shown(a.superintendent)
    for text in texts:
        assert "Riverside" not in text
        assert "+2" not in text  # the change from Riverside's level 1 to 3


# --- who may read it ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "lead", "superintendent"])
def test_the_person_their_lead_and_the_superintendent_read_a_draft_report(
    client, a, submitted, who
):
    client.force_login(getattr(a, who))
    assert client.get(url(submitted)).status_code == 200


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_and_the_district_admin_get_404_for_work_that_is_not_final(client, a, submitted, who):
    client.force_login(getattr(a, who))
    assert client.get(url(submitted)).status_code == 404
    assert client.get(reverse("reports:individual_pdf", args=[submitted.pk])).status_code == 404


def test_hr_reads_a_finalized_report(client, a, finalized):
    client.force_login(a.hr)
    assert client.get(url(finalized)).status_code == 200


@pytest.mark.parametrize("who", ["staff", "lead", "superintendent", "hr", "admin"])
def test_another_district_gets_404(client, a, b, finalized, who):
    client.force_login(getattr(b, who))
    assert client.get(url(finalized)).status_code == 404
    assert client.get(reverse("reports:individual_pdf", args=[finalized.pk])).status_code == 404


def test_a_missing_report_is_404_and_signing_in_is_required(client, a, submitted):
    response = client.get(url(submitted))
    assert response.status_code == 302 and "/account/" in response["Location"]
    client.force_login(a.superintendent)
    assert client.get(reverse("reports:individual", args=[999_999])).status_code == 404


def test_a_lead_cannot_read_someone_outside_their_team(client, a, cycle):
    lead_own = cycle.assessments.get(person=a.lead)
    client.force_login(a.staff)
    assert client.get(url(lead_own)).status_code == 404


# --- the page ----------------------------------------------------------------------------


def test_the_page_shows_the_same_figures_as_the_service(client, a, finalized):
    client.force_login(a.staff)
    page = client.get(url(finalized)).content.decode()
    assert '<td class="readiness-self">81.2%</td>' in page
    assert '<td class="readiness-reviewer">62.5%</td>' in page
    assert '<td class="gaps-self">2 of 6</td>' in page
    for domain, percent in [("Domain 0", "80.0%"), ("Domain 1", "71.4%"), ("Domain 2", "100.0%")]:
        assert re.search(rf"<th scope=\"row\">{domain}</th><td>{re.escape(percent)}</td>", page)
    assert "D1.4 Competency 4: gap 2, priority 4 (important)" in page
    assert "Network-Security-Admin" in page and "Northfield" in page and "Finalized" in page


def test_charts_are_images_with_a_text_alternative_and_a_table(client, a, finalized):
    client.force_login(a.lead)
    page = client.get(url(finalized)).content.decode()
    images = re.findall(
        r'<img class="chart[^"]*" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', page
    )
    assert len(images) == 2
    assert html.unescape(images[0]).startswith("Readiness by domain, percent of target reached")
    assert "Largest gaps, in levels below target: D1.4 Competency 4 self 2, reviewer 3" in (
        html.unescape(images[1])
    )
    assert "<caption>Largest gaps, in levels below target</caption>" in page


def test_hostile_text_is_shown_as_text(client, a, finalized):
    client.force_login(a.staff)
    page = client.get(url(finalized)).content.decode()
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page
    assert 'src="file:' not in page and "<script>alert" not in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert LONG_WORD in page


def test_the_page_shows_the_official_sha256(client, a, finalized):
    client.force_login(a.staff)
    page = client.get(url(finalized)).content.decode()
    sha = finalized.official_reports.get().sha256
    assert f'<code class="official-sha256 text-break">{sha}</code>' in page
    assert "Download the official PDF" in page


def test_a_draft_offers_a_working_copy(client, a, submitted):
    client.force_login(a.staff)
    page = client.get(url(submitted)).content.decode()
    assert "Download a working copy (PDF)" in page and "official-sha256" not in page


def test_each_view_is_audited(client, a, finalized):
    client.force_login(a.superintendent)
    client.get(url(finalized))
    client.get(url(finalized))
    events = AuditEvent.objects.filter(action="report.viewed", object_id=str(finalized.pk))
    assert events.count() == 2
    event = events.first()
    assert (event.actor, event.district, event.object_type) == (
        a.superintendent,
        a.district,
        "assessment",
    )


def test_links_from_the_assessment_and_home(client, a, finalized):
    client.force_login(a.staff)
    detail = client.get(reverse("assessments:detail", args=[finalized.pk])).content.decode()
    assert f'href="{url(finalized)}"' in detail
    workflow.close_cycle(actor=a.admin, cycle=finalized.cycle)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{url(finalized)}"' in home
    assert f'href="{reverse("reports:own_data")}"' in home


def test_the_report_survives_a_missing_target(a):
    """A role without a target for a competency asks nothing of it (target 0)."""
    framework = make_framework(competencies=6, domains=3, roles=ROLES, slug="gappy")
    RoleTarget.objects.filter(role__code="network-security-admin", competency__code="D1.4").delete()
    assessment = rate(make_cycle(a, framework).assessments.get(person=a.staff), 3)
    report = individual_context(assessment)["report"]
    assert report.self_side.target_points == 11
    assert [c.line.code for c in report.top_priorities] == ["D0.3"]


def test_a_wrong_status_cannot_be_forced(a, submitted):
    with pytest.raises(ValidationError):
        workflow.acknowledge(person=a.staff, assessment=submitted)


# --- queries -----------------------------------------------------------------------------

# The report page, whatever the number of competencies:
#  1. the session
#  2. the signed-in person
#  3. their granted roles            (User.role_set, for visible_to)
#  4. whether they lead a team       (User.role_set)
#  5. who reports to them            (access.reporting_lines, for visible_to)
#  6. the assessment, access-checked (get_assessment_or_404)
#  7. the assessment again, with cycle, framework, district, person, team, role and
#     reviewer                       (individual_context)
#  8. its ratings with competency, domain and both levels
#  9. the role's targets with levels
# 10. the previous official assessment's self levels (one query with a subquery)
# 11. the development goals with competency and resource
# 12. the framework's resources
# 13. its official PDFs, version 1 and 2
# 14. the audit event (INSERT; its district is the assessment's, already loaded)
# (the session row is written at most once a minute: assessments.sessions)
PAGE_QUERIES = 14


def test_the_page_makes_a_fixed_number_of_queries(client, a, submitted, django_assert_num_queries):
    client.force_login(a.staff)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url(submitted))
    assert response.status_code == 200


def test_the_query_count_does_not_grow_with_60_competencies(client, a, django_assert_num_queries):
    framework = make_framework(competencies=60, domains=4, roles=ROLES, slug="big")
    big = make_cycle(a, framework, title="Big")
    assessment = rate(big.assessments.get(person=a.staff), 2, notes={"D0.0": "a note"})
    assessment = submit(assessment)  # the lead reads it once submitted: a draft is private
    assert assessment.ratings.count() == 60
    client.force_login(a.lead)
    with django_assert_num_queries(PAGE_QUERIES + 1):  # may the lead read the team's report?
        response = client.get(url(assessment))
    assert response.status_code == 200
    assert len(individual_context(assessment)["report"].competencies) == 60


def test_the_shipped_framework_has_the_same_count(
    client, a, shipped_framework, django_assert_num_queries
):
    shipped = make_cycle(a, shipped_framework, title="Shipped")
    assessment = rate(shipped.assessments.get(person=a.staff), 2)
    client.force_login(a.staff)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url(assessment))
    assert response.status_code == 200
    # Resources of the shipped framework reach the top gaps.
    assert "Resources for the top gaps" in response.content.decode()
