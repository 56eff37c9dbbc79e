"""
HR's whole-cycle exports: ask for one, follow its progress, download the ZIP.

The progress page works without script (a refresh link); with it, static/js/
export-progress.js polls ``export_status`` and moves the <progress> bar.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessments import audit
from assessments.access import get_cycle_or_404, role_required
from assessments.models import Assessment, Cycle
from assessments.roles import Role

from ..exports import access, builder, requesting, sweep
from ..models import CycleExport

RECENT = 20


@require_safe
@role_required(Role.HR)
def export_list(request):
    sweep.sweep_stale()
    cycles = Cycle.objects.visible_to(request.user).annotate(
        official=Count("assessments", filter=Q(assessments__status__in=Assessment.OFFICIAL))
    )
    recent = CycleExport.objects.visible_to(request.user).select_related("cycle", "requested_by")
    ctx = {"cycles": cycles, "exports": recent[:RECENT]}
    return render(request, "reports/export_list.html", ctx)


@require_POST
@role_required(Role.HR)
def export_create(request, cycle_pk):
    cycle = get_cycle_or_404(request.user, cycle_pk, purpose="export")
    try:
        export = requesting.request_export(
            actor=request.user, cycle=cycle, address=audit.client_address(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:export_list")
    return redirect("reports:export_detail", export.pk)


@never_cache
@require_safe
@role_required(Role.HR)
def export_detail(request, pk):
    sweep.sweep_stale()
    export = access.get_export_or_404(request.user, pk)
    ctx = {"export": export, "percent": percent(export)}
    return render(request, "reports/export_detail.html", ctx)


@never_cache
@require_safe
@role_required(Role.HR)
def export_status(request, pk):
    """The export's progress as JSON, for the progress bar."""
    sweep.sweep_stale()
    export = access.get_export_or_404(request.user, pk)
    done = export.status == CycleExport.Status.DONE
    return JsonResponse(
        {
            "status": export.status,
            "status_display": export.get_status_display(),
            "done": export.done,
            "total": export.total,
            "percent": percent(export),
            "error": export.error,
            "download_url": reverse("reports:export_download", args=[export.pk]) if done else None,
        }
    )


@require_safe
@role_required(Role.HR)
def export_download(request, pk):
    export = access.get_export_or_404(request.user, pk)
    if export.status != CycleExport.Status.DONE or not export.path:
        raise Http404
    filename = builder.download_name(export)
    response, size = file_response(export.path, filename, "application/zip")
    audit.record(
        request,
        "export.downloaded",
        obj=export,
        cycle=export.cycle.title,
        filename=filename,
        bytes=size,
    )
    return response


def file_response(relative: str, filename: str, content_type: str) -> tuple[FileResponse, int]:
    """
    A file under PRIVATE_STORAGE_ROOT as a download that nothing caches, and its size;
    404 if the file is gone.
    """
    path = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response, path.stat().st_size


def percent(export: CycleExport) -> int:
    if export.status == CycleExport.Status.DONE:
        return 100
    return round(100 * export.done / export.total) if export.total else 0
