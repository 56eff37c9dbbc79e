"""
Between the database and ``data``: ``load`` reads a framework version into plain data
(a fixed number of queries), ``build`` turns plain data into unsaved model instances
that can be checked field by field and then saved in one go.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .. import models
from . import data


def load(framework: models.Framework) -> data.FrameworkData:
    """One framework version, with everything in it, as plain data."""
    domains = {
        d.pk: data.Domain(code=d.code, title=d.title, description=d.description)
        for d in framework.domains.all()
    }
    competencies = {}
    for c in models.Competency.objects.filter(framework=framework):
        competencies[c.pk] = data.Competency(
            code=c.code,
            title=c.title,
            description=c.description,
            why_it_matters=c.why_it_matters,
            source_note=c.source_note,
        )
        domains[c.domain_id].competencies.append(competencies[c.pk])
    for d in models.LevelDescriptor.objects.filter(competency__framework=framework).values(
        "competency_id", "level__value", "text"
    ):
        competencies[d["competency_id"]].descriptors.append(
            data.Descriptor(level=d["level__value"], text=d["text"])
        )
    for r in models.Resource.objects.filter(competency__framework=framework):
        competencies[r.competency_id].resources.append(
            data.Resource(publisher=r.publisher, title=r.title, url=r.url, note=r.note)
        )
    for x in models.CrosswalkReference.objects.filter(competency__framework=framework):
        competencies[x.competency_id].crosswalk.append(
            data.Crosswalk(scheme=x.scheme, code=x.code, title=x.title)
        )
    roles = {
        r.pk: data.Role(code=r.code, title=r.title, description=r.description)
        for r in framework.roles.all()
    }
    for t in models.RoleTarget.objects.filter(role__framework=framework).values(
        "role_id", "competency__code", "target__value", "importance"
    ):
        roles[t["role_id"]].targets.append(
            data.Target(
                competency=t["competency__code"],
                level=t["target__value"],
                importance=t["importance"],
            )
        )
    return data.FrameworkData(
        slug=framework.slug,
        version=framework.version,
        title=framework.title,
        description=framework.description,
        source=framework.source,
        levels=[
            data.Level(value=lv.value, name=lv.name, description=lv.description)
            for lv in framework.levels.all()
        ],
        domains=list(domains.values()),
        roles=list(roles.values()),
    )


@dataclass
class Built:
    """Unsaved model instances for one framework, each with the place it was read from."""

    framework: models.Framework
    # (model class, [(instance, origin)]) in the order they must be saved.
    groups: list[tuple[type, list[tuple[object, data.Origin]]]] = field(default_factory=list)

    def field_errors(self, origin: data.Origin) -> list[str]:
        """What the models' own field rules (lengths, choices, URLs, slugs) refuse."""
        errors = _clean(self.framework, origin)
        for _model, pairs in self.groups:
            for instance, where in pairs:
                errors.extend(_clean(instance, where))
        return errors

    def save(self) -> models.Framework:
        """Insert everything; call inside a transaction."""
        self.framework.save()
        for model, pairs in self.groups:
            model.objects.bulk_create(instance for instance, _ in pairs)
        return self.framework


def _clean(instance, origin: data.Origin) -> list[str]:
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.clean_fields(exclude=relations)
    except ValidationError as error:
        return [
            f"{origin.at(name)}: {name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return []


def build(framework_data: data.FrameworkData) -> Built:
    """Model instances for valid data (see ``validation``): every reference resolves."""
    fd = framework_data
    framework = models.Framework(
        slug=fd.slug,
        version=fd.version,
        title=fd.title,
        description=fd.description,
        source=fd.source,
        status=models.Framework.Status.DRAFT,
    )
    levels = {
        lv.value: models.ProficiencyLevel(
            framework=framework, value=lv.value, name=lv.name, description=lv.description
        )
        for lv in fd.levels
    }
    domains, competencies, descriptors, resources, crosswalk = [], {}, [], [], []
    for d_position, d in enumerate(fd.domains, start=1):
        domain = models.Domain(
            framework=framework,
            code=d.code,
            title=d.title,
            description=d.description,
            position=d_position,
        )
        domains.append((domain, d.origin))
        for c_position, c in enumerate(d.competencies, start=1):
            competency = models.Competency(
                framework=framework,
                domain=domain,
                code=c.code,
                title=c.title,
                description=c.description,
                why_it_matters=c.why_it_matters,
                source_note=c.source_note,
                position=c_position,
            )
            competencies[c.code] = (competency, c.origin)
            descriptors += [
                (
                    models.LevelDescriptor(
                        competency=competency, level=levels[x.level], text=x.text
                    ),
                    x.origin,
                )
                for x in c.descriptors
            ]
            resources += [
                (
                    models.Resource(
                        competency=competency,
                        publisher=r.publisher,
                        title=r.title,
                        url=r.url,
                        note=r.note,
                    ),
                    r.origin,
                )
                for r in c.resources
            ]
            crosswalk += [
                (
                    models.CrosswalkReference(
                        competency=competency, scheme=x.scheme, code=x.code, title=x.title
                    ),
                    x.origin,
                )
                for x in c.crosswalk
            ]
    roles, targets = [], []
    for r in fd.roles:
        role = models.RoleProfile(
            framework=framework, code=r.code, title=r.title, description=r.description
        )
        roles.append((role, r.origin))
        targets += [
            (
                models.RoleTarget(
                    role=role,
                    competency=competencies[t.competency][0],
                    target=levels[t.level],
                    importance=t.importance,
                ),
                t.origin,
            )
            for t in r.targets
        ]
    level_pairs = [(levels[lv.value], lv.origin) for lv in fd.levels]
    return Built(
        framework=framework,
        groups=[
            (models.ProficiencyLevel, level_pairs),
            (models.Domain, domains),
            (models.Competency, list(competencies.values())),
            (models.LevelDescriptor, descriptors),
            (models.Resource, resources),
            (models.CrosswalkReference, crosswalk),
            (models.RoleProfile, roles),
            (models.RoleTarget, targets),
        ],
    )
