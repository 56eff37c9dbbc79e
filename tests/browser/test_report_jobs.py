"""
A team PDF in a real browser: the lead asks for it, the progress page waits for the
worker, the bar fills and the download appears without a reload once the job is done
(static/js/export-progress.js), and the file is the PDF. axe-core on every page.
"""

from pathlib import Path

import pytest

from reports.exports import report_jobs
from reports.models import CycleExport
from tests.reports.helpers import pdf_text

from . import test_journeys as journeys
from .conftest import assert_accessible

# The journeys' district (a submitted team member), shared as a fixture.
district = journeys.district
sign_in = journeys.sign_in
pytestmark = pytest.mark.browser


def test_the_lead_asks_for_the_team_pdf_and_downloads_it(page, district):
    sign_in(page, district.lead)
    page.goto(f"/reports/teams/{district.team.pk}/")
    page.get_by_role("link", name="PDF", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the PDF").click()
    page.get_by_text("Waiting for a worker to start.").wait_for()
    assert_accessible(page)
    download_link = page.get_by_role("link", name="Download")
    assert not download_link.is_visible()

    job = CycleExport.objects.get(kind=CycleExport.Kind.TEAM_PDF)
    assert report_jobs.build(job.pk).status == "done"  # as the worker would
    page.get_by_text("Done: the PDF is ready.").wait_for()
    assert page.locator("#export-progress").get_attribute("value") == "1"
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert district.staff.get_full_name() in pdf_text(content)
