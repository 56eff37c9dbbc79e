"""
The official PDF carries its stylesheet with the production static files (hashed names
from the manifest after ``collectstatic``), and stored PDFs that lack it are re-rendered.
"""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import AuditEvent
from reports import official
from reports.models import OfficialReport, SupersededOfficialReport
from tests.reports.helpers import finalize, pdf_text

pytestmark = pytest.mark.django_db

LETTER = (612, 792)


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off and the production static storage, filled by ``collectstatic``."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def assert_styled(content: bytes, header: str) -> None:
    """Every page is US Letter with the running header, the footer and "page i of n"."""
    pages = PdfReader(io.BytesIO(content)).pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert (round(page.mediabox.width), round(page.mediabox.height)) == LETTER
        assert header in text, number
        assert "Confidential personnel record" in text, number
        assert f"page {number} of {len(pages)}" in text, number


def test_the_official_pdf_has_its_stylesheet_in_production(production_static, a, submitted):
    assessment = finalize(submitted, a.lead)
    content = official.read_official(OfficialReport.objects.get(assessment=assessment))
    assert len(PdfReader(io.BytesIO(content)).pages) > 1
    assert_styled(content, f"Northfield · {a.staff.get_full_name()} · 2026 annual review")


@pytest.fixture
def unstyled(production_static, a, submitted):
    """
    An official record rendered while its stylesheet could not be read (the hashed files
    removed from STATIC_ROOT, as the old fetcher could not find them), then the static
    files collected again, as on a server about to run the command.
    """
    for path in production_static.glob("css/report*.css"):
        path.unlink()
    assessment = finalize(submitted, a.lead)
    call_command("collectstatic", interactive=False, verbosity=0)
    return OfficialReport.objects.get(assessment=assessment)


def rerender(*args) -> str:
    out = io.StringIO()
    call_command("rerender_official_pdfs", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_an_unstyled_record_is_detected(unstyled):
    content = official.read_official(unstyled)
    assert official.lacks_stylesheet(content)
    # Its header and footer text are there, once, as plain paragraphs: not a test of style.
    assert "Confidential personnel record" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_the_dry_run_lists_and_changes_nothing(unstyled, private_storage):
    before = set(private_storage.rglob("*"))
    out = rerender("--dry-run")
    assert f"Would render again official record #{unstyled.assessment_id}" in out
    assert "1 official PDF(s) would be rendered again." in out
    assert OfficialReport.objects.get() == unstyled
    assert OfficialReport.objects.values("path", "sha256").get() == {
        "path": unstyled.path,
        "sha256": unstyled.sha256,
    }
    assert not SupersededOfficialReport.objects.exists()
    assert not AuditEvent.objects.filter(action="official.rerendered").exists()
    assert set(private_storage.rglob("*")) == before


def test_an_unstyled_record_is_rendered_again_and_the_old_file_kept(
    client, a, unstyled, private_storage
):
    old_content = official.read_official(unstyled)
    out = rerender()
    assert "1 official PDF(s) rendered again." in out

    record = OfficialReport.objects.get()
    content = official.read_official(record)
    assert record.path != unstyled.path
    assert record.sha256 == hashlib.sha256(content).hexdigest() != unstyled.sha256
    assert record.size == len(content)
    assert_styled(content, f"Northfield · {a.staff.get_full_name()} · 2026 annual review")
    assert f"Official record #{record.assessment_id}, finalized" in pdf_text(content)

    superseded = SupersededOfficialReport.objects.get()
    assert (superseded.official, superseded.path, superseded.sha256) == (
        record,
        unstyled.path,
        unstyled.sha256,
    )
    assert (private_storage / unstyled.path).read_bytes() == old_content

    event = AuditEvent.objects.get(action="official.rerendered")
    assert event.district == a.district
    assert (event.object_type, event.object_id) == ("assessment", str(record.assessment_id))
    assert event.detail["old_sha256"] == unstyled.sha256
    assert event.detail["new_sha256"] == record.sha256

    # Downloads are the new file; a second run finds nothing to do.
    client.force_login(a.hr)
    response = client.get(reverse("reports:individual_pdf", args=[record.assessment_id]))
    assert response.content == content
    assert response["X-Content-SHA256"] == record.sha256
    assert "0 official PDF(s) rendered again." in rerender()
    assert SupersededOfficialReport.objects.count() == 1


def test_styled_and_tampered_records_are_left_alone(finalized, private_storage):
    styled = OfficialReport.objects.get()
    assert not official.lacks_stylesheet(official.read_official(styled))
    assert "0 official PDF(s) rendered again." in rerender()

    (private_storage / styled.path).write_bytes(b"%PDF-1.7 tampered")
    out = rerender()
    assert "does not match its SHA-256" in out
    assert OfficialReport.objects.values_list("sha256", flat=True).get() == styled.sha256
    assert not SupersededOfficialReport.objects.exists()


def test_a_rendering_still_without_stylesheet_changes_nothing(unstyled, production_static):
    for path in production_static.glob("css/report*.css"):
        path.unlink()
    with pytest.raises(CommandError, match="still renders without its stylesheet"):
        rerender()
    assert OfficialReport.objects.values_list("path", "sha256").get() == (
        unstyled.path,
        unstyled.sha256,
    )
    assert not SupersededOfficialReport.objects.exists()
    assert not AuditEvent.objects.filter(action="official.rerendered").exists()
