"""Test-only stand-ins for outside services: a mail server that is down, a counted password check."""

import smtplib
import threading

from django.contrib.auth.backends import ModelBackend
from django.core.mail.backends.base import BaseEmailBackend

from assessments.models import SignInFailure


class MailServerDown(BaseEmailBackend):
    """Every send fails as an unreachable SMTP server does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused (test: the mail server is down)")


class CountingBackend(ModelBackend):
    """
    The real password check, counted; each check also notes whether the attempt was
    already counted by the throttle (a SignInFailure row for the email) when it ran.
    """

    lock = threading.Lock()
    checks: list[bool] = []

    def authenticate(self, request, username=None, password=None, **kwargs):
        counted_first = SignInFailure.objects.filter(email=username).exists()
        with self.lock:
            self.checks.append(counted_first)
        return super().authenticate(request, username=username, password=password, **kwargs)
