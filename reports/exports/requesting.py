"""HR asks for the export of a cycle: recorded now, built by the worker after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import audit
from assessments.models import Cycle, User

from ..models import CycleExport
from ..tasks import build_cycle_export
from .access import official_assessments
from .sweep import sweep_stale

ACTIVE = (CycleExport.Status.QUEUED, CycleExport.Status.RUNNING)


@transaction.atomic
def request_export(*, actor: User, cycle: Cycle, address: str | None = None) -> CycleExport:
    """
    Queue a ZIP of ``cycle``'s official reports for ``actor`` (HR of the cycle's
    district). While one export of the cycle is queued or running it is returned instead
    of starting a second.
    """
    if not Cycle.objects.exportable_by(actor).filter(pk=cycle.pk).exists():
        raise ValidationError("Only HR of this cycle's district can export it.")
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one request at a time
    sweep_stale()
    active = CycleExport.objects.filter(cycle=cycle, status__in=ACTIVE).first()
    if active is not None:
        return active
    total = official_assessments(cycle).count()
    if total == 0:
        raise ValidationError(
            "This cycle has no finalized or acknowledged assessment yet: nothing to export."
        )
    export = CycleExport.objects.create(cycle=cycle, requested_by=actor, total=total)
    audit.record(
        None,
        "export.requested",
        actor=actor,
        obj=export,
        district=cycle.district,
        address=address,
        cycle=cycle.title,
        reports=total,
    )
    transaction.on_commit(lambda: build_cycle_export.enqueue(export_id=export.pk))
    return export
