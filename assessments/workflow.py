"""
The assessment workflow: cycles, saving ratings, submitting, reviewing, returning,
finalizing and acknowledging.

Every function here is one transaction. Every step that changes an assessment's status,
a review, and every change to a cycle writes one audit event; ``save_ratings`` writes
none: it runs at every autosave, and the assessment's ``version`` and ``updated_at`` say
that the person's own draft changed, while the ``submit`` that hands it in is audited.
The assessment row is locked before it is checked (``select_for_update``, or for
``save_ratings``, the hot path, the conditional UPDATE of ``_claim_draft``), so two
requests racing for the same assessment are served one after the other; ``version`` goes
up with every write and a save that carries an older version is refused as stale, so a
second tab never overwrites the first.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from frameworks.content import content_of
from frameworks.models import Framework, RoleProfile
from frameworks.services import freeze_framework

from . import audit, notifications
from .models import Assessment, Cycle, District, Rating, User

Status = Assessment.Status


class StaleVersionError(ValidationError):
    """The assessment changed since the form was loaded (another tab or device)."""

    def __init__(self):
        super().__init__(
            "This assessment was changed elsewhere (another tab or device) since you opened "
            "it. Reload the page to see the latest answers; nothing was overwritten.",
            code="stale",
        )


class LockedError(ValidationError):
    """The assessment is past the state in which this change is allowed."""


@dataclass(frozen=True)
class RatingChange:
    """One competency's answer as sent by the form; ``None`` leaves that part as it is."""

    competency_id: int
    level: int | None = None  # a value of the framework's scale; -1 clears the rating
    note: str | None = None


CLEAR = -1


def _locked(assessment: Assessment) -> Assessment:
    """
    The assessment, locked for this transaction; refused while its cycle is closed (a
    closed cycle freezes its assessments: every write below starts here).
    """
    locked = Assessment.objects.select_for_update().select_related("cycle").get(pk=assessment.pk)
    if locked.cycle.status == Cycle.Status.CLOSED:
        raise LockedError("This cycle is closed.", code="cycle_closed")
    return locked


def _bump(assessment: Assessment, **fields) -> None:
    """Write ``fields`` and move the version on, in one UPDATE."""
    fields["updated_at"] = timezone.now()
    Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1, **fields)
    assessment.refresh_from_db(fields=["version", "status", *fields])


# --- cycles --------------------------------------------------------------------------


@transaction.atomic
def open_cycle(
    *,
    actor: User,
    district: District,
    framework: Framework,
    title: str,
    opens_on: date,
    due_on: date,
    people: Iterable[User],
    address: str | None = None,
) -> Cycle:
    """Open a cycle and give every participant an assessment with their role's targets."""
    if framework.status != Framework.Status.PUBLISHED:
        raise ValidationError("Cycles can only use a published framework version.")
    if due_on < opens_on:
        raise ValidationError("The due date cannot come before the opening date.")
    cycle = Cycle.objects.create(
        district=district, framework=framework, title=title, opens_on=opens_on, due_on=due_on
    )
    freeze_framework(framework=framework)
    created = _create_assessments(cycle, list(people))
    audit.record(
        None, "cycle.opened", actor=actor, obj=cycle, address=address, participants=len(created)
    )
    notifications.cycle_opened(cycle, [a.person for a in created])
    return cycle


def _create_assessments(cycle: Cycle, people: list[User]) -> list[Assessment]:
    roles = {r.code: r for r in RoleProfile.objects.filter(framework=cycle.framework)}
    people = list(  # with what their reviewer() reads, in one query
        User.objects.filter(pk__in=[p.pk for p in people]).select_related(
            "team__lead", "reports_to", "district"
        )
    )
    problems = []
    for person in people:
        if person.district_id != cycle.district_id:
            problems.append(f"{person} is not in {cycle.district}.")
        elif person.job_role not in roles:
            problems.append(f"{person} has no job role of this framework; set one first.")
        elif person.reviewer() is None:
            problems.append(
                f"{person} has no reviewer: give their team a lead, or set whom they "
                "report to, first."
            )
    if problems:
        raise ValidationError(problems)
    existing = set(cycle.assessments.values_list("person_id", flat=True))
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, person=person, role_profile=roles[person.job_role])
        for person in people
        if person.pk not in existing
    )
    competency_ids = list(cycle.framework.competencies.values_list("pk", flat=True))
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency_id=competency_id)
        for assessment in assessments
        for competency_id in competency_ids
    )
    return assessments


@transaction.atomic
def add_participants(
    *, actor: User, cycle: Cycle, people: Iterable[User], address: str | None = None
) -> list[Assessment]:
    """
    Give people who joined after the cycle opened an assessment each, all or none (the
    same checks as opening: a job role of the framework and a reviewer).
    """
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError("This cycle is closed.")
    people = list(people)
    if not people:
        raise ValidationError("Nobody to add.")
    taken = cycle.assessments.filter(person__in=people).select_related("person")
    if taken:
        raise ValidationError(
            [f"{a.person} already has an assessment in this cycle." for a in taken]
        )
    created = _create_assessments(cycle, people)
    for assessment in created:
        audit.record(None, "cycle.participant_added", actor=actor, obj=assessment, address=address)
    notifications.cycle_opened(cycle, [a.person for a in created])
    return created


def add_participant(
    *, actor: User, cycle: Cycle, person: User, address: str | None = None
) -> Assessment:
    """Give one person who joined after the cycle opened an assessment of their own."""
    (assessment,) = add_participants(actor=actor, cycle=cycle, people=[person], address=address)
    return assessment


@transaction.atomic
def close_cycle(*, actor: User, cycle: Cycle, address: str | None = None) -> Cycle:
    """Close the cycle: its assessments are frozen as they are (see ``_locked``)."""
    cycle.status = Cycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    audit.record(None, "cycle.closed", actor=actor, obj=cycle, address=address)
    return cycle


@transaction.atomic
def reopen_cycle(*, actor: User, cycle: Cycle, address: str | None = None) -> Cycle:
    """Open a closed cycle again (a district admin's correction): its assessments thaw."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == Cycle.Status.OPEN:
        raise ValidationError(f"{cycle} is open already.")
    cycle.status = Cycle.Status.OPEN
    cycle.save(update_fields=["status"])
    audit.record(None, "cycle.reopened", actor=actor, obj=cycle, address=address)
    return cycle


# --- the person's own ratings --------------------------------------------------------


def _write_ratings(
    assessment: Assessment,
    changes: list[RatingChange],
    *,
    framework: Framework,
    level_field: str,
    note_field: str,
) -> None:
    """
    Apply ``changes`` to one side of the ratings (the person's own ``level``/``note``, or
    the reviewer's), all in one UPDATE, after every change has been checked against the
    scale of ``framework`` (the assessment's). A competency sent twice counts once, as
    last sent; one that is not part of the assessment refuses the whole batch.
    """
    scale = _check_changes(framework, changes)
    latest = {change.competency_id: change for change in changes}
    if not latest:
        return
    levels = {
        pk: None if change.level == CLEAR else scale[change.level]
        for pk, change in latest.items()
        if change.level is not None
    }
    notes = {pk: change.note.strip() for pk, change in latest.items() if change.note is not None}
    fields = {"updated_at": timezone.now()}
    for name, values in ((level_field, levels), (note_field, notes)):
        if values:
            field = Rating._meta.get_field(name)
            fields[field.attname] = _by_competency(field, values)
    written = assessment.ratings.filter(competency_id__in=list(latest)).update(**fields)
    if written != len(latest):
        raise ValidationError("A competency that is not part of this assessment was sent.")


def _by_competency(field, values: dict) -> Case:
    """``field``'s new value per competency id; the others keep theirs."""
    return Case(
        *[
            When(competency_id=pk, then=Value(value, output_field=field))
            for pk, value in values.items()
        ],
        default=F(field.attname),
        output_field=field,
    )


def _check_changes(framework: Framework, changes: list[RatingChange]) -> dict[int, int]:
    """Validate a batch of changes; returns the scale as {value: level id}."""
    scale = content_of(framework).scale
    errors = []
    for change in changes:
        if change.level is not None and change.level != CLEAR and change.level not in scale:
            errors.append(f"{change.level} is not a level of this framework's scale.")
        if change.note is not None and len(change.note) > Rating.NOTE_MAX:
            errors.append(f"An evidence note is longer than {Rating.NOTE_MAX} characters.")
    if errors:
        raise ValidationError(sorted(set(errors)))
    return scale


def _claim_draft(assessment: Assessment, *, person: User, version: int, now) -> None:
    """
    Move the person's draft on from ``version``, in one UPDATE whose WHERE checks, in the
    database, that the cycle is open, the assessment is theirs and editable, and
    ``version`` is still the current one. The UPDATE locks the row until the transaction
    ends: saves racing for the same assessment are served one after the other, and the
    second finds the version moved on (stale). When a check fails, nothing is written and
    the error says which.
    """
    claimed = Assessment.objects.filter(
        pk=assessment.pk,
        person_id=person.pk,
        status__in=Assessment.EDITABLE,
        version=version,
        cycle__in=Cycle.objects.filter(status=Cycle.Status.OPEN).values("pk"),
    ).update(version=F("version") + 1, status=Status.DRAFT, updated_at=now)
    if claimed:
        return
    current = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    if current.cycle.status == Cycle.Status.CLOSED:
        raise LockedError("This cycle is closed.", code="cycle_closed")
    if current.person_id != person.pk or current.status not in Assessment.EDITABLE:
        raise LockedError("This assessment can no longer be changed.")
    raise StaleVersionError()


@transaction.atomic
def save_ratings(
    *,
    person: User,
    assessment: Assessment,
    version: int,
    changes: list[RatingChange],
) -> Assessment:
    """
    Save a person's own answers (one competency from autosave, or a whole step); returns
    the assessment as saved (a copy: the one given is left as it was).

    Refused whole, with nothing written, when the assessment is not theirs to edit, when
    ``version`` is stale, or when any change is invalid. Two UPDATEs on the hot path of
    every autosave: the version (which checks and locks, ``_claim_draft``) and the ratings.
    """
    now = timezone.now()
    _claim_draft(assessment, person=person, version=version, now=now)
    framework = assessment.cycle.framework
    _write_ratings(assessment, changes, framework=framework, level_field="level", note_field="note")
    saved = copy.copy(assessment)
    saved.version, saved.status, saved.updated_at = version + 1, Status.DRAFT, now
    return saved


@transaction.atomic
def submit(
    *, person: User, assessment: Assessment, version: int, address: str | None = None
) -> Assessment:
    """
    Hand the assessment to the lead. A second submit of the same assessment (a double
    click, a resent form) finds it submitted already and changes nothing.
    """
    assessment = _locked(assessment)
    if assessment.person_id != person.pk:
        raise ValidationError("This is not your assessment.")
    if assessment.status == Status.SUBMITTED:
        return assessment
    if assessment.status not in Assessment.EDITABLE:
        raise LockedError("This assessment can no longer be submitted.")
    if assessment.version != version:
        raise StaleVersionError()
    unrated = assessment.ratings.filter(level__isnull=True).count()
    if unrated:
        raise ValidationError(
            f"{unrated} competenc{'y is' if unrated == 1 else 'ies are'} not rated yet.",
            code="unrated",
        )
    _bump(assessment, status=Status.SUBMITTED, submitted_at=timezone.now())
    audit.record(None, "assessment.submitted", actor=person, obj=assessment, address=address)
    notifications.assessment_submitted(assessment)
    return assessment


# --- review --------------------------------------------------------------------------


def _check_reviewer(assessment: Assessment, reviewer: User) -> None:
    if assessment.person_id == reviewer.pk:
        raise ValidationError("Nobody reviews their own assessment.")
    if assessment.person.reviewer() != reviewer:
        raise ValidationError(
            "Only this person's reviewer (their team's lead, or whom they report to) "
            "reviews their assessment."
        )
    if assessment.status != Status.SUBMITTED:
        raise LockedError("Only a submitted assessment can be reviewed.")


@transaction.atomic
def save_review(
    *,
    reviewer: User,
    assessment: Assessment,
    version: int,
    changes: list[RatingChange],
    comment: str | None = None,
    address: str | None = None,
) -> Assessment:
    """Save the lead's own levels and notes, kept apart from the self-ratings."""
    framework = assessment.cycle.framework  # frozen: the one read before the lock is current
    assessment = _locked(assessment)
    _check_reviewer(assessment, reviewer)
    if assessment.version != version:
        raise StaleVersionError()
    _write_ratings(
        assessment,
        changes,
        framework=framework,
        level_field="reviewer_level",
        note_field="reviewer_note",
    )
    fields = {"reviewer": reviewer}
    if comment is not None:
        if len(comment) > 4000:
            raise ValidationError("The overall comment is longer than 4000 characters.")
        fields["review_comment"] = comment.strip()
    _bump(assessment, **fields)
    audit.record(None, "assessment.review_saved", actor=reviewer, obj=assessment, address=address)
    return assessment


@transaction.atomic
def agree_with_domain(
    *,
    reviewer: User,
    assessment: Assessment,
    version: int,
    domain_code: str,
    address: str | None = None,
) -> int:
    """
    Take the person's own level as the reviewer's for every competency of one domain
    that the reviewer has not rated yet: the reviewer's choice, audited with the codes
    it covered. Returns how many competencies it set.
    """
    assessment = _locked(assessment)
    _check_reviewer(assessment, reviewer)
    if assessment.version != version:
        raise StaleVersionError()
    ratings = list(
        assessment.ratings.filter(
            competency__domain__code=domain_code,
            reviewer_level__isnull=True,
            level__isnull=False,
        ).select_related("competency")
    )
    now = timezone.now()
    for rating in ratings:
        rating.reviewer_level_id = rating.level_id
        rating.updated_at = now
    Rating.objects.bulk_update(ratings, ["reviewer_level", "updated_at"])
    _bump(assessment, reviewer=reviewer)
    audit.record(
        None,
        "assessment.review_agreed",
        actor=reviewer,
        obj=assessment,
        address=address,
        domain=domain_code,
        competencies=sorted(r.competency.code for r in ratings),
    )
    return len(ratings)


def unreviewed_count(assessment: Assessment) -> int:
    """How many competencies still lack the reviewer's level (finalizing needs none)."""
    return assessment.ratings.filter(reviewer_level__isnull=True).count()


@transaction.atomic
def return_for_revision(
    *,
    reviewer: User,
    assessment: Assessment,
    message: str,
    address: str | None = None,
) -> Assessment:
    """Send the assessment back to its author with a message; it is editable again."""
    assessment = _locked(assessment)
    _check_reviewer(assessment, reviewer)
    if not message.strip():
        raise ValidationError("Say what should be revised.")
    _bump(
        assessment, status=Status.RETURNED, return_message=message.strip()[:4000], reviewer=reviewer
    )
    audit.record(None, "assessment.returned", actor=reviewer, obj=assessment, address=address)
    notifications.assessment_returned(assessment)
    return assessment


# What a reviewer may do after saving the review (``review_and_step``).
REVIEW_STEPS = ("save", "finalize", "return", "agree")


@transaction.atomic
def review_and_step(
    *,
    reviewer: User,
    assessment: Assessment,
    version: int,
    changes: list[RatingChange],
    comment: str | None = None,
    step: str = "save",
    message: str = "",
    domain_code: str = "",
    address: str | None = None,
) -> int:
    """
    Save the review, then take the step the reviewer asked for, all or nothing:
    "return" sends the assessment back with ``message``; "agree" takes the self-ratings
    of the domain ``domain_code`` as the reviewer's; "save" and "finalize" only save
    (finalizing is confirmed on a page of its own, ``reports.views.finalize``). Returns
    how many levels were agreed.
    """
    if step not in REVIEW_STEPS:
        raise ValidationError("Choose what to do with the review.")
    assessment = save_review(
        reviewer=reviewer,
        assessment=assessment,
        version=version,
        changes=changes,
        comment=comment,
        address=address,
    )
    if step == "return":
        return_for_revision(
            reviewer=reviewer, assessment=assessment, message=message, address=address
        )
    elif step == "agree":
        return agree_with_domain(
            reviewer=reviewer,
            assessment=assessment,
            version=assessment.version,
            domain_code=domain_code,
            address=address,
        )
    return 0


# --- the official record -------------------------------------------------------------
#
# Finalizing renders the official PDF (version 1) and stores it with its hash;
# acknowledging renders version 2, its signature block complete. The renderer lives in
# the reports app, which this app may not import (imports run reports → assessments), so
# reports registers it at start-up (``ReportsConfig.ready``) and ``finalize`` and
# ``acknowledge`` call it by name, inside their transaction, while the assessment row is
# locked: if rendering or writing fails, the step is not taken. Without a renderer, both
# are refused.

OfficialRecordRenderer = Callable[..., object]  # (*, assessment) -> the stored record
_official_record_renderer: OfficialRecordRenderer | None = None


def register_official_record_renderer(renderer: OfficialRecordRenderer) -> None:
    """Name the function that renders and stores an official record (reports.official)."""
    global _official_record_renderer
    _official_record_renderer = renderer


def _store_official_record(assessment: Assessment) -> None:
    if _official_record_renderer is None:
        raise ImproperlyConfigured(
            "No renderer of official records is registered: install the reports app."
        )
    _official_record_renderer(assessment=assessment)


@transaction.atomic
def finalize(*, reviewer: User, assessment: Assessment, address: str | None = None) -> Assessment:
    """
    Lock the assessment as the official record, and store its official PDF (rendered by
    the registered renderer, in this transaction, the row locked meanwhile). Refused while
    any competency lacks the reviewer's level.
    """
    assessment = _locked(assessment)
    _check_reviewer(assessment, reviewer)
    missing = unreviewed_count(assessment)
    if missing:
        total = assessment.ratings.count()
        raise ValidationError(
            f"{missing} of {total} competencies have no reviewer level yet. Give your level "
            "for each (or agree with the self-ratings of a domain) before finalizing.",
            code="unreviewed",
        )
    _bump(assessment, status=Status.FINALIZED, finalized_at=timezone.now(), reviewer=reviewer)
    audit.record(None, "assessment.finalized", actor=reviewer, obj=assessment, address=address)
    _store_official_record(assessment)
    notifications.assessment_finalized(assessment)
    return assessment


@transaction.atomic
def acknowledge(
    *, person: User, assessment: Assessment, comment: str = "", address: str | None = None
) -> Assessment:
    """
    The person confirms they have read their finalized assessment; its official PDF
    version 2, signed with their name, the date and their comment, is stored.
    """
    assessment = _locked(assessment)
    if assessment.person_id != person.pk:
        raise ValidationError("Only the person assessed acknowledges their assessment.")
    if assessment.status == Status.ACKNOWLEDGED:
        return assessment
    if assessment.status != Status.FINALIZED:
        raise LockedError("Only a finalized assessment can be acknowledged.")
    if len(comment) > 4000:
        raise ValidationError("The comment is longer than 4000 characters.")
    _bump(
        assessment,
        status=Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledgment_comment=comment.strip(),
    )
    audit.record(None, "assessment.acknowledged", actor=person, obj=assessment, address=address)
    _store_official_record(assessment)
    return assessment
