"""
The finalize confirmation page: what becomes the official record, the reviewer's
readiness, the differences of two or more levels, and that it cannot be undone. Finalizing
is done here only, by POST (``assessments.workflow.finalize``, which stores the official
PDF). It lives in reports because it shows the report's figures.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import workflow
from assessments.access import get_assessment_or_404
from assessments.audit import client_address
from reports.individual import individual_context

# Self and reviewer levels this far apart are listed before finalizing.
WIDE_DIFFERENCE = 2


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def finalize(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="review")
    if request.method == "POST":
        try:
            workflow.finalize(
                reviewer=request.user, assessment=assessment, address=client_address(request)
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reports:finalize", pk)
        messages.success(
            request,
            f"{assessment.person}'s assessment is finalized; they are asked to acknowledge it.",
        )
        return redirect("assessments:detail", pk)
    ctx = individual_context(assessment)
    report = ctx["report"]
    ctx["missing"] = (
        report.reviewer_side.unrated if report.has_reviewer else len(report.competencies)
    )
    ctx["differences"] = [
        row
        for section in ctx["domains"]
        for row in section.rows
        if row.result.line.self_rating is not None
        and row.result.line.reviewer_rating is not None
        and abs(row.result.line.self_rating - row.result.line.reviewer_rating) >= WIDE_DIFFERENCE
    ]
    return render(request, "reports/finalize.html", ctx)
