"""
The reviewer's review: their own level and note per competency (or the self-ratings of a
domain taken as theirs), then return for revision, or go on to the finalize confirmation
page (``reports.views.finalize``): finalizing is done there only, by POST.
"""

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
        action = "agree" if request.POST.get("agree") else request.POST.get("action", "save")
        address = client_address(request)
        competency_ids = [i.competency.pk for i in page.items]
        try:
            with transaction.atomic():  # the review and the step that follows, or neither
                agreed = _review_step(request, assessment, action, competency_ids, address)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("assessments:review", pk)
        if action == "return":
            messages.success(request, f"Returned to {assessment.person} for revision.")
            return redirect("home")
        if action == "finalize":
            messages.success(request, "Your review is saved. Check it, then finalize.")
            return redirect("reports:finalize", pk)
        if action == "agree":
            messages.success(
                request,
                f"Your review is saved, and you agreed with {agreed} self-rating"
                f"{'' if agreed == 1 else 's'} in {request.POST['agree']}.",
            )
            return redirect("assessments:review", pk)
        messages.success(request, "Your review is saved.")
        return redirect("assessments:review", pk)
    ctx = {
        "assessment": assessment,
        "page": page,
        "reviewed": sum(1 for item in page.items if item.rating.reviewer_level_id is not None),
    }
    return render(request, "assessments/review.html", ctx)


def _review_step(request, assessment, action, competency_ids, address) -> int:
    """Save the review, then take the step asked for; returns how many levels were agreed."""
    assessment = workflow.save_review(
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
    elif action == "agree":
        return workflow.agree_with_domain(
            reviewer=request.user,
            assessment=assessment,
            version=assessment.version,
            domain_code=request.POST["agree"],
            address=address,
        )
    return 0
