"""
The individual gap report: one context builder for the page, the working-copy PDF and
the official PDF alike (they render the same partials with different bases).

``individual_context(assessment)`` reads everything in seven queries, whatever the number
of competencies, and turns it into the figures of ``reports.gaps`` and the charts of
``reports.charts``. The access check is the caller's (``get_assessment_or_404``).

"Change since last cycle" compares each self rating with the person's self rating in
their most recent earlier *official* (finalized or acknowledged) assessment on the same
framework slug in the same district (``assessments.selectors.previous_levels``, shared
with the rating pages). On the same version, or on a version the current one has no
mapping to, competencies are matched by code (a copied version keeps every code).
Otherwise they are followed through the current version's ``CompetencyLineage`` to the
earlier codes they continue (``reports.gaps.carried_over``), and a change that crosses a
split, merge or recode says so. Only the official record counts: a draft abandoned last
year is not a baseline, and whoever may read this report may read that record's numbers.
A person who moved from another district leaves that district's records behind: they
are never a baseline here.
"""

from dataclasses import dataclass

from assessments.models import Assessment, DevelopmentGoal, Rating
from assessments.selectors import PreviousCycle, previous_levels
from frameworks.models import CompetencyLineage, Resource, RoleTarget
from reports import charts
from reports.gaps import CompetencyResult, Line, carried_over, individual_report
from reports.models import OfficialReport

TOP = 5  # priorities, strengths and the competencies whose resources are listed
RESOURCES_PER_GAP = 3
GAPS_IN_CHART = 10


@dataclass(frozen=True)
class Row:
    """One competency of the per-domain tables, with what was written about it."""

    result: CompetencyResult
    note: str  # the person's evidence note
    reviewer_note: str  # the lead's note, kept apart
    competency_id: int | None = None  # for the link to the competency's page


@dataclass(frozen=True)
class DomainSection:
    result: object  # reports.gaps.DomainResult
    rows: tuple[Row, ...]


def individual_context(assessment: Assessment, *, with_charts: bool = True) -> dict:
    """
    The plain ``ctx`` of one person's gap report (its charts too unless ``with_charts`` is
    false: ``individual_charts`` adds them later). Seven queries (eight when the previous
    assessment used another version of the framework: its mapping is read too):

    1. the assessment with its cycle, framework, district, person, team, role and
       reviewer (it is read again so that the count never depends on what the caller
       loaded);
    2. its ratings with competency, domain and both levels;
    3. the role's targets with their levels;
    4. the levels of the previous official assessment (``assessments.selectors.previous_levels``);
    5. the development goals with competency and resource;
    6. the resources of the framework's competencies (those of the top gaps are kept);
    7. the official PDFs kept so far (version 1, and 2 once acknowledged).
    """
    assessment = Assessment.objects.select_related(
        "cycle__framework",
        "cycle__district",
        "person__team",
        "role_profile",
        "reviewer",
    ).get(pk=assessment.pk)
    cycle = assessment.cycle
    ratings = list(
        Rating.objects.filter(assessment=assessment).select_related(
            "competency__domain", "level", "reviewer_level"
        )
    )
    targets = _targets(assessment)
    previous = previous_levels(assessment)
    lines = _lines(ratings, targets, _carried_to(cycle.framework, previous))
    report = individual_report(lines, limit=TOP)
    domains = _domain_sections(report, ratings)
    goals = list(
        DevelopmentGoal.objects.filter(assessment=assessment).select_related(
            "competency", "resource"
        )
    )
    return {
        **_record(assessment),
        "report": report,
        "domains": domains,
        **_charts(report, with_charts=with_charts),
        "previous_cycle": previous.title,
        # Set when "change" crosses from another version of the framework.
        "previous_version": (
            previous.version if previous.version != cycle.framework.version else None
        ),
        "goals": goals,
        "top_resources": _top_resources(report, ratings, cycle.framework_id),
        "notes": [
            row for section in domains for row in section.rows if row.note or row.reviewer_note
        ],
        **_official(assessment),
    }


def _record(assessment: Assessment) -> dict:
    """Whose report, of which cycle, framework and job role."""
    return {
        "assessment": assessment,
        "person": assessment.person,
        "district": assessment.cycle.district,
        "cycle": assessment.cycle,
        "framework": assessment.cycle.framework,
        "job_role": assessment.role_profile,
    }


def _targets(assessment: Assessment) -> dict[int, RoleTarget]:
    """The role's targets with their levels, by competency id (one query)."""
    return {
        t.competency_id: t
        for t in RoleTarget.objects.filter(role_id=assessment.role_profile_id).select_related(
            "target"
        )
    }


def _lines(
    ratings: list[Rating],
    targets: dict[int, RoleTarget],
    previous_by_code: dict[str, tuple[int | None, str]],
) -> list[Line]:
    """One ``reports.gaps.Line`` per rating: its target, both levels and last cycle's."""
    lines = []
    for rating in ratings:
        competency = rating.competency
        target = targets.get(competency.pk)
        previous, via = previous_by_code.get(competency.code, (None, ""))
        lines.append(
            Line(
                domain_code=competency.domain.code,
                domain_title=competency.domain.title,
                code=competency.code,
                title=competency.title,
                # A role without a target for a competency asks nothing of it.
                target=target.target.value if target else 0,
                importance=target.importance if target else "helpful",
                self_rating=_value(rating.level),
                reviewer_rating=_value(rating.reviewer_level),
                previous_self_rating=previous,
                previous_via=via,
                domain_position=competency.domain.position,
                position=competency.position,
            )
        )
    return lines


def _domain_sections(report, ratings: list[Rating]) -> list[DomainSection]:
    """The report's domains, each competency with the notes written about it."""
    notes = {r.competency.code: (r.note, r.reviewer_note) for r in ratings}
    competency_ids = {r.competency.code: r.competency_id for r in ratings}
    return [
        DomainSection(
            result=domain,
            rows=tuple(
                Row(c, *notes[c.line.code], competency_id=competency_ids[c.line.code])
                for c in domain.competencies
            ),
        )
        for domain in report.domains
    ]


def _charts(report, *, with_charts: bool) -> dict:
    """The charts (unless left for later) and the rows the bar chart draws, in its order."""
    return {
        **(individual_charts(report) if with_charts else {}),
        "largest_gaps": charts._largest(report.competencies, GAPS_IN_CHART),
    }


def _top_resources(report, ratings: list[Rating], framework_id: int) -> list[tuple]:
    """
    The top priorities that have resources, each with its first few (one query: the
    resources of the framework's competencies).
    """
    resources = Resource.objects.filter(competency__framework_id=framework_id).order_by(
        "competency_id", "publisher", "title"
    )
    by_competency: dict[int, list[Resource]] = {}
    for resource in resources:
        by_competency.setdefault(resource.competency_id, []).append(resource)
    competency_ids = {r.competency.code: r.competency_id for r in ratings}
    top = [
        (result, by_competency.get(competency_ids[result.line.code], [])[:RESOURCES_PER_GAP])
        for result in report.top_priorities
    ]
    return [(result, items) for result, items in top if items]


def _official(assessment: Assessment) -> dict:
    """The official PDFs kept so far (one query): the latest is what HR downloads."""
    official_versions = list(OfficialReport.objects.filter(assessment=assessment))
    return {
        "official": official_versions[-1] if official_versions else None,
        "official_versions": official_versions,
        "is_official": assessment.status in Assessment.OFFICIAL,
    }


def individual_charts(report) -> dict:
    """The report's charts (SVG): a pure function of ``report``, and its costliest part."""
    return {
        "radar": charts.readiness_radar(report),
        "gaps_chart": charts.largest_gaps(report, limit=GAPS_IN_CHART),
    }


def _value(level) -> int | None:
    return None if level is None else level.value


def _carried_to(framework, previous: PreviousCycle) -> dict[str, tuple[int | None, str]]:
    """
    The previous self levels as {code of ``framework``: (level, note)}: by code on the
    same version or without a mapping to the earlier version, else through the mapping
    (one query, only then).
    """
    own = {code: level for code, (level, _reviewer) in previous.levels.items()}
    same = {code: (level, "") for code, level in own.items()}
    if previous.version in (None, framework.version):
        return same
    lineage = list(
        CompetencyLineage.objects.filter(
            competency__framework=framework, earlier_version=previous.version
        ).values_list("competency__code", "earlier_code", "kind")
    )
    return carried_over(own, lineage) if lineage else same
