"""The development plan: up to five goals for the largest gaps, and the reviewer's comments."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frameworks.models import Resource

from . import audit
from .models import Assessment, DevelopmentGoal, User


@dataclass(frozen=True)
class GoalInput:
    competency_id: int
    goal: str
    actions: str
    resource_id: int | None
    target_date: date


@transaction.atomic
def save_plan(
    *, person: User, assessment: Assessment, goals: list[GoalInput], address: str | None = None
) -> list[DevelopmentGoal]:
    """Replace the person's goals with ``goals`` (after submitting; at most five)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.person_id != person.pk:
        raise ValidationError("Only the person assessed writes their development plan.")
    if assessment.status in Assessment.EDITABLE:
        raise ValidationError("Submit the assessment before writing the plan.")
    if len(goals) > DevelopmentGoal.MAX_PER_ASSESSMENT:
        raise ValidationError(f"A plan has at most {DevelopmentGoal.MAX_PER_ASSESSMENT} goals.")
    competencies = set(assessment.ratings.values_list("competency_id", flat=True))
    resources = dict(
        Resource.objects.filter(competency_id__in=competencies).values_list("pk", "competency_id")
    )
    for goal in goals:
        if goal.competency_id not in competencies:
            raise ValidationError("A goal names a competency outside this assessment.")
        if goal.resource_id is not None and resources.get(goal.resource_id) != goal.competency_id:
            raise ValidationError("A goal's resource belongs to another competency.")
        if goal.target_date < timezone.localdate():
            raise ValidationError("A goal's target date is in the past: choose a later one.")
    comments = dict(assessment.goals.values_list("competency_id", "lead_comment"))
    assessment.goals.all().delete()
    saved = DevelopmentGoal.objects.bulk_create(
        DevelopmentGoal(
            assessment=assessment,
            competency_id=goal.competency_id,
            goal=goal.goal.strip(),
            actions=goal.actions.strip(),
            resource_id=goal.resource_id,
            target_date=goal.target_date,
            lead_comment=comments.get(goal.competency_id, ""),
        )
        for goal in goals
    )
    audit.record(
        None, "plan.saved", actor=person, obj=assessment, address=address, goals=len(goals)
    )
    return saved


@transaction.atomic
def comment_on_plan(
    *, lead: User, assessment: Assessment, comments: dict[int, str], address: str | None = None
) -> None:
    """The person's reviewer (``User.reviewer``) comments on each goal of their plan."""
    if assessment.person_id == lead.pk or assessment.person.reviewer() != lead:
        raise ValidationError("Only this person's reviewer comments on their plan.")
    goals = {g.pk: g for g in assessment.goals.all()}
    for goal_id, comment in comments.items():
        goal = goals.get(goal_id)
        if goal is None:
            raise ValidationError("A comment names a goal outside this plan.")
        goal.lead_comment = comment.strip()
    DevelopmentGoal.objects.bulk_update(goals.values(), ["lead_comment"])
    audit.record(None, "plan.commented", actor=lead, obj=assessment, address=address)
