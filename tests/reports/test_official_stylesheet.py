"""
The official PDF carries its stylesheet with the production static files (hashed names
from the manifest after ``collectstatic``), and stored PDFs that lack it are re-rendered.
"""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from reports import official
from reports.models import OfficialReport
from tests.reports.helpers import finalize

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
