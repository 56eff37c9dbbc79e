"""
The individual report as PDF, read back with pypdf: type, filename, headers, metadata,
tags, the same figures as the page, hostile text, nothing fetched but our static files.
"""

# Fixtures are imported by name from test_individual_fixtures; using them as arguments
# is what pytest expects, not a redefinition.
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import workflow
from assessments.models import AuditEvent
from reports import pdf as pdf_module
from reports.individual import individual_context
from reports.official import render_individual_pdf
from tests.reports.helpers import HOSTILE, LONG_WORD, compact, pdf_text

pytestmark = pytest.mark.django_db


def download(client, assessment):
    return client.get(reverse("reports:individual_pdf", args=[assessment.pk]))


@pytest.fixture
def working_copy(client, a, submitted):
    client.force_login(a.staff)
    response = download(client, submitted)
    assert response.status_code == 200
    return response


def test_a_working_copy_is_a_pdf_download(working_copy):
    response = working_copy
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="2026-annual-review-northfield-netadmin-working-copy.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    assert int(response["Content-Length"]) == len(response.content)


def test_metadata_and_tags(working_copy):
    reader = PdfReader(io.BytesIO(working_copy.content))
    meta = reader.metadata
    assert meta.title == "Competency gap report — Northfield Netadmin — 2026 annual review"
    assert meta.author == "Northfield (Skills Portal)"
    assert meta.subject == (
        "Individual competency gap report of Northfield Netadmin, Network-Security-Admin, "
        "2026 annual review (working copy)"
    )
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    # US Letter: 8.5 × 11 in = 612 × 792 pt.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_the_pdf_carries_the_same_figures_as_the_page(client, a, submitted, working_copy):
    text = pdf_text(working_copy.content)
    report = individual_context(submitted)["report"]
    assert f"Overall readiness {report.self_side.percent}%" in text  # 81.2%
    assert "Overall readiness 81.2%" in text
    assert f"Competencies with a gap {report.self_side.gaps} of 6" in text
    assert "D1.4 Competency 4: gap 2, priority 4 (important)" in text
    assert "Domain 1 71.4%" in text
    page = client.get(reverse("reports:individual", args=[submitted.pk])).content.decode()
    assert '<td class="readiness-self">81.2%</td>' in page


def test_running_header_footer_and_the_working_copy_mark(working_copy):
    reader = PdfReader(io.BytesIO(working_copy.content))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Northfield · Northfield Netadmin · 2026 annual review" in text
        assert "Confidential personnel record — Working copy — not the official record" in text
        assert f"page {number} of {pages}" in text
    assert "Working copy — not the official record." in reader.pages[0].extract_text()
    text = pdf_text(working_copy.content)
    assert "Generated " in text and "by Skills Portal" in text


def test_signature_block_blank_until_signed(working_copy):
    text = pdf_text(working_copy.content)
    assert "Finalized by the reviewer ________________________ ______________" in text
    assert "Acknowledged by the person ________________________ ______________" in text


def test_signature_block_names_the_reviewer_and_the_person(a, finalized):
    acknowledged = workflow.acknowledge(person=a.staff, assessment=finalized)
    text = pdf_text(render_individual_pdf(individual_context(acknowledged), official=False))
    day = f"{acknowledged.finalized_at:%B} {acknowledged.finalized_at.day}"
    assert f"Finalized by the reviewer Northfield CTO {day}" in text
    assert "Acknowledged by the person Northfield Netadmin" in text


def test_hostile_text_is_printed_as_text_and_fetches_nothing(monkeypatch, a, finalized):
    fetched = []
    original = pdf_module.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.StaticFilesFetcher, "fetch", spy)
    content = render_individual_pdf(individual_context(finalized), official=False)
    static = pdf_module.BASE_URL + "static/"
    assert fetched and all(u.startswith(("data:", static)) for u in fetched)
    assert not any("etc/passwd" in u for u in fetched)

    text = pdf_text(content)
    assert f"Evidence: {HOSTILE}" in text
    assert f"Overall review comment\n{HOSTILE}" in text
    assert "Reviewer: Reviewer says <b>bold</b>" in text
    # The template text stays text: never evaluated where the note is printed (a bare "49"
    # could be a time of day in the footer).
    assert "{{ 7*7 }}" in text and "</script> 49" not in text
    # The 2,000-character word wraps inside the page instead of running off it (across a
    # page break here: the running header and footer are taken out before joining it up).
    body = "\n".join(
        line
        for line in text.splitlines()
        if not line.startswith(("Northfield · ", "Confidential personnel record"))
    )
    assert LONG_WORD in compact(body)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) <= 6
    for page in reader.pages:
        for line in page.extract_text().splitlines():
            assert len(line) < 200


def test_the_fetcher_refuses_files_and_the_network():
    fetcher = pdf_module.StaticFilesFetcher()
    for url in ("file:///etc/passwd", "http://example.com/x.png", "https://example.com/"):
        with pytest.raises(pdf_module.RefusedURL):
            fetcher.fetch(url)


def test_each_download_is_audited(client, a, submitted, working_copy):
    download(client, submitted)
    events = AuditEvent.objects.filter(action="report.downloaded", object_id=str(submitted.pk))
    assert events.count() == 2
    event = events.first()
    assert event.actor == a.staff and event.district == a.district
    assert event.detail["kind"] == "working copy"
    assert event.detail["filename"] == "2026-annual-review-northfield-netadmin-working-copy.pdf"
    assert len(event.detail["sha256"]) == 64


def test_a_safe_filename_from_any_name(client, a, submitted):
    from reports.downloads import safe_filename

    assert safe_filename('Ünïcödé "quoted"/..\\\r\nname', "x;y", extension="pdf") == (
        "unicode-quoted-name-xy.pdf"
    )
    assert safe_filename("", "日本", extension="pdf") == "report.pdf"
