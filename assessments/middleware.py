"""
The portal's own middleware: a cap on request bodies, an absolute session lifetime, and
no caching of anything shown to a signed-in person (order and place in settings.MIDDLEWARE).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect

# The session key of the sign-in time (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"


class RequestBodyLimitMiddleware:
    """
    Refuses a body larger than ``REQUEST_MAX_BYTES`` (413) from its declared length, before
    anything reads it, and a body without a length (411: a chunked upload, which nothing
    in the portal needs). First in MIDDLEWARE: the CSRF check reads the body of any POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length and request.META.get("HTTP_TRANSFER_ENCODING"):
            return _plain("A request body needs a Content-Length.", status=411)
        if length and (not length.isdigit() or int(length) > settings.REQUEST_MAX_BYTES):
            megabytes = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            return _plain(f"The request is larger than {megabytes} MB.", status=413)
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """
    Ends a session ``SESSION_MAX_HOURS`` after sign-in, however busy it was kept (every
    request, the autosave's too, moves the idle expiry on). The person is signed out and
    sent to sign in again with a message; the autosave script reads that redirect as an
    ended session. A session without a sign-in time counts as too old.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and _past_lifetime(request.session):
            logout(request)
            messages.info(request, "Your session has ended. Sign in again to continue.")
            # Back to the page after signing in; a POST's URL is no page to go back to.
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """
    Nothing shown to a signed-in person is kept by a browser or proxy cache: every answer
    to an authenticated request says ``Cache-Control: no-store, private``. Static files
    never get here (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


@receiver(user_logged_in, dispatch_uid="session-signed-in-at")
def stamp_sign_in(sender, request, user, **kwargs):
    """Keep the sign-in time in the new session (``SessionLifetimeMiddleware`` reads it)."""
    request.session[SIGNED_IN_AT] = time.time()


def _past_lifetime(session) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return True
    return time.time() - signed_in_at > settings.SESSION_MAX_HOURS * 3600


def _plain(text: str, *, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
