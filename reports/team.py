"""
The team report's data: one team in one cycle, loaded with a fixed number of queries
whatever the number of people or competencies, then measured by ``reports.gaps``.

Which ratings count is the report's basis (``reports.basis``): by default the reviewer's
level once an assessment is finalized or acknowledged and the person's own before it;
or self-ratings only; or the reviewer's only. Drafts and assessments returned for
revision (on the reviewer basis, submitted ones too) are listed as waiting and add
nothing to the figures.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet

from assessments.models import Assessment, Cycle, Rating, Team, User
from frameworks.models import Competency, RoleTarget

from . import gaps
from .basis import DEFAULT, Basis, CountedOn, counted_statuses, level_for

STATUS_NAMES = dict(Assessment.Status.choices)


@dataclass(frozen=True)
class Column:
    """One competency of the heat map."""

    code: str
    title: str
    domain_title: str
    pk: int | None = None  # the competency, for the link to its page


@dataclass(frozen=True)
class Cell:
    """One person × competency: the gap as a number and as a class (never colour alone)."""

    gap: int | None  # levels below target; None when unrated or not part of the role
    css: str  # "hm-0" … "hm-3" (3 or more), "hm-unrated", "hm-na"
    text: str  # what the cell shows: the gap, "–" when unrated, "n/a" outside the role


@dataclass(frozen=True)
class HeatRow:
    """One person of the heat map."""

    key: str
    name: str
    job_role: str
    status: str  # the assessment's status, in words
    readiness: gaps.Readiness  # this person's overall readiness on the report's basis
    cells: tuple[Cell, ...]  # aligned with TeamReportData.columns
    assessment_id: int | None = None  # for the link to their individual report


@dataclass(frozen=True)
class Waiting:
    """A member whose assessment does not count yet."""

    name: str
    status: str  # "Draft", "Returned for revision" or "No assessment in this cycle"


@dataclass(frozen=True)
class TeamReportData(CountedOn):
    team: Team
    cycle: Cycle
    basis: Basis  # which ratings the figures count
    columns: tuple[Column, ...]
    domain_spans: tuple[tuple[str, int], ...]  # (domain title, number of columns), in order
    rows: tuple[HeatRow, ...]  # people whose assessment counts, by name
    report: gaps.TeamReport  # coverage, single points of failure, domain readiness
    names: dict[str, str]  # member key → name, to name who meets a competency
    waiting: tuple[Waiting, ...]  # not counted yet, by name

    @property
    def waiting_title(self) -> str:
        return "Not finalized yet" if self.basis == Basis.REVIEWER else "Not submitted yet"

    def met_by_names(self, coverage: gaps.Coverage) -> list[str]:
        return [self.names[key] for key in coverage.met_by]

    @property
    def competency_ids(self) -> dict[str, int | None]:
        """Competency code → id, for the links to the competency page."""
        return {column.code: column.pk for column in self.columns}

    @property
    def single_points_of_failure(self) -> list[tuple[gaps.Coverage, list[str]]]:
        """Each single point of failure with the names of whoever meets it (one or none)."""
        return [(c, self.met_by_names(c)) for c in self.report.single_points_of_failure]

    @property
    def single_point_rows(self) -> list[tuple[gaps.Coverage, list[str], int | None]]:
        """``single_points_of_failure``, each with the competency's id too."""
        ids = self.competency_ids
        return [(c, names, ids.get(c.code)) for c, names in self.single_points_of_failure]

    @property
    def coverage_rows(self) -> list[tuple[gaps.Coverage, int | None]]:
        """The coverage per competency, each with the competency's id."""
        ids = self.competency_ids
        return [(c, ids.get(c.code)) for c in self.report.coverage]


# --- which cycle --------------------------------------------------------------------


def cycles_for(viewer, team: Team) -> list[Cycle]:
    """
    The viewer's district's cycles, newest first, each with ``team_assessments``: how
    many of the team's members have an assessment in it. One query.
    """
    return list(
        Cycle.objects.visible_to(viewer)
        .select_related("framework")
        .annotate(team_assessments=Count("assessments", filter=Q(assessments__person__team=team)))
        .order_by("-opens_on", "-id")
    )


def choose_cycle(cycles: list[Cycle], wanted: str | None) -> Cycle | None:
    """
    The cycle asked for (``None`` when it is not one of ``cycles``: the caller answers
    404), or by default the newest one in which the team has assessments.
    """
    if wanted:
        return next((c for c in cycles if str(c.pk) == wanted), None)
    with_team = [c for c in cycles if c.team_assessments]
    return (with_team or cycles or [None])[0]


# --- the report ---------------------------------------------------------------------


class Held(NamedTuple):
    """One member's assessment in the cycle."""

    pk: int
    status: str
    role_id: int
    role_title: str


def build(team: Team, cycle: Cycle, *, basis: Basis = DEFAULT) -> TeamReportData:
    """
    The team report for ``cycle`` on ``basis``: five queries, whatever the size of team
    or framework.
    """
    # 1. The team's active members (the team as it is now).
    members = list(
        User.objects.filter(team=team, is_active=True)
        .order_by("full_name", "email")
        .values_list("pk", "full_name", "email")
    )
    # 2. Their assessments in the cycle.
    held = {
        person_id: Held(pk, status, role_id, role_title)
        for pk, person_id, status, role_id, role_title in Assessment.objects.filter(
            cycle=cycle, person__team=team, person__is_active=True
        ).values_list("pk", "person_id", "status", "role_profile_id", "role_profile__title")
    }
    # 3. The cycle's competencies; 4. the targets of every role profile in use.
    competencies = competencies_of(cycle)
    roles = {h.role_id for h in held.values()}
    targets = targets_of(RoleTarget.objects.filter(role_id__in=roles))
    # 5. Every counted rating of the team in the cycle, all people at once.
    statuses = counted_statuses(basis)
    counted = {h.pk: h.role_id for h in held.values() if h.status in statuses}
    ratings = Rating.objects.filter(
        assessment__cycle=cycle, assessment__person__team=team, assessment__person__is_active=True
    )
    lines = counted_lines(ratings, counted, LineMaker(competencies, targets), basis)

    columns = tuple(
        Column(code=c["code"], title=c["title"], domain_title=c["domain__title"], pk=c["pk"])
        for c in competencies.values()
    )
    rows, gap_members, waiting = _people(members, held, lines, columns)
    return TeamReportData(
        team=team,
        cycle=cycle,
        basis=basis,
        columns=columns,
        domain_spans=_spans(columns),
        rows=tuple(rows),
        report=gaps.team_report(gap_members, side="basis"),
        names={str(pk): full_name or email for pk, full_name, email in members},
        waiting=tuple(waiting),
    )


def _people(members: list[tuple], held: dict[int, Held], lines: dict, columns: tuple):
    """
    Each member, by name, as a heat-map row with their ``gaps.Member`` when their
    assessment counts (it has ``lines``), or else as waiting.
    """
    rows, gap_members, waiting = [], [], []
    for person_id, full_name, email in members:
        name = full_name or email
        assessment = held.get(person_id)
        if assessment is None:
            waiting.append(Waiting(name, "No assessment in this cycle"))
            continue
        if assessment.pk not in lines:
            waiting.append(Waiting(name, STATUS_NAMES[assessment.status]))
            continue
        person_lines = lines[assessment.pk]
        gap_members.append(gaps.Member(key=str(person_id), name=name, lines=tuple(person_lines)))
        rows.append(
            HeatRow(
                key=str(person_id),
                name=name,
                job_role=assessment.role_title,
                status=STATUS_NAMES[assessment.status],
                readiness=gaps.readiness(person_lines, "basis"),
                cells=_cells(columns, person_lines),
                assessment_id=assessment.pk,
            )
        )
    return rows, gap_members, waiting


# --- shared with the district report ------------------------------------------------


def competencies_of(cycle: Cycle) -> dict[int, dict]:
    """The cycle's competencies with their domains, in display order: one query."""
    return {
        c["pk"]: c
        for c in Competency.objects.filter(framework_id=cycle.framework_id)
        .order_by("domain__position", "domain__code", "position", "code")
        .values(
            "pk", "code", "title", "position", "domain__code", "domain__title", "domain__position"
        )
    }


def targets_of(role_targets: QuerySet[RoleTarget]) -> dict[tuple[int, int], tuple[int, str]]:
    """{(role id, competency id): (target, importance)} of ``role_targets``: one query."""
    return {
        (role_id, competency_id): (target, importance)
        for role_id, competency_id, target, importance in role_targets.values_list(
            "role_id", "competency_id", "target__value", "importance"
        )
    }


def counted_lines(
    ratings: QuerySet[Rating], counted: dict[int, int], made: "LineMaker", basis: Basis
) -> dict[int, list[gaps.Line]]:
    """
    The gap lines of the assessments that count on ``basis`` (``counted``: assessment id
    → role profile id), from ``ratings`` narrowed to them: one query, all people at once.
    Each line carries the level ``basis.level_for`` chooses.
    """
    lines: dict[int, list[gaps.Line]] = {pk: [] for pk in counted}
    rows = ratings.filter(assessment__status__in=counted_statuses(basis)).values_list(
        "assessment_id",
        "assessment__status",
        "competency_id",
        "level__value",
        "reviewer_level__value",
    )
    for assessment_id, status, competency_id, self_level, reviewer_level in rows:
        if assessment_id not in counted:  # its status changed since it was read
            continue
        level = level_for(
            basis,
            self_level=self_level,
            reviewer_level=reviewer_level,
            official=status in Assessment.OFFICIAL,
        )
        line = made(counted[assessment_id], competency_id, level)
        if line is not None:  # None: not part of this role, no target, nothing to measure
            lines[assessment_id].append(line)
    return lines


class LineMaker:
    """
    Gap lines from (role, competency, level counted on the basis). A line holds nothing
    personal, so people with the same role and level share one: a few hundred distinct
    lines stand for tens of thousands of ratings.
    """

    def __init__(self, competencies: dict[int, dict], targets: dict[tuple, tuple[int, str]]):
        self.competencies = competencies  # competency id → row of ``values()``
        self.targets = targets  # (role id, competency id) → (target, importance)
        self.made: dict[tuple, gaps.Line | None] = {}

    def __call__(self, role_id: int, competency_id: int, level: int | None) -> gaps.Line | None:
        key = (role_id, competency_id, level)
        if key not in self.made:
            target = self.targets.get((role_id, competency_id))
            competency = self.competencies.get(competency_id)
            self.made[key] = line_from(competency, target, level) if target and competency else None
        return self.made[key]


def line_from(competency: dict, target: tuple[int, str], level: int | None) -> gaps.Line:
    """
    A gap line from a competency row (``values()``), its (target, importance) and the
    level counted on the report's basis: the one rating it carries (``basis_rating``).
    """
    return gaps.Line(
        domain_code=competency["domain__code"],
        domain_title=competency["domain__title"],
        code=competency["code"],
        title=competency["title"],
        target=target[0],
        importance=target[1],
        self_rating=None,
        basis_rating=level,
        domain_position=competency["domain__position"],
        position=competency["position"],
    )


def _cells(columns: tuple[Column, ...], lines: list[gaps.Line]) -> tuple[Cell, ...]:
    by_code = {line.code: line for line in lines}
    cells = []
    for column in columns:
        line = by_code.get(column.code)
        if line is None:
            cells.append(Cell(None, "hm-na", "n/a"))
        elif line.basis_rating is None:
            cells.append(Cell(None, "hm-unrated", "–"))
        else:
            gap = gaps.gap(line.target, line.basis_rating)
            cells.append(Cell(gap, f"hm-{min(gap, 3)}", str(gap)))
    return tuple(cells)


def _spans(columns: tuple[Column, ...]) -> tuple[tuple[str, int], ...]:
    spans: list[list] = []
    for column in columns:
        if spans and spans[-1][0] == column.domain_title:
            spans[-1][1] += 1
        else:
            spans.append([column.domain_title, 1])
    return tuple((title, count) for title, count in spans)


# --- the spreadsheets ---------------------------------------------------------------
# Every table that carries figures names its basis in a column of its own ("Ratings
# counted"), beside the first figure, so that a sheet copied elsewhere still says it.

BASIS_COLUMN = "Ratings counted"


def heat_map_rows(data: TeamReportData) -> list[list]:
    """The heat map as rows: a header, then one row per person (gaps as numbers)."""
    header = ["Person", "Job role", "Status", BASIS_COLUMN, "Readiness %"]
    header += [f"{c.code} {c.title}" for c in data.columns]
    rows = [header]
    for row in data.rows:
        rows.append(
            [row.name, row.job_role, row.status, data.basis.label, row.readiness.percent]
            + [cell.gap if cell.gap is not None else cell.text for cell in row.cells]
        )
    return rows


def domain_rows(data: TeamReportData) -> list[list]:
    rows = [
        [
            "Domain",
            BASIS_COLUMN,
            "Readiness %",
            "Points met",
            "Target points",
            "Mean rating",
            "Mean target",
        ]
    ]
    domains = [(d.title, d.readiness) for d in data.report.domains]
    for title, r in [*domains, ("Overall", data.report.overall)]:
        rows.append(
            [
                title,
                data.basis.label,
                r.percent,
                r.met_points,
                r.target_points,
                r.mean_rating,
                r.mean_target,
            ]
        )
    return rows


def coverage_rows(data: TeamReportData) -> list[list]:
    rows = [
        [
            "Domain",
            "Code",
            "Competency",
            BASIS_COLUMN,
            "People",
            "Meet target",
            "Essential for",
            "Single point of failure",
            "Met by",
        ]
    ]
    for c in data.report.coverage:
        rows.append(
            [
                c.domain_title,
                c.code,
                c.title,
                data.basis.label,
                c.people,
                c.met,
                c.essential_for,
                "yes" if c.single_point_of_failure else "no",
                "; ".join(data.met_by_names(c)),
            ]
        )
    return rows


def waiting_rows(data: TeamReportData) -> list[list]:
    return [["Person", "Status"]] + [[w.name, w.status] for w in data.waiting]
