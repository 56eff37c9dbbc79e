"""
The superintendent's drill-down in a real browser, by clicks alone: sign in, land on the
district dashboard, open a team, one person's report, then one competency of theirs.
axe-core runs on the pages this journey adds (the dashboard and the competency page).
"""

import pytest

from assessments import workflow
from assessments.workflow import RatingChange
from tests.cast import make_district, open_cycle

from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def district(transactional_db, shipped_framework):
    """The CTO rates 4 everywhere, the network admin 2; both submitted."""
    cast = make_district("northfield", "Northfield")
    cycle = open_cycle(cast, shipped_framework, cast.lead, cast.staff)
    for person, level in ((cast.lead, 4), (cast.staff, 2)):
        assessment = cycle.assessments.get(person=person)
        changes = [RatingChange(r.competency_id, level=level) for r in assessment.ratings.all()]
        assessment = workflow.save_ratings(
            person=person, assessment=assessment, version=assessment.version, changes=changes
        )
        workflow.submit(person=person, assessment=assessment, version=assessment.version)
    cast.cycle = cycle
    return cast


def test_dashboard_team_person_competency_by_clicks_alone(page, district):
    staff = district.staff.get_full_name()
    first = (
        district.cycle.framework.competencies.order_by("domain__position", "position", "code")
        .select_related("domain")
        .first()
    )

    sign_in(page, district.superintendent)  # lands on the dashboard, axe included
    page.wait_for_url("**/reports/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "District dashboard: Northfield"
    page.get_by_role("region", name="Readiness by team and domain").get_by_role(
        "link", name="Technology"
    ).click()

    page.get_by_role("heading", level=1, name="Team report: Technology").wait_for()
    page.get_by_role("link", name=staff, exact=True).click()

    page.get_by_role("heading", level=1).filter(has_text=staff).first.wait_for()
    page.get_by_role("link", name=f"{first.code} {first.title}").click()

    heading = page.get_by_role("heading", level=1, name=f"{first.code} {first.title}")
    heading.wait_for()
    assert "Team Technology" in page.locator("p.lead").inner_text()
    people = page.get_by_role("region", name="Everyone's level", exact=True)
    assert people.get_by_role("link", name=staff).is_visible()
    assert people.get_by_role("link", name=district.lead.get_full_name()).is_visible()
    assert_accessible(page)


def fits_a_phone(page) -> bool:
    page.set_viewport_size({"width": 390, "height": 844})
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_dashboard_and_a_competency_fit_a_phone(page, district):
    """Wide tables scroll inside their own keyboard-reachable, named box."""
    sign_in(page, district.superintendent)
    page.wait_for_url("**/reports/dashboard/")
    assert fits_a_phone(page)
    assert_accessible(page)
    page.locator("ol.priority-gaps a").first.click()
    page.get_by_role("region", name="Everyone's level", exact=True).wait_for()
    assert fits_a_phone(page)
    assert_accessible(page)
