import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from frameworks.models import (
    Competency,
    CompetencyLineage,
    Domain,
    Framework,
    FrameworkFrozenError,
    LevelDescriptor,
    ProficiencyLevel,
    Resource,
    RoleTarget,
)
from frameworks.services import (
    copy_framework,
    framework_problems,
    freeze_framework,
    publish_framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    framework = Framework.objects.create(slug="tiny", version="1", title="Tiny")
    levels = [
        ProficiencyLevel.objects.create(framework=framework, value=v, name=f"L{v}", description="d")
        for v in range(3)
    ]
    domain = Domain.objects.create(framework=framework, code="D", title="Domain")
    competency = Competency.objects.create(
        framework=framework, domain=domain, code="D.1", title="One", description="d"
    )
    for level in levels[1:]:
        LevelDescriptor.objects.create(
            competency=competency, level=level, text=f"does level {level.value} things"
        )
    role = framework.roles.create(code="staff", title="Staff")
    RoleTarget.objects.create(
        role=role, competency=competency, target=levels[2], importance="essential"
    )
    return framework


def test_codes_are_unique_within_a_framework(draft):
    domain = draft.domains.get()
    with (
        pytest.raises(IntegrityError, match=r"competency_unique_code|UNIQUE"),
        transaction.atomic(),
    ):
        Competency.objects.create(
            framework=draft, domain=domain, code="D.1", title="Again", description="d"
        )
    other = Framework.objects.create(slug="tiny", version="2", title="Tiny 2")
    other_domain = Domain.objects.create(framework=other, code="D", title="Domain")
    Competency.objects.create(
        framework=other, domain=other_domain, code="D.1", title="Same code", description="d"
    )


def test_one_descriptor_per_competency_and_level(draft):
    competency = draft.competencies.get()
    level = draft.levels.get(value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelDescriptor.objects.create(competency=competency, level=level, text="another")


def test_scale_is_bounded(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyLevel.objects.create(framework=draft, value=11, name="Too far", description="")


def test_target_must_be_a_level_of_the_same_framework(draft, shipped_framework):
    target = RoleTarget.objects.get(role__framework=draft)
    target.target = shipped_framework.levels.get(value=5)
    with pytest.raises(ValidationError, match="share one framework"):
        target.full_clean()


def test_competency_domain_must_share_its_framework(draft, shipped_framework):
    competency = draft.competencies.get()
    competency.domain = shipped_framework.domains.first()
    with pytest.raises(ValidationError, match="another framework"):
        competency.full_clean()


def test_complete_draft_publishes(draft):
    assert framework_problems(draft) == []
    publish_framework(framework=draft)
    draft.refresh_from_db()
    assert draft.status == Framework.Status.PUBLISHED


def test_incomplete_draft_is_refused_with_every_problem_named(draft):
    competency = draft.competencies.get()
    competency.descriptors.filter(level__value=2).delete()
    draft.domains.create(code="E", title="Empty")
    with pytest.raises(ValidationError) as caught:
        publish_framework(framework=draft)
    text = " ".join(caught.value.messages)
    assert "D.1 has no descriptor for level(s) [2]" in text
    assert "domain E has no competencies" in text
    draft.refresh_from_db()
    assert draft.status == Framework.Status.DRAFT


def test_frozen_framework_refuses_changes_to_every_part(draft):
    freeze_framework(framework=draft)
    draft.refresh_from_db()
    competency = draft.competencies.get()
    descriptor = competency.descriptors.first()
    competency.title = "Renamed"
    descriptor.text = "rewritten"
    draft.title = "Renamed framework"
    attempts = [
        competency.save,
        descriptor.save,
        lambda: draft.levels.create(value=3, name="New", description=""),
        RoleTarget.objects.get(role__framework=draft).delete,
        draft.save,
        draft.delete,
    ]
    for attempt in attempts:
        with pytest.raises(FrameworkFrozenError, match="frozen"), transaction.atomic():
            attempt()
    assert Competency.objects.get(pk=competency.pk).title == "One"
    assert LevelDescriptor.objects.get(pk=descriptor.pk).text != "rewritten"
    assert RoleTarget.objects.filter(role__framework=draft).exists()
    assert Framework.objects.get(pk=draft.pk).title == "Tiny"


def test_frozen_framework_may_still_be_retired_and_saved_unchanged(draft):
    freeze_framework(framework=draft)
    draft.refresh_from_db()
    draft.competencies.get().save()
    draft.status = Framework.Status.RETIRED
    draft.save()
    assert Framework.objects.get(pk=draft.pk).status == Framework.Status.RETIRED


def test_reloading_the_fixture_onto_a_frozen_version_is_harmless(shipped_framework):
    freeze_framework(framework=shipped_framework)
    frozen_at = Framework.objects.get(pk=shipped_framework.pk).frozen_at
    call_command("loaddata", "k12-it-leadership", verbosity=0)
    assert Framework.objects.get(pk=shipped_framework.pk).frozen_at == frozen_at


def test_a_fixture_cannot_rewrite_a_frozen_version(shipped_framework, tmp_path):
    freeze_framework(framework=shipped_framework)
    competency = shipped_framework.competencies.first()
    fixture = tmp_path / "rewrite.json"
    fixture.write_text(
        '[{"model": "frameworks.competency", "fields": {"framework": ["k12-it-leadership",'
        f' "2026.1"], "domain": ["k12-it-leadership", "2026.1", "{competency.domain.code}"],'
        f' "code": "{competency.code}", "title": "Hijacked", "description": "x"}}}}]'
    )
    with pytest.raises(Exception, match="frozen"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert Competency.objects.get(pk=competency.pk).title == competency.title


def test_copy_makes_an_equal_draft_with_the_same_codes(shipped_framework):
    freeze_framework(framework=shipped_framework)
    copy = copy_framework(framework=shipped_framework)
    assert copy.version == "2026.1.1"
    assert copy.status == Framework.Status.DRAFT
    assert not copy.is_frozen
    assert framework_problems(copy) == []

    def shape(framework):
        return {
            "competencies": sorted(
                framework.competencies.values_list("code", "title", "domain__code")
            ),
            "descriptors": sorted(
                LevelDescriptor.objects.filter(competency__framework=framework).values_list(
                    "competency__code", "level__value", "text"
                )
            ),
            "targets": sorted(
                RoleTarget.objects.filter(role__framework=framework).values_list(
                    "role__code", "competency__code", "target__value", "importance"
                )
            ),
        }

    assert shape(copy) == shape(shipped_framework)
    assert copy_framework(framework=shipped_framework).version == "2026.1.2"


def test_a_copy_keeps_resource_years_and_the_mapping_to_earlier_codes(framework_2026_2):
    """A copy keeps every code, so it continues the same earlier codes as its original."""
    copy = copy_framework(framework=framework_2026_2)

    def kept(framework):
        return (
            sorted(
                Resource.objects.filter(competency__framework=framework).values_list(
                    "competency__code", "title", "year"
                )
            ),
            sorted(
                CompetencyLineage.objects.filter(competency__framework=framework).values_list(
                    "competency__code", "earlier_version", "earlier_code", "kind"
                )
            ),
        )

    assert kept(copy) == kept(framework_2026_2)
    assert kept(copy)[1]
