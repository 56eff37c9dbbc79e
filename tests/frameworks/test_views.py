import json

import pytest
from django.urls import reverse

from frameworks.interchange.service import import_framework
from frameworks.models import Framework
from frameworks.services import copy_framework

from .case_packages import ccss_like

pytestmark = pytest.mark.django_db


def test_framework_pages_need_sign_in(client, shipped_framework):
    for url in (reverse("frameworks:list"), shipped_framework.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_list_shows_published_versions_only_to_people(client, person, shipped_framework):
    draft = copy_framework(framework=shipped_framework)
    client.force_login(person)
    response = client.get(reverse("frameworks:list"))
    assert shipped_framework.get_absolute_url() in response.text
    assert draft.get_absolute_url() not in response.text
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_platform_admin_sees_drafts(client, platform_admin, shipped_framework):
    draft = copy_framework(framework=shipped_framework)
    client.force_login(platform_admin)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_detail_shows_scale_descriptors_and_every_roles_targets(client, person, shipped_framework):
    client.force_login(person)
    response = client.get(shipped_framework.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    for level in shipped_framework.levels.all():
        assert level.name in page
    competency = shipped_framework.competencies.first()
    for descriptor in competency.descriptors.all():
        assert descriptor.text.replace("'", "&#x27;").replace('"', "&quot;") in page
    for role in shipped_framework.roles.all():
        assert role.title.replace("&", "&amp;") in page


DETAIL_QUERIES = 13


def test_detail_query_count_is_fixed(client, person, shipped_framework, django_assert_num_queries):
    client.force_login(person)
    url = shipped_framework.get_absolute_url()
    # 1 session, 2 user, 3 framework, 4 roles, 5 indicators, 6 domains+parent,
    # 7 competencies+domain, 8 descriptors+level, 9 resources, 10 crosswalk, 11 lineage,
    # 12 targets+level, 13 levels (scale); the session row is written at most once a
    # minute (assessments.sessions)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)


def test_detail_query_count_does_not_grow_with_competencies(
    client, person, shipped_framework, django_assert_num_queries
):
    bigger = copy_framework(framework=shipped_framework)
    domain = bigger.domains.first()
    for number in range(30):
        bigger.competencies.create(
            domain=domain, code=f"X.{number}", title=f"Extra {number}", description="d"
        )
    Framework.objects.filter(pk=bigger.pk).update(status=Framework.Status.PUBLISHED)
    client.force_login(person)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(bigger.get_absolute_url())


def test_detail_says_which_earlier_codes_each_competency_continues(
    client, person, framework_2026_2
):
    client.force_login(person)
    page = client.get(framework_2026_2.get_absolute_url()).text
    assert "Continues 2026.1 INF.6 (split)" in page  # INF.11, identity
    assert "Continues 2026.1 LRN.3, LRN.7 (merged)" in page
    assert "New in 2026.2" in page  # E-rate, for example
    assert "(2024)" in page  # resources show their year


def test_unknown_framework_is_404(client, person):
    client.force_login(person)
    response = client.get(reverse("frameworks:detail", args=["nope", "1"]))
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_detail_shows_groups_and_indicators_at_any_depth(client, platform_admin):
    framework = import_framework(content=json.dumps(ccss_like()).encode(), format="case").framework
    client.force_login(platform_admin)
    page = client.get(framework.get_absolute_url()).text
    assert "Domain RP of grade 6 › Cluster A of 6.RP" in page
    assert "CCSS.Math.Content.6.RP.A.3.b</span> Part b of CCSS.Math.Content.6.RP.A.3." in page
    assert "Deep note b." in page
