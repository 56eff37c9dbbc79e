"""Writing the audit trail: one call per thing that happened."""

from django.db import models

from .models import AuditEvent


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
