"""
Both shipped versions (2026.1, frozen for last year's cycles, and 2026.2) are complete and
consistent; these fail on any gap in their content. The facts particular to 2026.2 are
pinned in test_framework_2026_2.py.
"""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from frameworks.models import (
    Competency,
    CompetencyLineage,
    CrosswalkReference,
    Framework,
    LevelDescriptor,
    ProficiencyLevel,
    Resource,
    RoleTarget,
)
from frameworks.services import framework_problems

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# version → (fixture name, competencies per domain allowed, competencies in all)
VERSIONS = {
    "2026.1": ("k12-it-leadership", range(7, 11), range(21, 31)),
    # 32 competencies, about a minute each plus reading: rateable in about 40 minutes.
    "2026.2": ("k12-it-leadership-2026-2", range(8, 14), range(30, 37)),
}
ROLES = {
    "district-cto",
    "network-security-admin",
    "instructional-tech-coordinator",
    "tech-support-specialist",
    "data-privacy-lead",
}
pytestmark = pytest.mark.django_db


@pytest.fixture(params=sorted(VERSIONS))
def shipped_framework(request, shipped_framework):
    """Each shipped version in turn (2026.2 is loaded beside 2026.1)."""
    if request.param == shipped_framework.version:
        return shipped_framework
    call_command("loaddata", VERSIONS[request.param][0], verbosity=0)
    return Framework.objects.get_by_natural_key(shipped_framework.slug, request.param)


def test_it_is_complete_and_consistent(shipped_framework):
    assert framework_problems(shipped_framework) == []
    assert shipped_framework.status == Framework.Status.PUBLISHED


def test_scale_runs_from_not_yet_to_five(shipped_framework):
    levels = list(shipped_framework.levels.values_list("value", "name", "description"))
    assert [value for value, _, _ in levels] == [0, 1, 2, 3, 4, 5]
    assert all(name and description for _, name, description in levels)


def test_three_domains_of_the_source_each_of_a_rateable_size(shipped_framework):
    _, per_domain_allowed, total_allowed = VERSIONS[shipped_framework.version]
    domains = {d.code: d for d in shipped_framework.domains.all()}
    assert set(domains) == {"INF", "LRN", "WEL"}
    per_domain = Counter(
        Competency.objects.filter(framework=shipped_framework).values_list(
            "domain__code", flat=True
        )
    )
    assert all(per_domain[code] in per_domain_allowed for code in domains), per_domain
    assert sum(per_domain.values()) in total_allowed


def test_every_competency_is_written_out_and_traceable(shipped_framework):
    for competency in shipped_framework.competencies.all():
        assert competency.code.startswith(f"{competency.domain.code}."), competency.code
        assert competency.title and competency.description, competency.code
        assert competency.why_it_matters, competency.code
        assert competency.source_note, f"{competency.code} does not say which passage it answers"


def test_descriptors_one_per_level_above_zero_and_all_distinct(shipped_framework):
    descriptors = LevelDescriptor.objects.filter(competency__framework=shipped_framework)
    per_competency = Counter(descriptors.values_list("competency__code", flat=True))
    assert set(per_competency.values()) == {5}
    assert not descriptors.filter(level__value=0).exists()
    texts = [" ".join(t.split()).lower() for t in descriptors.values_list("text", flat=True)]
    assert len(texts) == len(set(texts)), "two descriptors have the same text"


def test_descriptors_are_not_a_template_with_the_title_swapped_in(shipped_framework):
    """Removing the competency's own title must not make two descriptors the same."""
    seen = {}
    for descriptor in LevelDescriptor.objects.filter(
        competency__framework=shipped_framework
    ).select_related("competency", "level"):
        generic = descriptor.text.lower().replace(descriptor.competency.title.lower(), "…")
        key = (descriptor.level.value, " ".join(generic.split()))
        assert key not in seen, f"{descriptor} repeats {seen[key]} but for the title"
        seen[key] = str(descriptor)


def test_five_roles_with_a_target_inside_the_scale_for_every_competency(shipped_framework):
    roles = set(shipped_framework.roles.values_list("code", flat=True))
    assert roles == ROLES
    targets = RoleTarget.objects.filter(role__framework=shipped_framework)
    assert targets.count() == len(ROLES) * shipped_framework.competencies.count()
    assert not targets.exclude(target__framework=shipped_framework).exists()
    assert set(targets.values_list("target__value", flat=True)) <= {1, 2, 3, 4, 5}
    assert set(targets.values_list("importance", flat=True)) == {
        "essential",
        "important",
        "helpful",
    }


def test_roles_are_differentiated(shipped_framework):
    """Each role profile asks for something of its own, not a copy of another's."""
    profiles = {}
    for role in shipped_framework.roles.all():
        profiles[role.code] = tuple(
            role.targets.order_by("competency__code").values_list("target__value", "importance")
        )
    assert len(set(profiles.values())) == len(profiles)


def test_two_to_four_resources_per_competency(shipped_framework):
    per_competency = Counter(
        Resource.objects.filter(competency__framework=shipped_framework).values_list(
            "competency__code", flat=True
        )
    )
    counts = [per_competency[c.code] for c in shipped_framework.competencies.all()]
    assert all(2 <= n <= 4 for n in counts), per_competency
    assert not Resource.objects.filter(competency__framework=shipped_framework, publisher="")


def test_crosswalk_names_other_frameworks_by_code_and_title_only(shipped_framework):
    references = CrosswalkReference.objects.filter(competency__framework=shipped_framework)
    assert references.exists()
    for reference in references:
        assert reference.code and reference.title
        assert len(reference.title) <= 200


def test_loading_again_adds_nothing(shipped_framework):
    before = {
        model: model.objects.count()
        for model in (
            Framework,
            ProficiencyLevel,
            Competency,
            LevelDescriptor,
            RoleTarget,
            Resource,
            CompetencyLineage,
        )
    }
    # Every version in the database so far, loaded again in any order.
    for version in sorted(VERSIONS, reverse=True):
        if version <= shipped_framework.version:
            call_command("loaddata", VERSIONS[version][0], verbosity=0)
    after = {model: model.objects.count() for model in before}
    assert after == before


@pytest.mark.parametrize("name", [name for name, _, _ in VERSIONS.values()])
def test_fixture_uses_natural_keys_only(name):
    for entry in json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")):
        assert "pk" not in entry, entry["model"]
