"""
Asking for a background job, recorded now and built by the worker after commit: HR's
export of a cycle, or a report too large for a request (``reports.exports.report_jobs``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import audit
from assessments.models import Cycle, Team, User

from ..basis import DEFAULT, Basis
from ..models import CycleExport
from ..tasks import build_cycle_export, build_report_job
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
    active = CycleExport.objects.filter(
        kind=CycleExport.Kind.CYCLE, cycle=cycle, status__in=ACTIVE
    ).first()
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


@transaction.atomic
def request_report(
    *,
    actor: User,
    kind: str,
    cycle: Cycle,
    team: Team | None = None,
    basis: Basis = DEFAULT,
    address: str | None = None,
) -> CycleExport:
    """
    Queue the report ``kind`` of ``cycle`` (and ``team``) for ``actor``, who the caller
    has checked may read it (``assessments.access``). The same report asked for again
    by the same person while it is queued or running is that job, not a second one.
    """
    options = {"basis": Basis(basis).value} if kind != CycleExport.Kind.TEAM_REPORTS else {}
    sweep_stale()
    active = CycleExport.objects.filter(
        kind=kind, cycle=cycle, team=team, requested_by=actor, options=options, status__in=ACTIVE
    ).first()
    if active is not None:
        return active
    job = CycleExport.objects.create(
        kind=kind, cycle=cycle, team=team, requested_by=actor, options=options, total=1
    )
    audit.record(
        None,
        "report.requested",
        actor=actor,
        obj=job,
        district=cycle.district,
        address=address,
        report=kind,
        cycle=cycle.pk,
        team=team.pk if team else None,
        **options,
    )
    transaction.on_commit(lambda: build_report_job.enqueue(export_id=job.pk))
    return job
