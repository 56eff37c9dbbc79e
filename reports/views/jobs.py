"""
Reports rendered in the background (``reports.exports.report_jobs``): the team and
district PDF views and the team's ZIP call ``offer_or_queue``; then the job's progress
page, its JSON status for the progress bar (static/js/export-progress.js), and the file.

Every look goes through ``reports.exports.access.get_report_job_or_404``: only the person
who asked, and only while they may still read the report; anything else is 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments import audit
from assessments.models import Cycle, Team

from ..basis import basis_from
from ..exports import access, report_jobs, requesting, sweep
from ..models import CycleExport
from .exports import file_response, percent

Kind = CycleExport.Kind
Status = CycleExport.Status


@require_http_methods(["GET", "HEAD", "POST"])
def offer_or_queue(request, *, kind: str, cycle: Cycle, team: Team | None = None):
    """
    GET: what will be rendered, with a button (a GET changes nothing); POST: queue it and
    go to its progress page. The caller has checked access to the report and the cycle.
    The figures' basis comes from ``?basis=`` (anything unknown: the default).
    """
    basis = basis_from(request.GET.get("basis"))
    if request.method == "POST":
        job = requesting.request_report(
            actor=request.user,
            kind=kind,
            cycle=cycle,
            team=team,
            basis=basis,
            address=audit.client_address(request),
        )
        return redirect("reports:job_detail", job.pk)
    ctx = {
        "kind": Kind(kind),
        "cycle": cycle,
        "team": team,
        "basis": basis if kind != Kind.TEAM_REPORTS else None,
    }
    return render(request, "reports/job_request.html", ctx)


def message(job: CycleExport) -> str:
    """Where the job stands, in words, for the page and the progress bar alike."""
    zip_of_reports = job.kind == Kind.TEAM_REPORTS
    if job.status == Status.QUEUED:
        return "Waiting for a worker to start."
    if job.status == Status.RUNNING:
        if zip_of_reports:
            return f"{job.done} of {job.total} reports added ({percent(job)}%)."
        return "Rendering the PDF."
    if job.status == Status.DONE:
        if zip_of_reports:
            return f"Done: {job.total} report{'s' if job.total != 1 else ''} in one ZIP file."
        return "Done: the PDF is ready."
    return "It failed."


def _swept_job(request, pk) -> CycleExport:
    """The viewer's job (404 for anyone else's), once stale jobs are marked failed."""
    sweep.sweep_stale()
    return access.get_report_job_or_404(request.user, pk)


@never_cache
@require_safe
@login_required
def job_detail(request, pk):
    job = _swept_job(request, pk)
    ctx = {"job": job, "percent": percent(job), "message": message(job)}
    return render(request, "reports/job_detail.html", ctx)


@never_cache
@require_safe
@login_required
def job_status(request, pk):
    """The job's progress as JSON, for the progress bar."""
    job = _swept_job(request, pk)
    done = job.status == Status.DONE
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": percent(job),
            "message": message(job),
            "error": job.error,
            "download_url": reverse("reports:job_download", args=[job.pk]) if done else None,
        }
    )


@require_safe
@login_required
def job_download(request, pk):
    job = access.get_report_job_or_404(request.user, pk)
    if job.status != Status.DONE or not job.path:
        raise Http404
    filename = report_jobs.download_name(job)
    response, size = file_response(job.path, filename, report_jobs.content_type(job))
    audit.record(
        request,
        "report.downloaded",
        obj=job.team or job.cycle.district,
        district=job.cycle.district,
        report=job.kind,
        cycle=job.cycle_id,
        filename=filename,
        bytes=size,
        **job.options,
    )
    return response
