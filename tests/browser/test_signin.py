import pytest

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible(page):
    page.goto("/account/signin/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert_accessible(page)


def test_person_signs_in_and_reads_the_framework(page, person, shipped_framework):
    page.goto("/frameworks/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=shipped_framework.title).click()
    assert page.get_by_role("heading", name="The proficiency scale").is_visible()
    assert_accessible(page)
