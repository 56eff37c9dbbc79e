"""The upload page (platform admins only) and the export downloads on the framework page."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from frameworks.interchange.service import export_framework
from frameworks.models import Framework
from frameworks.services import copy_framework, freeze_framework

from .case_packages import ccss_like

pytestmark = pytest.mark.django_db

IMPORT = reverse("frameworks:import")


def _upload(text: str, name="framework.csv", **fields):
    return {"file": SimpleUploadedFile(name, text.encode()), **fields}


def test_import_page_needs_sign_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_import_page_does_not_exist_for_people_who_are_not_platform_admins(
    client, person, shipped_framework
):
    client.force_login(person)
    assert client.get(IMPORT).status_code == 404
    csv = export_framework(framework=shipped_framework, format="csv")
    assert client.post(IMPORT, _upload(csv)).status_code == 404
    assert Framework.objects.count() == 1


def test_import_refuses_a_post_without_csrf_token(platform_admin, shipped_framework):
    client = Client(enforce_csrf_checks=True)
    client.force_login(platform_admin)
    csv = export_framework(framework=shipped_framework, format="csv")
    assert client.post(IMPORT, _upload(csv)).status_code == 403
    assert Framework.objects.count() == 1


def test_admin_dry_run_then_import(platform_admin, shipped_framework):
    client = Client(enforce_csrf_checks=True)
    client.force_login(platform_admin)
    page = client.get(IMPORT)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    csv = export_framework(framework=shipped_framework, format="csv").replace(
        "Infrastructure modernization", "Infrastructure renewal", 1
    )

    dry = client.post(IMPORT, _upload(csv, dry_run="on", csrfmiddlewaretoken=token))
    assert dry.status_code == 200
    assert "Dry run: nothing was written" in dry.text
    assert "Competencies renamed (1)" in dry.text
    assert "Infrastructure renewal" in dry.text
    assert Framework.objects.count() == 1

    done = client.post(IMPORT, _upload(csv, csrfmiddlewaretoken=token))
    draft = Framework.objects.get(slug=shipped_framework.slug, version="2026.1.1")
    assert done.status_code == 302
    assert done.url == draft.get_absolute_url()
    assert draft.status == Framework.Status.DRAFT
    assert "Imported as the draft version 2026.1.1" in client.get(done.url).text


def test_admin_sees_errors_and_nothing_is_written(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(IMPORT, _upload("{not json", name="package.json"))
    assert response.status_code == 200
    assert "The file was refused and nothing was written" in response.text
    assert "The file is not JSON" in response.text
    assert Framework.objects.count() == 1


def test_an_empty_post_shows_the_form_errors(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(IMPORT, {})
    assert response.status_code == 200
    assert "This field is required" in response.text


def test_markup_in_titles_is_shown_escaped(client, platform_admin, shipped_framework):
    title = '<script>alert("pwned")</script>'
    package = json.loads(export_framework(framework=shipped_framework, format="case"))
    package["CFItems"][1]["abbreviatedStatement"] = title
    client.force_login(platform_admin)
    response = client.post(IMPORT, _upload(json.dumps(package), name="package.json"), follow=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in response.text
    assert title not in response.text
    draft = Framework.objects.get(version="2026.1.1")
    assert draft.competencies.filter(title=title).exists()


def test_downloads_for_anyone_who_may_see_the_framework(client, person, shipped_framework):
    # Frozen, so that the CASE package's lastChangeDateTime is the same in both exports.
    freeze_framework(framework=shipped_framework)
    shipped_framework.refresh_from_db()
    client.force_login(person)
    page = client.get(shipped_framework.get_absolute_url())
    for format, media_type, ending in (
        ("case", "application/json", ".case.json"),
        ("csv", "text/csv", ".csv"),
        ("fixture", "application/json", ".fixture.json"),
    ):
        url = reverse(
            "frameworks:export", args=[shipped_framework.slug, shipped_framework.version, format]
        )
        assert url in page.text
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="k12-it-leadership-2026.1{ending}"'
        )
        assert response.content.decode() == export_framework(
            framework=shipped_framework, format=format
        )


def test_downloads_of_drafts_and_unknown_formats_are_404(client, person, shipped_framework):
    draft = copy_framework(framework=shipped_framework)
    client.force_login(person)
    for args in ([draft.slug, draft.version, "case"], [draft.slug, "2026.1", "xml"]):
        assert client.get(reverse("frameworks:export", args=args)).status_code == 404


def test_downloads_need_sign_in(client, shipped_framework):
    url = reverse("frameworks:export", args=[shipped_framework.slug, "2026.1", "csv"])
    assert client.get(url).status_code == 302


def test_the_upload_page_takes_a_competency_depth_and_shows_the_choice(client, platform_admin):
    client.force_login(platform_admin)
    content = json.dumps(ccss_like())
    response = client.post(
        IMPORT, _upload(content, name="state.json", dry_run="on", competency_depth="2")
    )
    assert response.status_code == 200
    assert "the items at depth 2 of 5 (chosen)" in response.text
    assert "4 competencies, 52 indicators" in response.text
