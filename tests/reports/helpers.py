"""
Helpers of the individual-report, official-PDF, HR and own-data tests (their fixtures are
in this folder's conftest.py).

The figures are made easy to check by hand with a generated framework of six competencies
in three domains (tests/factories.py): competency n has target 1 + n % 5 and importance
essential / important / helpful for n % 3 = 0 / 1 / 2, so the targets are 1, 2, 3, 4, 5, 1.
"""

import datetime
import io

from pypdf import PdfReader

from assessments import workflow
from assessments.models import Assessment
from assessments.workflow import RatingChange

ROLES = ("district-cto", "network-security-admin")

# Hostile text: must come out as the literal characters, fetching nothing.
HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script> {{ 7*7 }}'
LONG_WORD = "x" * 2000


def make_cycle(cast, framework, *, title="2026 annual review", opens=datetime.date(2026, 11, 1)):
    """A cycle of ``cast``'s district (a or b) with its lead and staff member in it."""
    return workflow.open_cycle(
        actor=cast.admin,
        district=cast.district,
        framework=framework,
        title=title,
        opens_on=opens,
        due_on=opens + datetime.timedelta(days=45),
        people=[cast.lead, cast.staff],
    )


def _changes(assessment: Assessment, levels, notes=None) -> list[RatingChange]:
    """One change per competency: ``levels`` is one level for all, or {code: level}."""
    notes = notes or {}
    changes = []
    for rating in assessment.ratings.select_related("competency"):
        code = rating.competency.code
        level = levels if isinstance(levels, int) else levels[code]
        changes.append(RatingChange(rating.competency_id, level=level, note=notes.get(code)))
    return changes


def rate(assessment: Assessment, levels, notes=None) -> Assessment:
    """Self-rate every competency: ``levels`` is one level for all, or {code: level}."""
    assessment.refresh_from_db()
    changes = _changes(assessment, levels, notes)
    return workflow.save_ratings(
        person=assessment.person, assessment=assessment, version=assessment.version, changes=changes
    )


def submit(assessment: Assessment) -> Assessment:
    assessment.refresh_from_db()
    return workflow.submit(
        person=assessment.person, assessment=assessment, version=assessment.version
    )


def review(assessment: Assessment, lead, levels, notes=None, comment=None) -> Assessment:
    assessment.refresh_from_db()
    changes = _changes(assessment, levels, notes)
    return workflow.save_review(
        reviewer=lead,
        assessment=assessment,
        version=assessment.version,
        changes=changes,
        comment=comment,
    )


def finalize(assessment: Assessment, lead) -> Assessment:
    """
    Finalize as ``lead``, who first agrees with the self-rating of every competency they
    left without a level of their own ("agree with all in this domain", domain by domain).
    """
    assessment.refresh_from_db()
    codes = set(assessment.ratings.values_list("competency__domain__code", flat=True))
    for code in sorted(codes):
        assessment.refresh_from_db(fields=["version"])
        workflow.agree_with_domain(
            reviewer=lead, assessment=assessment, version=assessment.version, domain_code=code
        )
    return workflow.finalize(reviewer=lead, assessment=assessment)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def compact(text: str) -> str:
    """Text without white space, for strings the PDF may wrap across lines."""
    return "".join(text.split())


def queued_download(client, address: str):
    """
    Ask for a report rendered in the background (POST ``address``, as its button does),
    run the queued task as the worker would (tests/taskqueue.py) and download the file:
    the download's response, with its bytes in ``body``.
    """
    from django.urls import resolve, reverse

    from tests.taskqueue import committing, run_queued_tasks

    with committing():
        asked = client.post(address)
    assert asked.status_code == 302, asked.status_code
    job = resolve(asked.url.split("?")[0]).kwargs["pk"]
    assert run_queued_tasks() >= 1
    response = client.get(reverse("reports:job_download", args=[job]))
    response.body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response
