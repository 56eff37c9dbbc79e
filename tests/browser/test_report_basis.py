"""
The basis switch of the team report, in a real browser and by keyboard: the figures
change as the arithmetic of tests/reports/test_report_basis.py says, and the download
links follow the chosen basis.
"""

import pytest

from reports.basis import Basis
from tests.cast import make_district
from tests.factories import make_framework
from tests.reports.test_report_basis import EXPECTED, make_basis_team

from .conftest import assert_accessible
from .test_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def district(transactional_db):
    cast = make_district("northfield", "Northfield")
    framework = make_framework(
        competencies=6, domains=2, roles=("district-cto", "network-security-admin")
    )
    cast.cycle = make_basis_team(cast, framework)
    return cast


def overall(page) -> str:
    return page.locator("table.team-domains tr.team-overall td").first.inner_text()


def test_the_lead_switches_the_basis_and_the_figures_follow(page, district):
    sign_in(page, district.lead)
    page.get_by_role("link", name="Team report").click()
    page.get_by_role("heading", level=1, name="Team report: Technology").wait_for()
    switch = page.get_by_label("Ratings counted")
    assert switch.input_value() == "reviewed"  # the default
    assert overall(page) == f"{EXPECTED[Basis.REVIEWED][2]}%"  # 71.8%: 23 of 32
    assert_accessible(page)

    # By keyboard alone: the options are in the order reviewed, self, reviewer, so one
    # arrow down from each moves to the next; Tab reaches "Show" and Enter sends the form.
    for basis in (Basis.SELF, Basis.REVIEWER):
        switch.focus()
        page.keyboard.press("ArrowDown")
        assert switch.input_value() == basis.value
        page.keyboard.press("Tab")
        show = page.get_by_role("button", name="Show")
        assert show.evaluate("button => button === document.activeElement")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert f"basis={basis.value}" in page.url
        assert page.get_by_label("Ratings counted").input_value() == basis.value
        assert overall(page) == f"{EXPECTED[basis][2]}%"  # 50.0%, then 81.2%
        note = page.locator("p.counted-note").inner_text()
        assert f"Ratings counted: {basis.label}" in note
        csv_link = page.get_by_role("link", name="CSV (heat map)")
        assert csv_link.get_attribute("href").endswith(f"basis={basis.value}")
    assert_accessible(page)
