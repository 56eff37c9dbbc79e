import json

import pytest
from django.urls import reverse

from frameworks.interchange.service import import_framework
from frameworks.models import Framework
from frameworks.services import freeze_framework

from .case_packages import ccss_like

pytestmark = pytest.mark.django_db


def test_admin_edits_a_draft(client, platform_admin, shipped_framework):
    client.force_login(platform_admin)
    url = reverse("admin:frameworks_framework_change", args=[shipped_framework.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' in response.text


def test_admin_shows_a_frozen_version_read_only(client, platform_admin, shipped_framework):
    freeze_framework(framework=shipped_framework)
    client.force_login(platform_admin)
    url = reverse("admin:frameworks_framework_change", args=[shipped_framework.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' not in response.text
    response = client.post(url, {"title": "Changed"})
    assert response.status_code == 403
    competency = shipped_framework.competencies.first()
    response = client.get(reverse("admin:frameworks_competency_change", args=[competency.pk]))
    assert 'name="title"' not in response.text


def test_new_version_action_copies_into_a_draft(client, platform_admin, shipped_framework):
    freeze_framework(framework=shipped_framework)
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:frameworks_framework_changelist"),
        {"action": "new_version", "_selected_action": [shipped_framework.pk]},
        follow=True,
    )
    assert "copied into the draft version 2026.1.1" in response.text
    copy = Framework.objects.get(slug=shipped_framework.slug, version="2026.1.1")
    assert copy.status == Framework.Status.DRAFT
    assert copy.competencies.count() == shipped_framework.competencies.count()


def test_publish_action_refuses_an_incomplete_draft(client, platform_admin):
    draft = Framework.objects.create(slug="empty", version="1", title="Empty")
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:frameworks_framework_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "cannot be published" in response.text
    draft.refresh_from_db()
    assert draft.status == Framework.Status.DRAFT


def test_admin_shows_indicators_and_a_groups_domain_without_a_cross_framework_select(
    client, platform_admin
):
    framework = import_framework(content=json.dumps(ccss_like()).encode(), format="case").framework
    competency = framework.competencies.get(code="CCSS.Math.Content.6.RP.A.3")
    client.force_login(platform_admin)
    page = client.get(reverse("admin:frameworks_competency_change", args=[competency.pk])).text
    assert "CCSS.Math.Content.6.RP.A.3.a" in page
    page = client.get(reverse("admin:frameworks_framework_change", args=[framework.pk])).text
    assert 'name="domains-0-parent"' not in page
    assert 'name="domains-0-code"' in page
