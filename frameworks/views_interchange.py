"""Framework files in and out: the import page for platform admins, export downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .access import get_framework_import_or_404, get_framework_or_404, platform_admin_required
from .interchange import background, requesting
from .interchange.forms import ImportForm
from .interchange.safe_json import MAX_BYTES
from .interchange.service import (
    EXPORT_FILES,
    EXPORT_FORMATS,
    export_filename,
    export_framework,
    guess_format,
    import_framework,
)


@require_http_methods(["GET", "HEAD", "POST"])
@platform_admin_required
def framework_import(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        format = form.cleaned_data["format"] or guess_format(upload.name)
        if format is None:
            form.add_error(
                "format", "Choose the format: the file name ends in neither .json nor .csv."
            )
        elif upload.size > background.BACKGROUND_BYTES:
            job = requesting.queue_import(
                actor=request.user,
                content=upload.read(MAX_BYTES + 1),
                filename=upload.name,
                format=format,
                dry_run=form.cleaned_data["dry_run"],
                competency_depth=form.cleaned_data["competency_depth"],
            )
            return redirect("frameworks:import_detail", job.pk)
        else:
            result = import_framework(
                content=upload.read(MAX_BYTES + 1),
                format=format,
                dry_run=form.cleaned_data["dry_run"],
                competency_depth=form.cleaned_data["competency_depth"],
            )
            if result.framework is not None:
                messages.success(
                    request,
                    f"Imported as the draft version {result.version} with "
                    f"{len(result.warnings)} warning(s). Publish it in the admin when it is ready.",
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(result.framework)
    ctx = {"form": form, "result": result}
    return render(request, "frameworks/import.html", ctx)


@never_cache
@require_safe
@platform_admin_required
def import_detail(request, pk):
    """A file imported in the background: how far it got, then what the import page shows."""
    job = get_framework_import_or_404(request.user, pk)
    ctx = {"job": job, "result": job.result if job.finished else None}
    return render(request, "frameworks/import_detail.html", ctx)


@require_safe
@login_required
def framework_export(request, slug, version, format):
    framework = get_framework_or_404(request.user, slug, version)
    if format not in EXPORT_FORMATS:
        raise Http404
    response = HttpResponse(
        export_framework(framework=framework, format=format),
        content_type=f"{EXPORT_FILES[format][0]}; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(framework, format)
    )
    return response
