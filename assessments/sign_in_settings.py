"""
A district's sign-in settings, as its admin edits them: the provider (its client secret
encrypted and never shown again), password sign-in, who needs a second factor, and the
district's email domains (verified by a platform admin, see ``SignInDomain``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit, sso
from .models import SignInDomain, SignInSettings

FIELDS = [
    "second_factor_for_hr_and_superintendents",
    "sso_enabled",
    "issuer",
    "client_id",
    "create_on_first_sign_in",
    "password_sign_in",
]


class SignInSettingsForm(forms.ModelForm):
    client_secret = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the stored secret. It is stored encrypted and never shown.",
    )
    new_domain = forms.CharField(
        label="Add an email domain",
        required=False,
        max_length=253,
        help_text="e.g. northfield.k12.example. A platform admin verifies it before it is used.",
    )

    field_order = [*FIELDS[:4], "client_secret", *FIELDS[4:], "new_domain"]

    class Meta:
        model = SignInSettings
        fields = FIELDS
        help_texts = {
            "issuer": "Google: https://accounts.google.com · Entra ID: "
            "https://login.microsoftonline.com/<tenant id>/v2.0 · any OpenID Connect issuer.",
            "password_sign_in": "Off: people of the district sign in through the provider only.",
            "create_on_first_sign_in": "Someone not on the roster who signs in through the "
            "provider with a verified address of the district becomes a staff member.",
        }

    def clean_new_domain(self):
        domain = self.cleaned_data["new_domain"].strip().lower().lstrip("@")
        if domain and SignInDomain.objects.filter(domain=domain).exists():
            raise ValidationError("This domain is already listed.")
        return domain

    def clean(self):
        data = super().clean()
        has_secret = bool(data.get("client_secret") or self.instance.client_secret_encrypted)
        if data.get("sso_enabled") and not (data.get("issuer") and data.get("client_id")):
            raise ValidationError("Single sign-on needs the issuer URL and the client ID.")
        if data.get("sso_enabled") and not has_secret:
            raise ValidationError("Single sign-on needs the client secret.")
        if not data.get("password_sign_in") and not data.get("sso_enabled"):
            raise ValidationError("Passwords can be turned off only while single sign-on is on.")
        return data


def settings_of(district) -> SignInSettings:
    return SignInSettings.objects.get_or_create(district=district)[0]


@transaction.atomic
def save(form: SignInSettingsForm, *, actor, address: str | None) -> SignInSettings:
    """Save the settings (the secret encrypted) and any new domain; audit what changed."""
    config = form.save(commit=False)
    changed = [name for name in form.changed_data if name in FIELDS]
    if form.cleaned_data["client_secret"]:
        config.client_secret_encrypted = sso.encrypt_secret(form.cleaned_data["client_secret"])
        changed.append("client_secret")
    config.save()
    if form.cleaned_data["new_domain"]:
        SignInDomain.objects.create(
            district=config.district, domain=form.cleaned_data["new_domain"]
        )
        changed.append("domains")
    audit.record(
        None,
        "district.sign_in_changed",
        actor=actor,
        address=address,
        obj=config,
        changed=changed,
    )
    return config
