"""
A bounded crawl of the pages a signed-in person can reach by links, for the accessibility
and small-screen checks of tests/browser/test_crawl.py.

Only same-origin GET links are followed; downloads (PDF, CSV, spreadsheets, JSON, ZIP),
signing out and the platform admin (Django's own pages) are left out. The crawl is bounded:
at most ``per_pattern`` URLs per path pattern (digits replaced by ``#``, query ignored), so
a list of thirty people costs two visits, not thirty. A URL is checked once, by the first
account that reaches it (each account's landing page is always checked). Accounts with
the same part before the "@" (cto@northfield and cto@riverside: the same role and state
in the demo) share their pattern budget, and the second of them checks only patterns the
first did not reach, once each.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

# Paths that answer with a file or end the session, never with an HTML page.
NOT_A_PAGE = re.compile(
    r"/(pdf|csv|xlsx|download|status|export/[^/]+|my-data|signout)/?$"
    r"|\.(csv|json|pdf|xlsx|zip)$"
    r"|^/admin/"
)

LINKS = "Array.from(document.querySelectorAll('a[href]'), a => a.download ? '' : a.href)"


def is_page(path: str) -> bool:
    return not NOT_A_PAGE.search(path)


def pattern(path: str) -> str:
    return re.sub(r"\d+", "#", path)


@dataclass
class Crawl:
    """Pages still to visit, in the order found, under the per-pattern bound."""

    origin: str
    per_pattern: int = 2
    queue: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # may be shared between crawls
    patterns: Counter = field(default_factory=Counter)  # likewise

    def start(self, path: str) -> None:
        """The landing page: always checked, whatever the budget."""
        self.seen.add(path)
        self.patterns[pattern(path)] += 1
        self.queue.append(path)

    def offer(self, url: str) -> None:
        url, _ = urldefrag(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or not is_page(parts.path):
            return
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        key = pattern(parts.path)
        if local in self.seen or self.patterns[key] >= self.per_pattern:
            return
        self.seen.add(local)
        self.patterns[key] += 1
        self.queue.append(local)

    def next(self) -> str | None:
        return self.queue.pop(0) if self.queue else None

    def offer_links_of(self, page) -> None:
        for href in page.evaluate(LINKS):
            if href:
                self.offer(href)


AXE_RUN = "axe.run(document, %s)"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page, axe) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe.axe_script)  # once per page load, then run at each width
    options = {**WCAG_21_AA, "resultTypes": ["violations"]}
    results = page.evaluate(AXE_RUN % json.dumps(options))
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results["violations"]
    ]
