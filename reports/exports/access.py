"""Which exports and report jobs a viewer may follow, and which assessments an export holds."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import get_team_or_404
from assessments.models import Assessment, Cycle
from assessments.roles import Role

from ..models import CycleExport
from ..official import latest_first


def get_export_or_404(viewer, pk) -> CycleExport:
    """
    One export the viewer may follow (``CycleExport.objects.visible_to``, whose rule is in
    ``assessments.querysets``); another district's answers 404 like no export.
    """
    return get_object_or_404(
        CycleExport.objects.visible_to(viewer).select_related("cycle", "requested_by"), pk=pk
    )


def official_assessments(cycle: Cycle):
    """
    The assessments of ``cycle`` that have an official PDF to export, each with its
    official PDFs, latest first (the export takes the latest).
    """
    return (
        Assessment.objects.filter(cycle=cycle, status__in=Assessment.OFFICIAL)
        .select_related("person__team", "role_profile")
        .prefetch_related(latest_first())
        .order_by("person__full_name", "pk")
    )


def get_report_job_or_404(viewer, pk) -> CycleExport:
    """
    One report job (a team or district PDF, a team's ZIP) that ``viewer`` asked for and
    may still read: the team's report (``get_team_or_404(report=True)``), or the
    district's as its superintendent. Anything else answers 404 like no job.
    """
    job = get_object_or_404(
        CycleExport.objects.reports_of(viewer).select_related(
            "cycle__district", "team", "requested_by"
        ),
        pk=pk,
    )
    if job.team_id is not None:
        get_team_or_404(viewer, job.team_id, report=True)
    elif not viewer.has_role(Role.SUPERINTENDENT):
        raise Http404
    return job
