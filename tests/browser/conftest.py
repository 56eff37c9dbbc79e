"""
The real-browser harness: Playwright driving the system Chromium against the live test
server. A missing browser fails the suite rather than skipping it.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from assessments import second_factor
from tests.cast import PASSWORD

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"No Chromium at {path}: install Debian's chromium (apt-get install chromium) "
            "or set CHROMIUM_PATH. The browser suite is never skipped."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the tests' thread; the ORM calls the
    # tests make from that thread are still plain synchronous calls, so Django may allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core on the page and fail with every WCAG 2.1 A/AA violation it finds."""
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def sign_in(page, person, *, password: str = PASSWORD, check_landing: bool = True) -> None:
    """
    Sign in on the sign-in page; a person who needs a second factor (a district or platform
    admin) gets an authenticator app and types its code on the next page. axe checks the
    code page and, unless the caller checks it itself, the page the person lands on.
    """
    page.context.clear_cookies()
    page.goto("/account/signin/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(password)
    needs_code = second_factor.required_for(person)
    if needs_code:
        device, _ = TOTPDevice.objects.get_or_create(
            user=person, name="app", defaults={"confirmed": True}
        )
    page.get_by_role("button", name="Sign in").click()
    if needs_code:
        page.wait_for_url("**/account/signin/code/")
        assert_accessible(page)
        page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/signin/" not in url)
    if check_landing:
        assert_accessible(page)
