"""Writing the audit trail: one call per thing that happened."""

from django.db import models

from .models import Assessment, AuditEvent, Cycle, District, Team, User


def client_address(request) -> str | None:
    """The connecting address. Behind a proxy, set the proxy to pass it as REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(
    request,
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    district=None,
    address: str | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    **detail,
) -> AuditEvent:
    """
    Append one event. The actor, district and address default to the request's (services
    that run without a request pass them); the object is named by type, id and text so
    the trail reads well after it is gone.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if district is None:
        district = getattr(actor, "district", None) or getattr(obj, "district", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=getattr(actor, "email", "") or detail.pop("email", ""),
        district=district,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        address=client_address(request) if request is not None else address,
        outcome=outcome,
        detail=detail,
    )


# Reading the trail: what each action is called, and what each event is about.

# Every action the portal records, as people say it; an action not listed here (an
# older or a newer one) is shown by its recorded name.
ACTIONS = {
    "signin": "Signed in",
    "signout": "Signed out",
    "signin.failed": "Sign-in failed",
    "signin.throttled": "Sign-in throttled",
    "password_reset.requested": "Password reset requested",
    "password_reset.refused": "Password reset refused",
    "person.invited": "Person invited",
    "person.invitation_resent": "Invitation sent again",
    "person.renamed": "Person renamed",
    "person.team_changed": "Team changed",
    "person.job_role_changed": "Job role changed",
    "person.reports_to_changed": "Reviewer changed",
    "person.roles_changed": "Roles changed",
    "person.deactivated": "Person deactivated",
    "person.reactivated": "Person reactivated",
    "team.created": "Team created",
    "team.renamed": "Team renamed",
    "team.lead_changed": "Team lead changed",
    "roster.imported": "Roster imported",
    "cycle.opened": "Cycle opened",
    "cycle.closed": "Cycle closed",
    "cycle.reopened": "Cycle reopened",
    "cycle.participant_added": "Participant added to cycle",
    "assessment.submitted": "Assessment submitted",
    "assessment.review_saved": "Review saved",
    "assessment.review_agreed": "Review agreed with self-ratings",
    "assessment.returned": "Assessment returned for revision",
    "assessment.finalized": "Assessment finalized",
    "assessment.acknowledged": "Assessment acknowledged",
    "plan.saved": "Development plan saved",
    "plan.commented": "Development plan commented",
    "report.viewed": "Report viewed",
    "report.downloaded": "Report downloaded",
    "report.requested": "Report requested",
    "own_data.downloaded": "Own data downloaded",
    "official.rerendered": "Official PDF rendered again",
    "export.requested": "Cycle export requested",
    "export.downloaded": "Cycle export downloaded",
}

# What an event's object type is called, for the "About" column.
OBJECT_TYPES = {
    "user": "Person",
    "team": "Team",
    "cycle": "Cycle",
    "assessment": "Assessment",
    "district": "District",
    "cycleexport": "Cycle export",
    "reportjob": "Report",
}


def action_label(action: str) -> str:
    """``assessment.finalized`` → "Assessment finalized"; an unknown action as recorded."""
    return ACTIONS.get(action, action)


def _named(district_id) -> dict:
    """The objects the trail names by their current name, each limited to one district."""
    return {
        "user": User.objects.filter(district_id=district_id),
        "team": Team.objects.filter(district_id=district_id),
        "cycle": Cycle.objects.filter(district_id=district_id),
        "assessment": Assessment.objects.filter(cycle__district_id=district_id).select_related(
            "person", "cycle"
        ),
        "district": District.objects.filter(pk=district_id),
    }


def name_objects(events, *, district_id) -> None:
    """
    Set ``object_label`` (its type, as people say it) and ``object_name`` on each event:
    the object's name as it is now, read in one query per type of object on the page
    (never one per event), only within ``district_id``; the name recorded with the event
    where the object is gone, is of another district, or of a type not looked up.
    """
    wanted: dict[str, set[int]] = {}
    named = _named(district_id)
    for event in events:
        if event.object_type in named and event.object_id.isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    found = {
        (kind, str(obj.pk)): str(obj)
        for kind, ids in wanted.items()
        for obj in named[kind].filter(pk__in=ids)
    }
    for event in events:
        event.object_label = OBJECT_TYPES.get(event.object_type, event.object_type)
        event.object_name = found.get((event.object_type, event.object_id), event.object_repr)
