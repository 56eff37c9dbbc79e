"""
The reviewer's review: their own level and note per competency (or the self-ratings of a
domain taken as theirs), then return for revision, or go on to the finalize confirmation
page (``reports.views.finalize``): finalizing is done there only, by POST. The review and
the step after it are one transaction, in ``workflow.review_and_step``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frameworks.content import content_of

from .. import workflow
from ..access import get_assessment_or_404
from ..audit import client_address
from ..rating_forms import ReviewForm
from ..selectors import assessment_page
from .errors import show_errors


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def review(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="review")
    if request.method == "POST":
        return _save(request, assessment)
    page = assessment_page(assessment)
    ctx = {
        "assessment": assessment,
        "page": page,
        "reviewed": sum(1 for item in page.items if item.rating.reviewer_level_id is not None),
    }
    return render(request, "assessments/review.html", ctx)


def _save(request, assessment):
    """Save the review and take the step asked for; back to the review when refused."""
    content = content_of(assessment.cycle.framework)
    form = ReviewForm(
        request.POST,
        competency_ids=[c.pk for c in content.competencies],
        scale=list(content.scale),
        domain_codes=[d.code for d in content.domains],
    )
    if not form.is_valid():
        show_errors(request, form)
        return redirect("assessments:review", assessment.pk)
    try:
        agreed = workflow.review_and_step(
            reviewer=request.user,
            assessment=assessment,
            version=form.cleaned_data["version"],
            changes=form.changes(),
            comment=form.comment_sent,
            step=form.step,
            message=form.cleaned_data["message"],
            domain_code=form.cleaned_data["agree"],
            address=client_address(request),
        )
    except ValidationError as error:
        show_errors(request, error)
        return redirect("assessments:review", assessment.pk)
    return _after(request, assessment, form, agreed)


def _after(request, assessment, form, agreed: int):
    """Where the reviewer goes after a step, told what was done."""
    if form.step == "return":
        messages.success(request, f"Returned to {assessment.person} for revision.")
        return redirect("home")
    if form.step == "finalize":
        messages.success(request, "Your review is saved. Check it, then finalize.")
        return redirect("reports:finalize", assessment.pk)
    if form.step == "agree":
        messages.success(
            request,
            f"Your review is saved, and you agreed with {agreed} self-rating"
            f"{'' if agreed == 1 else 's'} in {form.cleaned_data['agree']}.",
        )
    else:
        messages.success(request, "Your review is saved.")
    return redirect("assessments:review", assessment.pk)
