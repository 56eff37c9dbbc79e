"""
Signing in through a district's OpenID Connect provider (``assessments.sso``): the page
that sends a person on to it, the redirect, and the provider's answer.
"""

import requests
from django.contrib import auth, messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .. import audit, second_factor, sso
from ..models import SignInSettings

REFUSED = (
    "Your district's sign-in did not let you in here. Ask your district admin to check that "
    "you are on the portal's roster with this email address."
)
UNAVAILABLE = "Your district's sign-in page cannot be reached just now. Try again shortly."


def _config_or_404(slug: str) -> SignInSettings:
    config = (
        SignInSettings.objects.filter(district__slug=slug, sso_enabled=True)
        .select_related("district")
        .first()
    )
    if config is None:
        raise Http404("No single sign-on for this district.")
    return config


@require_GET
def choice(request, district):
    """Where the email-first sign-in sends a district's people: on to their provider."""
    config = _config_or_404(district)
    context = {
        "config": config,
        "email": request.GET.get("email", ""),
        "next": _safe_next(request, request.GET.get("next")),
    }
    return render(request, "registration/sso_choice.html", context)


@require_GET
def start(request, district):
    config = _config_or_404(district)
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        return sso.start(
            request,
            config,
            redirect_uri=redirect_uri,
            next_url=_safe_next(request, request.GET.get("next")),
            login_hint=request.GET.get("email", "")[:254],
        )
    except sso.Refused as refused:
        refused.config = config
        sso.audit_refusal(request, refused)
    except requests.RequestException:
        pass
    messages.error(request, UNAVAILABLE)
    return redirect("accounts:login")


@require_GET
def callback(request):
    """The provider's answer: sign the person in, or on to their second factor, or refuse."""
    try:
        person, config, next_url = sso.finish(request)
    except sso.Refused as refused:
        sso.audit_refusal(request, refused)
        if refused.reason != "no_sign_in_under_way":  # a stray visit: nothing to explain
            messages.error(request, REFUSED)
        return redirect("accounts:login")
    audit.record(request, "sso.signin", actor=person, issuer=config.issuer)
    if second_factor.needed(person):
        second_factor.begin(request, person, backend=sso.BACKEND, next_url=next_url, method="sso")
        return redirect("accounts:second_factor")
    auth.login(request, person, backend=sso.BACKEND)
    return redirect(next_url or "home")


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return ""
