"""Which exports a viewer may follow, and which assessments an export holds."""

from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Cycle

from ..models import CycleExport


def get_export_or_404(viewer, pk) -> CycleExport:
    """
    One export the viewer may follow (``CycleExport.objects.visible_to``, whose rule is in
    ``assessments.querysets``); another district's answers 404 like no export.
    """
    return get_object_or_404(
        CycleExport.objects.visible_to(viewer).select_related("cycle", "requested_by"), pk=pk
    )


def official_assessments(cycle: Cycle):
    """The assessments of ``cycle`` that have an official PDF to export."""
    return (
        Assessment.objects.filter(cycle=cycle, status__in=Assessment.OFFICIAL)
        .select_related("person__team", "role_profile", "official_report")
        .order_by("person__full_name", "pk")
    )
