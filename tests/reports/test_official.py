"""
The official PDF: rendered once inside the finalizing transaction, stored privately with
its SHA-256, and served byte for byte to everyone who may read the record.
"""

# Fixtures are imported by name from test_individual_fixtures; using them as arguments
# is what pytest expects, not a redefinition.
import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from assessments import workflow
from assessments.models import Assessment, AuditEvent
from reports import official
from reports.individual import individual_context
from reports.models import OfficialReport
from tests.reports.helpers import finalize, pdf_text, review

pytestmark = pytest.mark.django_db


def download(client, assessment):
    return client.get(reverse("reports:individual_pdf", args=[assessment.pk]))


def test_finalizing_stores_the_pdf_and_its_hash(finalized, private_storage):
    stored = OfficialReport.objects.get(assessment=finalized)
    path = Path(private_storage) / stored.path
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert stored.path == f"official/cycle-{finalized.cycle_id}/assessment-{finalized.pk}.pdf"
    # Written through a temporary file that was moved into place: nothing else is left.
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert path.stat().st_mode & 0o077 == 0  # readable by the portal's user only


def test_the_official_pdf_names_itself_and_is_not_a_working_copy(finalized):
    stored = OfficialReport.objects.get(assessment=finalized)
    content = official.read_official(stored)
    text = pdf_text(content)
    day = f"{finalized.finalized_at:%B} {finalized.finalized_at.day}, {finalized.finalized_at:%Y}"
    assert f"Official record #{finalized.pk}, finalized {day}" in text
    assert "Working copy" not in text
    assert "Overall readiness 81.2% 62.5%" in text
    assert f"Finalized by the reviewer Northfield CTO {day}" in text
    reader = PdfReader(io.BytesIO(content))
    assert (
        reader.metadata.title == "Competency gap report — Northfield Netadmin — 2026 annual review"
    )
    assert "(working copy)" not in reader.metadata.subject
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.parametrize("who", ["staff", "lead", "superintendent", "hr"])
def test_every_download_is_that_exact_file(client, a, finalized, who):
    stored = OfficialReport.objects.get(assessment=finalized)
    client.force_login(getattr(a, who))
    first, second = download(client, finalized), download(client, finalized)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == official.read_official(stored)
    assert hashlib.sha256(second.content).hexdigest() == stored.sha256
    assert first["X-Content-SHA256"] == stored.sha256
    assert first["Repr-Digest"].startswith("sha-256=:")
    assert first["Content-Disposition"] == (
        'attachment; filename="2026-annual-review-northfield-netadmin-official.pdf"'
    )
    assert first["Cache-Control"] == "no-store, private"
    events = AuditEvent.objects.filter(action="report.downloaded", actor=getattr(a, who))
    assert events.count() == 2
    assert {e.detail["sha256"] for e in events} == {stored.sha256}
    assert {e.detail["kind"] for e in events} == {"official"}


def test_acknowledging_keeps_version_1_and_adds_a_signed_version_2(client, a, finalized):
    v1 = finalized.official_reports.get()
    before = official.read_official(v1)
    assert v1.version == 1
    assert "awaiting acknowledgment" in pdf_text(before)
    workflow.acknowledge(person=a.staff, assessment=finalized, comment="Read it; agreed.")
    v2 = finalized.official_reports.get(version=2)
    assert official.read_official(v1) == before  # version 1 is never rewritten
    assert v2.sha256 == hashlib.sha256(official.read_official(v2)).hexdigest() != v1.sha256
    text = pdf_text(official.read_official(v2))
    assert "Read it; agreed." in text and "Northfield Netadmin" in text
    assert "Acknowledged by the person" in text and "version 2, acknowledged" in text
    # HR gets the latest; version 1 stays downloadable; every download is audited.
    client.force_login(a.hr)
    latest = download(client, finalized)
    assert latest.content == official.read_official(v2)
    assert latest["Content-Disposition"].endswith('-official-v2.pdf"')
    url = reverse("reports:individual_pdf", args=[finalized.pk])
    assert client.get(url, {"version": "1"}).content == before
    assert client.get(url, {"version": "3"}).status_code == 404
    events = AuditEvent.objects.filter(action="report.downloaded", actor=a.hr).order_by("pk")
    assert [(e.detail["version"], e.detail["sha256"]) for e in events] == [
        (2, v2.sha256),
        (1, v1.sha256),
    ]
    # Both versions, with their hashes, on the assessment page and the report page.
    for name in ("assessments:detail", "reports:individual"):
        page = client.get(reverse(name, args=[finalized.pk])).text
        assert v1.sha256 in page and v2.sha256 in page, name


def test_if_rendering_fails_finalization_fails(monkeypatch, a, submitted, private_storage):
    review(submitted, a.lead, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(official, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="renderer down"):
        finalize(submitted, a.lead)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert submitted.finalized_at is None
    assert not OfficialReport.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.finalized").exists()
    assert not Path(private_storage).exists() or not any(Path(private_storage).rglob("*.pdf"))


def test_finalize_calls_the_registered_renderer_and_refuses_without_one(monkeypatch, a, submitted):
    """The PDF step is named in workflow.finalize, not a signal that may have no receiver."""
    assert workflow._official_record_renderer is official.store_official_report
    review(submitted, a.lead, 2)
    monkeypatch.setattr(workflow, "_official_record_renderer", None)
    with pytest.raises(ImproperlyConfigured, match="renderer of official records"):
        finalize(submitted, a.lead)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_if_writing_fails_nothing_is_left_behind(monkeypatch, a, submitted, private_storage):
    review(submitted, a.lead, 2)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(official.os, "replace", no_space)
    with pytest.raises(OSError, match="No space"):
        finalize(submitted, a.lead)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not OfficialReport.objects.exists()
    assert not [p for p in Path(private_storage).rglob("*") if p.is_file()]


def test_a_tampered_file_is_not_served(client, a, finalized, private_storage):
    stored = finalized.official_reports.get()
    path = Path(private_storage) / stored.path
    path.write_bytes(path.read_bytes() + b"%tampered")
    client.raise_request_exception = True
    client.force_login(a.hr)
    with pytest.raises(ValueError, match="does not match its recorded SHA-256"):
        download(client, finalized)
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()


def test_a_record_without_an_official_file_gets_a_marked_working_copy(client, a, finalized):
    OfficialReport.objects.filter(pk=finalized.official_reports.get().pk).delete()
    client.force_login(a.hr)
    response = download(client, finalized)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-working-copy.pdf"')
    assert "Working copy — not the official record" in pdf_text(response.content)
    page = client.get(reverse("reports:individual", args=[finalized.pk])).content.decode()
    assert "No official PDF was kept for this record" in page


def test_one_official_report_per_version(finalized):
    """The database itself refuses a second version 1, whatever the code above it."""
    first = finalized.official_reports.get()
    second = OfficialReport(
        assessment_id=finalized.pk, path=f"{first.path}.second", sha256="0" * 64, size=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialReport.objects.bulk_create([second])
    assert OfficialReport.objects.filter(assessment=finalized).count() == 1


def test_finalizing_twice_is_refused(finalized):
    with pytest.raises(ValidationError):
        workflow.finalize(reviewer=finalized.person.team.lead, assessment=finalized)
    assert OfficialReport.objects.filter(assessment=finalized).count() == 1


def test_the_signature_block_never_splits_across_pages(a, finalized):
    """
    Whatever comes before it, the signature block of version 2 (names, dates and the
    person's comment) is on one page: the review comment grows line by line until the
    block has crossed a page boundary.
    """
    workflow.acknowledge(person=a.staff, assessment=finalized, comment="Read and agreed.")
    ctx = individual_context(finalized)
    pages_seen = set()
    for lines in range(0, 40, 3):
        ctx["assessment"].review_comment = "\n".join(
            f"Line {n} of the review." for n in range(lines)
        )
        pages = PdfReader(io.BytesIO(official.render_individual_pdf(ctx, official=True))).pages
        texts = [page.extract_text() for page in pages]
        holding = {
            part: [i for i, text in enumerate(texts) if part in text]
            for part in ("Signatures", "Finalized by the reviewer", "Comment of the person")
        }
        assert all(len(found) == 1 for found in holding.values()), (lines, holding)
        assert len({found[0] for found in holding.values()}) == 1, (lines, holding)
        pages_seen.add(holding["Signatures"][0])
    assert len(pages_seen) > 1  # the block did move to a later page on the way
