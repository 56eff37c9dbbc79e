"""
A framework as plain data, independent of the database and of any file format.

Readers build these from a file, ``store`` builds them from the database and writes them
back, exporters turn them into files. Each part remembers where it came from (``Origin``)
so that a problem can be reported as "row 12, column title" or "CFItem <identifier>".
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    # Where the part was read, e.g. "row 12" or "CFItem 6f1c…".
    label: str = ""
    # Model field name → the name of the column or key it was read from.
    columns: dict[str, str] = field(default_factory=dict, compare=False)

    def at(self, field_name: str = "") -> str:
        """The place of one field, e.g. "row 12, column title"."""
        column = self.columns.get(field_name)
        return f"{self.label}, {column}" if column else self.label


@dataclass
class Case:
    """
    A part's CASE identity: the source identifier and URI and the source object's other
    fields (``models.CaseIdentity``); all empty for what the portal made itself.
    """

    identifier: str = ""
    uri: str = ""
    fields: dict = field(default_factory=dict)


@dataclass
class Indicator:
    """A CASE item below a competency, with the items below it."""

    code: str
    statement: str
    notes: str = ""
    children: list["Indicator"] = field(default_factory=list)
    case: Case = field(default_factory=Case)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Level:
    value: int
    name: str
    description: str
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Descriptor:
    level: int
    text: str
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Resource:
    publisher: str
    title: str
    url: str = ""
    note: str = ""
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Crosswalk:
    scheme: str
    code: str
    title: str
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Lineage:
    """
    The competency of an earlier version this one continues (``models.CompetencyLineage``),
    with that competency's CASE identity when it is in the database (else all empty).
    """

    version: str
    code: str
    kind: str  # same, split, merged or recoded
    title: str = ""
    case: Case = field(default_factory=Case)


@dataclass
class Competency:
    code: str
    title: str
    description: str
    why_it_matters: str = ""
    source_note: str = ""
    descriptors: list[Descriptor] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    crosswalk: list[Crosswalk] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    lineage: list[Lineage] = field(default_factory=list)
    case: Case = field(default_factory=Case)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Domain:
    code: str
    title: str
    description: str = ""
    competencies: list[Competency] = field(default_factory=list)
    # The code of the domain this one is a group of ("" for a domain at the top); domains
    # are listed parents first.
    parent: str = ""
    case: Case = field(default_factory=Case)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Target:
    competency: str  # the competency's code
    level: int
    importance: str
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class Role:
    code: str
    title: str
    description: str = ""
    targets: list[Target] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin, compare=False)


@dataclass
class FrameworkData:
    slug: str
    version: str
    title: str
    description: str = ""
    source: str = ""
    levels: list[Level] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    # The CFDocument's identity; its ``fields`` also keep what the package holds beyond
    # the tree: CFDefinitions, CFRubrics, associations other than the tree's isChildOf.
    case: Case = field(default_factory=Case)
    origin: Origin = field(default_factory=Origin, compare=False)

    def competencies(self) -> list[Competency]:
        return [c for domain in self.domains for c in domain.competencies]


@dataclass
class Report:
    """What a reader or the validation found: warnings are accepted, errors refuse the file."""

    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What the reader chose and the person may want to know (e.g. the rateable depth).
    info: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


class Refused(Exception):
    """A file that cannot be read at all (not JSON, too big, …); the message says why."""
