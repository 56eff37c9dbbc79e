"""An assessment as a record: reading it, acknowledging it, and the development plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import plans, workflow
from ..access import get_assessment_or_404
from ..audit import client_address
from ..models import Assessment
from ..selectors import assessment_page, suggested_focus
from ..workflow_forms import AcknowledgeForm, DevelopmentPlanFormSet, LeadCommentFormSet
from .errors import show_errors


@require_safe
@login_required
def detail(request, pk):
    assessment = get_assessment_or_404(request.user, pk)
    ctx = {
        "assessment": assessment,
        "page": assessment_page(assessment),
        "goals": assessment.goals.select_related("competency", "resource"),
        "is_mine": assessment.person_id == request.user.pk,
        "reviewer": assessment.reviewer or assessment.person.reviewer(),
        # The official PDFs kept (reports.OfficialReport), read through the relation.
        "official_versions": list(assessment.official_reports.all())
        if not assessment.is_editable
        else [],
        "can_review": Assessment.objects.reviewable_by(request.user).filter(pk=pk).exists(),
        "can_plan": not assessment.is_editable
        and Assessment.objects.plannable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "assessments/detail.html", ctx)


@require_POST
@login_required
def acknowledge(request, pk):
    assessment = get_assessment_or_404(request.user, pk, purpose="own")
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        show_errors(request, form)
        return redirect("assessments:detail", pk)
    try:
        workflow.acknowledge(
            person=request.user,
            assessment=assessment,
            comment=form.cleaned_data["comment"],
            address=client_address(request),
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, "Thank you: your acknowledgment is recorded.")
    return redirect("assessments:detail", pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan(request, pk):
    """The person writes up to five goals; their lead may comment on each."""
    assessment = get_assessment_or_404(request.user, pk, purpose="plan")
    page = assessment_page(assessment)
    is_mine = assessment.person_id == request.user.pk  # else their lead
    if assessment.is_editable:
        messages.info(request, "The development plan opens once the assessment is submitted.")
        return redirect("assessments:detail", pk)

    goals = list(assessment.goals.select_related("competency", "resource"))
    data = request.POST if request.method == "POST" else None
    if is_mine:
        formset = DevelopmentPlanFormSet(data, page=page, goals=goals)
    else:
        formset = LeadCommentFormSet(data, goals=goals)
    if formset.is_bound and formset.is_valid():
        try:
            if is_mine:
                plans.save_plan(
                    person=request.user,
                    assessment=assessment,
                    goals=formset.goals(),
                    address=client_address(request),
                )
            else:
                plans.comment_on_plan(
                    lead=request.user,
                    assessment=assessment,
                    comments=formset.comments(),
                    address=client_address(request),
                )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, "The development plan is saved.")
            return redirect("assessments:plan", pk)
    ctx = {
        "assessment": assessment,
        "formset": formset,
        "goals": goals,
        "is_mine": is_mine,
        "suggestions": suggested_focus(page),
    }
    return render(request, "assessments/plan.html", ctx)
