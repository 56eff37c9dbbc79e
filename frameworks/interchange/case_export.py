"""
A framework as a 1EdTech CASE package (CFPackage JSON), version 1.1 or 1.0.

- Domains (and their groups), competencies and indicators are CFItems joined by isChildOf
  associations; codes are the humanCodingScheme, titles the abbreviatedStatement,
  descriptions the fullStatement, "why it matters" the notes.
- What came from a CASE package goes back out as it came: the same identifiers and URIs,
  the source's other fields, its isChildOf associations, every association of another
  type, CFDefinitions and CFRubrics (``models.CaseIdentity``). The portal's own values
  (statements, titles, notes) are written over the source's.
- What the portal made itself gets UUID 5 identifiers from a fixed namespace and
  slug/version/kind/code, so the same framework version exports the same identifiers
  every time. Its scale and level descriptors are one CFRubric: a first criterion without
  an item carries the scale (quality = level name, score = level value), then one
  criterion per competency with one criterion level per descriptor.
- What CASE has no place for (the slug, job roles and their targets, resources,
  crosswalk references, source notes) travels under ``extensions.skillsPortal`` on the
  CFDocument and the competency CFItems.

``write`` builds the package once; ``shape`` fits it to the schema of one CASE version.
"""

import uuid
from datetime import datetime

from .data import Case, Competency, Domain, FrameworkData, Indicator, Lineage

# Fixed for good: changing it changes every exported identifier.
NAMESPACE = uuid.UUID("4f0b6a52-8a3e-4d7e-9a51-2b8c6f3d9e10")
EXTENSION = "skillsPortal"
ADOPTION_STATUS = {"draft": "Draft", "published": "Adopted", "retired": "Deprecated"}
CASE_VERSIONS = ("1.1", "1.0")
TITLE_LENGTH = 200


def identifier(fd: FrameworkData, *parts, version: str = "") -> str:
    """The identifier of what the portal made in ``fd`` (or in its ``version`` of that slug)."""
    name = "/".join([fd.slug, version or fd.version, *map(str, parts)])
    return str(uuid.uuid5(NAMESPACE, name))


def short_title(statement: str) -> str:
    """The title the import gives an item without abbreviatedStatement."""
    if len(statement) <= TITLE_LENGTH:
        return statement
    return statement[: TITLE_LENGTH - 1].rstrip() + "…"


def uuid_uri(ident: str) -> str:
    return f"urn:uuid:{ident}"


def _link(title: str, ident: str, uri: str = "") -> dict:
    return {"title": title, "identifier": ident, "uri": uri or uuid_uri(ident)}


def write(
    fd: FrameworkData, *, changed: datetime, status: str = "draft", case_version: str = "1.1"
) -> dict:
    """The CASE package of ``fd`` as a JSON-ready dict; ``changed`` is its lastChangeDateTime."""
    stamp = changed.isoformat(timespec="seconds").replace("+00:00", "Z")
    return shape(_Package(fd, stamp, status).build(), case_version)


class _Package:
    def __init__(self, fd: FrameworkData, stamp: str, status: str):
        self.fd, self.stamp, self.status = fd, stamp, status
        self.source = fd.case.fields
        self.doc_id = fd.case.identifier or identifier(fd, "document")
        self.doc_link = _link(fd.title, self.doc_id, fd.case.uri)
        self.items: list[dict] = []
        self.associations: list[dict] = []
        self.types_used: dict[str, None] = {}  # the portal's item types, in order of use
        self.item_ids: dict[str, str] = {}  # competency code → identifier

    def build(self) -> dict:
        self.tree()
        package = {
            "CFDocument": self.document(),
            "CFItems": self.items,
            "CFAssociations": self.associations + list(self.source.get("CFAssociations", [])),
            "CFDefinitions": self.definitions(),
            "CFRubrics": self.rubrics(),
        }
        for obj in [package["CFDocument"], *self.items, *package["CFAssociations"]]:
            _complete(obj, self.stamp)
        for rubric in package["CFRubrics"]:
            for obj in _rubric_objects(rubric):
                _complete(obj, self.stamp)
        return {key: value for key, value in package.items() if value is not None}

    # ------------------------------------------------------------------ the tree

    def tree(self) -> None:
        links = {"": self.doc_link}
        for position, domain in enumerate(self.fd.domains, start=1):
            parent = links[domain.parent]
            if domain.case.fields.get("generated"):
                links[domain.code] = parent  # made at import to hold top-level competencies
            else:
                links[domain.code] = self.domain(domain, parent, position)
            for c_position, competency in enumerate(domain.competencies, start=1):
                self.competency(competency, links[domain.code], c_position)

    def domain(self, d: Domain, parent: dict, position: int) -> dict:
        statement = d.description or d.title
        return self.item("Domain", d.case, d.code, d.title, statement, None, parent, position)

    def competency(self, c: Competency, parent: dict, position: int) -> None:
        extension = {
            "sourceNote": c.source_note,
            "targets": [
                {"role": r.code, "level": t.level, "importance": t.importance}
                for r in self.fd.roles
                for t in r.targets
                if t.competency == c.code
            ],
            "resources": [
                {"publisher": r.publisher, "title": r.title, "url": r.url, "note": r.note}
                for r in c.resources
            ],
            "crosswalk": [
                {"scheme": x.scheme, "code": x.code, "title": x.title} for x in c.crosswalk
            ],
        }
        link = self.item(
            "Competency", c.case, c.code, c.title, c.description, c.why_it_matters, parent,
            position, extension,
        )  # fmt: skip
        self.item_ids[c.code] = link["identifier"]
        self.indicators(c.indicators, link, f"{c.code}/")
        for earlier in c.lineage:
            self.associations.append(self.continues(earlier, c.code, link))

    def indicators(self, indicators: list[Indicator], parent: dict, path: str) -> None:
        for position, i in enumerate(indicators, start=1):
            key = i.code or f"{path}{position}"
            # The portal gives an indicator no title of its own: the source's is kept.
            title = i.case.fields.get("item", {}).get("abbreviatedStatement") or short_title(
                i.statement
            )
            link = self.item(
                "Indicator", i.case, key, title, i.statement, i.notes, parent, position
            )
            self.indicators(i.children, link, f"{path}{position}/")

    def item(self, kind, case: Case, code, title, statement, notes, parent, position, ext=None):
        """Add one CFItem and its isChildOf association; the item's link."""
        if case.identifier:
            item = {**case.fields.get("item", {}), "identifier": case.identifier}
            item["uri"] = case.uri or uuid_uri(case.identifier)
        else:
            item = self.new_item(kind, code, position)
        item["fullStatement"] = statement or title
        if title != short_title(item["fullStatement"]) or "abbreviatedStatement" in item:
            item["abbreviatedStatement"] = title
        if notes is not None:
            item.pop("notes", None)
            item.update({"notes": notes} if notes else {})
        if ext is not None:
            item["extensions"] = {**item.get("extensions", {}), EXTENSION: ext}
        item["CFDocumentURI"] = self.doc_link
        self.items.append(item)
        link = _link(title, item["identifier"], item["uri"])
        self.associations.append(self.child_of(case, kind, code, link, parent, position))
        return link

    def new_item(self, kind: str, code: str, position: int) -> dict:
        """A CFItem the portal made; ``code`` is the portal's code (or an indicator's place)."""
        self.types_used[kind] = None
        ident = identifier(self.fd, kind.lower(), code)
        return {
            "identifier": ident,
            "uri": uuid_uri(ident),
            "humanCodingScheme": code,
            "listEnumeration": str(position),
            "CFItemType": kind,
            "CFItemTypeURI": _link(kind, identifier(self.fd, "item-type", kind)),
            "lastChangeDateTime": self.stamp,
        }

    def child_of(self, case: Case, kind, code, link: dict, parent: dict, position) -> dict:
        stored = case.fields.get("isChildOf")
        if stored and stored["destinationNodeURI"]["identifier"] == parent["identifier"]:
            return stored
        ident = identifier(self.fd, "isChildOf", kind.lower(), code)
        return {
            "identifier": ident,
            "associationType": "isChildOf",
            "sequenceNumber": position,
            "uri": uuid_uri(ident),
            "originNodeURI": link,
            "destinationNodeURI": parent,
            "CFDocumentURI": self.doc_link,
            "lastChangeDateTime": self.stamp,
        }

    def continues(self, earlier: Lineage, code: str, link: dict) -> dict:
        """
        The association saying that competency ``code`` (``link``) continues an earlier
        version's one. The origin is always the earlier item, the destination the new one:
        ``replacedBy`` (the earlier item is replaced by the new one) for "same", "recoded"
        and "merged", whose earlier item lives on whole in the new one; ``isRelatedTo`` for
        "split", whose earlier item each new part continues only in part. The earlier item
        has the identifier and URI the earlier version's export writes: its CASE identity
        when it is in the database, else the portal's identifier from slug, version and
        code (so the association is written even when that version is not in the database).
        """
        kind = "isRelatedTo" if earlier.kind == "split" else "replacedBy"
        origin = earlier.case.identifier or identifier(
            self.fd, "competency", earlier.code, version=earlier.version
        )
        ident = identifier(self.fd, kind, "competency", code, earlier.version, earlier.code)
        return {
            "identifier": ident,
            "associationType": kind,
            "uri": uuid_uri(ident),
            "originNodeURI": _link(earlier.title or earlier.code, origin, earlier.case.uri),
            "destinationNodeURI": link,
            "CFDocumentURI": self.doc_link,
            "lastChangeDateTime": self.stamp,
        }

    # ------------------------------------------------------------------ the rest

    def document(self) -> dict:
        fd, source = self.fd, self.source.get("document")
        document = dict(source) if source else {
            "creator": "Skills Portal",
            "lastChangeDateTime": self.stamp,
            "version": fd.version,
            "adoptionStatus": ADOPTION_STATUS.get(self.status, "Draft"),
            "language": "en",
        }  # fmt: skip
        document.update(identifier=self.doc_id, uri=self.doc_link["uri"], title=fd.title)
        document.setdefault("creator", "Skills Portal")
        for key, value in (("description", fd.description), ("notes", fd.source)):
            # An imported document without notes has its source line as the portal's.
            if value and (key in document or not source):
                document[key] = value
        roles = [{"code": r.code, "title": r.title, "description": r.description} for r in fd.roles]
        extensions = document.get("extensions", {})
        document["extensions"] = {**extensions, EXTENSION: {"slug": fd.slug, "roles": roles}}
        return document

    def definitions(self) -> dict | None:
        definitions = self.source.get("CFDefinitions")
        definitions = dict(definitions) if isinstance(definitions, dict) else {}
        for key, entries in definitions.items():
            if key != "extensions":
                definitions[key] = [dict(entry) for entry in entries]
                for entry in definitions[key]:
                    _complete(entry, self.stamp)
        types = [
            {
                "identifier": identifier(self.fd, "item-type", name),
                "uri": uuid_uri(identifier(self.fd, "item-type", name)),
                "title": name,
                "description": f"A {name.lower()} of the framework.",
                "hierarchyCode": str(depth),
                "lastChangeDateTime": self.stamp,
            }
            for depth, name in enumerate(("Domain", "Competency", "Indicator"), start=1)
            if name in self.types_used
        ]
        if types:
            definitions["CFItemTypes"] = [*definitions.get("CFItemTypes", []), *types]
        return definitions if definitions or "CFDefinitions" in self.source else None

    def rubrics(self) -> list[dict]:
        """The source's rubrics, then the portal's for the competencies they do not cover."""
        # None: a framework the portal made, whose rubric is all its own.
        source = self.source.get("CFRubrics", [] if self.fd.case.identifier else None)
        covered = {
            criterion.get("CFItemURI", {}).get("identifier")
            for rubric in source or []
            for criterion in rubric.get("CFRubricCriteria", [])
        }
        own = [
            c
            for c in self.fd.competencies()
            if self.item_ids[c.code] not in covered and (c.descriptors or source is None)
        ]
        if source is not None and not own:
            return list(source)
        return [*(source or []), self.portal_rubric(own)]

    def portal_rubric(self, competencies: list[Competency]) -> dict:
        fd, rubric_id = self.fd, identifier(self.fd, "rubric")
        scale = self.criterion(
            "scale",
            0,
            [(lv.value, lv.description) for lv in fd.levels],
            category="Proficiency scale",
            description="The levels of the scale; the criteria below describe each level "
            "for one competency.",
        )
        criteria = [scale] + [
            self.criterion(
                c.code,
                position,
                [(x.level, x.text) for x in c.descriptors],
                category=c.code,
                description=c.title,
                CFItemURI=_link(c.title, self.item_ids[c.code]),
            )
            for position, c in enumerate(competencies, start=1)
        ]
        return {
            "identifier": rubric_id,
            "uri": uuid_uri(rubric_id),
            "title": f"{fd.title}: proficiency scale and level descriptors",
            "description": "What a person at each level of the scale does, per competency.",
            "lastChangeDateTime": self.stamp,
            "CFRubricCriteria": criteria,
        }

    def criterion(self, key, position: int, levels: list[tuple[int, str]], **fields) -> dict:
        """One criterion of the portal's rubric, with a criterion level per (value, text)."""
        fd, ident = self.fd, identifier(self.fd, "criterion", key)
        names = {lv.value: lv.name for lv in fd.levels}
        return {
            "identifier": ident,
            "uri": uuid_uri(ident),
            **fields,
            "position": position,
            "rubricId": identifier(fd, "rubric"),
            "lastChangeDateTime": self.stamp,
            "CFRubricCriterionLevels": [
                {
                    "identifier": identifier(fd, "criterion-level", key, value),
                    "uri": uuid_uri(identifier(fd, "criterion-level", key, value)),
                    "description": text,
                    "quality": names.get(value, ""),
                    "score": value,
                    "position": value,
                    "rubricCriterionId": ident,
                    "lastChangeDateTime": self.stamp,
                }
                for value, text in levels
            ],
        }


def _complete(obj: dict, stamp: str) -> None:
    """What the schema requires and a source object may lack: its URI and change time."""
    if "identifier" in obj:
        obj.setdefault("uri", uuid_uri(obj["identifier"]))
    obj.setdefault("lastChangeDateTime", stamp)


def _rubric_objects(rubric: dict):
    yield rubric
    for criterion in rubric.get("CFRubricCriteria", []):
        yield criterion
        yield from criterion.get("CFRubricCriterionLevels", [])


# ---------------------------------------------------------------------- versions

# Values that one CASE version writes as a list and the other also as a single string.
LISTS = ("subject", "educationLevel", "conceptKeywords")
DATES = ("statusStartDate", "statusEndDate")


def shape(package: dict, case_version: str) -> dict:
    """``package`` fitted to the schema of CASE ``case_version`` ("1.1" or "1.0")."""
    if case_version not in CASE_VERSIONS:
        raise ValueError(f"Unknown CASE version {case_version!r}.")
    v11 = case_version == "1.1"
    document = _without_nulls(package["CFDocument"])
    document.pop("caseVersion", None)
    if v11:
        document = {"caseVersion": "1.1", **_as_v11(document)}
        document.pop("CFPackageURI", None)
    shaped = {**package, "CFDocument": document}
    for key in ("CFItems", "CFAssociations"):
        shaped[key] = [_as_v11(o) if v11 else _without_nulls(o) for o in package.get(key, [])]
    if v11:
        for obj in shaped["CFItems"] + shaped["CFAssociations"]:
            obj.pop("CFDocumentURI", None)
    if "CFDefinitions" in package:
        shaped["CFDefinitions"] = _definitions(package["CFDefinitions"], v11)
    if not v11:
        shaped.pop("extensions", None)
        shaped["CFRubrics"] = [_without_extensions(r) for r in package.get("CFRubrics", [])]
    return shaped


def _without_nulls(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v is not None}


def _as_v11(obj: dict) -> dict:
    """Lists where 1.1 wants lists, dates without time, no nulls."""
    obj = _without_nulls(obj)
    for key in LISTS:
        if isinstance(obj.get(key), str):
            obj[key] = [part.strip() for part in obj[key].split(",") if part.strip()]
    for key in DATES:
        if isinstance(obj.get(key), str):
            obj[key] = obj[key][:10]
    return obj


def _definitions(definitions: dict, v11: bool) -> dict:
    shaped = {}
    for key, value in definitions.items():
        if key == "extensions":
            if v11:
                shaped[key] = value
            continue
        entries = [_without_nulls(d) for d in value]
        if key == "CFItemTypes" and v11:
            entries = [{"description": d.get("title", ""), **d} for d in entries]
        if not v11:
            entries = [{k: v for k, v in d.items() if k != "extensions"} for d in entries]
        shaped[key] = entries
    return shaped


def _without_extensions(value):
    """CASE 1.0 rubrics have no ``extensions``."""
    if isinstance(value, dict):
        return {k: _without_extensions(v) for k, v in value.items() if k != "extensions"}
    if isinstance(value, list):
        return [_without_extensions(v) for v in value]
    return value
