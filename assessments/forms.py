"""
Forms of the district admin pages. They validate and tidy input only; the writes are in
``assessments.people`` and ``assessments.roster``. Every choice of a team or a person is
limited to the signed-in person's district, so an id of another district is an invalid
choice; the district itself is never a form field.
"""

from django import forms
from django.utils.crypto import constant_time_compare

from . import audit, people, roster
from .models import Team, User


class PersonChoiceField(forms.ModelChoiceField):
    """A person named by name and email, so that two people of one name can be told apart."""

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class PeopleSearchForm(forms.Form):
    q = forms.CharField(required=False)


class PersonForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    job_role = forms.ChoiceField(required=False)
    reports_to = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text=(
            "Their reviewer when they lead their team (or their team has no lead): e.g. the "
            "CTO reports to the superintendent. Otherwise the team's lead reviews them."
        ),
    )
    # HR and superintendent are not offered: only a platform admin grants them.
    roles = forms.MultipleChoiceField(
        choices=people.district_admin_role_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Leading a team is not a role here: choose the lead on the Teams page. HR and "
            "superintendent are granted by a platform admin."
        ),
    )

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.in_district_of(viewer)
        self.fields["reports_to"].queryset = User.objects.in_district_of(viewer).filter(
            is_active=True
        )
        self.fields["job_role"].choices = [("", "—"), *people.job_role_choices()]

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())


class InviteForm(PersonForm):
    email = forms.EmailField(max_length=254)

    field_order = ["email", "full_name", "team", "job_role", "reports_to", "roles"]

    def clean_email(self):
        return people.normalize_email(self.cleaned_data["email"])


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class TeamEditForm(TeamForm):
    lead = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="An active person of your district. The lead reviews the team's work.",
    )

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = User.objects.in_district_of(viewer).filter(is_active=True)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV file",
        help_text="UTF-8 CSV, at most 1 MB, with the columns of the template.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > roster.MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB. Split it into smaller files."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class RosterCommitForm(forms.Form):
    """
    The preview's Import button. It names the upload it was shown for (a token kept with
    the file in the session), so that a preview left open never imports a newer upload.
    """

    STALE = "That preview is out of date. Check this one and import again."

    token = forms.CharField(error_messages={"required": STALE})

    def __init__(self, *args, token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_token = token

    def clean_token(self):
        if not constant_time_compare(self.cleaned_data["token"], self.expected_token):
            raise forms.ValidationError(self.STALE)
        return self.cleaned_data["token"]


class AuditFilterForm(forms.Form):
    person = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="Events by this person or about them.",
    )
    action = forms.ChoiceField(required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, viewer: User, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.in_district_of(viewer)
        self.fields["action"].choices = [("", "Any action")] + [
            (a, audit.action_label(a)) for a in actions
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data
