"""
One competency across the district or one team, in one cycle: everyone's level against
the target of their job role, last cycle's level, and the competency's level descriptors
and development resources. The drill-down's last step (dashboard → team → person →
competency).

Which ratings count, as in the team and district reports: those of the assessments that
count on the chosen basis (``reports.basis.counted_statuses``), at the level that
``reports.basis.level_for`` takes (the lines' ``basis_rating``). "Last cycle" is the newest earlier
cycle of the district with assessments (``reports.dashboard.previous_cycle``); a person's
level there is matched by code, or through the framework's lineage when that cycle used
another version (``reports.gaps.carried_over``). A fixed number of queries whatever the
number of people or cycles.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from assessments.models import Assessment, Cycle, Rating, Team
from frameworks.models import Competency, CompetencyLineage, LevelDescriptor, Resource, RoleTarget

from . import gaps
from .basis import DEFAULT, Basis, counted_statuses, level_for
from .dashboard import previous_cycle
from .district import NO_TEAM
from .team import STATUS_NAMES, LineMaker


@dataclass(frozen=True)
class PersonLevel:
    """One person's level in the competency."""

    assessment_id: int  # for the link to their individual report
    name: str
    team_id: int | None
    team_name: str
    job_role: str
    status: str  # the assessment's status, in words
    line: gaps.Line  # target and importance of their role; ``basis_rating`` on the basis
    gap: int | None  # None when unrated
    previous: int | None  # last cycle's level on the same basis; None when there is none
    previous_via: str  # e.g. "split from INF.6" when last cycle used another version

    @property
    def meets(self) -> bool:
        return gaps.meets_target(self.line, "basis")

    # What the page's table shows, as text: one lookup each for a table of thousands.
    @property
    def level_text(self) -> str:
        return _text(self.line.basis_rating)

    @property
    def target(self) -> int:
        return self.line.target

    @property
    def importance(self) -> str:
        return self.line.importance

    @property
    def gap_text(self) -> str:
        return _text(self.gap)

    @property
    def previous_text(self) -> str:
        via = f" ({self.previous_via})" if self.previous_via else ""
        return _text(self.previous) + via


@dataclass(frozen=True)
class TeamSummary:
    """One team's people in the competency (on the district page)."""

    pk: int | None
    name: str
    readiness: gaps.Readiness
    met: int


@dataclass(frozen=True)
class CompetencyPage:
    competency: Competency
    cycle: Cycle
    previous_cycle: Cycle | None
    team: Team | None  # None: the whole district
    basis: Basis
    people: tuple[PersonLevel, ...]  # by team, then name
    readiness: gaps.Readiness  # over everyone shown
    met: int  # people who meet their target
    teams: tuple[TeamSummary, ...]  # per team, for the district page; empty for a team
    descriptors: tuple[LevelDescriptor, ...]  # by level
    resources: tuple[Resource, ...]

    @property
    def mean_previous(self) -> Decimal | None:
        return gaps.mean([p.previous for p in self.people if p.previous is not None])


def _text(level: int | None) -> str:
    return "—" if level is None else str(level)


def default_cycle(cycles: list[Cycle], competency: Competency) -> Cycle | None:
    """The newest of ``cycles`` (newest first) on the competency's framework, with people."""
    on_framework = [c for c in cycles if c.framework_id == competency.framework_id]
    return next((c for c in on_framework if c.assessed), on_framework[0] if on_framework else None)


def build(
    competency: Competency,
    cycle: Cycle,
    cycles: list[Cycle],
    *,
    team: Team | None = None,
    basis: Basis = DEFAULT,
) -> CompetencyPage:
    """
    The page of ``competency`` (of ``cycle``'s framework) for ``team`` or the district:
    five queries, six when last cycle used another version of the framework.
    """
    previous = previous_cycle(cycles, cycle)
    # 1. The targets of every role for this competency.
    targets = {
        (role_id, competency.pk): (target, importance)
        for role_id, target, importance in RoleTarget.objects.filter(
            competency=competency
        ).values_list("role_id", "target__value", "importance")
    }
    # 2 (and 3 across versions). Last cycle's levels, by person.
    comparable = previous and previous.framework.slug == competency.framework.slug
    earlier = _previous_levels(competency, previous, team, basis) if comparable else {}
    # 4. Everyone's rating in the cycle.
    made = LineMaker({competency.pk: _row(competency)}, targets)
    people = []
    for rating in _ratings(competency, cycle, team, basis):
        line = made(rating["role_id"], competency.pk, _level(rating, basis))
        if line is None:  # not part of this person's job role
            continue
        people.append(_person(rating, line, earlier.get(rating["person_id"], (None, ""))))
    lines = [p.line for p in people]
    return CompetencyPage(
        competency=competency,
        cycle=cycle,
        previous_cycle=previous,
        team=team,
        basis=basis,
        people=tuple(people),
        readiness=gaps.readiness(lines, "basis"),
        met=sum(1 for p in people if p.meets),
        teams=() if team else _teams(people),
        # 5. The descriptors, and the resources.
        descriptors=tuple(
            LevelDescriptor.objects.filter(competency=competency)
            .select_related("level")
            .order_by("level__value")
        ),
        resources=tuple(Resource.objects.filter(competency=competency)),
    )


def _row(competency: Competency) -> dict:
    """The competency as ``LineMaker`` reads it (a ``values()`` row)."""
    return {
        "code": competency.code,
        "title": competency.title,
        "position": competency.position,
        "domain__code": competency.domain.code,
        "domain__title": competency.domain.title,
        "domain__position": competency.domain.position,
    }


def _level(rating: dict, basis: Basis) -> int | None:
    return level_for(
        basis,
        self_level=rating["own"],
        reviewer_level=rating["reviewed"],
        official=rating["status"] in Assessment.OFFICIAL,
    )


def _ratings(competency: Competency, cycle: Cycle, team: Team | None, basis: Basis):
    """The counted ratings of the competency in the cycle, with person, team and role."""
    ratings = Rating.objects.filter(
        competency=competency,
        assessment__cycle=cycle,
        assessment__status__in=counted_statuses(basis),
    )
    if team is not None:  # the team as it is now, as in the team report
        ratings = ratings.filter(assessment__person__team=team, assessment__person__is_active=True)
    return ratings.order_by(
        "assessment__person__team__name", "assessment__person__full_name", "assessment_id"
    ).values(
        "assessment_id",
        own=F("level__value"),
        reviewed=F("reviewer_level__value"),
        person_id=F("assessment__person_id"),
        full_name=F("assessment__person__full_name"),
        email=F("assessment__person__email"),
        team_id=F("assessment__person__team_id"),
        team_name=F("assessment__person__team__name"),
        role_id=F("assessment__role_profile_id"),
        job_role=F("assessment__role_profile__title"),
        status=F("assessment__status"),
    )


def _person(rating: dict, line: gaps.Line, earlier: tuple[int | None, str]) -> PersonLevel:
    figures = gaps.figures(line, "basis")
    return PersonLevel(
        assessment_id=rating["assessment_id"],
        name=rating["full_name"] or rating["email"],
        team_id=rating["team_id"],
        team_name=rating["team_name"] or NO_TEAM,
        job_role=rating["job_role"],
        status=STATUS_NAMES[rating["status"]],
        line=line,
        gap=figures.gap,
        previous=earlier[0],
        previous_via=earlier[1],
    )


def _previous_levels(competency, previous: Cycle, team, basis) -> dict[int, tuple[int | None, str]]:
    """
    Each person's level last cycle on ``basis``, as {person id: (level, note)}: by code,
    or through the lineage when ``previous`` used another version (one query more then).
    """
    lineage = []
    if previous.framework_id != competency.framework_id:
        lineage = list(
            CompetencyLineage.objects.filter(
                competency=competency, earlier_version=previous.framework.version
            ).values_list("competency__code", "earlier_code", "kind")
        )
    codes = {earlier_code for _, earlier_code, _ in lineage} or {competency.code}
    ratings = Rating.objects.filter(
        assessment__cycle=previous,
        assessment__status__in=counted_statuses(basis),
        competency__code__in=codes,
    )
    if team is not None:
        ratings = ratings.filter(assessment__person__team=team)
    by_person: dict[int, dict[str, int | None]] = {}
    for rating in ratings.values(
        code=F("competency__code"),
        own=F("level__value"),
        reviewed=F("reviewer_level__value"),
        person_id=F("assessment__person_id"),
        status=F("assessment__status"),
    ):
        by_person.setdefault(rating["person_id"], {})[rating["code"]] = _level(rating, basis)
    if not lineage:
        return {pk: (levels.get(competency.code), "") for pk, levels in by_person.items()}
    return {
        pk: gaps.carried_over(levels, lineage).get(competency.code, (None, ""))
        for pk, levels in by_person.items()
    }


def _teams(people: list[PersonLevel]) -> tuple[TeamSummary, ...]:
    """Per team, in the order the people come (by team name; no team first or last)."""
    by_team: dict[int | None, list[PersonLevel]] = {}
    for person in people:
        by_team.setdefault(person.team_id, []).append(person)
    return tuple(
        TeamSummary(
            pk=pk,
            name=members[0].team_name,
            readiness=gaps.readiness((p.line for p in members), "basis"),
            met=sum(1 for p in members if p.meets),
        )
        for pk, members in by_team.items()
    )
