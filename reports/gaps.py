"""
Gap arithmetic: pure functions over small frozen dataclasses, no ORM and no Django.

The definitions, for one competency (gap, priority and the weights in ``frameworks.priority``)::

    gap      = max(0, target − rating)
    surplus  = max(0, rating − target)
    priority = gap × weight(importance)        essential 3, important 2, helpful 1

and over a domain, the whole framework or a team::

    readiness = Σ min(rating, target) / Σ target, as a percentage

with the mean rating beside the mean target. Self ratings and reviewer ratings give the
same figures side by side; reviewer ratings are never averaged into self ratings. Team
and district figures count one level per competency, chosen by the report's basis
(``reports.basis``), as the lines' ``basis_rating`` (the side ``"basis"``).

Decisions, stated once here:

- **Unrated** (rating ``None``) counts as 0 wherever ratings are summed or compared with a
  target: readiness and team coverage (nothing shown is nothing met). Per competency an
  unrated line has no gap, surplus, priority or change (they are ``None``: a number would
  look like a judgement nobody made), so it is never among the priorities or strengths;
  the mean rating is taken over rated lines only. Every summary counts the unrated lines.
- **Readiness when Σ target = 0** is 100 (there is nothing to reach).
- **Rounding**: every figure that is not a whole number is a ``Decimal`` with one decimal
  place. Percentages are rounded *down*, so readiness is never shown higher than it is and
  100.0 means every target is met; means are rounded half up.
- **Order**: domains by (position, code), competencies by (position, code); results do not
  depend on the order of the input lines.
- **Change across framework versions** (``carried_over``): a competency split from an
  earlier one compares with that one's level; one merged from several compares with the
  highest of their levels, so a merge never shows a gain that was not made.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

# The weights, gap and priority of one competency: defined once, for the rating pages too.
from frameworks.priority import WEIGHTS, gap, priority, priority_order

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Line:
    """One competency of one person's assessment: the input of everything below."""

    domain_code: str
    domain_title: str
    code: str  # competency code; stable across framework versions
    title: str  # competency title
    target: int  # target level of the person's role profile for this competency
    importance: str  # "essential" | "important" | "helpful" for that role
    self_rating: int | None  # None while unrated
    reviewer_rating: int | None = None  # the lead's level, kept apart from the self rating
    # The level a team or district figure counts on its basis (``reports.basis``): the
    # one rating the lines of those reports carry.
    basis_rating: int | None = None
    previous_self_rating: int | None = None  # last cycle, same framework slug (carried_over)
    previous_via: str = ""  # e.g. "split from INF.6" when the change crosses a version change
    domain_position: int = 0  # display order of the domain within the framework
    position: int = 0  # display order of the competency within its domain

    def __post_init__(self):
        if self.importance not in WEIGHTS:
            raise ValueError(f"Unknown importance {self.importance!r} for {self.code}.")
        levels = (
            self.target,
            self.self_rating,
            self.reviewer_rating,
            self.basis_rating,
            self.previous_self_rating,
        )
        if any(level is not None and level < 0 for level in levels):
            raise ValueError(f"Levels cannot be negative ({self.code}).")

    @property
    def weight(self) -> int:
        return WEIGHTS[self.importance]

    def rating(self, side: str) -> int | None:
        """The self or the reviewer rating, or the one a team or district figure counts."""
        if side == "self":
            return self.self_rating
        if side == "reviewer":
            return self.reviewer_rating
        if side == "basis":
            return self.basis_rating
        raise ValueError(f"Unknown side {side!r}.")

    def sort_key(self):
        return (self.domain_position, self.domain_code, self.position, self.code)


@dataclass(frozen=True)
class Figures:
    """One side's figures for one competency; all ``None`` when that side has not rated."""

    rating: int | None  # the level given
    gap: int | None  # max(0, target − rating)
    surplus: int | None  # max(0, rating − target)
    priority: int | None  # gap × importance weight

    @property
    def meets(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class CompetencyResult:
    """One competency of one person, both sides."""

    line: Line  # the input, for codes, titles, target and importance
    self_side: Figures
    reviewer_side: Figures
    change: int | None  # self rating − previous self rating; None if either is missing


@dataclass(frozen=True)
class Readiness:
    """One side's summary over a set of competencies (a domain, everything, a team)."""

    percent: Decimal  # Σ min(rating, target) / Σ target × 100, unrated as 0; 100 if Σ target = 0
    met_points: int  # Σ min(rating, target)
    target_points: int  # Σ target
    mean_rating: Decimal | None  # over rated lines only; None when nothing is rated
    mean_target: Decimal | None  # over all lines; None when there are none
    competencies: int  # lines counted
    unrated: int  # lines without a rating on this side
    gaps: int  # rated lines with gap > 0


@dataclass(frozen=True)
class DomainResult:
    """One domain of one person's report."""

    code: str
    title: str
    competencies: tuple[CompetencyResult, ...]  # in display order
    self_side: Readiness
    reviewer_side: Readiness | None  # None when the reviewer rated nothing in the whole report


@dataclass(frozen=True)
class IndividualReport:
    """Everything one person's report shows in numbers."""

    domains: tuple[DomainResult, ...]
    self_side: Readiness  # over all competencies
    reviewer_side: Readiness | None  # None when there are no reviewer ratings at all
    top_priorities: tuple[CompetencyResult, ...]  # self side, see top_priorities()
    top_strengths: tuple[CompetencyResult, ...]  # self side, see top_strengths()
    reviewer_top_priorities: tuple[CompetencyResult, ...]  # empty without reviewer ratings
    reviewer_top_strengths: tuple[CompetencyResult, ...]

    @property
    def competencies(self) -> tuple[CompetencyResult, ...]:
        return tuple(c for d in self.domains for c in d.competencies)

    @property
    def has_reviewer(self) -> bool:
        return self.reviewer_side is not None


# --- one competency ---------------------------------------------------------------------


def carried_over(
    earlier: dict[str, int | None], lineage: Iterable[tuple[str, str, str]]
) -> dict[str, tuple[int | None, str]]:
    """
    The earlier self levels ``{earlier code: level}`` as {current code: (level, note)},
    through ``lineage`` rows (current code, earlier code, kind). The note names the split,
    merge or recode the comparison crosses ("" for the same competency). A current code
    without a row is new: it has no earlier level.
    """
    sources: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, earlier_code, kind in lineage:
        sources[code].append((earlier_code, kind))
    carried = {}
    for code, rows in sources.items():
        earlier_codes = sorted(earlier_code for earlier_code, _ in rows)
        levels = [earlier[c] for c in earlier_codes if earlier.get(c) is not None]
        kind = rows[0][1]
        note = {
            "split": f"split from {earlier_codes[0]}",
            "merged": f"merged from {', '.join(earlier_codes)}",
            "recoded": f"was {earlier_codes[0]}",
        }.get(kind, "")
        carried[code] = (max(levels) if levels else None, note)
    return carried


def surplus(target: int, rating: int) -> int:
    return max(0, rating - target)


def figures(line: Line, side: str) -> Figures:
    rating = line.rating(side)
    if rating is None:
        return Figures(rating=None, gap=None, surplus=None, priority=None)
    g = gap(line.target, rating)
    return Figures(
        rating=rating,
        gap=g,
        surplus=surplus(line.target, rating),
        priority=priority(g, line.importance),
    )


def competency_result(line: Line) -> CompetencyResult:
    change = None
    if line.self_rating is not None and line.previous_self_rating is not None:
        change = line.self_rating - line.previous_self_rating
    return CompetencyResult(
        line=line,
        self_side=figures(line, "self"),
        reviewer_side=figures(line, "reviewer"),
        change=change,
    )


# --- sums -------------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal:
    """part / whole as a percentage rounded down to one place; 100 when whole is 0."""
    if whole == 0:
        return HUNDRED.quantize(ONE_PLACE)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_DOWN)


def mean(values: list[int]) -> Decimal | None:
    """Arithmetic mean rounded half up to one place; None for no values."""
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def readiness(lines: Iterable[Line], side: str = "self") -> Readiness:
    """One side's readiness over any set of lines, of one person or of many."""
    lines = list(lines)
    ratings = [line.rating(side) for line in lines]
    rated = [r for r in ratings if r is not None]
    met = sum(min(r or 0, line.target) for r, line in zip(ratings, lines, strict=True))
    total = sum(line.target for line in lines)
    return Readiness(
        percent=percent(met, total),
        met_points=met,
        target_points=total,
        mean_rating=mean(rated),
        mean_target=mean([line.target for line in lines]),
        competencies=len(lines),
        unrated=len(lines) - len(rated),
        gaps=sum(
            1 for r, line in zip(ratings, lines, strict=True) if r is not None and r < line.target
        ),
    )


def single_point_of_failure(essential_for: int, met: int) -> bool:
    """
    The one rule of a single point of failure: a competency essential for someone's job
    (``essential_for`` people) that one person or none meets (``met`` people).
    """
    return essential_for > 0 and met <= 1


def meets_target(line: Line, side: str = "self") -> bool:
    """Rating ≥ target, an unrated line counting as 0."""
    return (line.rating(side) or 0) >= line.target


# --- priorities and strengths -----------------------------------------------------------


def top_priorities(
    results: Iterable[CompetencyResult], side: str = "self", limit: int | None = 5
) -> tuple[CompetencyResult, ...]:
    """
    Rated competencies with a gap, largest priority (gap × weight) first; ties broken by
    importance weight, then gap (both larger first), then competency code.
    """
    ranked = sorted(
        (r for r in results if (_side(r, side).gap or 0) > 0),
        key=lambda r: priority_order(
            gap=_side(r, side).gap, importance=r.line.importance, code=r.line.code
        ),
    )
    return tuple(ranked[:limit])


def top_strengths(
    results: Iterable[CompetencyResult], side: str = "self", limit: int | None = 5
) -> tuple[CompetencyResult, ...]:
    """
    Strengths are rated competencies whose rating meets or exceeds a target above 0.
    Largest surplus first; ties broken by importance weight (a met essential competency
    before a met helpful one), then rating (both larger first), then competency code.
    """
    ranked = sorted(
        (
            r
            for r in results
            if r.line.target > 0 and _side(r, side).rating is not None and _side(r, side).meets
        ),
        key=lambda r: (
            -_side(r, side).surplus,
            -r.line.weight,
            -_side(r, side).rating,
            r.line.code,
        ),
    )
    return tuple(ranked[:limit])


def _side(result: CompetencyResult, side: str) -> Figures:
    if side == "self":
        return result.self_side
    if side == "reviewer":
        return result.reviewer_side
    raise ValueError(f"Unknown side {side!r}.")


# --- one person -------------------------------------------------------------------------


def individual_report(lines: Iterable[Line], limit: int = 5) -> IndividualReport:
    """The figures of one person's report from the lines of their assessment."""
    lines = sorted(lines, key=Line.sort_key)
    codes = [line.code for line in lines]
    if len(codes) != len(set(codes)):
        raise ValueError("A competency appears twice in one assessment.")
    has_reviewer = any(line.reviewer_rating is not None for line in lines)

    domains = []
    for domain_lines in _by_domain(lines):
        first = domain_lines[0]
        domains.append(
            DomainResult(
                code=first.domain_code,
                title=first.domain_title,
                competencies=tuple(competency_result(line) for line in domain_lines),
                self_side=readiness(domain_lines, "self"),
                reviewer_side=readiness(domain_lines, "reviewer") if has_reviewer else None,
            )
        )
    results = [c for d in domains for c in d.competencies]
    return IndividualReport(
        domains=tuple(domains),
        self_side=readiness(lines, "self"),
        reviewer_side=readiness(lines, "reviewer") if has_reviewer else None,
        top_priorities=top_priorities(results, "self", limit),
        top_strengths=top_strengths(results, "self", limit),
        reviewer_top_priorities=top_priorities(results, "reviewer", limit) if has_reviewer else (),
        reviewer_top_strengths=top_strengths(results, "reviewer", limit) if has_reviewer else (),
    )


def _by_domain(lines: list[Line]) -> list[list[Line]]:
    """Sorted lines grouped by domain, in order."""
    groups: dict[tuple, list[Line]] = defaultdict(list)
    for line in lines:
        groups[(line.domain_position, line.domain_code)].append(line)
    return [groups[key] for key in sorted(groups)]


# --- a team -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person of a team with the lines of their assessment in the cycle."""

    key: str  # a stable identifier (e.g. the person's primary key); unique in the team
    name: str  # shown name
    lines: tuple[Line, ...]  # empty when they have no assessment yet


@dataclass(frozen=True)
class Coverage:
    """One competency across a team."""

    domain_code: str
    domain_title: str
    code: str
    title: str
    people: int  # members whose assessment includes this competency
    met: int  # of those, how many meet their own target (rating ≥ target, unrated as 0)
    met_by: tuple[str, ...]  # keys of the members who meet it, sorted
    essential_for: int  # members whose role marks this competency essential
    single_point_of_failure: bool  # essential for someone, and met by one person or none
    domain_position: int = 0
    position: int = 0


@dataclass(frozen=True)
class TeamDomain:
    """One domain across a team: readiness over every member's lines in it."""

    code: str
    title: str
    readiness: Readiness


@dataclass(frozen=True)
class TeamReport:
    people: int  # members given, with or without lines
    assessed: int  # members with at least one line
    coverage: tuple[Coverage, ...]  # per competency, in display order
    domains: tuple[TeamDomain, ...]
    overall: Readiness  # over every member's lines
    side: str  # which ratings these figures use: "self", "reviewer" or "basis"

    @property
    def single_points_of_failure(self) -> tuple[Coverage, ...]:
        return tuple(c for c in self.coverage if c.single_point_of_failure)


def team_report(members: Iterable[Member], side: str = "self") -> TeamReport:
    """
    Coverage, single points of failure and readiness of a team, from one side's ratings
    (each member measured against their own role's target).
    """
    members = list(members)
    keys = [m.key for m in members]
    if len(keys) != len(set(keys)):
        raise ValueError("A member appears twice in one team.")
    all_lines = sorted((line for m in members for line in m.lines), key=Line.sort_key)

    by_code: dict[str, list[tuple[str, Line]]] = defaultdict(list)
    for member in members:
        for line in member.lines:
            by_code[line.code].append((member.key, line))

    coverage = []
    for pairs in by_code.values():
        first = min((line for _, line in pairs), key=Line.sort_key)
        met_by = tuple(sorted(key for key, line in pairs if meets_target(line, side)))
        essential_for = sum(1 for _, line in pairs if line.importance == "essential")
        coverage.append(
            Coverage(
                domain_code=first.domain_code,
                domain_title=first.domain_title,
                code=first.code,
                title=first.title,
                people=len(pairs),
                met=len(met_by),
                met_by=met_by,
                essential_for=essential_for,
                single_point_of_failure=single_point_of_failure(essential_for, len(met_by)),
                domain_position=first.domain_position,
                position=first.position,
            )
        )
    coverage.sort(key=lambda c: (c.domain_position, c.domain_code, c.position, c.code))

    domains = tuple(
        TeamDomain(
            code=group[0].domain_code,
            title=group[0].domain_title,
            readiness=readiness(group, side),
        )
        for group in _by_domain(all_lines)
    )
    return TeamReport(
        people=len(members),
        assessed=sum(1 for m in members if m.lines),
        coverage=tuple(coverage),
        domains=domains,
        overall=readiness(all_lines, side),
        side=side,
    )
