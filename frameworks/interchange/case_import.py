"""
A 1EdTech CASE 1.0/1.1 JSON package read into plain data.

The isChildOf tree becomes domains (items at the top) and competencies (their children);
deeper items are folded into their competency's description. humanCodingScheme gives the
codes, CFRubrics the scale and the level descriptors (a default 0–5 scale when there is
no rubric), and ``extensions.skillsPortal`` what the portal's own export adds (see
``case_export``). What real packages often do slightly off the schema is accepted with a
warning; what cannot be mapped is an error naming the identifier.
"""

from collections import Counter

from django.utils.text import slugify

from .case_export import EXTENSION
from .data import (
    Competency,
    Crosswalk,
    Descriptor,
    Domain,
    FrameworkData,
    Level,
    Origin,
    Refused,
    Report,
    Resource,
    Role,
    Target,
)
from .safe_json import load_json

# The properties of the v1.0 schema, and those that CASE 1.1 adds, per object.
KNOWN_KEYS = {
    "package": {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"},
    "CFDefinitions": {
        "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings",
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
TITLE_LENGTH = 200
ITEM_COLUMNS = {
    "code": "humanCodingScheme",
    "title": "abbreviatedStatement",
    "description": "fullStatement",
    "why_it_matters": "notes",
}


def read(content: bytes, report: Report, *, slug: str | None = None) -> FrameworkData | None:
    """The framework in a CASE package, or None when ``report`` has errors."""
    package = load_json(content)
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise Refused("This is JSON but not a CASE package: it has no CFDocument object.")
    reader = _Reader(package, report)
    fd = reader.framework(slug)
    reader.report_deviations()
    return None if report.errors else fd


class _Reader:
    def __init__(self, package: dict, report: Report):
        self.package = package
        self.report = report
        self.unknown = Counter()  # (object kind, key) → count
        self.first_unknown = {}
        self.missing = Counter()  # (object kind, key) → count
        self.strings_as_numbers = []
        self.check_keys(package, "package", "the package")

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
                f"{self.first_unknown[kind, key]}); ignored."
            )
        for (kind, key), count in sorted(self.missing.items()):
            self.report.warn(
                f"{count} {kind} object(s) lack {key!r}, which the CASE schema requires; "
                "not needed for the import."
            )
        for where in self.strings_as_numbers[:20]:
            self.report.warn(f"{where}: a number written as a string; read as a number.")
        if len(self.strings_as_numbers) > 20:
            self.report.warn(
                f"… and {len(self.strings_as_numbers) - 20} more numbers written as strings."
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

    def number(self, obj: dict, key: str, where: str) -> int | None:
        """A whole number; None when absent or not one (an error is reported then)."""
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
        if value != int(value):
            self.report.error(f"{where}, {key}: {value} is not a whole number.")
            return None
        return int(value)

    def objects(self, key: str, kind: str) -> list[dict]:
        value = self.package.get(key, [])
        if not isinstance(value, list):
            self.report.error(f"{key} must be a list of {kind} objects.")
            return []
        found = []
        for index, obj in enumerate(value):
            if isinstance(obj, dict):
                found.append(obj)
            else:
                self.report.error(f"{key}[{index}] is not a {kind} object.")
        return found

    # ------------------------------------------------------------------ the framework

    def framework(self, slug: str | None) -> FrameworkData | None:
        document = self.package["CFDocument"]
        where = "CFDocument"
        self.check_keys(document, "CFDocument", where)
        extension = self.extension(document, where)
        self.definitions()
        title = self.text(document, "title", where)
        slug = slug or self.text(extension, "slug", where) or slugify(title)[:64]
        version = self.text(document, "version", where)
        if not version:
            self.report.warn("CFDocument has no version; the version label 1 is used.")
        fd = FrameworkData(
            slug=slug,
            version=version or "1",
            title=title,
            description=self.text(document, "description", where),
            source=self.text(document, "notes", where) or self.source_line(document, where),
            origin=Origin(where, {"title": "title", "slug": "slug", "version": "version"}),
        )
        fd.roles = self.roles(extension)
        items = self.items(document)
        tree = self.tree(items, document.get("identifier"))
        if tree is None:
            return fd
        competencies = self.domains(fd, items, tree)
        self.targets(fd, items, competencies)
        self.rubrics(fd, items, competencies)
        return fd

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

    def definitions(self) -> None:
        """CFDefinitions are not needed (item types come from each CFItem); only checked."""
        value = self.package.get("CFDefinitions")
        if value is None or value == []:
            return
        if value == {}:
            self.report.warn("CFDefinitions is an empty object; ignored.")
        elif isinstance(value, dict):
            self.check_keys(value, "CFDefinitions", "CFDefinitions")
        else:
            self.report.warn(
                "CFDefinitions is neither an object nor an empty list, as the schema asks; ignored."
            )

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

    def items(self, document: dict) -> dict[str, dict]:
        items: dict[str, dict] = {}
        seen_at = {document.get("identifier"): "the CFDocument"}
        for index, item in enumerate(self.objects("CFItems", "CFItem")):
            ident = item.get("identifier")
            where = f"CFItem {ident}" if isinstance(ident, str) else f"CFItems[{index}]"
            if not isinstance(ident, str) or not ident.strip():
                self.report.error(f"{where}: it has no identifier.")
                continue
            if ident in seen_at:
                self.report.error(
                    f"{where}: the identifier is used twice (also by {seen_at[ident]})."
                )
                continue
            seen_at[ident] = f"CFItems[{index}]"
            self.check_keys(item, "CFItem", where)
            if not self.text(item, "fullStatement", where):
                self.report.error(f"{where}: it has no fullStatement, so it cannot be mapped.")
                continue
            items[ident] = item
        return items

    def tree(self, items: dict[str, dict], document_id) -> dict[str | None, list[str]] | None:
        """Children per parent identifier (None: the top); None when the tree is broken."""
        parents: dict[str, tuple[str | None, int]] = {}
        seen = set()
        ignored = Counter()
        for index, assoc in enumerate(self.objects("CFAssociations", "CFAssociation")):
            ident = assoc.get("identifier")
            where = (
                f"CFAssociation {ident}" if isinstance(ident, str) else f"CFAssociations[{index}]"
            )
            self.check_keys(assoc, "CFAssociation", where)
            if isinstance(ident, str):
                if ident in seen or ident in items:
                    self.report.error(f"{where}: the identifier is used twice.")
                seen.add(ident)
            kind = assoc.get("associationType")
            if kind != "isChildOf":
                ignored[str(kind)] += 1
                continue
            origin, destination = (
                self.node(assoc, key, where) for key in ("originNodeURI", "destinationNodeURI")
            )
            if origin is None or destination is None:
                continue
            if origin not in items:
                self.report.error(f"{where}: its origin {origin} is not a CFItem of the package.")
                continue
            if destination != document_id and destination not in items:
                self.report.error(
                    f"{where}: it points at {destination}, which is neither the CFDocument "
                    "nor a CFItem of the package."
                )
                continue
            order = self.number(assoc, "sequenceNumber", where)
            parent = None if destination == document_id else destination
            if origin in parents:
                self.report.warn(
                    f"CFItem {origin} is the child of more than one item; the first is used."
                )
                continue
            parents[origin] = (parent, order if order is not None else index)
        for kind, count in sorted(ignored.items()):
            self.report.warn(f"{count} association(s) of type {kind} are not used by the import.")
        if self.report.errors:
            return None
        for ident in items:
            if ident not in parents:
                self.report.warn(f"CFItem {ident} has no isChildOf association; put at the top.")
                parents[ident] = (None, len(parents))
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

    def domains(self, fd: FrameworkData, items, tree) -> dict[str, Competency]:
        """Domains and competencies from the tree; competency per item identifier."""
        competencies: dict[str, Competency] = {}
        loose = Domain(code="GEN", title=fd.title, origin=Origin("CFDocument"))
        generated = []
        for d_index, top in enumerate(tree.get(None, []), start=1):
            item = items[top]
            if not tree.get(top):
                loose.competencies.append(self.competency(items, tree, top, "GEN", 0, generated))
                competencies[top] = loose.competencies[-1]
                continue
            domain = Domain(
                code=self.code(item, top, f"D{d_index}", generated),
                title=self.title(item, top),
                origin=Origin(f"CFItem {top}", ITEM_COLUMNS),
            )
            statement = self.text(item, "fullStatement", f"CFItem {top}")
            domain.description = "" if statement == domain.title else statement
            for c_index, child in enumerate(tree[top], start=1):
                competency = self.competency(items, tree, child, domain.code, c_index, generated)
                domain.competencies.append(competency)
                competencies[child] = competency
            fd.domains.append(domain)
        if loose.competencies:
            self.report.warn(
                f"{len(loose.competencies)} top-level CFItem(s) have no children; they are "
                "competencies of one domain GEN named after the document."
            )
            fd.domains.append(loose)
        if generated:
            self.report.warn(
                f"{len(generated)} CFItem(s) have no humanCodingScheme; codes were made from "
                f"their place (first: {generated[0]})."
            )
        return competencies

    def competency(self, items, tree, ident, domain_code, index, generated) -> Competency:
        item = items[ident]
        where = f"CFItem {ident}"
        extension = self.extension(item, where)
        code = self.code(item, ident, f"{domain_code}.{index}", generated)
        description = self.text(item, "fullStatement", where)
        folded = self.folded(items, tree, ident, depth=1)
        if folded:
            description = "\n".join([description, "", *folded])
            self.report.warn(
                f"{where} ({code}): {len(folded)} deeper item(s) folded into the competency "
                "description."
            )
        return Competency(
            code=code,
            title=self.title(item, ident),
            description=description,
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
            origin=Origin(where, ITEM_COLUMNS),
        )

    def list_of_objects(self, obj: dict, key: str, where: str) -> list[dict]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report.error(f"{where}, extensions.{EXTENSION}.{key}: expected a list of objects.")
            return []
        return value

    def folded(self, items, tree, ident, depth) -> list[str]:
        lines = []
        for child in tree.get(ident, []):
            item = items[child]
            where = f"CFItem {child}"
            code = self.text(item, "humanCodingScheme", where)
            statement = self.text(item, "fullStatement", where)
            lines.append(f"{'  ' * (depth - 1)}- {code + ' ' if code else ''}{statement}")
            lines += self.folded(items, tree, child, depth + 1)
        return lines

    def code(self, item, ident, fallback, generated) -> str:
        code = self.text(item, "humanCodingScheme", f"CFItem {ident}")
        if not code:
            generated.append(f"CFItem {ident} → {fallback}")
        return code or fallback

    def title(self, item, ident) -> str:
        where = f"CFItem {ident}"
        title = self.text(item, "abbreviatedStatement", where)
        if title:
            return title
        statement = self.text(item, "fullStatement", where)
        if len(statement) > TITLE_LENGTH:
            self.report.warn(
                f"{where}: no abbreviatedStatement; the title is the fullStatement shortened "
                f"to {TITLE_LENGTH} characters."
            )
            return statement[: TITLE_LENGTH - 1].rstrip() + "…"
        return statement

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
                elif level is None:
                    self.report.error(f"{origin.label}: the target of {role_code} has no level.")
                else:
                    roles[role_code].targets.append(
                        Target(
                            competency=competency.code,
                            level=level,
                            importance=self.text(t, "importance", where),
                            origin=origin,
                        )
                    )

    # ------------------------------------------------------------------ rubrics

    def rubrics(self, fd: FrameworkData, items, competencies: dict[str, Competency]) -> None:
        scale: dict[int, Level] = {}
        qualities: dict[int, str] = {}
        rubrics = self.objects("CFRubrics", "CFRubric")
        for rubric in rubrics:
            where = f"CFRubric {rubric.get('identifier')}"
            self.check_keys(rubric, "CFRubric", where)
            for criterion in self.nested(rubric, "CFRubricCriteria", where):
                self.criterion(criterion, items, competencies, scale, qualities)
        if scale:
            fd.levels = [scale[value] for value in sorted(scale)]
        elif qualities:
            fd.levels = [
                Level(value=v, name=name, description=name, origin=Origin("CFRubrics"))
                for v, name in sorted(qualities.items())
            ]
            self.report.warn(
                "The rubrics give no scale of their own (a criterion without CFItemURI); "
                "the scale was made from the criterion levels' quality and score, with the "
                "level names as descriptions."
            )
        else:
            fd.levels = [
                Level(value=v, name=n, description=d, origin=Origin("default scale"))
                for v, n, d in DEFAULT_SCALE
            ]
            self.report.warn("No rubric: the default 0–5 scale is used and no level descriptors.")

    def nested(self, obj: dict, key: str, where: str) -> list[dict]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report.error(f"{where}, {key}: expected a list of objects.")
            return []
        return value

    def criterion(self, criterion, items, competencies, scale, qualities) -> None:
        where = f"CFRubricCriterion {criterion.get('identifier')}"
        self.check_keys(criterion, "CFRubricCriterion", where)
        link = criterion.get("CFItemURI")
        target = None
        if link is not None:
            target = link.get("identifier") if isinstance(link, dict) else None
            if target not in items:
                self.report.error(
                    f"{where}: its CFItemURI points at {target}, not a CFItem of the package."
                )
                return
            if target not in competencies:
                self.report.warn(
                    f"{where}: CFItem {target} is not a competency (a domain or a folded item); "
                    "its levels are not used."
                )
                return
        for level in self.nested(criterion, "CFRubricCriterionLevels", where):
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
            description = self.text(level, "description", level_where)
            origin = Origin(level_where, {"value": "score", "level": "score", "name": "quality"})
            if target is None:
                scale.setdefault(
                    score,
                    Level(
                        value=score,
                        name=quality or f"Level {score}",
                        description=description or quality,
                        origin=origin,
                    ),
                )
            else:
                qualities.setdefault(score, quality or f"Level {score}")
                competencies[target].descriptors.append(
                    Descriptor(level=score, text=description or quality, origin=origin)
                )
