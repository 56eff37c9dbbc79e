"""
What axe does not measure: focus rings that stand out (3:1) from what is behind them, the
rating form's save status and progress in view wherever the person has scrolled, the heat
map's names column in view while it scrolls sideways, and printing without navigation,
buttons or forms.
"""

import re

import pytest

from tests.cast import PASSWORD, make_district, open_cycle
from tests.factories import make_team

pytestmark = pytest.mark.browser

# The ring's colour and width, and the first opaque background behind the element.
RING = """el => {
  const style = getComputedStyle(el);
  let node = el, background = "rgba(0, 0, 0, 0)";
  while (node && /rgba\\(.*, 0\\)|transparent/.test(background)) {
    background = getComputedStyle(node).backgroundColor;
    node = node.parentElement;
  }
  return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor, background];
}"""


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def cast(transactional_db, shipped_framework):
    cast = make_district("northfield", "Northfield")
    cast.assessment = open_cycle(cast, shipped_framework, cast.staff).assessments.get()
    return cast


def sign_in(page, email):
    page.goto("/account/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"never reached {locator}")


def assert_ring_stands_out(locator):
    style, width, colour, background = locator.evaluate(RING)
    assert style != "none" and width >= 2, (style, width)
    assert contrast(colour, background) >= 3, (colour, background)


def test_focus_rings_stand_out_on_radios_and_the_dark_navigation_bar(page, cast):
    sign_in(page, cast.staff.email)
    page.goto(f"/assessments/{cast.assessment.pk}/rate/")
    brand = page.get_by_role("link", name="Skills Portal")
    tab_to(page, brand)
    assert_ring_stands_out(brand)
    radio = page.locator("input[type=radio]").first
    tab_to(page, radio)
    assert_ring_stands_out(radio)


def test_save_status_and_progress_stay_in_view_on_the_rating_form(page, cast):
    sign_in(page, cast.staff.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/assessments/{cast.assessment.pk}/rate/")
    bar = page.locator(".sticky-actions")
    for fraction in (0, 0.3, 0.6):
        page.evaluate(f"window.scrollTo(0, document.body.scrollHeight * {fraction})")
        for part in (bar.locator("[data-save-status]"), bar.locator("[data-progress]")):
            box = part.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, (fraction, box)
    page.locator("input[type=radio]").first.check()
    page.get_by_text("All changes saved").wait_for()
    assert "1 of" in bar.locator("[data-progress]").inner_text()


def test_heat_map_keeps_names_in_view_and_printing_drops_navigation(page, cast, shipped_framework):
    made = make_team(cast.district, shipped_framework, people=12, name="Infrastructure")
    sign_in(page, cast.superintendent.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/reports/teams/{made.team.pk}/?cycle={made.cycle.pk}")
    box = page.get_by_role("region", name="Gap per person and competency")
    name = box.locator("tbody th").first
    left = name.bounding_box()["x"]
    box.evaluate("el => el.scrollBy(600, 200)")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert abs(name.bounding_box()["x"] - left) < 1  # the names column stays put
    header = box.locator("thead tr").last.locator("th").nth(2)
    assert header.bounding_box()["y"] >= box.bounding_box()["y"] - 1  # and the header

    page.emulate_media(media="print")
    for hidden in ("nav[aria-label=Main]", "form", ".downloads", "footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_role("heading", name="Gaps by person and competency").is_visible()
