"""
What a framework version holds, read once per process while it is frozen.

The rating form and its autosave are half of all requests, and every one of them needs
the scale, the domains, the competencies with their descriptors, resources and
indicators, and the role targets. A frozen version never changes (``frameworks.signals``
refuses every change), so ``content_of`` keeps what it read, in this process, under the
version's primary key, slug, version and freezing time: a key that no other content can
have. A version that is not frozen yet (a draft being written) is read afresh each time.

The objects are shared between requests: read them, never change them.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Prefetch

from .models import (
    Competency,
    Domain,
    Framework,
    Indicator,
    LevelDescriptor,
    ProficiencyLevel,
    RoleTarget,
    indicator_trees,
)

# Frozen versions kept per process, the least recently used dropped first.
KEPT_VERSIONS = 8

_kept: OrderedDict[tuple, "FrameworkContent"] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class FrameworkContent:
    levels: tuple[ProficiencyLevel, ...]  # the scale, 0 first
    domains: tuple[Domain, ...]
    # The domains with competencies of their own, one step of the rating form each
    # (a CASE group's parent domain has none).
    steps: tuple[Domain, ...]
    # Each with its domain, descriptors and resources read, and its ``indicator_tree``.
    competencies: tuple[Competency, ...]
    targets: dict[int, dict[int, RoleTarget]]  # role id → competency id → target

    @property
    def scale(self) -> dict[int, int]:
        """The scale as {value: level id}."""
        return {level.value: level.pk for level in self.levels}

    def competencies_of(self, domain: Domain | None) -> list[Competency]:
        """The competencies of one domain, or all of them."""
        if domain is None:
            return list(self.competencies)
        return [c for c in self.competencies if c.domain_id == domain.pk]

    def targets_of(self, role_id: int | None) -> dict[int, RoleTarget]:
        return self.targets.get(role_id, {})


def content_of(framework: Framework) -> FrameworkContent:
    """The content of ``framework``: from memory once it is frozen, else from the database."""
    if not framework.is_frozen:
        return _read(framework.pk)
    key = (framework.pk, framework.slug, framework.version, framework.frozen_at)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    content = _read(framework.pk)  # outside the lock: two first readers both read, harmlessly
    with _lock:
        _kept[key] = content
        while len(_kept) > KEPT_VERSIONS:
            _kept.popitem(last=False)
    return content


def _read(framework_id: int) -> FrameworkContent:
    """Seven queries, whatever the size of the framework."""
    levels = tuple(ProficiencyLevel.objects.filter(framework_id=framework_id).order_by("value"))
    domains = tuple(Domain.objects.filter(framework_id=framework_id))
    competencies = tuple(
        Competency.objects.filter(framework_id=framework_id)
        .select_related("domain")
        .prefetch_related(
            Prefetch(
                "descriptors", LevelDescriptor.objects.only("competency_id", "level_id", "text")
            ),
            "resources",
        )
    )
    trees = indicator_trees(Indicator.objects.filter(competency__framework_id=framework_id))
    for competency in competencies:
        competency.indicator_tree = trees.get(competency.pk, [])
    targets: dict[int, dict[int, RoleTarget]] = {}
    for target in RoleTarget.objects.filter(role__framework_id=framework_id).select_related(
        "target"
    ):
        targets.setdefault(target.role_id, {})[target.competency_id] = target
    with_competencies = {c.domain_id for c in competencies}
    steps = tuple(d for d in domains if d.pk in with_competencies)
    return FrameworkContent(levels, domains, steps, competencies, targets)
