"""
A framework as a 1EdTech CASE v1.0 package (CFPackage JSON).

- Domains and competencies are CFItems (types "Domain" and "Competency") joined by
  isChildOf associations; codes are the humanCodingScheme, titles the
  abbreviatedStatement, descriptions the fullStatement, "why it matters" the notes.
- The scale and the level descriptors are one CFRubric: a first criterion without an
  item carries the scale (quality = level name, score = level value), then one criterion
  per competency with one criterion level per descriptor.
- What CASE has no place for (the slug, job roles and their targets, resources,
  crosswalk references, source notes) travels under ``extensions.skillsPortal`` on the
  CFDocument and the competency CFItems: CASE 1.1 names ``extensions`` for this, and the
  v1.0 schema allows extra properties on documents and items.

Identifiers are UUID 5 from a fixed namespace and slug/version/kind/code, so the same
framework version exports the same identifiers every time.
"""

import uuid
from datetime import datetime

from .data import FrameworkData

# Fixed for good: changing it changes every exported identifier.
NAMESPACE = uuid.UUID("4f0b6a52-8a3e-4d7e-9a51-2b8c6f3d9e10")
EXTENSION = "skillsPortal"
ADOPTION_STATUS = {"draft": "Draft", "published": "Adopted", "retired": "Deprecated"}


def identifier(fd: FrameworkData, *parts) -> str:
    name = "/".join([fd.slug, fd.version, *map(str, parts)])
    return str(uuid.uuid5(NAMESPACE, name))


def _uri(ident: str) -> str:
    return f"urn:uuid:{ident}"


def _link(title: str, ident: str) -> dict:
    return {"title": title, "identifier": ident, "uri": _uri(ident)}


def write(fd: FrameworkData, *, changed: datetime, status: str = "draft") -> dict:
    """The CASE package of ``fd`` as a JSON-ready dict; ``changed`` is its lastChangeDateTime."""
    stamp = changed.isoformat(timespec="seconds").replace("+00:00", "Z")
    doc_id = identifier(fd, "document")
    doc_link = _link(fd.title, doc_id)
    types = {
        name: {
            "identifier": identifier(fd, "item-type", name),
            "uri": _uri(identifier(fd, "item-type", name)),
            "title": name,
            "hierarchyCode": str(depth),
            "lastChangeDateTime": stamp,
        }
        for depth, name in enumerate(("Domain", "Competency"), start=1)
    }
    targets: dict[str, list[dict]] = {}
    for role in fd.roles:
        for t in role.targets:
            targets.setdefault(t.competency, []).append(
                {"role": role.code, "level": t.level, "importance": t.importance}
            )

    items, associations = [], []

    def add_item(kind, code, title, statement, parent_id, parent_title, position, **extra):
        ident = identifier(fd, kind.lower(), code)
        items.append(
            {
                "identifier": ident,
                "uri": _uri(ident),
                "fullStatement": statement or title,
                "abbreviatedStatement": title,
                "humanCodingScheme": code,
                "listEnumeration": str(position),
                "CFItemType": kind,
                "CFItemTypeURI": _link(kind, types[kind]["identifier"]),
                "CFDocumentURI": doc_link,
                "lastChangeDateTime": stamp,
                **extra,
            }
        )
        assoc_id = identifier(fd, "isChildOf", kind.lower(), code)
        associations.append(
            {
                "identifier": assoc_id,
                "associationType": "isChildOf",
                "sequenceNumber": position,
                "uri": _uri(assoc_id),
                "originNodeURI": _link(title, ident),
                "destinationNodeURI": _link(parent_title, parent_id),
                "CFDocumentURI": doc_link,
                "lastChangeDateTime": stamp,
            }
        )
        return ident

    item_ids = {}
    for d_position, domain in enumerate(fd.domains, start=1):
        domain_id = add_item(
            "Domain", domain.code, domain.title, domain.description, doc_id, fd.title, d_position
        )
        for c_position, c in enumerate(domain.competencies, start=1):
            extension = {
                "sourceNote": c.source_note,
                "targets": targets.get(c.code, []),
                "resources": [
                    {"publisher": r.publisher, "title": r.title, "url": r.url, "note": r.note}
                    for r in c.resources
                ],
                "crosswalk": [
                    {"scheme": x.scheme, "code": x.code, "title": x.title} for x in c.crosswalk
                ],
            }
            extra = {"notes": c.why_it_matters} if c.why_it_matters else {}
            item_ids[c.code] = add_item(
                "Competency",
                c.code,
                c.title,
                c.description,
                domain_id,
                domain.title,
                c_position,
                **extra,
                extensions={EXTENSION: extension},
            )

    document = {
        "identifier": doc_id,
        "uri": _uri(doc_id),
        "creator": "Skills Portal",
        "title": fd.title,
        "lastChangeDateTime": stamp,
        "description": fd.description,
        "version": fd.version,
        "adoptionStatus": ADOPTION_STATUS.get(status, "Draft"),
        "language": "en",
        "notes": fd.source,
        "extensions": {
            EXTENSION: {
                "slug": fd.slug,
                "roles": [
                    {"code": r.code, "title": r.title, "description": r.description}
                    for r in fd.roles
                ],
            }
        },
    }
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": list(types.values())},
        "CFRubrics": [_rubric(fd, item_ids, stamp)],
    }


def _rubric(fd: FrameworkData, item_ids: dict[str, str], stamp: str) -> dict:
    rubric_id = identifier(fd, "rubric")
    names = {lv.value: lv.name for lv in fd.levels}

    def criterion(key, position, levels, **fields):
        ident = identifier(fd, "criterion", key)
        return {
            "identifier": ident,
            "uri": _uri(ident),
            **fields,
            "position": position,
            "rubricId": rubric_id,
            "lastChangeDateTime": stamp,
            "CFRubricCriterionLevels": [
                {
                    "identifier": identifier(fd, "criterion-level", key, value),
                    "uri": _uri(identifier(fd, "criterion-level", key, value)),
                    "description": text,
                    "quality": names.get(value, ""),
                    "score": value,
                    "position": value,
                    "rubricCriterionId": ident,
                    "lastChangeDateTime": stamp,
                }
                for value, text in levels
            ],
        }

    criteria = [
        criterion(
            "scale",
            0,
            [(lv.value, lv.description) for lv in fd.levels],
            category="Proficiency scale",
            description="The levels of the scale; the criteria below describe each level "
            "for one competency.",
        )
    ]
    for position, c in enumerate(fd.competencies(), start=1):
        criteria.append(
            criterion(
                c.code,
                position,
                [(x.level, x.text) for x in c.descriptors],
                category=c.code,
                description=c.title,
                CFItemURI=_link(c.title, item_ids[c.code]),
            )
        )
    return {
        "identifier": rubric_id,
        "uri": _uri(rubric_id),
        "title": f"{fd.title}: proficiency scale and level descriptors",
        "description": "What a person at each level of the scale does, per competency.",
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": criteria,
    }
