"""Writes with rules on frameworks: new versions, publishing, retiring, freezing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    Competency,
    CompetencyLineage,
    CrosswalkReference,
    Domain,
    Framework,
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
    it continues the same earlier codes as the original (its ``CompetencyLineage``).
    """
    version = version or next_version_label(framework)
    if Framework.objects.filter(slug=framework.slug, version=version).exists():
        raise ValidationError(f"{framework.slug} already has a version {version}.")

    copy = Framework.objects.create(
        slug=framework.slug,
        version=version,
        title=framework.title,
        description=framework.description,
        source=framework.source,
        status=Framework.Status.DRAFT,
    )
    levels = {
        level.pk: ProficiencyLevel.objects.create(
            framework=copy, value=level.value, name=level.name, description=level.description
        )
        for level in framework.levels.all()
    }
    domains = {
        domain.pk: Domain.objects.create(
            framework=copy,
            code=domain.code,
            title=domain.title,
            description=domain.description,
            position=domain.position,
        )
        for domain in framework.domains.all()
    }
    competencies = {}
    for competency in framework.competencies.all():
        competencies[competency.pk] = Competency.objects.create(
            framework=copy,
            domain=domains[competency.domain_id],
            code=competency.code,
            title=competency.title,
            description=competency.description,
            why_it_matters=competency.why_it_matters,
            source_note=competency.source_note,
            position=competency.position,
        )
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            competency=competencies[d.competency_id], level=levels[d.level_id], text=d.text
        )
        for d in LevelDescriptor.objects.filter(competency__framework=framework)
    )
    Resource.objects.bulk_create(
        Resource(
            competency=competencies[r.competency_id],
            publisher=r.publisher,
            title=r.title,
            url=r.url,
            year=r.year,
            note=r.note,
        )
        for r in Resource.objects.filter(competency__framework=framework)
    )
    CompetencyLineage.objects.bulk_create(
        CompetencyLineage(
            competency=competencies[row.competency_id],
            earlier_version=row.earlier_version,
            earlier_code=row.earlier_code,
            kind=row.kind,
        )
        for row in CompetencyLineage.objects.filter(competency__framework=framework)
    )
    CrosswalkReference.objects.bulk_create(
        CrosswalkReference(
            competency=competencies[c.competency_id], scheme=c.scheme, code=c.code, title=c.title
        )
        for c in CrosswalkReference.objects.filter(competency__framework=framework)
    )
    for role in framework.roles.all():
        role_copy = RoleProfile.objects.create(
            framework=copy, code=role.code, title=role.title, description=role.description
        )
        RoleTarget.objects.bulk_create(
            RoleTarget(
                role=role_copy,
                competency=competencies[t.competency_id],
                target=levels[t.target_id],
                importance=t.importance,
            )
            for t in role.targets.all()
        )
    return copy


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
    in every domain, one distinct descriptor for every competency at every level above 0,
    and a target for every competency in every role profile.
    """
    problems = []
    levels = list(framework.levels.order_by("value").values_list("value", flat=True))
    if not levels or levels[0] != 0 or levels != list(range(len(levels))):
        problems.append(f"the scale must run 0, 1, 2, … without gaps (it is {levels}).")
    rated_levels = set(levels) - {0}

    domains = list(framework.domains.all())
    if not domains:
        problems.append("it has no domains.")
    competencies = list(framework.competencies.all())
    for domain in domains:
        if not any(c.domain_id == domain.pk for c in competencies):
            problems.append(f"domain {domain.code} has no competencies.")

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

    targets = set(
        RoleTarget.objects.filter(role__framework=framework).values_list("role_id", "competency_id")
    )
    for role in framework.roles.all():
        missing = [c.code for c in competencies if (role.pk, c.pk) not in targets]
        if missing:
            problems.append(f"role {role.code} has no target for {', '.join(missing)}.")
    return problems
