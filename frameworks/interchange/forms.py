from django import forms

from .safe_json import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A CASE 1.0/1.1 JSON package or the portal's CSV format, up to 5 MB."
    )
    format = forms.ChoiceField(
        choices=[("", "From the file name (.json or .csv)"), ("case", "CASE JSON"), ("csv", "CSV")],
        required=False,
    )
    competency_depth = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=20,
        label="Depth of the competencies (CASE)",
        help_text="The depth of the tree whose items are rated, 1 = the top. Empty: the "
        "portal's own competencies, else the depth the rubrics describe, else 2.",
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Dry run: check and compare only, write nothing",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; files up to 5 MB are accepted."
            )
        return upload
