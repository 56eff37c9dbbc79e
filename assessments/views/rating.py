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

from frameworks.models import Indicator, indicator_trees

from .. import workflow
from ..access import get_assessment_or_404
from ..audit import client_address
from ..models import Cycle
from ..selectors import assessment_page
from ..workflow import CLEAR, LockedError, RatingChange, StaleVersionError
from .inputs import changes_from, int_or_none, version_of

REVIEW_STEP = "review"


@require_safe
@login_required
def rate(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    if not assessment.is_editable:
        return redirect("assessments:detail", pk)
    first = _steps_of(assessment.cycle.framework).first()
    return redirect("assessments:rate_step", pk, first.code if first else REVIEW_STEP)


def _steps_of(framework):
    """The domains with competencies of their own, one step each (a CASE group's parent is none)."""
    return framework.domains.filter(competencies__isnull=False).distinct()


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
    domains = list(_steps_of(assessment.cycle.framework))
    steps = [d.code for d in domains] + [REVIEW_STEP]
    if step not in steps:
        raise Http404
    domain = next((d for d in domains if d.code == step), None)

    if request.method == "POST":
        try:
            page = assessment_page(assessment, domain=domain)
            workflow.save_ratings(
                person=request.user,
                assessment=assessment,
                version=version_of(request.POST),
                changes=changes_from(request.POST, [i.competency.pk for i in page.items]),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("assessments:rate_step", pk, step)
        messages.success(request, f"Saved at {timezone.localtime():%H:%M}.")
        if "next" in request.POST and step != REVIEW_STEP:  # the review step is the last
            step = steps[steps.index(step) + 1]
        return redirect("assessments:rate_step", pk, step)

    page = assessment_page(assessment, domain=domain)
    position = steps.index(step)
    ctx = {
        "assessment": assessment,
        "page": page,
        "domain": domain,
        "steps": list(zip(steps, [d.title for d in domains] + ["Review and submit"], strict=True)),
        "step": step,
        "step_number": position + 1,
        "previous_step": steps[position - 1] if position else None,
        "next_step": steps[position + 1] if position + 1 < len(steps) else None,
    }
    if domain is None:
        ctx["unrated"] = [item for item in page.items if item.rating.level_id is None]
        return render(request, "assessments/rate_review.html", ctx)
    trees = indicator_trees(Indicator.objects.filter(competency__domain=domain))
    for item in page.items:
        item.competency.indicator_tree = trees.get(item.competency.pk, [])
    return render(request, "assessments/rate_step.html", ctx)


@require_POST
@login_required
def autosave(request, pk):
    """
    Save one change as it happens. Answers JSON: the new version, the time, and the
    progress; 409 when the assessment changed elsewhere; 400 for anything invalid.
    """
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    try:
        competency_id = int_or_none(request.POST.get("competency"))
        level = request.POST.get("level")
        change = RatingChange(
            competency_id=competency_id or 0,
            level=(CLEAR if level == "" else int_or_none(level)) if level is not None else None,
            note=request.POST.get("note"),
        )
        assessment = workflow.save_ratings(
            person=request.user,
            assessment=assessment,
            version=version_of(request.POST),
            changes=[change],
        )
    except (StaleVersionError, LockedError) as error:
        return JsonResponse({"error": error.messages[0]}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    progress = assessment.ratings.aggregate(
        rated=Count("pk", filter=Q(level__isnull=False)), total=Count("pk")
    )
    return JsonResponse(
        {
            "version": assessment.version,
            "saved_at": f"{timezone.localtime(assessment.updated_at):%H:%M:%S}",
            **progress,
        }
    )


@require_POST
@login_required
def submit(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    try:
        workflow.submit(
            person=request.user,
            assessment=assessment,
            version=version_of(request.POST),
            address=client_address(request),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
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
