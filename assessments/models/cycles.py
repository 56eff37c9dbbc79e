"""
Cycles and the workflow's records: assessments, their ratings, development goals and
reminders.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..querysets import (
    AssessmentQuerySet,
    CycleQuerySet,
)
from .identity import District, User


class Cycle(models.Model):
    """A district's review period (yearly or per semester) on one framework version."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="cycles")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")), name="cycle_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="cycle_status_valid"
            ),
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """
    One person's self-assessment in one cycle, against the targets of the role profile
    they held when the cycle opened.

    draft → submitted → finalized → acknowledged, and submitted → returned (editable
    again). ``version`` goes up with every write: a save that carries an older version
    came from a stale tab and is refused (see ``assessments.workflow``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for revision"
        FINALIZED = "finalized", "Finalized"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # Official: the record HR reads, with its PDF. The one definition of "official".
    OFFICIAL = (Status.FINALIZED, Status.ACKNOWLEDGED)
    # Handed in by its author: readable by their lead and the superintendent.
    HANDED_IN = (Status.SUBMITTED, *OFFICIAL)

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    role_profile = models.ForeignKey(
        "frameworks.RoleProfile", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(blank=True, max_length=4000)
    return_message = models.TextField(blank=True, max_length=4000)
    finalized_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgment_comment = models.TextField(blank=True, max_length=4000)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__opens_on", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="assessment_one_per_cycle"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "returned", "finalized", "acknowledged"]
                ),
                name="assessment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.cycle}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Rating(models.Model):
    """A person's own level for one competency, and apart from it their reviewer's."""

    NOTE_MAX = 2000

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "frameworks.Competency", on_delete=models.PROTECT, related_name="+"
    )
    # Rows of the framework's scale: a level outside the scale cannot be stored.
    level = models.ForeignKey(
        "frameworks.ProficiencyLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    reviewer_level = models.ForeignKey(
        "frameworks.ProficiencyLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_note = models.TextField(blank=True, max_length=NOTE_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="rating_one_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.competency_id}"


class DevelopmentGoal(models.Model):
    """One of up to five goals a person sets for their largest gaps after submitting."""

    MAX_PER_ASSESSMENT = 5

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(
        "frameworks.Competency", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.TextField(max_length=2000)
    actions = models.TextField(max_length=4000)
    resource = models.ForeignKey(
        "frameworks.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_date = models.DateField()
    lead_comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["assessment", "target_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="goal_one_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.goal[:40]}"


class ReminderLog(models.Model):
    """Who was reminded on which day, so that nobody gets more than one a day."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.person} reminded on {self.sent_on}"
