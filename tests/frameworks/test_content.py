"""What a framework version holds, read once per process while it is frozen."""

import pytest

from frameworks.content import content_of
from frameworks.models import Framework
from frameworks.services import copy_framework, freeze_framework
from tests.factories import make_framework

pytestmark = pytest.mark.django_db

READ = 7  # levels, domains, competencies, descriptors, resources, indicators, targets


def fresh(framework) -> Framework:
    """The framework as a new request reads it (a new instance)."""
    return Framework.objects.get(pk=framework.pk)


def test_a_frozen_version_is_read_once(django_assert_num_queries):
    framework = freeze_framework(framework=make_framework(competencies=12))
    one, another = fresh(framework), fresh(framework)
    with django_assert_num_queries(READ):
        first = content_of(one)
    with django_assert_num_queries(0):
        again = content_of(another)
    assert again is first
    assert len(first.competencies) == 12
    assert [level.value for level in first.levels] == list(range(6))
    assert first.scale == {level.value: level.pk for level in first.levels}


def test_a_draft_is_read_every_time(shipped_framework, django_assert_num_queries):
    draft = copy_framework(framework=shipped_framework, version="2099.1")
    content_of(draft)
    draft = fresh(draft)
    with django_assert_num_queries(READ):
        content = content_of(draft)
    assert {c.code for c in content.competencies} == set(
        draft.competencies.values_list("code", flat=True)
    )


def test_each_frozen_version_has_its_own_content(shipped_framework):
    shipped = content_of(freeze_framework(framework=shipped_framework))
    draft = copy_framework(framework=shipped_framework, version="2099.1")
    copied = content_of(freeze_framework(framework=draft))
    assert copied is not shipped
    assert {c.framework_id for c in copied.competencies} == {draft.pk}


def test_steps_are_the_domains_with_competencies_of_their_own(shipped_framework):
    content = content_of(shipped_framework)
    steps = list(shipped_framework.domains.filter(competencies__isnull=False).distinct())
    assert list(content.steps) == steps
    domain = steps[0]
    assert content.competencies_of(domain) == list(domain.competencies.all())
