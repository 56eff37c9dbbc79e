"""
Take one demo assessment to the state the demo shows, through the workflow services (so
the audit trail and the official PDFs are the real ones): rate, submit, plan, return or
review, finalize, acknowledge. Each assessment's levels and words come from its own seed
(the person and the cycle), so every run writes the same.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from assessments import plans, workflow
from assessments.models import Assessment, User
from frameworks.models import Resource
from frameworks.priority import priority

from . import words
from .cast import NOT_STARTED, Person, TeamSpec
from .levels import Competency, Levels, levels

Status = Assessment.Status
OPEN_CYCLE = 0
GOALS = 3  # a plan names the largest gaps, up to this many


@dataclass(frozen=True)
class Line:
    """One competency of the assessment with what its texts need."""

    competency: Competency
    title: str
    importance: str


def advance(
    assessment: Assessment, state: str, *, person: Person, team: TeamSpec, years_back: int
) -> None:
    """Take ``assessment`` (still untouched) to ``state``, reviewed by its person's reviewer."""
    if state == NOT_STARTED:
        return
    rng = random.Random(f"{assessment.person.email} {years_back}")  # noqa: S311 — demo data
    lines = _lines(assessment)
    found = levels(
        rng,
        person=person,
        team=team,
        years_back=years_back,
        competencies=[line.competency for line in lines],
    )
    owner = assessment.person
    rated = lines if state != Status.DRAFT else lines[: round(len(lines) * person.rated)]
    changes = [
        workflow.RatingChange(
            line.competency.pk,
            level=found[line.competency.pk].own,
            note=words.note(rng, line.competency.domain),
        )
        for line in rated
    ]
    assessment = workflow.save_ratings(
        person=owner, assessment=assessment, version=assessment.version, changes=changes
    )
    if state == Status.DRAFT:
        return
    assessment = workflow.submit(person=owner, assessment=assessment, version=assessment.version)
    planned = years_back == OPEN_CYCLE and rng.random() < 0.75
    if planned:
        _plan(rng, assessment, lines, found)
    reviewer = owner.reviewer()
    if state == Status.RETURNED:
        message = rng.choice(words.RETURN_MESSAGES)
        workflow.return_for_revision(reviewer=reviewer, assessment=assessment, message=message)
    elif state != Status.SUBMITTED:
        assessment = _review(rng, assessment, reviewer, lines, found, planned=planned)
        if state == Status.ACKNOWLEDGED:
            comment = rng.choice(words.ACKNOWLEDGMENTS)
            workflow.acknowledge(person=owner, assessment=assessment, comment=comment)


def _lines(assessment: Assessment) -> list[Line]:
    """The assessment's competencies in the order of the rating form, with their targets."""
    targets = {
        pk: (target, importance)
        for pk, target, importance in assessment.role_profile.targets.values_list(
            "competency_id", "target__value", "importance"
        )
    }
    ratings = assessment.ratings.select_related("competency__domain").order_by(
        "competency__domain__position", "competency__position"
    )
    return [
        Line(
            Competency(
                pk=r.competency_id,
                code=r.competency.code,
                domain=r.competency.domain.code,
                target=targets[r.competency_id][0],
            ),
            title=r.competency.title,
            importance=targets[r.competency_id][1],
        )
        for r in ratings
    ]


def _review(rng, assessment, reviewer: User, lines, found, *, planned: bool) -> Assessment:
    """The reviewer's levels, notes and comment (and plan comments); then finalize."""
    changes = [
        workflow.RatingChange(
            pk, level=found[pk].reviewer, note=words.reviewer_note(rng, found[pk])
        )
        for pk in (line.competency.pk for line in lines)
    ]
    met = sum(min(found[x.competency.pk].reviewer, x.competency.target) for x in lines)
    strongest = max(lines, key=lambda x: found[x.competency.pk].reviewer - x.competency.target)
    weakest = max(lines, key=lambda x: _priority(x, found[x.competency.pk].reviewer))
    comment = words.review_comment(
        rng, met / sum(x.competency.target for x in lines), strongest.title, weakest.title
    )
    assessment = workflow.save_review(
        reviewer=reviewer,
        assessment=assessment,
        version=assessment.version,
        changes=changes,
        comment=comment,
    )
    if planned:
        comments = {goal.pk: rng.choice(words.PLAN_COMMENTS) for goal in assessment.goals.all()}
        plans.comment_on_plan(lead=reviewer, assessment=assessment, comments=comments)
    return workflow.finalize(reviewer=reviewer, assessment=assessment)


def _plan(rng, assessment: Assessment, lines: list[Line], found: dict[int, Levels]) -> None:
    """Up to three goals for the person's largest gaps by their own ratings."""
    gaps = sorted(
        (line for line in lines if _priority(line, found[line.competency.pk].own) > 0),
        key=lambda line: -_priority(line, found[line.competency.pk].own),
    )[:GOALS]
    resources = dict(
        Resource.objects.filter(competency_id__in=[g.competency.pk for g in gaps])
        .order_by("pk")
        .values_list("competency_id", "pk")
    )
    today = timezone.localdate()
    goals = [
        plans.GoalInput(
            competency_id=line.competency.pk,
            goal=words.goal(line.title, line.competency.target),
            actions=rng.choice(words.ACTIONS),
            resource_id=resources.get(line.competency.pk) if rng.random() < 0.7 else None,
            target_date=today + timedelta(days=rng.randrange(60, 300, 7)),
        )
        for line in gaps
    ]
    plans.save_plan(person=assessment.person, assessment=assessment, goals=goals)


def _priority(line: Line, level: int) -> int:
    return priority(max(0, line.competency.target - level), line.importance)
