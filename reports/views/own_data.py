"""
Everything the portal holds about the signed-in person, as one JSON download.

What is included: the profile (never the password hash), district roles, team, every
assessment of theirs with its ratings, evidence notes, the reviewer's levels and notes,
the comments on it, the development goals and the official PDF's SHA-256; the audit
events they caused or that are about them or their assessments; failed sign-ins under
their address; the days they were reminded. Eleven queries whatever the amount (ten
when nobody else appears in their events).

Nothing of anyone else: an event of someone else's names that person by their role
("your reviewer", "HR") and carries no address; every other email address in an event's
text or detail is replaced by "(another person)".
"""

import json
import re

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments.models import (
    Assessment,
    AuditEvent,
    DevelopmentGoal,
    Rating,
    ReminderLog,
    RoleGrant,
    SignInFailure,
    User,
)
from assessments.roles import ROLE_NAMES, Role
from reports.downloads import attachment, safe_filename
from reports.official import latest_first


@require_safe
@login_required
def own_data(request):
    content = json.dumps(
        gather(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    ).encode()
    return attachment(
        request,
        content,
        filename=safe_filename(
            "skills-portal-data", request.user.get_full_name(), extension="json"
        ),
        content_type="application/json",
        obj=request.user,
        action="own_data.downloaded",
    )


def gather(person: User) -> dict:
    """The export as plain data (a read: nothing here writes)."""
    # 1: the person with district and team.
    person = User.objects.select_related("district", "team__lead").get(pk=person.pk)
    # 2–3: roles granted, and whether they lead a team (User.role_set).
    roles = sorted(person.role_set())
    assessments = _assessments_of(person)  # 4–7
    events = _events_about(person, assessments)  # 8
    roles_of = _roles_of_others(person, events)  # 9 (none when nobody else appears)
    team = person.team
    reviewers = {a.reviewer_id for a in assessments} | {team.lead_id if team else None}
    # 10–11: failed sign-ins under their address, and reminders.
    failures = SignInFailure.objects.filter(email=person.email).order_by("at")
    reminders = ReminderLog.objects.filter(person=person).order_by("sent_on")
    return {
        "exported_at": timezone.now(),
        "profile": _profile(person),
        "roles": [ROLE_NAMES.get(role, role) for role in roles],
        "team": team
        and {"name": team.name, "lead": team.lead.get_full_name() if team.lead else None},
        "assessments": [_assessment(a) for a in assessments],
        "audit_events": [_event(e, person, reviewers, roles_of) for e in events],
        "failed_sign_ins": [{"at": f.at, "address": f.address} for f in failures],
        "reminders_sent_on": [r.sent_on for r in reminders],
    }


def _assessments_of(person: User) -> list[Assessment]:
    """
    Their assessments with cycle, framework, role and reviewer; their ratings (with
    competency and both levels), goals and official PDFs, prefetched.
    """
    return list(
        Assessment.objects.filter(person=person)
        .select_related("cycle__framework", "role_profile", "reviewer")
        .prefetch_related(
            latest_first(),
            Prefetch(
                "ratings",
                Rating.objects.select_related("competency", "level", "reviewer_level").order_by(
                    "competency__code"
                ),
            ),
            Prefetch(
                "goals",
                DevelopmentGoal.objects.select_related("competency", "resource"),
            ),
        )
        .order_by("cycle__opens_on", "pk")
    )


def _events_about(person: User, assessments: list[Assessment]) -> list[AuditEvent]:
    """The audit events by them, about them, or about one of their assessments."""
    return list(
        AuditEvent.objects.filter(
            Q(actor=person)
            | Q(object_type="user", object_id=str(person.pk))
            | Q(object_type="assessment", object_id__in=[str(a.pk) for a in assessments])
        ).order_by("at", "id")
    )


def _roles_of_others(person: User, events: list[AuditEvent]) -> dict[int, set[str]]:
    """The granted roles of the others who caused those events, by their id."""
    others = {e.actor_id for e in events if e.actor_id not in (None, person.pk)}
    roles_of: dict[int, set[str]] = {}
    for actor_id, role in RoleGrant.objects.filter(person_id__in=others).values_list(
        "person_id", "role"
    ):
        roles_of.setdefault(actor_id, set()).add(role)
    return roles_of


def _profile(person: User) -> dict:
    """Their account, never the password hash."""
    return {
        "email": person.email,
        "full_name": person.full_name,
        "district": person.district.name if person.district else None,
        "job_role": person.job_role,
        "is_active": person.is_active,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
    }


def _event(event: AuditEvent, person: User, reviewers: set, roles_of: dict) -> dict:
    """One event as the person may see it: others by role, and only their own address."""
    return {
        "at": event.at,
        "actor": _actor(event, person, reviewers, roles_of),
        "action": event.action,
        "object": f"{event.object_type} {event.object_id}".strip(),
        "object_repr": _without_others(event.object_repr, person.email),
        "address": event.address if event.actor_id == person.pk else None,
        "outcome": event.outcome,
        "detail": _without_others(event.detail, person.email),
    }


EMAIL = re.compile(r"[^\s@\"'<>]+@[^\s@\"'<>]+")
# The role that names someone else, most telling first (staff is everyone's).
ROLE_LABELS = [Role.HR, Role.SUPERINTENDENT, Role.ADMIN]


def _actor(event: AuditEvent, person: User, reviewers: set, roles_of: dict) -> str:
    """Who caused ``event``, as the person may see it: never someone else's email."""
    if event.actor_id == person.pk:
        return "you"
    if event.actor_id is None:
        return "the portal" if not event.actor_email else "someone"
    if event.actor_id in reviewers:
        return "your reviewer"
    roles = roles_of.get(event.actor_id, set())
    return next((ROLE_NAMES[r] for r in ROLE_LABELS if r in roles), "a colleague")


def _without_others(value, own_email: str):
    """``value`` (text or JSON data) with every email address but ``own_email`` replaced."""
    if isinstance(value, str):
        return EMAIL.sub(
            lambda m: m[0] if m[0].lower() == own_email.lower() else "(another person)", value
        )
    if isinstance(value, dict):
        return {k: _without_others(v, own_email) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_others(v, own_email) for v in value]
    return value


def _assessment(a: Assessment) -> dict:
    official = a.official_versions[0] if a.official_versions else None
    return {
        "id": a.pk,
        "cycle": a.cycle.title,
        "framework": f"{a.cycle.framework.slug} {a.cycle.framework.version}",
        "job_role": a.role_profile.title,
        "status": a.status,
        "created_at": a.created_at,
        "submitted_at": a.submitted_at,
        "finalized_at": a.finalized_at,
        "acknowledged_at": a.acknowledged_at,
        "reviewer": a.reviewer.get_full_name() if a.reviewer else None,
        "review_comment": a.review_comment,
        "return_message": a.return_message,
        "acknowledgment_comment": a.acknowledgment_comment,
        "official_pdf_sha256": official.sha256 if official else None,
        "official_pdfs": [{"version": o.version, "sha256": o.sha256} for o in a.official_versions],
        "ratings": [
            {
                "competency": r.competency.code,
                "title": r.competency.title,
                "level": r.level.value if r.level else None,
                "note": r.note,
                "reviewer_level": r.reviewer_level.value if r.reviewer_level else None,
                "reviewer_note": r.reviewer_note,
            }
            for r in a.ratings.all()
        ],
        "goals": [
            {
                "competency": g.competency.code,
                "goal": g.goal,
                "actions": g.actions,
                "resource": str(g.resource) if g.resource else None,
                "target_date": g.target_date,
                "lead_comment": g.lead_comment,
            }
            for g in a.goals.all()
        ],
    }
