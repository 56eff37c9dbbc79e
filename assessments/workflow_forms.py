"""Forms of the assessment workflow: opening a cycle, the development plan."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone

from frameworks.models import Framework

from .models import DevelopmentGoal, Team, User
from .plans import GoalInput


class CycleForm(forms.Form):
    """Open a cycle; choices come only from the signed-in admin's own district."""

    title = forms.CharField(max_length=200)
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.none(), help_text="Only published versions can be used."
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People outside the chosen teams who also take part.",
    )

    def __init__(self, *args, admin: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.published()
        self.fields["teams"].queryset = Team.objects.manageable_by(admin)
        self.fields["people"].queryset = User.objects.manageable_by(admin).filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date cannot come before the opening date.")
        if not cleaned.get("teams") and not cleaned.get("people"):
            raise ValidationError("Choose at least one team or person.")
        return cleaned

    def participants(self) -> list[User]:
        chosen = {p.pk: p for p in self.cleaned_data["people"]}
        for team in self.cleaned_data["teams"]:
            for person in team.members.filter(is_active=True):
                chosen.setdefault(person.pk, person)
        return list(chosen.values())


class AddParticipantForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, admin: User, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.manageable_by(admin)
            .filter(is_active=True)
            .exclude(assessments__cycle=cycle)
        )


class AcknowledgeForm(forms.Form):
    """The person's acknowledgment of their finalized assessment, with an optional comment."""

    # Kept as written: the service checks its length and trims it.
    comment = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class GoalForm(forms.Form):
    competency = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    goal = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actions = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resource = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    target_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, competency_choices, resource_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "— no goal in this row —"), *competency_choices]
        self.fields["resource"].choices = [("", "— none —"), *resource_choices]

    def clean_target_date(self):
        target = self.cleaned_data["target_date"]
        if target is not None and target < timezone.localdate():
            raise forms.ValidationError("The target date is in the past: choose a later one.")
        return target

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("competency") is None:
            # A row written without its competency is refused, never silently dropped.
            if any(cleaned.get(name) for name in ("goal", "actions", "resource", "target_date")):
                self.add_error(
                    "competency", "Choose the competency this goal is for, or clear the row."
                )
            return cleaned
        for name in ("goal", "actions", "target_date"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, "Needed for every goal.")
        return cleaned


class BaseDevelopmentPlanFormSet(BaseFormSet):
    """Five rows of goals; rows without a competency are left out."""

    def __init__(self, data=None, *, page, goals: list[DevelopmentGoal]):
        self.page = page
        initial = [
            {
                "competency": g.competency_id,
                "goal": g.goal,
                "actions": g.actions,
                "resource": g.resource_id,
                "target_date": g.target_date,
            }
            for g in goals
        ]
        super().__init__(data, initial=initial, prefix="goals")

    def get_form_kwargs(self, index):
        resources = [
            (
                f"{item.competency.code} {item.competency.title}",
                [(r.pk, f"{r.publisher}: {r.title}") for r in item.competency.resources.all()],
            )
            for item in self.page.items
        ]
        return {
            "competency_choices": [
                (item.competency.pk, f"{item.competency.code} {item.competency.title}")
                for item in self.page.items
            ],
            "resource_choices": resources,
        }

    def clean(self):
        chosen = [
            f.cleaned_data.get("competency")
            for f in self.forms
            if f.cleaned_data.get("competency") is not None
        ]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Each competency can have one goal.")

    def goals(self) -> list[GoalInput]:
        return [
            GoalInput(
                competency_id=f.cleaned_data["competency"],
                goal=f.cleaned_data["goal"],
                actions=f.cleaned_data["actions"],
                resource_id=f.cleaned_data["resource"],
                target_date=f.cleaned_data["target_date"],
            )
            for f in self.forms
            if f.cleaned_data.get("competency") is not None
        ]


DevelopmentPlanFormSet = formset_factory(
    GoalForm,
    formset=BaseDevelopmentPlanFormSet,
    extra=DevelopmentGoal.MAX_PER_ASSESSMENT,
    max_num=DevelopmentGoal.MAX_PER_ASSESSMENT,
    absolute_max=DevelopmentGoal.MAX_PER_ASSESSMENT,
    validate_max=True,
)


class LeadCommentFormSet(forms.Form):
    """One comment box per goal, for the lead."""

    def __init__(self, data=None, *, goals: list[DevelopmentGoal]):
        super().__init__(data, prefix="comments")
        self.goal_list = goals
        for goal in goals:
            self.fields[f"goal-{goal.pk}"] = forms.CharField(
                label=f"Your comment on {goal.competency.code}",
                max_length=2000,
                required=False,
                initial=goal.lead_comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"goal-{goal.pk}"] for goal in self.goal_list}
