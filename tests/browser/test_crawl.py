"""
Every page each demo account can reach by links, at 1280 px and on a 390 px phone:
axe-core finds no WCAG 2.1 A/AA violation, and no page is wider than the phone's screen.

The crawl (tests/browser/crawl.py) follows same-origin GET links from each account's
landing page, at most two URLs per URL pattern and each URL once, and prints how many
pages it checked and how long it took (run with -s to see it). A link that answers with
an error is a failure too.
"""

import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from assessments.models import User

from .conftest import sign_in
from .crawl import Crawl, axe_violations, is_page

pytestmark = pytest.mark.browser

NAMES = ("cto", "netadmin", "tech", "coach", "support", "privacy", "superintendent", "hr")
ACCOUNTS = [
    f"{name}@{district}.example"
    for district in ("northfield", "riverside")
    for name in (*NAMES, "admin")
] + ["root@skillsportal.example"]
WIDE, PHONE = 1280, 390
PASSWORD = "skills-demo-2026"  # every demo account's


@pytest.fixture
def demo(transactional_db, shipped_framework, framework_2026_2):
    call_command("load_demo", verbosity=0)


def visit(page, path: str) -> tuple[bool, str | None]:
    """Open ``path`` at full width: (an HTML page of ours to check?, a problem)."""
    page.set_viewport_size({"width": WIDE, "height": 900})
    try:
        response = page.goto(path)
    except PlaywrightError as error:  # a link to a file that the crawl did not expect
        return False, None if "Download is starting" in str(error) else str(error)
    if response.status >= 400:
        return False, f"answered {response.status}"
    # The platform admin lands in Django's own admin, which is not ours to check.
    return is_page(urlsplit(page.url).path), None


def check(page, axe) -> list[str]:
    """axe at both widths, and the page's width on the phone."""
    problems = [f"{WIDE} px: {v}" for v in axe_violations(page, axe)]
    page.set_viewport_size({"width": PHONE, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{PHONE} px: the page is {width} px wide")
    problems += [f"{PHONE} px: {v}" for v in axe_violations(page, axe)]
    return problems


def test_every_page_reached_by_links_is_accessible_and_fits_a_phone(browser, live_server, demo):
    started, axe = time.monotonic(), Axe()
    problems, pages = [], 0
    seen: set[str] = set()  # each URL checked once, by the first account that reaches it
    patterns: dict[str, Counter] = defaultdict(Counter)  # shared by twin accounts
    for email in ACCOUNTS:
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in(page, User.objects.get(email=email), password=PASSWORD, check_landing=False)
        name = email.split("@")[0]
        twin = name in patterns  # cto@riverside after cto@northfield: only what is new
        crawl = Crawl(live_server.url, 1 if twin else 2, seen=seen, patterns=patterns[name])
        crawl.start("/")
        while (path := crawl.next()) is not None:
            ours, problem = visit(page, path)
            if problem:
                problems.append(f"{email} {path}: {problem}")
            if not ours:
                continue
            crawl.offer_links_of(page)
            problems += [f"{email} {path} {p}" for p in check(page, axe)]
            pages += 1
        context.close()
    print(f"\n{pages} pages, {2 * pages} page checks, in {time.monotonic() - started:.0f} s")
    assert pages > 50
    assert not problems, "\n".join(problems)
