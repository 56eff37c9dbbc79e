"""HR: the district's finalized and acknowledged assessments, each with its official PDF."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.access import role_required
from assessments.models import Assessment, Cycle, Team
from assessments.roles import Role
from reports.official import latest_first

PER_PAGE = 25


class OfficialFilterForm(forms.Form):
    """Filters of the HR list; choices limited to the viewer's district."""

    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Finalized or acknowledged")]
        + [(s, label) for s, label in Assessment.Status.choices if s in Assessment.OFFICIAL],
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.visible_to(viewer)
        self.fields["team"].queryset = Team.objects.visible_to(viewer)


@require_safe
@role_required(Role.HR)
def official_list(request):
    # visible_to keeps HR to their district and to official work; the status filter keeps
    # an HR person's own or team's drafts (when they also lead a team) out of this list.
    found = Assessment.objects.visible_to(request.user).filter(status__in=Assessment.OFFICIAL)
    form = OfficialFilterForm(request.GET or None, viewer=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["cycle"]:
            found = found.filter(cycle=data["cycle"])
        if data["team"]:
            found = found.filter(person__team=data["team"])
        if data["status"]:
            found = found.filter(status=data["status"])
    elif form.is_bound:
        found = found.none()
    found = (
        found.select_related("cycle", "person__team", "reviewer")
        .prefetch_related(latest_first())
        .order_by("-cycle__opens_on", "cycle_id", "person__full_name", "pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page}
    return render(request, "reports/hr_list.html", ctx)
