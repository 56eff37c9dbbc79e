"""
Between the database and ``data``: ``load`` reads a framework version into plain data
(a fixed number of queries), ``build`` turns plain data into unsaved model instances
that can be checked field by field and then saved in one go.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import JSONField

from .. import models
from . import data


def _case(obj: models.CaseIdentity) -> data.Case:
    return data.Case(obj.case_identifier, obj.case_uri, obj.case_fields)


def _case_fields(case: data.Case) -> dict:
    return {"case_identifier": case.identifier, "case_uri": case.uri, "case_fields": case.fields}


def load(framework: models.Framework) -> data.FrameworkData:
    """One framework version, with everything in it, as plain data."""
    domains = _load_domains(framework)
    competencies = {}
    for c in models.Competency.objects.filter(framework=framework):
        competencies[c.pk] = data.Competency(
            code=c.code,
            title=c.title,
            description=c.description,
            why_it_matters=c.why_it_matters,
            source_note=c.source_note,
            case=_case(c),
        )
        domains[c.domain_id].competencies.append(competencies[c.pk])
    _load_competency_parts(framework, competencies)
    fd = data.FrameworkData(
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
        roles=_load_roles(framework),
        case=_case(framework),
    )
    source = models.CaseSource.objects.filter(framework=framework).first()
    if source is not None:
        fd.case.fields = {**fd.case.fields, **source.fields}
    return fd


def _load_domains(framework: models.Framework) -> dict[int, data.Domain]:
    rows = list(framework.domains.all())
    codes = {d.pk: d.code for d in rows}
    return {
        d.pk: data.Domain(
            code=d.code,
            title=d.title,
            description=d.description,
            parent=codes.get(d.parent_id, ""),
            case=_case(d),
        )
        for d in rows
    }


def _load_competency_parts(framework, competencies: dict[int, data.Competency]) -> None:
    """Descriptors, resources, crosswalk references, indicators and lineage, into ``competencies``."""
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
    rows = list(
        models.Indicator.objects.filter(competency__framework=framework).order_by("position", "pk")
    )
    indicators = {
        i.pk: data.Indicator(code=i.code, statement=i.statement, notes=i.notes, case=_case(i))
        for i in rows
    }
    for i in rows:
        siblings = (
            indicators[i.parent_id].children
            if i.parent_id
            else competencies[i.competency_id].indicators
        )
        siblings.append(indicators[i.pk])
    _load_lineage(framework, competencies)


def _load_lineage(framework, competencies: dict[int, data.Competency]) -> None:
    """Each competency's lineage, with the earlier competency's identity where it exists."""
    rows = list(models.CompetencyLineage.objects.filter(competency__framework=framework))
    earlier = {
        (c.framework.version, c.code): c
        for c in models.Competency.objects.filter(
            framework__slug=framework.slug,
            framework__version__in={r.earlier_version for r in rows},
            code__in={r.earlier_code for r in rows},
        ).select_related("framework")
    } if rows else {}  # fmt: skip
    for r in rows:
        found = earlier.get((r.earlier_version, r.earlier_code))
        competencies[r.competency_id].lineage.append(
            data.Lineage(
                version=r.earlier_version,
                code=r.earlier_code,
                kind=r.kind,
                title=found.title if found else "",
                case=_case(found) if found else data.Case(),
            )
        )


def _load_roles(framework: models.Framework) -> list[data.Role]:
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
    return list(roles.values())


@dataclass
class Built:
    """Unsaved model instances for one framework, each with the place it was read from."""

    framework: models.Framework
    # (model class, [(instance, origin)]) in the order they must be saved.
    groups: list[tuple[type, list[tuple[object, data.Origin]]]] = field(default_factory=list)
    # The same for rows no other row points at (the leaves of the indicator trees, most of
    # a large package), saved last without reading their keys back: see ``_insert``.
    leaves: list[tuple[type, list[tuple[object, data.Origin]]]] = field(default_factory=list)

    def field_errors(self, origin: data.Origin) -> list[str]:
        """What the models' own field rules (lengths, choices, URLs, slugs) refuse."""
        errors = _clean(self.framework, origin)
        for _model, pairs in self.groups + self.leaves:
            for instance, where in pairs:
                errors.extend(_clean(instance, where))
        return errors

    def save(self) -> models.Framework:
        """Insert everything; call inside a transaction."""
        self.framework.save()
        for model, pairs in self.groups:
            model.objects.bulk_create(instance for instance, _ in pairs)
        for model, pairs in self.leaves:
            _insert(model, [instance for instance, _ in pairs])
        return self.framework


def _insert(model, instances: list) -> None:
    """
    ``instances`` as multi-row INSERTs of as many rows as the database takes in one
    statement, without reading keys back: a third of ``bulk_create``'s time (its SQL
    compiler is the cost), for rows that nothing points at. The instances keep no key.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Names from the model, quoted; the values go as parameters.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    rows = []
    for instance in instances:
        instance._prepare_related_fields_for_save(operation_name="bulk_create")
        rows.append([f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields])
    size = max(1, connection.ops.bulk_batch_size(fields, instances))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                head + ", ".join([placeholders] * len(batch)), [v for row in batch for v in row]
            )


def _clean(instance, origin: data.Origin) -> list[str]:
    # Relations are built, never read; JSON fields hold what was read from JSON (checking
    # that it serializes again would cost a second on a 40,000-item package).
    skipped = [f.name for f in instance._meta.fields if f.is_relation or isinstance(f, JSONField)]
    try:
        instance.clean_fields(exclude=skipped)
    except ValidationError as error:
        return [
            f"{origin.at(name)}: {name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return []


Pairs = list[tuple[object, data.Origin]]


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
        case_identifier=fd.case.identifier,
        case_uri=fd.case.uri,
        case_fields={k: v for k, v in fd.case.fields.items() if k == "document"},
    )
    levels = {
        lv.value: models.ProficiencyLevel(
            framework=framework, value=lv.value, name=lv.name, description=lv.description
        )
        for lv in fd.levels
    }
    built = Built(framework=framework)
    extras = {k: v for k, v in fd.case.fields.items() if k != "document"}
    if extras:
        built.groups.append(
            (
                models.CaseSource,
                [(models.CaseSource(framework=framework, fields=extras), fd.origin)],
            )
        )
    built.groups.append(
        (models.ProficiencyLevel, [(levels[lv.value], lv.origin) for lv in fd.levels])
    )
    domains = _build_domains(fd, framework, built)
    competencies = _build_competencies(fd, framework, domains, levels, built)
    _build_roles(fd, framework, competencies, levels, built)
    return built


def _by_depth(model, rows: list[tuple]) -> list[tuple[type, Pairs]]:
    """
    One group per depth of ``rows`` (instance, origin, depth, …), parents first: a row's
    parent is saved before the row.
    """
    depths = sorted({row[2] for row in rows})
    return [(model, [(row[0], row[1]) for row in rows if row[2] == d]) for d in depths]


def _build_domains(fd, framework, built: Built) -> dict[str, models.Domain]:
    domains: dict[str, models.Domain] = {}
    triples = []
    for position, d in enumerate(fd.domains, start=1):
        parent = domains.get(d.parent)
        domains[d.code] = models.Domain(
            framework=framework,
            parent=parent,
            code=d.code,
            title=d.title,
            description=d.description,
            position=position,
            **_case_fields(d.case),
        )
        depth = 0
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        triples.append((domains[d.code], d.origin, depth))
    built.groups += _by_depth(models.Domain, triples)
    return domains


def _build_competencies(fd, framework, domains, levels, built: Built) -> dict:
    competencies, parts = {}, {model: [] for model in COMPETENCY_PARTS}
    for d in fd.domains:
        for position, c in enumerate(d.competencies, start=1):
            competency = models.Competency(
                framework=framework,
                domain=domains[d.code],
                code=c.code,
                title=c.title,
                description=c.description,
                why_it_matters=c.why_it_matters,
                source_note=c.source_note,
                position=position,
                **_case_fields(c.case),
            )
            competencies[c.code] = (competency, c.origin)
            for model, pairs in _competency_parts(competency, c, levels).items():
                parts[model] += pairs
            parts[models.Indicator] += _indicators(competency, None, c.indicators, depth=0)
    indicators = parts.pop(models.Indicator)
    built.groups += [
        (models.Competency, list(competencies.values())),
        *parts.items(),
        *_by_depth(models.Indicator, [t for t in indicators if not t[3]]),
    ]
    built.leaves.append(
        (models.Indicator, [(i, origin) for i, origin, _, leaf in indicators if leaf])
    )
    return {code: pair[0] for code, pair in competencies.items()}


COMPETENCY_PARTS = (
    models.LevelDescriptor,
    models.Resource,
    models.CrosswalkReference,
    models.Indicator,
)


def _competency_parts(competency, c: data.Competency, levels) -> dict[type, Pairs]:
    """The descriptors, resources and crosswalk references of one competency."""
    return {
        models.LevelDescriptor: [
            (
                models.LevelDescriptor(competency=competency, level=levels[x.level], text=x.text),
                x.origin,
            )
            for x in c.descriptors
        ],
        models.Resource: [
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
        ],
        models.CrosswalkReference: [
            (
                models.CrosswalkReference(
                    competency=competency, scheme=x.scheme, code=x.code, title=x.title
                ),
                x.origin,
            )
            for x in c.crosswalk
        ],
    }


def _indicators(competency, parent, items: list[data.Indicator], depth: int) -> list:
    triples = []
    for position, i in enumerate(items, start=1):
        indicator = models.Indicator(
            competency=competency,
            parent=parent,
            code=i.code,
            statement=i.statement,
            notes=i.notes,
            position=position,
            **_case_fields(i.case),
        )
        triples.append((indicator, i.origin, depth, not i.children))
        triples += _indicators(competency, indicator, i.children, depth + 1)
    return triples


def _build_roles(fd, framework, competencies, levels, built: Built) -> None:
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
                    competency=competencies[t.competency],
                    target=levels[t.level],
                    importance=t.importance,
                ),
                t.origin,
            )
            for t in r.targets
        ]
    built.groups += [(models.RoleProfile, roles), (models.RoleTarget, targets)]
