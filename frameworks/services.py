"""Writes with rules on frameworks: new versions, publishing, retiring, freezing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    CaseSource,
    Competency,
    CompetencyLineage,
    CrosswalkReference,
    Domain,
    Framework,
    Indicator,
    LevelDescriptor,
    ProficiencyLevel,
    Resource,
    RoleProfile,
    RoleTarget,
)


def next_version_label(framework: Framework) -> str:
    """The first free label of the form ``<version>.1``, ``<version>.2``, …"""
    taken = set(Framework.objects.filter(slug=framework.slug).values_list("version", flat=True))
    number = 1
    while f"{framework.version}.{number}" in taken:
        number += 1
    return f"{framework.version}.{number}"


@transaction.atomic
def copy_framework(*, framework: Framework, version: str | None = None) -> Framework:
    """
    Copy a framework version, with everything in it, into a new draft version.

    The copy keeps every code, so assessments on the two versions can be compared, and
    every CASE identity (identifiers, URIs, source fields): it is the same framework. It
    continues the same earlier codes as the original (its ``CompetencyLineage``).
    """
    version = version or next_version_label(framework)
    if Framework.objects.filter(slug=framework.slug, version=version).exists():
        raise ValidationError(f"{framework.slug} already has a version {version}.")
    copy = _clone(framework, version=version, status=Framework.Status.DRAFT, frozen_at=None)
    copy.save()
    mine = {"framework_id": copy.pk}
    levels = _copy_rows(ProficiencyLevel, framework.levels.all(), **mine)
    domains = _copy_tree(Domain, framework.domains.all(), **mine)
    competencies = _copy_rows(
        Competency,
        framework.competencies.all(),
        domain_id=lambda c: domains[c.domain_id].pk,
        **mine,
    )
    of_competency = {"competency_id": lambda row: competencies[row.competency_id].pk}
    parts = {"competency__framework": framework}
    _copy_rows(
        LevelDescriptor,
        LevelDescriptor.objects.filter(**parts),
        level_id=lambda d: levels[d.level_id].pk,
        **of_competency,
    )
    _copy_rows(Resource, Resource.objects.filter(**parts), **of_competency)
    _copy_rows(CrosswalkReference, CrosswalkReference.objects.filter(**parts), **of_competency)
    _copy_rows(CompetencyLineage, CompetencyLineage.objects.filter(**parts), **of_competency)
    _copy_tree(Indicator, Indicator.objects.filter(**parts), **of_competency)
    _copy_rows(CaseSource, CaseSource.objects.filter(framework=framework), **mine)
    roles = _copy_rows(RoleProfile, framework.roles.all(), **mine)
    _copy_rows(
        RoleTarget,
        RoleTarget.objects.filter(role__framework=framework),
        role_id=lambda t: roles[t.role_id].pk,
        target_id=lambda t: levels[t.target_id].pk,
        **of_competency,
    )
    return copy


def _clone(row, **changes):
    """An unsaved copy of ``row`` with ``changes`` (by attribute name, e.g. ``framework_id``)."""
    fields = [f for f in row._meta.concrete_fields if not f.primary_key]
    return type(row)(**({f.attname: getattr(row, f.attname) for f in fields} | changes))


def _copy_rows(model, rows, **changes) -> dict:
    """
    Copies of ``rows`` saved in one query, per original primary key; a change is a value
    or a function of the original row.
    """
    copies = {
        row.pk: _clone(row, **{k: v(row) if callable(v) else v for k, v in changes.items()})
        for row in rows
    }
    model.objects.bulk_create(copies.values())
    return copies


def _copy_tree(model, rows, **changes) -> dict:
    """``_copy_rows`` for rows with a ``parent`` of their own kind: parents first."""
    rows = list(rows)
    parents = {row.pk: row.parent_id for row in rows}

    def depth(pk):
        return 0 if parents[pk] is None else 1 + depth(parents[pk])

    copies = {}
    for level in sorted({depth(row.pk) for row in rows}):
        copies.update(
            _copy_rows(
                model,
                [row for row in rows if depth(row.pk) == level],
                parent_id=lambda row: copies[row.parent_id].pk if row.parent_id else None,
                **changes,
            )
        )
    return copies


@transaction.atomic
def publish_framework(*, framework: Framework) -> Framework:
    """Make a draft version available for new cycles."""
    if framework.status == Framework.Status.RETIRED:
        raise ValidationError(f"{framework} is retired; copy it to a new version instead.")
    problems = framework_problems(framework)
    if problems:
        raise ValidationError([f"{framework} cannot be published: {p}" for p in problems])
    framework.status = Framework.Status.PUBLISHED
    framework.save(update_fields=["status"])
    return framework


@transaction.atomic
def retire_framework(*, framework: Framework) -> Framework:
    """Keep a version for history but offer it to no new cycle."""
    framework.status = Framework.Status.RETIRED
    framework.save(update_fields=["status"])
    return framework


def freeze_framework(*, framework: Framework) -> Framework:
    """Mark a version as in use; called when the first cycle opens on it."""
    if framework.frozen_at is None:
        framework.frozen_at = timezone.now()
        Framework.objects.filter(pk=framework.pk, frozen_at__isnull=True).update(
            frozen_at=framework.frozen_at
        )
    return framework


def framework_problems(framework: Framework) -> list[str]:
    """
    Everything that keeps a framework from being complete and consistent, in words.

    A complete framework has a scale that starts at 0, at least one domain, competencies
    (or groups holding them) in every domain, one distinct descriptor for every competency at every level above 0,
    and a target for every competency in every role profile.
    """
    problems = []
    levels = list(framework.levels.order_by("value").values_list("value", flat=True))
    if not levels or levels[0] != 0 or levels != list(range(len(levels))):
        problems.append(f"the scale must run 0, 1, 2, … without gaps (it is {levels}).")

    domains = list(framework.domains.all())
    if not domains:
        problems.append("it has no domains.")
    competencies = list(framework.competencies.all())
    for domain in domains:
        if not any(c.domain_id == domain.pk for c in competencies) and not any(
            d.parent_id == domain.pk for d in domains
        ):
            problems.append(f"domain {domain.code} has no competencies.")

    problems += _descriptor_problems(framework, competencies, set(levels) - {0})
    targets = set(
        RoleTarget.objects.filter(role__framework=framework).values_list("role_id", "competency_id")
    )
    for role in framework.roles.all():
        missing = [c.code for c in competencies if (role.pk, c.pk) not in targets]
        if missing:
            problems.append(f"role {role.code} has no target for {', '.join(missing)}.")
    return problems


def _descriptor_problems(framework, competencies, rated_levels: set[int]) -> list[str]:
    """Competencies without a descriptor at a level above 0, and descriptors repeated."""
    problems = []
    descriptors: dict[int, dict[int, str]] = {}
    for competency_id, value, text in LevelDescriptor.objects.filter(
        competency__framework=framework
    ).values_list("competency_id", "level__value", "text"):
        descriptors.setdefault(competency_id, {})[value] = text
    seen_texts: dict[str, str] = {}
    for competency in competencies:
        mine = descriptors.get(competency.pk, {})
        missing = sorted(rated_levels - set(mine))
        if missing:
            problems.append(f"{competency.code} has no descriptor for level(s) {missing}.")
        for value, text in mine.items():
            key = " ".join(text.split()).lower()
            if key in seen_texts:
                problems.append(
                    f"{competency.code} level {value} repeats the text of {seen_texts[key]}."
                )
            seen_texts[key] = f"{competency.code} level {value}"
    return problems
