"""
The district dashboard, the superintendent's landing page: overall readiness and its
change since last cycle, participation, the largest district-wide priority gaps with the
teams that carry them, single points of failure, and readiness by team and domain.

Which ratings count: those of the assessments that count on the chosen basis
(``reports.basis.counted_statuses``), each at the level that ``reports.basis.level_for``
takes, as the gap lines' ``basis_rating`` (the side ``"basis"`` of ``reports.gaps``). People are grouped by the team they are in now, as in the district report.
"Last cycle" is the newest earlier cycle of the district that has assessments; each
cycle counts against the targets of its own framework version (as the district trend).

A fixed number of queries, whatever the number of people, competencies and cycles: the
ratings of the two cycles are read *grouped* by (cycle, team, status, role, competency,
self level, reviewer level) with how many people share each group. Each group is one gap
line of ``reports.gaps`` counted that many times, so all the arithmetic is ``gaps``'s,
done once per distinct line rather than once per rating.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef

from assessments.models import Assessment, Cycle, District, Rating, Team
from frameworks.models import Competency, ProficiencyLevel, RoleTarget

from . import gaps
from .basis import DEFAULT, Basis, counted_statuses, level_for
from .district import NO_TEAM
from .team import LineMaker

TOP_GAPS = 5  # the largest district-wide priority gaps shown
CARRIERS = 3  # teams named for each of them (the rest are counted)


@dataclass(frozen=True)
class Participation:
    """Where the assessments of a cycle stand; a draft with nothing rated is not started."""

    not_started: int = 0
    draft: int = 0
    returned: int = 0
    submitted: int = 0
    finalized: int = 0
    acknowledged: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    @property
    def counted(self) -> int:
        """Assessments whose ratings count: submitted, finalized or acknowledged."""
        return self.submitted + self.finalized + self.acknowledged


@dataclass(frozen=True)
class TeamLine:
    """One team (or the people without one) in the cycle."""

    pk: int | None  # None for the people without a team
    name: str
    participation: Participation
    percent: Decimal | None  # overall readiness; None when nothing counts
    previous_percent: Decimal | None  # the same last cycle
    domain_percents: tuple[Decimal | None, ...]  # aligned with Dashboard.domains

    @property
    def change(self) -> Decimal | None:
        return _change(self.percent, self.previous_percent)


@dataclass(frozen=True)
class Carrier:
    """A team's share of one district-wide gap."""

    pk: int | None
    name: str
    priority: int  # Σ gap × weight over the team's people
    people: int  # of them, people below their target


@dataclass(frozen=True)
class PriorityGap:
    """One competency's gap over the whole district."""

    competency_id: int
    code: str
    title: str
    domain_title: str
    priority: int  # Σ gap × weight over everyone counted
    people: int  # people below their target
    assessed: int  # people whose job includes the competency
    carriers: tuple[Carrier, ...]  # the teams with the largest share, largest first
    other_teams: int  # further teams that carry some of it


@dataclass(frozen=True)
class SinglePoint:
    """An essential competency that one person or nobody in the district meets."""

    competency_id: int
    code: str
    title: str
    essential_for: int  # people whose job marks it essential
    people: int  # people whose job includes it
    met_by: tuple[int, str] | None  # (assessment id, name) of the one who meets it


@dataclass(frozen=True)
class Dashboard:
    district: District
    cycle: Cycle
    previous_cycle: Cycle | None  # "last cycle"; None when there is none
    basis: Basis
    domains: tuple[tuple[str, str], ...]  # (code, title) of the cycle's framework
    total: TeamLine  # the whole district
    teams: tuple[TeamLine, ...]  # by name; "No team" last when anyone has none
    priority_gaps: tuple[PriorityGap, ...]  # the largest first
    single_points: tuple[SinglePoint, ...]  # in display order


@dataclass(frozen=True)
class Measured:
    """What one person with a gap line adds to each figure: computed once per line."""

    line: gaps.Line  # its ``basis_rating`` is the level on the dashboard's basis
    met: int  # Σ min(level, target) of the line alone (``gaps.readiness``)
    target: int
    priority: int  # gap × weight (``gaps.figures``); 0 when met or unrated
    meets: bool  # ``gaps.meets_target``
    essential: bool


@dataclass(slots=True)
class Group:
    """People who share one gap line in one cycle and team."""

    cycle_id: int
    team_id: int | None
    competency_id: int
    measured: Measured
    people: int
    someone: int  # the lowest assessment id among them: *the* one when people == 1


class Tally:
    """Readiness points summed over many people's lines."""

    def __init__(self):
        self.met = self.target = self.lines = 0

    def add(self, group: Group) -> None:
        self.met += group.measured.met * group.people
        self.target += group.measured.target * group.people
        self.lines += group.people

    @property
    def percent(self) -> Decimal | None:
        """Readiness by ``gaps.percent``; None when no line counts."""
        return gaps.percent(self.met, self.target) if self.lines else None


def previous_cycle(cycles: list[Cycle], cycle: Cycle) -> Cycle | None:
    """The newest of ``cycles`` that opened before ``cycle`` and has assessments."""
    earlier = [c for c in cycles if (c.opens_on, c.pk) < (cycle.opens_on, cycle.pk) and c.assessed]
    return max(earlier, key=lambda c: (c.opens_on, c.pk), default=None)


def build(
    district: District, cycle: Cycle, cycles: list[Cycle], *, basis: Basis = DEFAULT
) -> Dashboard:
    """
    The dashboard of ``cycle`` (one of ``cycles``, from ``district.cycles_for``): six
    queries, and a seventh naming whoever alone meets a single point of failure.
    """
    previous = previous_cycle(cycles, cycle)
    shown = [c for c in (cycle, previous) if c is not None]
    # 1. The district's teams.
    teams = dict(Team.objects.filter(district=district).order_by("name").values_list("pk", "name"))
    # 2. How many assessments of the cycle per team and status.
    participation = _participation(cycle)
    # 3–6. The levels, competencies and targets of the frameworks, the grouped ratings.
    groups, competencies = _groups(shown, basis)
    current = [g for g in groups if g.cycle_id == cycle.pk]
    domains = tuple(
        dict.fromkeys(
            (c["domain__code"], c["domain__title"])
            for c in competencies.values()
            if c["framework_id"] == cycle.framework_id
        )
    )
    return Dashboard(
        district=district,
        cycle=cycle,
        previous_cycle=previous,
        basis=basis,
        domains=domains,
        total=_line(
            None, district.name, _sum(participation.values()), groups, cycle, previous, domains
        ),
        teams=tuple(_team_lines(teams, participation, groups, cycle, previous, domains)),
        priority_gaps=_priority_gaps(current, competencies, teams),
        # 7 (when anyone alone meets one). Their names.
        single_points=_single_points(current, competencies),
    )


# --- loading ----------------------------------------------------------------------------


def _participation(cycle: Cycle) -> dict[int | None, Participation]:
    """Participation per team (``None``: people without a team). One query."""
    rated = Rating.objects.filter(assessment=OuterRef("pk"), level__isnull=False)
    rows = (
        Assessment.objects.filter(cycle=cycle)
        .annotate(started=Exists(rated))
        .values_list("person__team_id", "status", "started")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for team_id, status, started, n in rows:
        column = "not_started" if status == Assessment.Status.DRAFT and not started else status
        counts[team_id][column] += n
    return {team_id: Participation(**by_status) for team_id, by_status in counts.items()}


def _frameworks(cycles: list[Cycle]) -> tuple[dict, dict, dict]:
    """
    Of the cycles' frameworks: the scale (level id → value), the competencies (id →
    ``values()`` row, in display order) and the targets ((role id, competency id) →
    (target, importance)). Three queries.
    """
    frameworks = {c.framework_id for c in cycles}
    values = dict(
        ProficiencyLevel.objects.filter(framework_id__in=frameworks).values_list("pk", "value")
    )
    competencies = {
        c["pk"]: c
        for c in Competency.objects.filter(framework_id__in=frameworks)
        .order_by("domain__position", "domain__code", "position", "code")
        .values(
            "pk",
            "framework_id",
            "code",
            "title",
            "position",
            "domain__code",
            "domain__title",
            "domain__position",
        )
    }
    targets = {
        (role_id, competency_id): (target, importance)
        for role_id, competency_id, target, importance in RoleTarget.objects.filter(
            role__framework_id__in=frameworks
        ).values_list("role_id", "competency_id", "target__value", "importance")
    }
    return values, competencies, targets


def _groups(cycles: list[Cycle], basis: Basis) -> tuple[list[Group], dict[int, dict]]:
    """
    The counted ratings of ``cycles`` as groups of people sharing one gap line, and the
    competencies of their frameworks (``_frameworks``). Four queries.
    """
    values, competencies, targets = _frameworks(cycles)
    rows = (
        Rating.objects.filter(
            assessment__cycle__in=[c.pk for c in cycles],
            assessment__status__in=counted_statuses(basis),
        )
        .values_list(
            "assessment__cycle_id",
            "assessment__person__team_id",
            "assessment__status",
            "assessment__role_profile_id",
            "competency_id",
            "level_id",
            "reviewer_level_id",
        )
        .annotate(people=Count("pk"), someone=Min("assessment_id"))
        .order_by()
    )
    made, measured, groups = LineMaker(competencies, targets), {}, []
    for cycle_id, team_id, status, role_id, competency_id, own, reviewer, people, someone in rows:
        level = level_for(
            basis,
            self_level=values.get(own),
            reviewer_level=values.get(reviewer),
            official=status in Assessment.OFFICIAL,
        )
        key = (role_id, competency_id, level)
        if key not in measured:
            line = made(role_id, competency_id, level)
            measured[key] = _measure(line) if line is not None else None
        if measured[key] is not None:  # None: no target in this role, nothing to measure
            groups.append(Group(cycle_id, team_id, competency_id, measured[key], people, someone))
    return groups, competencies


def _measure(line: gaps.Line) -> Measured:
    ready = gaps.readiness([line], "basis")
    return Measured(
        line=line,
        met=ready.met_points,
        target=ready.target_points,
        priority=gaps.figures(line, "basis").priority or 0,
        meets=gaps.meets_target(line, "basis"),
        essential=line.importance == "essential",
    )


# --- the figures ------------------------------------------------------------------------


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Percentage points gained since last cycle; None unless both are known."""
    return None if now is None or before is None else now - before


def _sum(participations) -> Participation:
    counts: dict[str, int] = defaultdict(int)
    for one in participations:
        for f in fields(one):
            counts[f.name] += getattr(one, f.name)
    return Participation(**counts)


def _team_lines(teams, participation, groups, cycle, previous, domains) -> list[TeamLine]:
    """Every team of the district by name, then the people without a team (if any)."""
    by_team: dict[int | None, list[Group]] = defaultdict(list)
    for group in groups:
        by_team[group.team_id].append(group)
    keys = [*teams, None] if None in participation or None in by_team else list(teams)
    return [
        _line(
            pk,
            teams.get(pk, NO_TEAM),
            participation.get(pk, Participation()),
            by_team[pk],
            cycle,
            previous,
            domains,
        )
        for pk in keys
    ]


def _line(pk, name, participation, groups, cycle, previous, domains) -> TeamLine:
    """One row: the readiness of ``groups`` now, last cycle, and per domain now."""
    now, before = Tally(), Tally()
    by_domain = {code: Tally() for code, _ in domains}
    for group in groups:
        if group.cycle_id == cycle.pk:
            now.add(group)
            by_domain[group.measured.line.domain_code].add(group)
        elif previous is not None and group.cycle_id == previous.pk:
            before.add(group)
    return TeamLine(
        pk=pk,
        name=name,
        participation=participation,
        percent=now.percent,
        previous_percent=before.percent,
        domain_percents=tuple(by_domain[code].percent for code, _ in domains),
    )


def _priority_gaps(groups, competencies, teams) -> tuple[PriorityGap, ...]:
    """
    Per competency, Σ priority (gap × weight) over everyone; the largest first, ties by
    code. Each with the teams that carry it, the largest share first.
    """
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # priority, people, assessed
    shares: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for group in groups:
        priority, people = group.measured.priority, group.people
        total = totals[group.competency_id]
        total[2] += people
        if priority:
            total[0] += priority * people
            total[1] += people
            share = shares[group.competency_id][group.team_id]
            share[0] += priority * people
            share[1] += people
    ranked = sorted(
        (pk for pk, total in totals.items() if total[0]),
        key=lambda pk: (-totals[pk][0], competencies[pk]["code"]),
    )
    return tuple(
        _priority_gap(pk, totals[pk], shares[pk], competencies[pk], teams)
        for pk in ranked[:TOP_GAPS]
    )


def _priority_gap(pk, total, shares, competency, teams) -> PriorityGap:
    carriers = sorted(
        (
            Carrier(team_id, teams.get(team_id, NO_TEAM), priority, people)
            for team_id, (priority, people) in shares.items()
        ),
        key=lambda c: (-c.priority, -c.people, c.name),
    )
    return PriorityGap(
        competency_id=pk,
        code=competency["code"],
        title=competency["title"],
        domain_title=competency["domain__title"],
        priority=total[0],
        people=total[1],
        assessed=total[2],
        carriers=tuple(carriers[:CARRIERS]),
        other_teams=max(0, len(carriers) - CARRIERS),
    )


def _single_points(groups, competencies) -> tuple[SinglePoint, ...]:
    """
    Essential competencies met by one person or none in the whole district
    (``gaps.single_point_of_failure``), in display order; one query names the people who
    alone meet one (none when nobody does).
    """
    people, essential, met = defaultdict(int), defaultdict(int), defaultdict(int)
    someone: dict[int, int] = {}
    for group in groups:
        pk = group.competency_id
        people[pk] += group.people
        if group.measured.essential:
            essential[pk] += group.people
        if group.measured.meets:
            met[pk] += group.people
            someone[pk] = group.someone
    found = [pk for pk in competencies if gaps.single_point_of_failure(essential[pk], met[pk])]
    alone = [someone[pk] for pk in found if met[pk] == 1]
    names = (
        {
            pk: full_name or email
            for pk, full_name, email in Assessment.objects.filter(pk__in=alone).values_list(
                "pk", "person__full_name", "person__email"
            )
        }
        if alone
        else {}
    )
    return tuple(
        SinglePoint(
            competency_id=pk,
            code=competencies[pk]["code"],
            title=competencies[pk]["title"],
            essential_for=essential[pk],
            people=people[pk],
            met_by=(someone[pk], names[someone[pk]]) if met[pk] == 1 else None,
        )
        for pk in found
    )
