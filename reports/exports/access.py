"""Which exports a viewer may follow, and which assessments an export holds."""

from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Cycle

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
