"""
Signing in: throttling of failed attempts, and the audit events of sign-in and out.

Failures are counted per account, and per account and address: never per address alone,
so that a whole school behind one shared address is never locked out together. Counting
by the email typed (whether or not such an account exists) keeps the answers for known
and unknown accounts identical.

Each attempt is counted *before* its password is checked: its row is written (and, outside
any transaction, committed at once), then the rows are counted, this one included, and the
password is checked only while under the limits. Parallel guesses therefore each see the
others' rows, so no more than the limit are ever checked (a read-then-check order let
almost every guess of a parallel burst through). A throttled attempt's row is removed
again, so it is not a failure; a success forgets them all.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from . import audit
from .models import AuditEvent, SignInFailure, User

COOL_OFF = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5


def is_throttled(email: str, address: str | None) -> bool:
    """Whether the attempts of the cool-off, the one being made included, pass a limit."""
    recent = SignInFailure.objects.filter(email=email, at__gte=timezone.now() - COOL_OFF)
    if recent.count() > MAX_FAILURES_PER_ACCOUNT:
        return True
    return recent.filter(address=address).count() > MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "That email address and password do not match an active account.",
        "inactive": "That email address and password do not match an active account.",
        "throttled": (
            "Too many failed sign-ins for this account. Wait 15 minutes, or reset your password."
        ),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        self.cleaned_data["username"] = email
        address = audit.client_address(self.request)
        if not email or not self.cleaned_data.get("password"):
            return super().clean()  # nothing to check: the fields say what is missing
        attempt = SignInFailure.objects.create(email=email, address=address)
        if is_throttled(email, address):
            attempt.delete()
            audit.record(
                self.request,
                "signin.throttled",
                district=_district_of(email),
                outcome=AuditEvent.Outcome.REFUSED,
                email=email,
            )
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:  # the attempt's row stays: one failure more
            SignInFailure.objects.filter(at__lt=timezone.now() - COOL_OFF).delete()
            audit.record(
                self.request,
                "signin.failed",
                district=_district_of(email),
                outcome=AuditEvent.Outcome.FAILURE,
                email=email,
            )
            raise


def _district_of(email: str):
    """The district of the account that an email names, for its trail (None if unknown)."""
    person = User.objects.filter(email=email).select_related("district").first()
    return person.district if person else None


@receiver(user_logged_in, dispatch_uid="audit-signin")
def forget_failures_and_audit(sender, request, user, **kwargs):
    SignInFailure.objects.filter(email=user.email).delete()
    audit.record(request, "signin", actor=user)


@receiver(user_logged_out, dispatch_uid="audit-signout")
def audit_signout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(request, "signout", actor=user)
