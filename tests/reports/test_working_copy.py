"""
The working-copy PDF is rendered once per state of the report (``reports.working_copy``):
a second download renders nothing, a new version renders again, and the file is only
ever served after the access check, to those who may read the report.

Renders are counted at WeasyPrint's door (``reports.pdf.HTML``), passing every call on.
"""

# Fixtures are imported by name from the reports conftest; using them as arguments is
# what pytest expects, not a redefinition.
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import User
from assessments.roles import Role
from reports import pdf as pdf_module
from reports.working_copy import FOLDER
from tests.cast import make_person
from tests.reports.helpers import pdf_text, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many documents WeasyPrint has been given since the test began."""
    count = {"n": 0}
    real = pdf_module.HTML

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "HTML", counting)
    return count


def download(client, assessment):
    return client.get(reverse("reports:individual_pdf", args=[assessment.pk]))


def test_an_unchanged_report_renders_once(client, a, submitted, renders):
    client.force_login(a.staff)
    first = download(client, submitted)
    assert first.status_code == 200 and renders["n"] == 1
    second = download(client, submitted)
    assert second.status_code == 200 and renders["n"] == 1
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    # The reviewer reads the same report: the same file, still no render.
    client.force_login(a.lead)
    assert download(client, submitted).content == first.content
    assert renders["n"] == 1


def test_a_later_minute_serves_the_same_file(client, a, submitted, renders, monkeypatch):
    client.force_login(a.staff)
    first = download(client, submitted)
    later = timezone.now() + timedelta(days=1)
    # The PDF's own clock only (the session's stays as it is).
    monkeypatch.setattr(pdf_module, "timezone", SimpleNamespace(now=lambda: later))
    assert download(client, submitted).content == first.content
    assert renders["n"] == 1


def test_a_new_version_renders_again_and_replaces_the_file(
    client, a, staff_assessment, renders, private_storage
):
    client.force_login(a.staff)
    rate(staff_assessment, 1)
    first = download(client, staff_assessment)
    assert renders["n"] == 1
    rate(staff_assessment, 4)
    second = download(client, staff_assessment)
    assert renders["n"] == 2
    assert second.content != first.content
    assert pdf_text(second.content) != pdf_text(first.content)
    kept = list((private_storage / FOLDER / f"assessment-{staff_assessment.pk}").iterdir())
    assert len(kept) == 1  # one file per assessment, the latest


def test_what_the_version_does_not_cover_renders_again_too(client, a, submitted, renders):
    client.force_login(a.staff)
    download(client, submitted)
    User.objects.filter(pk=a.staff.pk).update(full_name="Renamed Person")
    second = download(client, submitted)
    assert renders["n"] == 2
    assert "Renamed Person" in pdf_text(second.content)


def test_a_stylesheet_is_part_of_the_key(client, a, submitted, renders, monkeypatch):
    client.force_login(a.staff)
    download(client, submitted)
    real = pdf_module._read_static
    monkeypatch.setattr(
        pdf_module, "_read_static", lambda relative: (real(relative) or b"") + b"/* v2 */"
    )
    download(client, submitted)
    assert renders["n"] == 2


def test_nobody_else_gets_the_cached_file(client, a, b, submitted, renders):
    client.force_login(a.staff)
    assert download(client, submitted).status_code == 200
    colleague = make_person(
        a.district, "colleague@northfield.example", "A Colleague", Role.STAFF, team=a.team
    )
    for outsider in (colleague, a.hr, a.admin, b.staff, b.superintendent):
        client.force_login(outsider)
        response = download(client, submitted)
        assert response.status_code in (403, 404), outsider
        assert not response.content.startswith(b"%PDF")
    assert renders["n"] == 1


def test_each_assessment_has_its_own_copy(client, a, cycle, submitted, renders):
    lead_assessment = cycle.assessments.get(person=a.lead)
    rate(lead_assessment, 2)
    client.force_login(a.staff)
    staff_pdf = pdf_text(download(client, submitted).content)
    client.force_login(a.lead)
    lead_pdf = pdf_text(download(client, lead_assessment).content)
    assert renders["n"] == 2
    assert a.staff.full_name in staff_pdf and a.staff.full_name not in lead_pdf
    assert a.lead.full_name in lead_pdf.split("Reviewer")[0]


def test_the_kept_copy_is_the_whole_report_charts_included(client, a, submitted):
    from reports.individual import individual_context
    from reports.official import render_individual_pdf

    client.force_login(a.staff)
    kept = download(client, submitted).content
    fresh = render_individual_pdf(individual_context(submitted), official=False)

    def pages(content):
        reader = PdfReader(io.BytesIO(content))
        return [
            [line for line in page.extract_text().splitlines() if "Generated" not in line]
            for page in reader.pages
        ]

    assert pages(kept) == pages(fresh)
    assert len(PdfReader(io.BytesIO(kept)).pages[0].images) == len(
        PdfReader(io.BytesIO(fresh)).pages[0].images
    )
    assert abs(len(kept) - len(fresh)) < 200  # the charts are most of the bytes


def test_the_key_reads_only_our_static_files():
    """What the key reads of a stylesheet link goes through the PDF fetcher's own lookup."""
    html = (
        '<link href="/static/css/report-pdf.css"><link href="/static/../manage.py">'
        '<link href="/static//etc/passwd"><link href="https://example.com/x.css">'
    )
    read = pdf_module.linked_static_files(html)
    assert len(read) == 3  # the https: link is no static file: not read at all
    assert b"@page" in read[0]
    assert read[1:] == [b"", b""]  # no way up, no absolute path
