"""
Signing in: throttling of failed attempts, the audit events of sign-in and out, and the
throttled, queued password reset.

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
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone

from . import audit, mail
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


# Password reset. Every request takes the same path, whether or not the address belongs to
# an account: it is counted, audited and queued as a task (``tasks.send_password_reset``),
# and only the task looks for the account and queues the email. So the answer, its queries
# and its time tell nothing about accounts.

RESET_WINDOW = timedelta(hours=1)
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 10


def request_password_reset(request, *, email: str) -> None:
    """Queue a password reset for ``email`` unless too many were asked for (audited)."""
    from .tasks import send_password_reset  # the task module imports this one

    email = email.strip().lower()
    address = audit.client_address(request)
    recent = AuditEvent.objects.filter(
        action="password_reset.requested", at__gte=timezone.now() - RESET_WINDOW
    )
    refused = (
        recent.filter(actor_email=email).count() >= MAX_RESETS_PER_ACCOUNT
        or recent.filter(address=address).count() >= MAX_RESETS_PER_ADDRESS
    )
    audit.record(
        None,  # by the address typed, whoever is signed in
        "password_reset.refused" if refused else "password_reset.requested",
        district=_district_of(email),
        address=address,
        outcome=AuditEvent.Outcome.REFUSED if refused else AuditEvent.Outcome.SUCCESS,
        email=email,
    )
    if not refused:
        domain, protocol = request.get_host(), "https" if request.is_secure() else "http"
        transaction.on_commit(
            lambda: send_password_reset.enqueue(email=email, domain=domain, protocol=protocol)
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its email queued (``mail.send_later``) instead of sent."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail.send_later(subject=subject, body=body, to=[context["email"]])


def send_password_reset(*, email: str, domain: str, protocol: str) -> None:
    """Queue a reset link to each active account with a usable password of ``email``."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=protocol == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )
