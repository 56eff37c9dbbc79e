"""
Files over 1 MB on the upload page are imported by a background task: the page answers at
once with a progress page, the bytes wait in the database (never a public file), and the
page shows the result when the worker is done. Smaller files stay synchronous.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.interchange import background
from frameworks.models import Framework, FrameworkImport, Indicator
from tests.taskqueue import committing, queued, run_queued_tasks

from .case_packages import sized

pytestmark = pytest.mark.django_db

IMPORT = reverse("frameworks:import")
TASK = "frameworks.tasks.run_framework_import"


def synthetic():
    return Framework.objects.filter(title__startswith="Synthetic framework")


def _large() -> bytes:
    content = json.dumps(sized(1_000)).encode()
    assert len(content) > background.BACKGROUND_BYTES
    return content


def _post(client, content: bytes, **fields):
    upload = SimpleUploadedFile("state.json", content, content_type="application/json")
    with committing():
        return client.post(IMPORT, {"file": upload, **fields})


def test_a_large_file_is_imported_in_the_background_with_a_progress_page(client, platform_admin):
    client.force_login(platform_admin)
    content = _large()
    response = _post(client, content)

    job = FrameworkImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("frameworks:import_detail", args=[job.pk])
    assert bytes(job.content) == content  # kept in the database for the worker
    assert not synthetic().exists()
    waiting = client.get(response.url)
    assert "Waiting for a worker" in waiting.text
    assert '<progress id="import-progress" class="w-100" max="3" value="0">' in waiting.text
    assert '<meta http-equiv="refresh"' in waiting.text
    assert queued(TASK).count() == 1

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == FrameworkImport.Status.DONE
    assert bytes(job.content) == b""  # dropped once read
    assert (
        Indicator.objects.filter(competency__framework=job.framework).count() == 1_000 - 1 - 50
    )  # a domain, 50 competencies
    done = client.get(response.url)
    assert 'max="3" value="3"' in done.text
    assert '<meta http-equiv="refresh"' not in done.text
    assert f'Imported as the draft <a href="{job.framework.get_absolute_url()}"' in done.text


def test_a_large_dry_run_shows_the_result_when_the_worker_is_done(client, platform_admin):
    client.force_login(platform_admin)
    response = _post(client, _large(), dry_run="on", competency_depth="1")
    run_queued_tasks()
    page = client.get(response.url)
    assert "Dry run: nothing was written" in page.text
    assert "Competencies (rated) are the items at depth 1" in page.text
    assert not synthetic().exists()


def test_a_large_file_that_is_refused_says_why(client, platform_admin):
    client.force_login(platform_admin)
    package = sized(1_000)
    package["CFAssociations"][1]["destinationNodeURI"]["identifier"] = "nowhere"
    response = _post(client, json.dumps(package).encode())
    run_queued_tasks()
    job = FrameworkImport.objects.get()
    assert job.status == FrameworkImport.Status.FAILED
    page = client.get(response.url)
    assert "Not imported" in page.text
    assert "it points at nowhere" in page.text
    assert not synthetic().exists()


def test_the_worker_runs_an_import_once(client, platform_admin):
    client.force_login(platform_admin)
    _post(client, _large(), dry_run="on")
    job = FrameworkImport.objects.get()
    background.run(job.pk)
    assert background.run(job.pk).status == FrameworkImport.Status.DONE  # nothing to do


def test_a_small_file_is_still_imported_while_the_page_waits(client, platform_admin):
    client.force_login(platform_admin)
    small = json.dumps(sized(50)).encode()
    response = _post(client, small)
    assert response.status_code == 302
    assert response.url == synthetic().get().get_absolute_url()
    assert not FrameworkImport.objects.exists()
