"""
The portal's CSV format: one table, one row per part of the framework, told apart by the
``kind`` column. ``FIELDS`` says which column carries which field for each kind; the
reader and the writer both follow it, and ``docs/interchange.md`` documents it.

Cells that a spreadsheet would run as a formula (``frameworks.spreadsheet``) are written
with a leading apostrophe, which the reader removes again.
"""

import csv
import io

from ..spreadsheet import is_formula_like
from . import data
from .data import Refused, Report
from .safe_json import decode_text

COLUMNS = [
    "kind", "parent", "code", "version", "level", "importance",
    "title", "text", "note", "source", "url",
]  # fmt: skip
# kind → {field: column}. Rows of a kind use only these columns.
FIELDS = {
    "framework": {
        "slug": "code", "version": "version", "title": "title",
        "description": "text", "source": "source",
    },
    "level": {"value": "level", "name": "title", "description": "text"},
    "role": {"code": "code", "title": "title", "description": "text"},
    "domain": {"code": "code", "title": "title", "description": "text", "parent": "parent"},
    "competency": {
        "domain": "parent", "code": "code", "title": "title", "description": "text",
        "why_it_matters": "note", "source_note": "source",
    },
    "descriptor": {"competency": "parent", "level": "level", "text": "text"},
    "target": {"role": "parent", "competency": "code", "level": "level", "importance": "importance"},
    "resource": {
        "competency": "parent", "title": "title", "publisher": "source", "url": "url",
        "note": "note",
    },
    "crosswalk": {"competency": "parent", "code": "code", "title": "title", "scheme": "source"},
}  # fmt: skip
WHOLE_NUMBERS = {"value", "level"}
REFERENCES = {"domain", "competency", "role"}


def write(fd: data.FrameworkData) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)

    def row(kind, **values):
        cells = {"kind": kind} | {FIELDS[kind][name]: value for name, value in values.items()}
        writer.writerow([_protect(cells.get(column, "")) for column in COLUMNS])

    row(
        "framework",
        slug=fd.slug,
        version=fd.version,
        title=fd.title,
        description=fd.description,
        source=fd.source,
    )
    for lv in fd.levels:
        row("level", value=lv.value, name=lv.name, description=lv.description)
    for r in fd.roles:
        row("role", code=r.code, title=r.title, description=r.description)
    targets = {}
    for r in fd.roles:
        for t in r.targets:
            targets.setdefault(t.competency, []).append((r.code, t))
    for d in fd.domains:
        row("domain", code=d.code, title=d.title, description=d.description, parent=d.parent)
        for c in d.competencies:
            _competency_rows(row, d.code, c, targets.get(c.code, []))
    return out.getvalue()


def _competency_rows(row, domain: str, c, targets: list) -> None:
    """A competency's row, then those of its descriptors, targets, resources, crosswalk."""
    row(
        "competency",
        domain=domain,
        code=c.code,
        title=c.title,
        description=c.description,
        why_it_matters=c.why_it_matters,
        source_note=c.source_note,
    )
    for x in c.descriptors:
        row("descriptor", competency=c.code, level=x.level, text=x.text)
    for role, t in targets:
        row("target", role=role, competency=c.code, level=t.level, importance=t.importance)
    for res in c.resources:
        row(
            "resource",
            competency=c.code,
            title=res.title,
            publisher=res.publisher,
            url=res.url,
            note=res.note,
        )
    for x in c.crosswalk:
        row("crosswalk", competency=c.code, code=x.code, title=x.title, scheme=x.scheme)


def _protect(value) -> str:
    text = str(value)
    # A text that starts with the apostrophe itself gets one too, so reading is lossless.
    return f"'{text}" if is_formula_like(text) or text.startswith("'") else text


def _unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def read(content: bytes, report: Report) -> data.FrameworkData | None:
    """The framework in a CSV file, or None when ``report`` has errors."""
    text = decode_text(content)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise Refused(f"The file is not readable as CSV: {error}.") from None
    if not rows:
        raise Refused("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Refused(
            f"Row 1 (the header) lacks the column(s) {', '.join(missing)}; "
            f"the format has {', '.join(COLUMNS)}."
        )
    for extra in (c for c in header if c not in COLUMNS):
        report.warn(f"Row 1: the unknown column {extra!r} is ignored.")

    parts: dict[str, list[tuple[dict, data.Origin]]] = {kind: [] for kind in FIELDS}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        record = dict(zip(header, (_unprotect(c.strip()) for c in cells), strict=False))
        kind = record.get("kind", "").lower()
        if kind not in FIELDS:
            report.error(f"row {number}, column kind: {kind!r} is not one of {', '.join(FIELDS)}.")
            continue
        origin = data.Origin(
            f"row {number}", {name: f"column {col}" for name, col in FIELDS[kind].items()}
        )
        values = {name: record.get(column, "") for name, column in FIELDS[kind].items()}
        if _convert(values, origin, report):
            parts[kind].append((values, origin))
    return _assemble(parts, report)


def _convert(values: dict, origin: data.Origin, report: Report) -> bool:
    """Whole numbers to int, and references that must not be empty; False on an error."""
    ok = True
    for name in WHOLE_NUMBERS & values.keys():
        try:
            values[name] = int(values[name])
        except ValueError:
            report.error(f"{origin.at(name)}: {values[name]!r} is not a whole number.")
            ok = False
    for name in REFERENCES & values.keys():
        if not values[name]:
            report.error(f"{origin.at(name)}: the {name} code is empty.")
            ok = False
    return ok


def _assemble(parts, report: Report) -> data.FrameworkData | None:
    frameworks = parts["framework"]
    if len(frameworks) != 1:
        extra = f" (rows {', '.join(o.label[4:] for _, o in frameworks)})" if frameworks else ""
        report.error(f"The file needs exactly one framework row; it has {len(frameworks)}{extra}.")
        return None
    values, origin = frameworks[0]
    fd = data.FrameworkData(**values, origin=origin)
    fd.levels = [data.Level(**v, origin=o) for v, o in parts["level"]]
    fd.roles = [data.Role(**v, origin=o) for v, o in parts["role"]]
    fd.domains = [data.Domain(**v, origin=o) for v, o in parts["domain"]]

    domains = {d.code: d for d in reversed(fd.domains)}
    competencies = {}
    for values, origin in parts["competency"]:
        domain = _parent(domains, values.pop("domain"), "domain", origin, report)
        if domain:
            competency = data.Competency(**values, origin=origin)
            domain.competencies.append(competency)
            competencies.setdefault(competency.code, competency)
    roles = {r.code: r for r in reversed(fd.roles)}
    for values, origin in parts["target"]:
        role = _parent(roles, values.pop("role"), "role", origin, report)
        if role:
            role.targets.append(data.Target(**values, origin=origin))
    for kind, cls, attribute in (
        ("descriptor", data.Descriptor, "descriptors"),
        ("resource", data.Resource, "resources"),
        ("crosswalk", data.Crosswalk, "crosswalk"),
    ):
        for values, origin in parts[kind]:
            competency = _parent(
                competencies, values.pop("competency"), "competency", origin, report
            )
            if competency:
                getattr(competency, attribute).append(cls(**values, origin=origin))
    return None if report.errors else fd


def _parent(known: dict, code: str, what: str, origin: data.Origin, report: Report):
    if code not in known:
        report.error(f"{origin.at(what)}: there is no {what} with the code {code!r}.")
    return known.get(code)
