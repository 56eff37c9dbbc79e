"""
The second step of signing in: the code of an authenticator app or a recovery code, or
enrolling an authenticator first (``assessments.second_factor``). Only a person pending in
the session (after their password or their district's provider) reaches these pages.
"""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import second_factor

THROTTLED = "Too many failed sign-ins for this account. Wait 15 minutes, then sign in again."
WRONG = "That code is not right. Enter the current code of your app, or a recovery code."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


@never_cache  # a pending person is not signed in yet: NoStoreForSignedIn does not apply
@require_http_methods(["GET", "POST"])
def verify(request):
    """Ask the pending person for a code of their authenticator app or a recovery code."""
    user, state = second_factor.pending(request)
    if user is None:
        return _start_again(request)
    if not second_factor.has_device(user):
        return redirect("accounts:second_factor_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome, device = second_factor.verify_code(request, user, form.cleaned_data["code"])
        if outcome == "ok":
            second_factor.finish(request, user, state, device)
            return redirect(_next_url(request, state))
        form.add_error("code", THROTTLED if outcome == "throttled" else WRONG)
    return render(request, "registration/second_factor.html", {"form": form})


@never_cache  # the page shows the new authenticator's secret
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app (QR code or key), confirmed by its first code."""
    user, state = second_factor.pending(request)
    if user is None:
        return _start_again(request)
    if second_factor.has_device(user):
        return redirect("accounts:second_factor")
    device = second_factor.enrolment_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        outcome, _ = second_factor.check(
            request, user, lambda: device if device.verify_token(code) else None
        )
        if outcome == "ok":
            codes = second_factor.confirm_enrolment(request, user, device)
            second_factor.finish(request, user, state, device)
            request.session[second_factor.RECOVERY_CODES] = codes
            request.session["second_factor.next"] = _next_url(request, state)
            return redirect("accounts:recovery_codes")
        form.add_error("code", THROTTLED if outcome == "throttled" else WRONG)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        "key": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "registration/second_factor_enrol.html", context)


@require_http_methods(["GET"])
def recovery_codes(request):
    """The new recovery codes, shown once, right after enrolment."""
    codes = request.session.pop(second_factor.RECOVERY_CODES, None)
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not codes:
        return redirect("home")
    next_url = request.session.pop("second_factor.next", None) or reverse("home")
    return render(
        request, "registration/recovery_codes.html", {"codes": codes, "next_url": next_url}
    )


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _next_url(request, state) -> str:
    url = state.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("home")


def _start_again(request):
    messages.info(request, "Sign in again to continue.")
    return redirect("accounts:login")
