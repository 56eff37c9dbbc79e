"""
The district report's data: readiness by team and domain, participation per team, and
the trend of overall readiness across the district's cycles. A fixed number of queries
whatever the number of teams, people or competencies.

The same ratings count as in the team report, chosen by the report's basis
(``reports.basis``); the trend counts every cycle on that same basis. People are
grouped by the team they are in now; people without a team form a row of their own.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from assessments.models import Assessment, Cycle, District, Rating, Team
from frameworks.models import RoleTarget

from . import gaps
from .basis import DEFAULT, Basis, CountedOn, counted_statuses
from .team import LineMaker, competencies_of, counted_lines, targets_of

NO_TEAM = "No team"


@dataclass(frozen=True)
class TeamRow:
    """One team in the cycle."""

    name: str
    assessed: int  # people with an assessment in the cycle
    submitted: int  # of those, submitted, finalized or acknowledged
    finalized: int  # of those, finalized or acknowledged
    counted: int  # of those, the ones whose ratings count on the report's basis
    overall: gaps.Readiness  # over every counted person's lines
    domain_percents: tuple[Decimal | None, ...]  # aligned with DistrictReportData.domains
    pk: int | None = None  # the team, for the link to its report; None for no team or all

    @property
    def not_submitted(self) -> int:
        return self.assessed - self.submitted


@dataclass(frozen=True)
class TrendPoint:
    """Overall readiness of the district in one cycle."""

    cycle: Cycle
    percent: Decimal
    met_points: int
    target_points: int
    people: int  # people whose assessment counts


@dataclass(frozen=True)
class DistrictReportData(CountedOn):
    district: District
    cycle: Cycle
    basis: Basis  # which ratings the figures count, in this cycle and the trend's
    domains: tuple[tuple[str, str], ...]  # (code, title) of the cycle's framework, in order
    teams: tuple[TeamRow, ...]  # by name; "No team" last when anyone has none
    total: TeamRow  # the whole district
    trend: tuple[TrendPoint, ...]  # oldest cycle first; cycles where something counts

    @property
    def trend_versions(self) -> tuple[str, ...]:
        """The framework versions the trend's cycles used, oldest first, each once."""
        return tuple(dict.fromkeys(point.cycle.framework.version for point in self.trend))


def cycles_for(viewer) -> list[Cycle]:
    """The viewer's district's cycles, newest first, each with ``assessed``. One query."""
    return list(
        Cycle.objects.visible_to(viewer)
        .select_related("framework")
        .annotate(assessed=Count("assessments"))
        .order_by("-opens_on", "-id")
    )


def choose_cycle(cycles: list[Cycle], wanted: str | None) -> Cycle | None:
    """The cycle asked for (None if not the district's), else the newest with assessments."""
    if wanted:
        return next((c for c in cycles if str(c.pk) == wanted), None)
    with_people = [c for c in cycles if c.assessed]
    return (with_people or cycles or [None])[0]


def build(
    district: District, cycle: Cycle, cycles: list[Cycle], *, basis: Basis = DEFAULT
) -> DistrictReportData:
    """
    The district report for ``cycle`` on ``basis``: six queries (five, and the trend),
    whatever the size.
    """
    # 1. The district's teams.
    teams = dict(Team.objects.filter(district=district).order_by("name").values_list("pk", "name"))
    # 2. Every assessment of the cycle, with the person's team.
    assessments = list(
        Assessment.objects.filter(cycle=cycle).values_list(
            "pk", "person_id", "person__team_id", "status", "role_profile_id"
        )
    )
    # 3. The cycle's competencies; 4. the targets of the framework's role profiles.
    competencies = competencies_of(cycle)
    targets = targets_of(RoleTarget.objects.filter(role__framework_id=cycle.framework_id))
    # 5. Every counted rating of the cycle, all people at once.
    statuses = counted_statuses(basis)
    roles = {pk: role_id for pk, _, _, status, role_id in assessments if status in statuses}
    ratings = Rating.objects.filter(assessment__cycle=cycle)
    lines = counted_lines(ratings, roles, LineMaker(competencies, targets), basis)

    domains = tuple(
        dict.fromkeys((c["domain__code"], c["domain__title"]) for c in competencies.values())
    )
    grouped: dict[int | None, list[tuple]] = {pk: [] for pk in teams}
    for row in assessments:
        grouped.setdefault(row[2], []).append(row)
    rows = [_team_row(teams[pk], grouped[pk], lines, domains, pk=pk) for pk in teams]
    if grouped.get(None):
        rows.append(_team_row(NO_TEAM, grouped[None], lines, domains))
    return DistrictReportData(
        district=district,
        cycle=cycle,
        basis=basis,
        domains=domains,
        teams=tuple(rows),
        total=_team_row(district.name, assessments, lines, domains),
        trend=trend(district, cycles, basis=basis),  # 6.
    )


def _team_row(name, assessments, lines, domains, pk=None) -> TeamRow:
    """
    Participation and readiness of a group of assessments; ``lines`` holds those that
    count. Readiness per domain and overall by ``gaps.readiness`` (the same as
    ``gaps.team_report`` gives, without the per-competency coverage that this report
    does not show).
    """
    counted = [lines[pk] for pk, *_ in assessments if pk in lines]
    by_domain: dict[str, list[gaps.Line]] = {code: [] for code, _ in domains}
    for person_lines in counted:
        for line in person_lines:
            by_domain[line.domain_code].append(line)
    return TeamRow(
        name=name,
        assessed=len(assessments),
        submitted=sum(1 for row in assessments if row[3] in Assessment.HANDED_IN),
        finalized=sum(1 for row in assessments if row[3] in Assessment.OFFICIAL),
        counted=len(counted),
        overall=gaps.readiness(
            (line for person_lines in counted for line in person_lines), "basis"
        ),
        domain_percents=tuple(
            gaps.readiness(by_domain[code], "basis").percent if by_domain[code] else None
            for code, _ in domains
        ),
        pk=pk,
    )


def counted_level(basis: Basis):
    """
    The level one rating contributes on ``basis``, as a database expression: what
    ``reports.basis.level_for`` says, for sums the database makes (unrated as 0).
    """
    if basis == Basis.SELF:
        level = F("level__value")
    elif basis == Basis.REVIEWER:
        level = F("reviewer_level__value")
    else:
        level = Case(
            When(
                assessment__status__in=Assessment.OFFICIAL,
                reviewer_level__isnull=False,
                then=F("reviewer_level__value"),
            ),
            default=F("level__value"),
        )
    return Coalesce(level, Value(0))


def trend(
    district: District, cycles: list[Cycle], *, basis: Basis = DEFAULT
) -> tuple[TrendPoint, ...]:
    """
    Overall readiness per cycle on ``basis``, oldest first: Σ min(level, target) and
    Σ target summed by the database over every counted rating that has a target (unrated
    as 0, as in ``reports.gaps.readiness``), then turned into a percentage by
    ``gaps.percent``. One query, however many cycles and people: the history is never
    loaded row by row.
    Each cycle counts against the targets of its own framework version, so a point after
    a version change measures the new version's competencies (the page says so).
    """
    target = F("competency__targets__target__value")
    sums = (
        Rating.objects.filter(
            assessment__cycle__district=district,
            assessment__status__in=counted_statuses(basis),
            # The target of the role the person held in that cycle (one join).
            competency__targets__role_id=F("assessment__role_profile_id"),
        )
        .values("assessment__cycle_id")
        .annotate(
            met=Sum(Least(counted_level(basis), target)),
            total=Sum(target),
            people=Count("assessment_id", distinct=True),
        )
        .order_by()
    )
    by_cycle = {row["assessment__cycle_id"]: row for row in sums}
    points = []
    for cycle in sorted(cycles, key=lambda c: (c.opens_on, c.pk)):
        row = by_cycle.get(cycle.pk)
        if row is None:
            continue
        points.append(
            TrendPoint(
                cycle=cycle,
                percent=gaps.percent(row["met"], row["total"]),
                met_points=row["met"],
                target_points=row["total"],
                people=row["people"],
            )
        )
    return tuple(points)
