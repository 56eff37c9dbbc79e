"""
Cycles, for district admins: open one, follow who has submitted, add people (one, or all
who joined since it opened), close it after a confirmation, reopen it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import workflow
from ..access import get_cycle_or_404, role_required
from ..audit import client_address
from ..models import Assessment, Cycle, User
from ..roles import Role
from ..selectors import with_progress
from ..workflow_forms import AddParticipantForm, CycleForm
from .errors import show_errors


@require_safe
@role_required(Role.ADMIN)
def cycle_list(request):
    cycles = Cycle.objects.manageable_by(request.user).select_related("framework")
    page = Paginator(cycles, 25).get_page(request.GET.get("page"))
    return render(request, "assessments/cycles/list.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def cycle_new(request):
    form = CycleForm(request.POST if request.method == "POST" else None, admin=request.user)
    if form.is_valid():
        try:
            cycle = workflow.open_cycle(
                actor=request.user,
                district=request.user.district,
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                due_on=form.cleaned_data["due_on"],
                people=form.participants(),
                address=client_address(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cycle} is open; participants will be emailed shortly.")
            return redirect("assessments:cycle", cycle.pk)
    return render(request, "assessments/cycles/new.html", {"form": form})


@require_safe
@role_required(Role.ADMIN)
def cycle_detail(request, pk):
    cycle = get_cycle_or_404(request.user, pk, purpose="manage")
    assessments = with_progress(
        Assessment.objects.trackable_by(request.user)
        .filter(cycle=cycle)
        .select_related("person", "role_profile")
    ).order_by("person__full_name")
    ctx = {
        "cycle": cycle,
        "assessments": assessments,
        "add_form": AddParticipantForm(admin=request.user, cycle=cycle),
        "newcomers": list(_newcomers(request.user, cycle)),
    }
    return render(request, "assessments/cycles/detail.html", ctx)


def _newcomers(admin, cycle):
    """People with a job role added to the district since ``cycle`` opened, not in it yet."""
    return (
        User.objects.manageable_by(admin)
        .filter(is_active=True, date_joined__gte=cycle.created_at)
        .exclude(job_role="")
        .exclude(assessments__cycle=cycle)
        .order_by("full_name", "email")
    )


@require_POST
@role_required(Role.ADMIN)
def cycle_add_newcomers(request, pk):
    """Give everyone added to the district since the cycle opened an assessment, or nobody."""
    cycle = get_cycle_or_404(request.user, pk, purpose="manage")
    try:
        added = workflow.add_participants(
            actor=request.user,
            cycle=cycle,
            people=_newcomers(request.user, cycle),
            address=client_address(request),
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, f"{len(added)} new {'person' if len(added) == 1 else 'people'} added."
        )
    return redirect("assessments:cycle", pk)


@require_POST
@role_required(Role.ADMIN)
def cycle_add_participant(request, pk):
    cycle = get_cycle_or_404(request.user, pk, purpose="manage")
    form = AddParticipantForm(request.POST, admin=request.user, cycle=cycle)
    if not form.is_valid():
        messages.error(request, "Choose a person of your district who is not in this cycle yet.")
        return redirect("assessments:cycle", pk)
    try:
        workflow.add_participant(
            actor=request.user,
            cycle=cycle,
            person=form.cleaned_data["person"],
            address=client_address(request),
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, f"{form.cleaned_data['person']} now has an assessment.")
    return redirect("assessments:cycle", pk)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def cycle_close(request, pk):
    """GET asks for confirmation, listing who has not submitted or not been reviewed."""
    cycle = get_cycle_or_404(request.user, pk, purpose="manage")
    if request.method == "POST":
        workflow.close_cycle(actor=request.user, cycle=cycle, address=client_address(request))
        messages.success(request, f"{cycle} is closed.")
        return redirect("assessments:cycle", pk)
    waiting = (
        Assessment.objects.trackable_by(request.user)
        .filter(cycle=cycle, status__in=[*Assessment.EDITABLE, Assessment.Status.SUBMITTED])
        .select_related("person")
        .order_by("person__full_name")
    )
    ctx = {
        "cycle": cycle,
        "not_submitted": [a for a in waiting if a.is_editable],
        "not_reviewed": [a for a in waiting if not a.is_editable],
    }
    return render(request, "assessments/cycles/close.html", ctx)


@require_POST
@role_required(Role.ADMIN)
def cycle_reopen(request, pk):
    cycle = get_cycle_or_404(request.user, pk, purpose="manage")
    try:
        workflow.reopen_cycle(actor=request.user, cycle=cycle, address=client_address(request))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, f"{cycle} is open again.")
    return redirect("assessments:cycle", pk)
