"""
The rating form: one step per domain and a final review step; each change autosaves,
and without script each step's Save button saves the whole step.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frameworks.content import content_of

from .. import workflow
from ..access import get_assessment_or_404
from ..audit import client_address
from ..models import Cycle
from ..rating_forms import AutosaveForm, RatingStepForm, VersionForm
from ..selectors import assessment_page
from ..workflow import LockedError, StaleVersionError
from .errors import refused, show_errors

REVIEW_STEP = "review"


@require_safe
@login_required
def rate(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    if not assessment.is_editable:
        return redirect("assessments:detail", pk)
    steps = content_of(assessment.cycle.framework).steps
    return redirect("assessments:rate_step", pk, steps[0].code if steps else REVIEW_STEP)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rate_step(request, pk, step):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    if assessment.cycle.status == Cycle.Status.CLOSED:
        messages.error(request, "This cycle is closed.")
        return redirect("assessments:detail", pk)
    if not assessment.is_editable:
        messages.info(request, "This assessment is no longer open for changes.")
        return redirect("assessments:detail", pk)
    content = content_of(assessment.cycle.framework)
    steps = [d.code for d in content.steps] + [REVIEW_STEP]
    if step not in steps:
        raise Http404
    domain = next((d for d in content.steps if d.code == step), None)
    if request.method == "POST":
        form = RatingStepForm(
            request.POST,
            competency_ids=[c.pk for c in content.competencies_of(domain)],
            scale=list(content.scale),
        )
        if not _saved(request, assessment, form):
            return redirect("assessments:rate_step", pk, step)
        messages.success(request, f"Saved at {timezone.localtime():%H:%M}.")
        if form.cleaned_data["next"] and step != REVIEW_STEP:  # the review step is the last
            step = steps[steps.index(step) + 1]
        return redirect("assessments:rate_step", pk, step)

    page = assessment_page(assessment, domain=domain)
    position = steps.index(step)
    ctx = {
        "assessment": assessment,
        "page": page,
        "domain": domain,
        "steps": list(
            zip(steps, [d.title for d in content.steps] + ["Review and submit"], strict=True)
        ),
        "step": step,
        "step_number": position + 1,
        "previous_step": steps[position - 1] if position else None,
        "next_step": steps[position + 1] if position + 1 < len(steps) else None,
    }
    if domain is None:
        ctx["unrated"] = [item for item in page.items if item.rating.level_id is None]
        return render(request, "assessments/rate_review.html", ctx)
    return render(request, "assessments/rate_step.html", ctx)


def _saved(request, assessment, form: RatingStepForm) -> bool:
    """Save a whole step; False, with the errors shown, when it was refused."""
    if not form.is_valid():
        show_errors(request, form)
        return False
    try:
        workflow.save_ratings(
            person=request.user,
            assessment=assessment,
            version=form.cleaned_data["version"],
            changes=form.changes(),
        )
    except ValidationError as error:
        show_errors(request, error)
        return False
    return True


@require_POST
@login_required
def autosave(request, pk):
    """
    Save one change as it happens. Answers JSON: the new version, the time, and the
    progress; 409 when the assessment changed elsewhere; 400 for anything invalid.
    """
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    content = content_of(assessment.cycle.framework)
    form = AutosaveForm(
        request.POST,
        competency_ids=[c.pk for c in content.competencies],
        scale=list(content.scale),
    )
    if not form.is_valid():
        return JsonResponse({"error": " ".join(refused(form))}, status=400)
    try:
        saved = workflow.save_ratings(
            person=request.user,
            assessment=assessment,
            version=form.cleaned_data["version"],
            changes=[form.change()],
        )
    except (StaleVersionError, LockedError) as error:
        return JsonResponse({"error": error.messages[0]}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(refused(error))}, status=400)
    progress = saved.ratings.aggregate(
        rated=Count("pk", filter=Q(level__isnull=False)), total=Count("pk")
    )
    return JsonResponse(
        {
            "version": saved.version,
            "saved_at": f"{timezone.localtime(saved.updated_at):%H:%M:%S}",
            **progress,
        }
    )


@require_POST
@login_required
def submit(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    form = VersionForm(request.POST)
    refusal = None if form.is_valid() else form
    if refusal is None:
        try:
            workflow.submit(
                person=request.user,
                assessment=assessment,
                version=form.cleaned_data["version"],
                address=client_address(request),
            )
        except ValidationError as error:
            refusal = error
    if refusal is not None:
        show_errors(request, refusal)
        if assessment.is_editable:
            return redirect("assessments:rate_step", pk, REVIEW_STEP)
        return redirect("assessments:detail", pk)
    reviewer = request.user.reviewer()
    messages.success(
        request,
        f"Submitted. {reviewer or 'Your reviewer'} will be emailed shortly; you can now plan "
        "your growth.",
    )
    return redirect("assessments:plan", pk)
