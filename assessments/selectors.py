"""
Reads that gather what the assessment pages show, each with a fixed number of queries
whatever the number of competencies.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Subquery

from frameworks.content import content_of
from frameworks.models import Competency, Domain, ProficiencyLevel, RoleTarget
from frameworks.priority import gap, priority_order

from .models import Assessment, Rating


@dataclass
class CompetencyItem:
    """One competency as the rating and review pages show it."""

    competency: Competency
    rating: Rating
    target: RoleTarget | None
    # (level, descriptor text) for every level of the scale, 0 first.
    choices: list[tuple[ProficiencyLevel, str]] = field(default_factory=list)
    # (self level, reviewer level) for the same competency code last cycle, or None.
    previous: tuple[int | None, int | None] | None = None

    @property
    def self_descriptor(self) -> str:
        """The descriptor of the level the person gave themselves ("" while unrated)."""
        level_id = self.rating.level_id
        return next((text for level, text in self.choices if level.pk == level_id), "")


@dataclass(frozen=True)
class PreviousCycle:
    """The person's levels in their last official assessment before this one."""

    title: str | None  # its cycle's title; None when there is none
    version: str | None  # the framework version it was rated on; None when there is none
    levels: dict[str, tuple[int | None, int | None]]  # code → (self, reviewer)


def previous_levels(assessment: Assessment) -> PreviousCycle:
    """
    The self and reviewer levels, by competency code, of the person's most recent
    official assessment that opened before this one, on the same framework slug, in
    this one's district (a person who moved brings nothing from their old district).
    One query: the earlier assessment is a subquery.
    """
    earlier = (
        Assessment.objects.filter(
            person_id=assessment.person_id,
            cycle__district_id=assessment.cycle.district_id,
            status__in=Assessment.OFFICIAL,
            cycle__framework__slug=assessment.cycle.framework.slug,
            cycle__opens_on__lt=assessment.cycle.opens_on,
        )
        .exclude(pk=assessment.pk)
        .order_by("-cycle__opens_on", "-cycle_id")
    )
    rows = Rating.objects.filter(assessment_id=Subquery(earlier.values("pk")[:1])).values_list(
        "competency__code",
        "level__value",
        "reviewer_level__value",
        "assessment__cycle__title",
        "assessment__cycle__framework__version",
    )
    levels, title, version = {}, None, None
    for code, own, reviewer, cycle_title, cycle_version in rows:
        levels[code] = (own, reviewer)
        title, version = cycle_title, cycle_version
    return PreviousCycle(title, version, levels)


@dataclass
class AssessmentPage:
    assessment: Assessment
    domains: list[Domain]
    levels: list[ProficiencyLevel]
    items: list[CompetencyItem]
    rated: int
    total: int
    previous_cycle: str | None = None  # the title of the cycle ``previous`` comes from


def assessment_page(assessment: Assessment, *, domain: Domain | None = None) -> AssessmentPage:
    """
    The competencies of one domain (or all of them) with this assessment's ratings, the
    role's targets, every level's descriptor, the resources and last cycle's levels: two
    queries, whatever the size (the framework's own content is read once per process,
    ``frameworks.content``).
    """
    content = content_of(assessment.cycle.framework)
    ratings = {
        r.competency_id: r
        for r in Rating.objects.filter(assessment=assessment).select_related(
            "level", "reviewer_level"
        )
    }
    targets = content.targets_of(assessment.role_profile_id)
    previous = previous_levels(assessment)
    items = []
    for competency in content.competencies_of(domain):
        texts = {d.level_id: d.text for d in competency.descriptors.all()}
        choices = [(level, texts.get(level.pk, level.description)) for level in content.levels]
        items.append(
            CompetencyItem(
                competency,
                ratings[competency.pk],
                targets.get(competency.pk),
                choices,
                previous.levels.get(competency.code),
            )
        )
    rated = sum(1 for r in ratings.values() if r.level_id is not None)
    return AssessmentPage(
        assessment,
        list(content.domains),
        list(content.levels),
        items,
        rated,
        len(ratings),
        previous.title,
    )


def with_progress(assessments):
    """Annotate ``rated`` and ``total`` on a queryset of assessments (one query)."""
    return assessments.annotate(
        total=Count("ratings"), rated=Count("ratings", filter=Q(ratings__level__isnull=False))
    )


def suggested_focus(page: AssessmentPage, limit: int = 5) -> list[CompetencyItem]:
    """
    The competencies to suggest for the development plan: the rated ones with a gap, in
    the order of the individual report's top priorities (``frameworks.priority``).
    """
    gaps = [
        (gap(item.target.target.value, item.rating.level.value), item)
        for item in page.items
        if item.target is not None and item.rating.level is not None
    ]
    ranked = sorted(
        ((g, item) for g, item in gaps if g > 0),
        key=lambda pair: priority_order(
            gap=pair[0], importance=pair[1].target.importance, code=pair[1].competency.code
        ),
    )
    return [item for _, item in ranked[:limit]]
