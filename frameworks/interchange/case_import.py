"""
1EdTech CASE 1.0/1.1 JSON packages read into plain data, without loss.

A file holds one package or an array of them (``packages``). In each, the isChildOf tree
gives the framework's parts by depth: the items at the rateable depth (``--competency-depth``)
are competencies, the items above them domains and groups, the items below them the
competency's indicators (a leaf above that depth is a competency too). Every object keeps
its identifier, URI and source fields (``data.Case``) so that ``case_export`` gives the
same package back: associations of other types, CFDefinitions and CFRubrics included.
CFRubrics give the scale and the level descriptors of the competencies (a default 0–5
scale when there is none); ``extensions.skillsPortal`` what the portal's own export adds.
What real packages often do off the schema is accepted with a warning; what cannot be
mapped is an error naming the identifier.
"""

import re
import uuid
from collections import Counter

from django.utils.text import slugify

from .case_export import EXTENSION, short_title, uuid_uri
from .data import (
    Case,
    Competency,
    Crosswalk,
    Descriptor,
    Domain,
    FrameworkData,
    Indicator,
    Level,
    Origin,
    Refused,
    Report,
    Resource,
    Role,
    Target,
)
from .safe_json import MAX_BYTES, load_json

# The properties of the v1.0 schema, and those that CASE 1.1 adds, per object.
KNOWN_KEYS = {
    "package": {
        "CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions",
    },
    "CFDefinitions": {
        "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings",
        "extensions",
    },
    "CFDocument": {
        "identifier", "uri", "creator", "title", "lastChangeDateTime", "officialSourceURL",
        "publisher", "description", "subject", "subjectURI", "language", "version",
        "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes",
        "CFPackageURI", "caseVersion", "frameworkType", "extensions",
    },
    "CFItem": {
        "identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri",
        "humanCodingScheme", "listEnumeration", "abbreviatedStatement", "conceptKeywords",
        "conceptKeywordsURI", "notes", "language", "educationLevel", "CFItemTypeURI",
        "licenseURI", "statusStartDate", "statusEndDate", "lastChangeDateTime",
        "CFDocumentURI", "subject", "subjectURI", "extensions",
    },
    "CFAssociation": {
        "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
        "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime",
        "CFDocumentURI", "notes", "extensions",
    },
    "CFRubric": {
        "identifier", "uri", "title", "description", "lastChangeDateTime", "CFRubricCriteria",
        "extensions",
    },
    "CFRubricCriterion": {
        "identifier", "uri", "category", "description", "CFItemURI", "weight", "position",
        "rubricId", "lastChangeDateTime", "CFRubricCriterionLevels", "extensions",
    },
    "CFRubricCriterionLevel": {
        "identifier", "uri", "description", "quality", "score", "feedback", "position",
        "rubricCriterionId", "lastChangeDateTime", "extensions",
    },
}  # fmt: skip
# What the schema requires but the import does not need: missing ones are only warned about.
SCHEMA_REQUIRED = {
    "CFDocument": ("uri", "creator", "lastChangeDateTime"),
    "CFItem": ("uri", "lastChangeDateTime"),
    "CFAssociation": ("identifier", "uri", "lastChangeDateTime"),
}
DEFAULT_SCALE = [
    (0, "Not yet", "Has not yet started to build this competency."),
    (1, "Aware", "Knows the competency exists and why it matters; needs guidance to act."),
    (2, "Developing", "Does parts of it with support; learning by doing."),
    (3, "Proficient", "Does it reliably and independently in everyday work."),
    (4, "Advanced", "Handles complex or unusual cases and helps others do it."),
    (5, "Leading", "Shapes how the district does it and is a reference beyond it."),
]
# The link objects of a CFAssociation.
LINKS = ("originNodeURI", "destinationNodeURI", "CFAssociationGroupingURI", "CFDocumentURI")
MAX_LEVEL = 10  # the database's level_value_at_most_10 constraint
ITEM_COLUMNS = {
    "code": "humanCodingScheme",
    "title": "abbreviatedStatement",
    "description": "fullStatement",
    "why_it_matters": "notes",
}
# Identifiers for associations that have none: derived from the document's.
MISSING_IDS = uuid.UUID("9b1f3c2e-5d4a-4f7b-8e6c-1a2b3c4d5e6f")


def packages(content: bytes, max_bytes: int = MAX_BYTES) -> list[dict]:
    """The packages of a file: one object, or an array of them."""
    value = load_json(content, max_bytes)
    found = value if isinstance(value, list) else [value]
    if not found or not all(
        isinstance(p, dict) and isinstance(p.get("CFDocument"), dict) for p in found
    ):
        raise Refused(
            "This is JSON but not a CASE package (or an array of them): "
            "a package is an object with a CFDocument object."
        )
    return found


def read(
    package: dict, report: Report, *, slug: str | None = None, competency_depth: int | None = None
) -> FrameworkData | None:
    """The framework in one CASE package, or None when ``report`` has errors."""
    reader = _Reader(package, report)
    fd = reader.framework(slug, competency_depth)
    reader.report_deviations()
    return None if report.errors else fd


def natural_key(code: str) -> list:
    """Sort key that puts L1.3 before L1.10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p]


def known(obj: dict, kind: str, drop=("identifier", "uri")) -> dict:
    """The fields of ``obj`` that its CASE schema knows, but ``drop``."""
    return {k: v for k, v in obj.items() if k in KNOWN_KEYS[kind] and k not in drop}


class _Reader:
    def __init__(self, package: dict, report: Report):
        self.package = package
        self.report = report
        self.unknown = Counter()  # (object kind, key) → count
        self.first_unknown = {}
        self.missing = Counter()  # (object kind, key) → count
        self.strings_as_numbers = []
        self.links_without_uri = 0
        self.check_keys(package, "package", "the package")
        self.taken_codes: set[str] = set()
        self.generated: list[str] = []
        self.repeated: Counter = Counter()

    # ------------------------------------------------------------------ deviations

    def check_keys(self, obj: dict, kind: str, where: str) -> None:
        for key in obj.keys() - KNOWN_KEYS[kind]:
            self.unknown[kind, key] += 1
            self.first_unknown.setdefault((kind, key), where)
        for key in SCHEMA_REQUIRED.get(kind, ()):
            if key not in obj:
                self.missing[kind, key] += 1

    def report_deviations(self) -> None:
        for (kind, key), count in sorted(self.unknown.items()):
            self.report.warn(
                f"Unknown key {key!r} in {count} {kind} object(s) (first in "
                f"{self.first_unknown[kind, key]}); ignored and not exported."
            )
        for (kind, key), count in sorted(self.missing.items()):
            self.report.warn(
                f"{count} {kind} object(s) lack {key!r}, which the CASE schema requires; "
                "not needed for the import (the export adds it)."
            )
        for where in self.strings_as_numbers[:20]:
            self.report.warn(f"{where}: a number written as a string; read as a number.")
        if len(self.strings_as_numbers) > 20:
            self.report.warn(
                f"… and {len(self.strings_as_numbers) - 20} more numbers written as strings."
            )
        if self.links_without_uri:
            self.report.warn(
                f"{self.links_without_uri} link(s) in CFAssociations have no uri; each is "
                "given the urn:uuid: URI of its identifier."
            )
        if self.generated:
            self.report.warn(
                f"{len(self.generated)} CFItem(s) have no humanCodingScheme; codes were made from "
                f"their place (first: {self.generated[0]}); the export gives them none."
            )
        for code, count in sorted(self.repeated.items()):
            self.report.warn(
                f"The humanCodingScheme {code} is used by {count + 1} items; the identifier "
                f"tells them apart, the portal calls the others {code} #2 … and the export "
                "keeps the code as it is."
            )

    def text(self, obj: dict, key: str, where: str) -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.report.warn(f"{where}, {key}: a number where text belongs; read as text.")
            return str(value)
        self.report.error(f"{where}, {key}: expected text, found {type(value).__name__}.")
        return ""

    def number(self, obj: dict, key: str, where: str) -> float | None:
        """A number (a score may be fractional); None when absent or not one (then an error)."""
        value = obj.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                self.report.error(f"{where}, {key}: {value!r} is not a number.")
                return None
            self.strings_as_numbers.append(f"{where}, {key}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report.error(f"{where}, {key}: expected a number.")
            return None
        return int(value) if value == int(value) else value

    def objects(self, key: str, kind: str, obj: dict | None = None, where: str = "") -> list:
        """The objects of a list; an exact repeat of one is dropped with a warning."""
        value = (self.package if obj is None else obj).get(key, [])
        label = f"{where}, {key}" if where else key
        if not isinstance(value, list):
            self.report.error(f"{label} must be a list of {kind} objects.")
            return []
        found, seen, repeats = [], {}, 0
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.report.error(f"{label}[{index}] is not a {kind} object.")
                continue
            # Only objects with the same identifier can be the same: compared in full then.
            key = item.get("identifier")
            key = key if isinstance(key, str) else repr(item)
            if seen.get(key) == item:
                repeats += 1
                continue
            seen.setdefault(key, item)
            found.append(item)
        if repeats:
            self.report.warn(f"{label}: {repeats} exact duplicate {kind} object(s) dropped.")
        return found

    # ------------------------------------------------------------------ the framework

    def framework(self, slug: str | None, competency_depth: int | None) -> FrameworkData:
        document = self.package["CFDocument"]
        where = "CFDocument"
        self.check_keys(document, "CFDocument", where)
        extension = self.extension(document, where)
        self.doc_id = str(document.get("identifier") or "")
        version = self.text(document, "version", where)
        if not version:
            self.report.warn("CFDocument has no version; the version label 1 is used.")
        title = self.text(document, "title", where)
        fd = FrameworkData(
            slug=slug or self.text(extension, "slug", where) or self.slug(title),
            version=version or "1",
            title=title,
            description=self.text(document, "description", where),
            source=self.text(document, "notes", where) or self.source_line(document, where),
            origin=Origin(where, {"title": "title", "slug": "slug", "version": "version"}),
            case=Case(self.doc_id, self.text(document, "uri", where), self.package_fields()),
        )
        fd.roles = self.roles(extension)
        items = self.items()
        tree = self.tree(items, fd.case.fields["CFAssociations"])
        if tree is None:
            return fd
        competencies = self.parts(fd, items, tree, competency_depth)
        self.targets(fd, items, competencies)
        self.rubrics(fd, items, competencies)
        return fd

    def slug(self, title: str) -> str:
        """From the title; from the identifier when the title has no Latin letters."""
        slug = slugify(title)[:64].strip("-")
        if slug:
            return slug
        slug = slugify(self.doc_id)[:64]
        if slug:
            self.report.warn(
                f"The title {title!r} gives no slug (only letters a–z and digits go into one); "
                f"the slug is the document identifier {slug}. Choose one with --slug."
            )
        else:
            self.report.error(f"The title {title!r} gives no slug: choose one with --slug.")
        return slug

    def package_fields(self) -> dict:
        """What the package holds beyond the tree, kept to be exported unchanged."""
        document = self.package["CFDocument"]
        doc = known(document, "CFDocument")
        if isinstance(doc.get("extensions"), dict):
            doc["extensions"] = {k: v for k, v in doc["extensions"].items() if k != EXTENSION}
        fields = {"document": doc, "CFAssociations": []}
        definitions = self.definitions()
        if definitions is not None:
            fields["CFDefinitions"] = definitions
        if "CFRubrics" in self.package:
            fields["CFRubrics"] = [
                self.rubric_fields(r) for r in self.objects("CFRubrics", "CFRubric")
            ]
        return fields

    def rubric_fields(self, rubric: dict) -> dict:
        kept = known(rubric, "CFRubric", drop=())
        kept["CFRubricCriteria"] = [
            {
                **known(criterion, "CFRubricCriterion", drop=()),
                "CFRubricCriterionLevels": [
                    known(level, "CFRubricCriterionLevel", drop=())
                    for level in criterion.get("CFRubricCriterionLevels", [])
                    if isinstance(level, dict)
                ],
            }
            for criterion in rubric.get("CFRubricCriteria", [])
            if isinstance(criterion, dict)
        ]
        return kept

    def source_line(self, document: dict, where: str) -> str:
        parts = [self.text(document, k, where) for k in ("publisher", "creator")]
        url = document.get("officialSourceURL")
        if isinstance(url, str):
            parts.append(url)
        return " · ".join(p for p in parts if p)

    def extension(self, obj: dict, where: str) -> dict:
        value = obj.get("extensions", {})
        mine = value.get(EXTENSION, {}) if isinstance(value, dict) else {}
        if not isinstance(mine, dict):
            self.report.error(f"{where}, extensions.{EXTENSION}: expected an object.")
            return {}
        return mine

    def definitions(self) -> dict | None:
        """CFDefinitions as they are (item types come from each CFItem), to export again."""
        value = self.package.get("CFDefinitions")
        if value is None or value == []:
            return None
        if value == {}:
            self.report.warn("CFDefinitions is an empty object; ignored.")
        elif isinstance(value, dict):
            self.check_keys(value, "CFDefinitions", "CFDefinitions")
            kept = known(value, "CFDefinitions", drop=())
            for key, entries in kept.items():
                if key != "extensions" and not (
                    isinstance(entries, list) and all(isinstance(e, dict) for e in entries)
                ):
                    self.report.error(f"CFDefinitions.{key}: expected a list of objects.")
            return kept
        else:
            self.report.warn(
                "CFDefinitions is neither an object nor an empty list, as the schema asks; ignored."
            )
        return None

    def roles(self, extension: dict) -> list[Role]:
        roles = []
        for index, role in enumerate(extension.get("roles", [])):
            where = f"CFDocument, extensions.{EXTENSION}.roles[{index}]"
            if not isinstance(role, dict):
                self.report.error(f"{where}: expected an object.")
                continue
            roles.append(
                Role(
                    code=self.text(role, "code", where),
                    title=self.text(role, "title", where),
                    description=self.text(role, "description", where),
                    origin=Origin(where, {"code": "code", "title": "title"}),
                )
            )
        return roles

    def items(self) -> dict[str, dict]:
        items: dict[str, dict] = {}
        seen_at = {self.doc_id: "the CFDocument"}
        for index, item in enumerate(self.objects("CFItems", "CFItem")):
            ident = item.get("identifier")
            where = f"CFItem {ident}" if isinstance(ident, str) else f"CFItems[{index}]"
            if not isinstance(ident, str) or not ident.strip():
                self.report.error(f"{where}: it has no identifier.")
                continue
            if ident in seen_at:
                self.report.error(
                    f"{where}: the identifier is used twice, by different objects "
                    f"(also by {seen_at[ident]})."
                )
                continue
            seen_at[ident] = f"CFItems[{index}]"
            self.check_keys(item, "CFItem", where)
            if not self.text(item, "fullStatement", where):
                self.report.error(f"{where}: it has no fullStatement, so it cannot be mapped.")
                continue
            items[ident] = item
        return items

    # ------------------------------------------------------------------ the tree

    def tree(self, items: dict[str, dict], others: list) -> dict[str | None, list[str]] | None:
        """Children per parent identifier (None: the top); None when the tree is broken."""
        parents: dict[str, tuple[str | None, tuple]] = {}
        self.edges: dict[str, dict] = {}  # item identifier → its isChildOf association
        kinds, extra_parents = Counter(), 0
        for index, assoc in enumerate(self.objects("CFAssociations", "CFAssociation")):
            assoc = self.association(assoc, index, items)
            if assoc is None:
                continue
            kind = assoc.get("associationType")
            if kind != "isChildOf":
                kinds[str(kind)] += 1
                others.append(assoc)
                continue
            origin = assoc["originNodeURI"]["identifier"]
            if origin in parents:
                extra_parents += 1
                others.append(assoc)
                continue
            destination = assoc["destinationNodeURI"]["identifier"]
            parent = None if destination == self.doc_id else destination
            parents[origin] = (parent, self.order(assoc, items[origin], index))
            self.edges[origin] = assoc
        for kind, count in sorted(kinds.items()):
            self.report.warn(
                f"{count} association(s) of type {kind} are not used by the portal; "
                "they are kept and exported unchanged."
            )
        if extra_parents:
            self.report.warn(
                f"{extra_parents} CFItem(s) are the child of more than one item; the first "
                "parent is used, the other isChildOf associations are kept and exported."
            )
        return None if self.report.errors else self.children(items, parents)

    def association(self, assoc: dict, index: int, items) -> dict | None:
        """The association's known fields, checked; None when it cannot be used."""
        ident = assoc.get("identifier")
        where = f"CFAssociation {ident}" if isinstance(ident, str) else f"CFAssociations[{index}]"
        self.check_keys(assoc, "CFAssociation", where)
        kept = known(assoc, "CFAssociation", drop=())
        if not isinstance(ident, str) or not ident:
            kept["identifier"] = str(uuid.uuid5(MISSING_IDS, f"{self.doc_id}/{index}"))
        self.mend(kept, where)
        if assoc.get("associationType") != "isChildOf":
            return kept  # not used: kept as it is
        origin, destination = (
            self.node(assoc, key, where) for key in ("originNodeURI", "destinationNodeURI")
        )
        if origin is None or destination is None:
            return None
        if origin not in items:
            self.report.error(f"{where}: its origin {origin} is not a CFItem of the package.")
            return None
        if destination != self.doc_id and destination not in items:
            self.report.error(
                f"{where}: it points at {destination}, which is neither the CFDocument "
                "nor a CFItem of the package."
            )
            return None
        return kept

    def mend(self, assoc: dict, where: str) -> None:
        """
        What an early package writes in a way no CASE schema allows, the export writes as
        CASE does: a sequenceNumber "2" as the number 2; a link whose uri is null gets the
        urn:uuid: URI of its identifier, as an object without a URI does on export.
        """
        number = assoc.get("sequenceNumber")
        if isinstance(number, str) and number.strip().isdigit():
            assoc["sequenceNumber"] = int(number)
            self.strings_as_numbers.append(f"{where}, sequenceNumber")
        for key in LINKS:
            link = assoc.get(key)
            if (
                isinstance(link, dict)
                and isinstance(link.get("identifier"), str)
                and not link.get("uri")
            ):
                assoc[key] = {**link, "uri": uuid_uri(link["identifier"])}
                self.links_without_uri += 1

    def order(self, assoc: dict, item: dict, index: int) -> tuple:
        """By sequenceNumber; without one, by code in natural order, then file order."""
        number = self.number(assoc, "sequenceNumber", f"CFAssociation {assoc['identifier']}")
        if number is not None:
            return (0, number, [], index)
        return (1, 0, natural_key(str(item.get("humanCodingScheme") or "")), index)

    def children(self, items, parents) -> dict[str | None, list[str]] | None:
        for ident in items:
            if ident not in parents:
                self.report.warn(f"CFItem {ident} has no isChildOf association; put at the top.")
                parents[ident] = (None, (2, 0, [], len(parents)))
        if self.cycle(parents):
            return None
        children: dict[str | None, list[str]] = {}
        for ident in sorted(parents, key=lambda i: parents[i][1]):
            children.setdefault(parents[ident][0], []).append(ident)
        return children

    def node(self, assoc: dict, key: str, where: str) -> str | None:
        node = assoc.get(key)
        if not isinstance(node, dict) or not isinstance(node.get("identifier"), str):
            self.report.error(f"{where}, {key}: expected an object with an identifier.")
            return None
        return node["identifier"]

    def cycle(self, parents: dict) -> bool:
        for start in parents:
            path, ident = [], start
            while ident is not None:
                if ident in path:
                    loop = " → ".join([*path[path.index(ident) :], ident])
                    self.report.error(f"The isChildOf associations form a cycle: {loop}.")
                    return True
                path.append(ident)
                ident = parents[ident][0]
        return False

    # ------------------------------------------------------------------ parts by depth

    def rateable_depth(self, items, tree, chosen: int | None) -> int:
        """
        The depth of the competencies: the one chosen; else that of the portal's own
        competencies; else that of most items the rubrics describe; else 2 (1 when flat).
        """
        depths, stack = {}, [(top, 1) for top in tree.get(None, [])]
        while stack:
            ident, depth = stack.pop()
            depths[ident] = depth
            stack += [(child, depth + 1) for child in tree.get(ident, [])]
        deepest = max(depths.values(), default=1)
        portal = {depths[i] for i, item in items.items() if item.get("CFItemType") == "Competency"}
        rated = Counter(depths[i] for i in self.rubric_items() if i in depths)
        if chosen:
            depth = chosen
        elif len(portal) == 1:
            depth = portal.pop()
        else:
            depth = rated.most_common(1)[0][0] if rated else min(2, deepest)
        self.report.info.append(
            f"Competencies (rated) are the items at depth {depth} of {deepest}"
            f"{' (chosen)' if chosen else ''}: the items above are domains and groups, "
            "those below indicators. Choose another depth with --competency-depth."
        )
        return depth

    def rubric_items(self) -> list[str]:
        """The identifiers of the items that rubric criteria point at."""
        return [
            criterion["CFItemURI"].get("identifier")
            for rubric in self.package.get("CFRubrics", [])
            if isinstance(rubric, dict) and isinstance(rubric.get("CFRubricCriteria"), list)
            for criterion in rubric["CFRubricCriteria"]
            if isinstance(criterion, dict) and isinstance(criterion.get("CFItemURI"), dict)
        ]

    def parts(self, fd, items, tree, chosen) -> dict[str, Competency]:
        """Domains, groups, competencies and indicators; the competency per identifier."""
        self.items_by_id, self.tree_of = items, tree
        depth = self.rateable_depth(items, tree, chosen)
        competencies: dict[str, Competency] = {}
        loose = Domain(
            code="",
            title=fd.title,
            origin=Origin("CFDocument"),
            case=Case(fields={"generated": True}),
        )
        stack = [(ident, None, 1, position) for position, ident in enumerate(tree.get(None, []), 1)]
        stack.reverse()
        while stack:
            ident, parent, level, position = stack.pop()
            if level < depth and tree.get(ident):
                domain = self.domain(ident, parent, position)
                fd.domains.append(domain)
                kids = [(c, domain, level + 1, p) for p, c in enumerate(tree[ident], 1)]
                stack += reversed(kids)
            else:
                competencies[ident] = self.competency(ident, parent, position)
                (parent or loose).competencies.append(competencies[ident])
        if loose.competencies:
            loose.code = self.unique("GEN", repeated=False)
            fd.domains.append(loose)
            self.report.warn(
                f"{len(loose.competencies)} competencies are at the top of the tree; they are "
                f"held by a domain {loose.code} named after the document (not exported)."
            )
        return competencies

    def unique(self, code: str, *, repeated: bool = True) -> str:
        """``code``, or ``code #2``, ``code #3``… when it is taken: the portal's key."""
        found, number = code, 1
        while found in self.taken_codes:
            number += 1
            found = f"{code} #{number}"
        if number > 1 and repeated:
            self.repeated[code] += 1
        self.taken_codes.add(found)
        return found

    def code(self, item, ident, parent, position) -> str:
        code = self.text(item, "humanCodingScheme", f"CFItem {ident}")
        if not code:
            code = f"{parent.code if parent else 'D'}.{position}"
            self.generated.append(f"CFItem {ident} → {code}")
        return self.unique(code)

    def case(self, ident: str) -> Case:
        item = self.items_by_id[ident]
        fields = known(item, "CFItem")
        if isinstance(fields.get("extensions"), dict):
            fields["extensions"] = {k: v for k, v in fields["extensions"].items() if k != EXTENSION}
        kept = {"item": fields}
        if ident in self.edges:
            kept["isChildOf"] = self.edges[ident]
        return Case(ident, self.text(item, "uri", f"CFItem {ident}"), kept)

    def domain(self, ident, parent: Domain | None, position) -> Domain:
        item = self.items_by_id[ident]
        title = self.title(item, ident)
        statement = self.text(item, "fullStatement", f"CFItem {ident}")
        return Domain(
            code=self.code(item, ident, parent, position),
            title=title,
            description="" if statement == title else statement,
            parent=parent.code if parent else "",
            case=self.case(ident),
            origin=Origin(f"CFItem {ident}", ITEM_COLUMNS),
        )

    def competency(self, ident, domain: Domain | None, position) -> Competency:
        item = self.items_by_id[ident]
        where = f"CFItem {ident}"
        extension = self.extension(item, where)
        return Competency(
            code=self.code(item, ident, domain, position),
            title=self.title(item, ident),
            description=self.text(item, "fullStatement", where),
            why_it_matters=self.text(item, "notes", where),
            source_note=self.text(extension, "sourceNote", where),
            resources=[
                Resource(
                    publisher=self.text(r, "publisher", where),
                    title=self.text(r, "title", where),
                    url=self.text(r, "url", where),
                    note=self.text(r, "note", where),
                    origin=Origin(f"{where}, extensions.{EXTENSION}.resources"),
                )
                for r in self.list_of_objects(extension, "resources", where)
            ],
            crosswalk=[
                Crosswalk(
                    scheme=self.text(x, "scheme", where),
                    code=self.text(x, "code", where),
                    title=self.text(x, "title", where),
                    origin=Origin(f"{where}, extensions.{EXTENSION}.crosswalk"),
                )
                for x in self.list_of_objects(extension, "crosswalk", where)
            ],
            indicators=self.indicators(ident),
            case=self.case(ident),
            origin=Origin(where, ITEM_COLUMNS),
        )

    def indicators(self, parent: str) -> list[Indicator]:
        found = []
        for ident in self.tree_of.get(parent, []):
            item, where = self.items_by_id[ident], f"CFItem {ident}"
            found.append(
                Indicator(
                    code=self.text(item, "humanCodingScheme", where),
                    statement=self.text(item, "fullStatement", where),
                    notes=self.text(item, "notes", where),
                    children=self.indicators(ident),
                    case=self.case(ident),
                    origin=Origin(where, {"code": "humanCodingScheme"}),
                )
            )
        return found

    def list_of_objects(self, obj: dict, key: str, where: str) -> list[dict]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report.error(f"{where}, extensions.{EXTENSION}.{key}: expected a list of objects.")
            return []
        return value

    def title(self, item, ident) -> str:
        where = f"CFItem {ident}"
        title = self.text(item, "abbreviatedStatement", where)
        if title:
            return title
        statement = self.text(item, "fullStatement", where)
        if short_title(statement) != statement:
            self.report.warn(
                f"{where}: no abbreviatedStatement; the title is the fullStatement shortened "
                f"to {len(short_title(statement))} characters."
            )
        return short_title(statement)

    def targets(self, fd: FrameworkData, items, competencies: dict[str, Competency]) -> None:
        roles = {r.code: r for r in fd.roles}
        for ident, competency in competencies.items():
            where = f"CFItem {ident}"
            extension = self.extension(items[ident], where)
            for t in self.list_of_objects(extension, "targets", where):
                origin = Origin(f"{where}, extensions.{EXTENSION}.targets", {"competency": "role"})
                role_code = self.text(t, "role", where)
                level = self.number(t, "level", f"{where}, targets")
                if role_code not in roles:
                    self.report.error(f"{origin.label}: there is no role {role_code!r}.")
                elif level is None or level != int(level):
                    self.report.error(f"{origin.label}: the target of {role_code} has no level.")
                else:
                    roles[role_code].targets.append(
                        Target(
                            competency=competency.code,
                            level=int(level),
                            importance=self.text(t, "importance", where),
                            origin=origin,
                        )
                    )

    # ------------------------------------------------------------------ rubrics

    def rubrics(self, fd: FrameworkData, items, competencies: dict[str, Competency]) -> None:
        """The scale and the competencies' descriptors from the criterion levels."""
        found = []  # (competency or None, score, quality, description, origin)
        for rubric in self.objects("CFRubrics", "CFRubric"):
            where = f"CFRubric {rubric.get('identifier')}"
            self.check_keys(rubric, "CFRubric", where)
            for criterion in self.objects("CFRubricCriteria", "CFRubricCriterion", rubric, where):
                found += self.criterion(criterion, items, competencies)
        values = self.scale_values(sorted({score for _, score, *_ in found}))
        if values is None:
            return
        scale = {values[s]: (q, d, o) for c, s, q, d, o in found if c is None}
        names = {values[s]: q for c, s, q, _, _ in found if c is not None}
        for competency, score, _, text, origin in found:
            if competency is not None:
                competency.descriptors.append(Descriptor(values[score], text, origin))
        if scale:
            fd.levels = [
                Level(v, q or f"Level {v}", d or q, o) for v, (q, d, o) in sorted(scale.items())
            ]
        elif names:
            fd.levels = [
                Level(v, q or f"Level {v}", q or f"Level {v}", Origin("CFRubrics"))
                for v, q in sorted(names.items())
            ]
            self.report.warn(
                "The rubrics give no scale of their own (a criterion without CFItemURI); "
                "the scale was made from the criterion levels' quality and score, with the "
                "level names as descriptions."
            )
        else:
            fd.levels = [Level(v, n, d, Origin("default scale")) for v, n, d in DEFAULT_SCALE]
            self.report.warn(
                ("No rubric" if not self.rubric_items() else "No rubric describes a competency")
                + ": the default 0–5 scale is used and no level descriptors."
            )

    def scale_values(self, scores: list) -> dict | None:
        """Score → level of the scale: the score itself when whole and 0–10, else its rank."""
        if all(s == int(s) and 0 <= s <= MAX_LEVEL for s in scores):
            return {s: int(s) for s in scores}
        if len(scores) > MAX_LEVEL + 1:
            self.report.error(
                f"The rubrics use {len(scores)} different scores; a scale has at most "
                f"{MAX_LEVEL + 1} levels."
            )
            return None
        self.report.warn(
            "The rubric scores are not whole numbers from 0 to 10; they are kept in order as "
            f"levels {', '.join(f'{s} → {n}' for n, s in enumerate(scores))} (the export keeps "
            "the scores)."
        )
        return {s: n for n, s in enumerate(scores)}

    def criterion(self, criterion, items, competencies) -> list[tuple]:
        where = f"CFRubricCriterion {criterion.get('identifier')}"
        self.check_keys(criterion, "CFRubricCriterion", where)
        link = criterion.get("CFItemURI")
        competency = None
        if link is not None:
            target = link.get("identifier") if isinstance(link, dict) else None
            if target not in competencies:
                self.report.warn(
                    f"{where}: CFItem {target} is not a competency (a domain, an indicator or "
                    "not in the package); the criterion is kept and exported, not rated."
                )
                return []
            competency = competencies[target]
        found = []
        levels = self.objects("CFRubricCriterionLevels", "CFRubricCriterionLevel", criterion, where)
        for level in levels:
            level_where = f"CFRubricCriterionLevel {level.get('identifier')}"
            self.check_keys(level, "CFRubricCriterionLevel", level_where)
            score = self.number(level, "score", level_where)
            if score is None and "score" not in level:
                score = self.number(level, "position", level_where)
                if score is not None:
                    self.report.warn(f"{level_where}: no score; its position {score} is used.")
            if score is None:
                self.report.error(f"{level_where}: it has no score, so its level is unknown.")
                continue
            quality = self.text(level, "quality", level_where)
            description = self.text(level, "description", level_where) or quality
            origin = Origin(level_where, {"value": "score", "level": "score", "name": "quality"})
            found.append((competency, score, quality, description, origin))
        return found
