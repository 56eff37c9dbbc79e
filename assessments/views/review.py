"""The lead's review: their own level and note per competency, then return or finalize."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import workflow
from ..access import get_assessment_or_404
from ..audit import client_address
from ..selectors import assessment_page
from .inputs import changes_from, version_of


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def review(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="review")
    page = assessment_page(assessment)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        address = client_address(request)
        competency_ids = [i.competency.pk for i in page.items]
        try:
            with transaction.atomic():  # the review and the step that follows, or neither
                _review_step(request, assessment, action, competency_ids, address)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("assessments:review", pk)
        if action == "return":
            messages.success(request, f"Returned to {assessment.person} for revision.")
            return redirect("home")
        if action == "finalize":
            messages.success(request, f"{assessment.person}'s assessment is finalized.")
            return redirect("assessments:detail", pk)
        messages.success(request, "Your review is saved.")
        return redirect("assessments:review", pk)
    return render(request, "assessments/review.html", {"assessment": assessment, "page": page})


def _review_step(request, assessment, action, competency_ids, address) -> None:
    workflow.save_review(
        reviewer=request.user,
        assessment=assessment,
        version=version_of(request.POST),
        changes=changes_from(request.POST, competency_ids, prefix="reviewer-"),
        comment=request.POST.get("comment"),
        address=address,
    )
    if action == "return":
        workflow.return_for_revision(
            reviewer=request.user,
            assessment=assessment,
            message=request.POST.get("message", ""),
            address=address,
        )
    elif action == "finalize":
        workflow.finalize(reviewer=request.user, assessment=assessment, address=address)
