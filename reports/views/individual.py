"""One person's gap report: the page, and the PDF (the official file once finalized)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import get_assessment_or_404
from assessments.models import Team
from assessments.roles import LEAD, Role
from reports import official
from reports.downloads import attachment, report_filename
from reports.individual import individual_context
from reports.working_copy import working_copy_pdf


@require_safe
@login_required
def individual(request, pk):
    assessment = get_assessment_or_404(request.user, pk)
    ctx = individual_context(assessment)
    audit.record(
        request, "report.viewed", obj=assessment, district=ctx["district"], report="individual"
    )
    ctx["competency_team"] = _competency_team(request.user, assessment)
    return render(request, "reports/individual.html", ctx)


def _competency_team(viewer, assessment):
    """
    The team whose competency pages the page links each competency to: the person's
    team, when the viewer may read its report (``Team.objects.reportable_by``); else
    None. One query, only for a superintendent or a lead.
    """
    team_id = assessment.person.team_id
    if team_id is None or not viewer.has_role(Role.SUPERINTENDENT, LEAD):
        return None
    return Team.objects.reportable_by(viewer).filter(pk=team_id).first()


@require_safe
@login_required
def individual_pdf(request, pk):
    """
    The official PDF, byte for byte, once the assessment has one: the latest version, or
    the one named by ``?version=`` (1 or 2; an unknown version answers 404). Before that
    (or for a record finalized before official PDFs existed) a working copy rendered now
    and marked "Working copy — not the official record", rendered once per state of the
    report (``reports.working_copy``).
    """
    assessment = get_assessment_or_404(request.user, pk)
    version = request.GET.get("version")
    if version is not None:
        if version not in ("1", "2"):
            raise Http404
        stored = official.find_official(assessment, version=int(version))
        if stored is None:
            raise Http404
    else:
        stored = official.find_official(assessment)
    if stored is not None:
        return attachment(
            request,
            official.read_official(stored),
            filename=report_filename(
                assessment.cycle,
                assessment.person,
                "official" if stored.version == 1 else f"official-v{stored.version}",
            ),
            content_type="application/pdf",
            obj=assessment,
            district=assessment.cycle.district,
            sha256=stored.sha256,
            report="individual",
            kind="official",
            version=stored.version,
        )
    content = working_copy_pdf(assessment)
    return attachment(
        request,
        content,
        filename=report_filename(assessment.cycle, assessment.person, "working-copy"),
        content_type="application/pdf",
        obj=assessment,
        district=assessment.cycle.district,
        report="individual",
        kind="working copy",
    )
