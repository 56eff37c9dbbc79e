"""
The second factor: a TOTP authenticator app, with single-use recovery codes (django-otp's
devices), asked for after the password (or the district's provider) and before the session.

Who needs one: platform admins and district admins always, HR and superintendents when
their district asks (``SignInSettings``), and anyone who enrolled one. Between the first
factor and the code the person is only *pending* in the session (``PENDING``); they are
signed in (``finish``) once the code is right, or enrol first when they have no device yet.

Codes are throttled with the passwords: each code is counted as a sign-in attempt of the
account (``signin.is_throttled``) before it is checked, so guesses at codes and passwords
share one limit. Every step is audited.
"""

import secrets
import time
from collections.abc import Callable

from django.contrib import auth
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, signin
from .models import AuditEvent, SignInFailure, SignInSettings, User
from .roles import Role

PENDING = "second_factor.pending"
RECOVERY_CODES = "second_factor.recovery_codes"
PENDING_SECONDS = 600
RECOVERY_CODE_COUNT = 10


def required_for(user: User) -> bool:
    """Whether ``user`` may not sign in without a second factor."""
    if user.is_staff or user.is_superuser or user.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.HR, Role.SUPERINTENDENT):
        return False
    return SignInSettings.objects.filter(
        district_id=user.district_id, second_factor_for_hr_and_superintendents=True
    ).exists()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def needed(user: User) -> bool:
    """Whether signing ``user`` in goes through a code (enrolled, or required to enrol)."""
    return has_device(user) or required_for(user)


def begin(request, user: User, *, backend: str, next_url: str, method: str) -> None:
    """Keep ``user`` pending in the session until their code (or enrolment) is done."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "method": method,
        "at": time.time(),
    }
    audit.record(request, "second_factor.asked", actor=user, method=method)


def pending(request) -> tuple[User, dict] | tuple[None, None]:
    """The person pending in this session and their state, while it is fresh."""
    state = request.session.get(PENDING)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = User.objects.filter(pk=state.get("user"), is_active=True).first()
    return (user, state) if user is not None else (None, None)


def check(request, user: User, verify: Callable[[], object | None]) -> tuple[str, object]:
    """
    Count the attempt, then run ``verify`` (which returns the matching device or None)
    only while under the sign-in limits: ("ok", device), ("wrong", None) or
    ("throttled", None), each audited.
    """
    address = audit.client_address(request)
    attempt = SignInFailure.objects.create(email=user.email, address=address)
    if signin.is_throttled(user.email, address):
        attempt.delete()
        _audit(request, user, "second_factor.throttled", AuditEvent.Outcome.REFUSED)
        return "throttled", None
    device = verify()
    if device is None:
        _audit(request, user, "second_factor.failed", AuditEvent.Outcome.FAILURE)
        return "wrong", None
    return "ok", device


def verify_code(request, user: User, code: str) -> tuple[str, object]:
    """Check a code of the authenticator app, or a recovery code (used up by its use)."""
    code = "".join(code.split())
    outcome, device = check(request, user, lambda: _matching_device(user, code) if code else None)
    if isinstance(device, StaticDevice):
        _audit(request, user, "second_factor.recovery_code_used", AuditEvent.Outcome.SUCCESS)
    return outcome, device


@transaction.atomic
def _matching_device(user: User, code: str):
    """The authenticator or recovery-code device that accepts ``code`` (rows locked), or None."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def finish(request, user: User, state: dict, device) -> None:
    """Sign ``user`` in (the session is rotated) with their verified device."""
    request.session.pop(PENDING, None)
    auth.login(request, user, backend=state["backend"])
    otp_login(request, device)
    _audit(request, user, "second_factor.verified", AuditEvent.Outcome.SUCCESS)


def _audit(request, user, action, outcome):
    audit.record(request, action, actor=user, outcome=outcome)


# Enrolment


def enrolment_device(user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator, made on first call (one secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(request, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator, replace any older devices; return new recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    _audit(request, user, "second_factor.enrolled", AuditEvent.Outcome.SUCCESS)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with ``RECOVERY_CODE_COUNT`` new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
