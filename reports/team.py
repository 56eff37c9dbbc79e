"""
The team report's data: one team in one cycle, loaded with a fixed number of queries
whatever the number of people or competencies, then measured by ``reports.gaps``.

Which ratings count: the self-ratings of assessments that are submitted, finalized or
acknowledged (``COUNTED``). Reviewer ratings are never mixed in. Drafts and assessments
returned for revision are listed as not submitted and add nothing to the figures.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from assessments.models import Assessment, Cycle, Rating, Team, User
from frameworks.models import Competency, RoleTarget

from . import gaps

COUNTED = Assessment.HANDED_IN
COUNTED_WORDS = "submitted, finalized or acknowledged"
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
    readiness: gaps.Readiness  # this person's overall self readiness
    cells: tuple[Cell, ...]  # aligned with TeamReportData.columns
    assessment_id: int | None = None  # for the link to their individual report


@dataclass(frozen=True)
class Waiting:
    """A member whose assessment does not count yet."""

    name: str
    status: str  # "Draft", "Returned for revision" or "No assessment in this cycle"


@dataclass(frozen=True)
class TeamReportData:
    team: Team
    cycle: Cycle
    counted_words: str  # which assessments count, for the page
    columns: tuple[Column, ...]
    domain_spans: tuple[tuple[str, int], ...]  # (domain title, number of columns), in order
    rows: tuple[HeatRow, ...]  # people whose assessment counts, by name
    report: gaps.TeamReport  # coverage, single points of failure, domain readiness
    names: dict[str, str]  # member key → name, to name who meets a competency
    waiting: tuple[Waiting, ...]  # not submitted yet, by name

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


def build(team: Team, cycle: Cycle) -> TeamReportData:
    """
    The team report for ``cycle``: five queries, whatever the size of team or framework.
    """
    # 1. The team's active members (the team as it is now).
    members = list(
        User.objects.filter(team=team, is_active=True)
        .order_by("full_name", "email")
        .values_list("pk", "full_name", "email")
    )
    names = {str(pk): full_name or email for pk, full_name, email in members}
    # 2. Their assessments in the cycle.
    assessments = {
        person_id: (pk, status, role_id, role_title)
        for pk, person_id, status, role_id, role_title in Assessment.objects.filter(
            cycle=cycle, person__team=team, person__is_active=True
        ).values_list("pk", "person_id", "status", "role_profile_id", "role_profile__title")
    }
    # 3. The cycle's competencies with their domains, in display order.
    competencies = {
        c["pk"]: c
        for c in Competency.objects.filter(framework_id=cycle.framework_id)
        .order_by("domain__position", "domain__code", "position", "code")
        .values(
            "pk", "code", "title", "position", "domain__code", "domain__title", "domain__position"
        )
    }
    # 4. The targets of every role profile in use.
    role_ids = {role_id for _, _, role_id, _ in assessments.values()}
    targets = {
        (role_id, competency_id): (target, importance)
        for role_id, competency_id, target, importance in RoleTarget.objects.filter(
            role_id__in=role_ids
        ).values_list("role_id", "competency_id", "target__value", "importance")
    }
    # 5. Every counted self-rating of the team in the cycle, all people at once.
    counted = {pk: role_id for pk, status, role_id, _ in assessments.values() if status in COUNTED}
    lines: dict[int, list[gaps.Line]] = {pk: [] for pk in counted}
    ratings = Rating.objects.filter(
        assessment__cycle=cycle,
        assessment__person__team=team,
        assessment__person__is_active=True,
        assessment__status__in=COUNTED,
    ).values_list("assessment_id", "competency_id", "level__value")
    made = LineMaker(competencies, targets)
    for assessment_id, competency_id, level in ratings:
        line = made(counted[assessment_id], competency_id, level)
        if line is not None:  # None: not part of this role, no target, nothing to measure
            lines[assessment_id].append(line)

    columns = tuple(
        Column(code=c["code"], title=c["title"], domain_title=c["domain__title"], pk=c["pk"])
        for c in competencies.values()
    )
    rows, gap_members, waiting = [], [], []
    for person_id, full_name, email in members:
        name = full_name or email
        if person_id not in assessments:
            waiting.append(Waiting(name, "No assessment in this cycle"))
            continue
        assessment_id, status, _, role_title = assessments[person_id]
        if status not in COUNTED:
            waiting.append(Waiting(name, STATUS_NAMES[status]))
            continue
        person_lines = lines[assessment_id]
        gap_members.append(gaps.Member(key=str(person_id), name=name, lines=tuple(person_lines)))
        rows.append(
            HeatRow(
                key=str(person_id),
                name=name,
                job_role=role_title,
                status=STATUS_NAMES[status],
                readiness=gaps.readiness(person_lines),
                cells=_cells(columns, person_lines),
                assessment_id=assessment_id,
            )
        )
    return TeamReportData(
        team=team,
        cycle=cycle,
        counted_words=COUNTED_WORDS,
        columns=columns,
        domain_spans=_spans(columns),
        rows=tuple(rows),
        report=gaps.team_report(gap_members, side="self"),
        names=names,
        waiting=tuple(waiting),
    )


class LineMaker:
    """
    Gap lines from (role, competency, level). A line holds nothing personal, so people
    with the same role and level share one: a few hundred distinct lines stand for tens
    of thousands of ratings.
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
    """A gap line from a competency row (``values()``), its (target, importance), a level."""
    return gaps.Line(
        domain_code=competency["domain__code"],
        domain_title=competency["domain__title"],
        code=competency["code"],
        title=competency["title"],
        target=target[0],
        importance=target[1],
        self_rating=level,
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
        elif line.self_rating is None:
            cells.append(Cell(None, "hm-unrated", "–"))
        else:
            gap = gaps.gap(line.target, line.self_rating)
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


def heat_map_rows(data: TeamReportData) -> list[list]:
    """The heat map as rows: a header, then one row per person (gaps as numbers)."""
    header = ["Person", "Job role", "Status", "Readiness %"]
    header += [f"{c.code} {c.title}" for c in data.columns]
    rows = [header]
    for row in data.rows:
        rows.append(
            [row.name, row.job_role, row.status, row.readiness.percent]
            + [cell.gap if cell.gap is not None else cell.text for cell in row.cells]
        )
    return rows


def domain_rows(data: TeamReportData) -> list[list]:
    rows = [["Domain", "Readiness %", "Points met", "Target points", "Mean rating", "Mean target"]]
    for domain in data.report.domains:
        r = domain.readiness
        rows.append(
            [domain.title, r.percent, r.met_points, r.target_points, r.mean_rating, r.mean_target]
        )
    r = data.report.overall
    rows.append(["Overall", r.percent, r.met_points, r.target_points, r.mean_rating, r.mean_target])
    return rows


def coverage_rows(data: TeamReportData) -> list[list]:
    rows = [
        [
            "Domain",
            "Code",
            "Competency",
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
