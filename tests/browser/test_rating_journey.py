"""A staff member rates in a real browser: autosave, reload, two tabs, keyboard only."""

import pytest

from assessments.models import Assessment, Rating
from tests.cast import PASSWORD, make_district, open_cycle

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def assessment(transactional_db, shipped_framework) -> Assessment:
    cast = make_district("northfield", "Northfield")
    return open_cycle(cast, shipped_framework, cast.staff).assessments.get()


def sign_in(page, email):
    page.goto("/account/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def saved(page):
    page.get_by_text("All changes saved").wait_for()


def test_rate_reload_and_find_everything_saved(page, assessment):
    sign_in(page, assessment.person.email)
    page.goto(f"/assessments/{assessment.pk}/rate/")
    assert_accessible(page)
    first, second = assessment.ratings.order_by(
        "competency__domain__position", "competency__position"
    )[:2]
    page.locator(f"#level-{first.competency_id}-3").check()
    saved(page)
    page.locator(f"#level-{second.competency_id}-2").check()
    saved(page)
    page.locator(f"#note-{first.competency_id}").fill("Restored the SIS in the spring drill.")
    page.locator(f"#note-{first.competency_id}").blur()
    saved(page)

    page.reload()
    assert page.locator(f"#level-{first.competency_id}-3").is_checked()
    assert page.locator(f"#level-{second.competency_id}-2").is_checked()
    assert page.locator(f"#note-{first.competency_id}").input_value() == (
        "Restored the SIS in the spring drill."
    )
    rating = Rating.objects.get(pk=first.pk)
    assert (rating.level.value, rating.note) == (3, "Restored the SIS in the spring drill.")


def test_two_tabs_the_stale_one_is_told_and_overwrites_nothing(page, assessment):
    sign_in(page, assessment.person.email)
    url = f"/assessments/{assessment.pk}/rate/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    competency = (
        assessment.ratings.order_by("competency__domain__position", "competency__position")
        .first()
        .competency_id
    )

    page.locator(f"#level-{competency}-4").check()
    saved(page)
    other.locator(f"#level-{competency}-1").check()
    other.get_by_text("changed elsewhere").wait_for()
    assert Rating.objects.get(assessment=assessment, competency_id=competency).level.value == 4


def test_whole_form_by_keyboard_alone_then_submit(page, assessment):
    sign_in(page, assessment.person.email)
    page.goto(f"/assessments/{assessment.pk}/rate/")
    total = assessment.ratings.count()
    rated = 0
    while True:
        fieldsets = page.locator("fieldset[data-competency]")
        for index in range(fieldsets.count()):
            radio = fieldsets.nth(index).locator("input[type=radio]").first
            radio.focus()
            # Arrow keys move through a radio group and check the focused radio.
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
            rated += 1
        saved(page)
        step_url = page.url
        page.get_by_role("button", name="Save and continue").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, previous=step_url: url != previous)
        if "/rate/review/" in page.url:
            break
    assert rated == total
    assert page.get_by_text("not rated yet").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan/")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert not assessment.ratings.filter(level__isnull=True).exists()
