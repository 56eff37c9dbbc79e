"""
HR: the district's finalized and acknowledged assessments, each with its official PDF;
searched by name, filtered, sorted by column, 25 to a page.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.access import role_required
from assessments.models import Assessment, Cycle, Team
from assessments.roles import Role
from reports.official import latest_first

PER_PAGE = 25
# The sortable columns: key → (heading, what it orders by first). Whatever the column,
# ties fall back to the person's name and the id, so pages never overlap.
COLUMNS = {
    "person": ("Person", F("person__full_name")),
    "team": ("Team", F("person__team__name")),
    "cycle": ("Cycle", F("cycle__opens_on")),
    "status": ("Status", F("status")),
    "finalized": ("Finalized", F("finalized_at")),
}
DEFAULT_SORT = "-cycle"  # the latest cycle first
TIES = ("cycle_id", "person__full_name", "pk")


class SortField(forms.ChoiceField):
    """A whitelisted sort key; anything else (hostile, stale, missing) is the default."""

    def clean(self, value):
        return value if value and self.valid_value(value) else self.initial


class OfficialFilterForm(forms.Form):
    """Search, filters and order of the HR list; choices limited to the viewer's district."""

    q = forms.CharField(label="Name", required=False, max_length=100)
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Finalized or acknowledged")]
        + [(s, label) for s, label in Assessment.Status.choices if s in Assessment.OFFICIAL],
    )
    sort = SortField(
        required=False,
        initial=DEFAULT_SORT,
        choices=[(f"{sign}{key}", key) for key in COLUMNS for sign in ("", "-")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.visible_to(viewer)
        self.fields["team"].queryset = Team.objects.visible_to(viewer)

    def ordering(self) -> tuple:
        """The ``order_by`` of the chosen sort key (the default until the form is valid)."""
        key = self.cleaned_data["sort"] if self.is_valid() else DEFAULT_SORT
        first = COLUMNS[key.lstrip("-")][1]
        first = first.desc(nulls_last=True) if key.startswith("-") else first.asc(nulls_last=True)
        return (first, *TIES)


def _filtered(found, data: dict):
    for word in data["q"].split():
        found = found.filter(person__full_name__icontains=word)
    if data["cycle"]:
        found = found.filter(cycle=data["cycle"])
    if data["team"]:
        found = found.filter(person__team=data["team"])
    if data["status"]:
        found = found.filter(status=data["status"])
    return found


def _headings(form: OfficialFilterForm) -> list[dict]:
    """Each column's heading: its sort link (the other way round when already sorted by
    it) and its ``aria-sort``."""
    current = form.cleaned_data["sort"] if form.is_valid() else DEFAULT_SORT
    headings = []
    for key, (label, _) in COLUMNS.items():
        direction = {key: "ascending", f"-{key}": "descending"}.get(current, "")
        toggled = f"-{key}" if current == key else key
        headings.append({"label": label, "sort": toggled, "aria_sort": direction})
    return headings


@require_safe
@role_required(Role.HR)
def official_list(request):
    # visible_to keeps HR to their district and to official work; the status filter keeps
    # an HR person's own or team's drafts (when they also lead a team) out of this list.
    found = Assessment.objects.visible_to(request.user).filter(status__in=Assessment.OFFICIAL)
    form = OfficialFilterForm(request.GET or None, viewer=request.user)
    if form.is_valid():
        found = _filtered(found, form.cleaned_data)
    elif form.is_bound:
        found = found.none()
    found = (
        found.select_related("cycle", "person__team", "reviewer")
        .prefetch_related(latest_first())
        .order_by(*form.ordering())
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "headings": _headings(form)}
    return render(request, "reports/hr_list.html", ctx)
