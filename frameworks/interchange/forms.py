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
