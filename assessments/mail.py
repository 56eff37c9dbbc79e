"""
Sending email. Every message of the portal goes through ``send_later``: it is queued as a
``send_email`` task once the transaction that caused it commits, so a rolled-back step
sends nothing, no request waits for the mail server, and a mail server that is down never
turns a committed step into an error. The callers render their messages; the task gets
plain values only.

A send that fails is recorded as a failed task and tried again later by a new task, with
a growing delay, up to ``MAX_ATTEMPTS`` sends in all (django-tasks-db has no retries of
its own; it runs a task when its ``run_after`` has passed).
"""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=2)  # then 4, 8 and 16 minutes

logger = logging.getLogger(__name__)


@task()
def send_email(*, subject: str, body: str, to: list[str], batch: str = "", attempt: int = 1):
    """
    Send one message. ``batch`` names a group of messages whose progress is followed (a
    roster import's invitations). On failure, queue the next attempt (if any) and fail.
    """
    try:
        return send_mail(subject, body, None, to, fail_silently=False)
    except OSError:  # smtplib.SMTPException and the socket's errors alike
        if attempt < MAX_ATTEMPTS:
            logger.warning("Sending %r failed (attempt %d); will retry.", subject, attempt)
            send_email.using(
                run_after=timezone.now() + FIRST_RETRY_AFTER * 2 ** (attempt - 1)
            ).enqueue(subject=subject, body=body, to=to, batch=batch, attempt=attempt + 1)
        else:
            logger.error("Sending %r failed %d times; giving up.", subject, attempt)
        raise


def send_later(*, subject: str, body: str, to: list[str], batch: str = "") -> None:
    """Queue a rendered message to be sent once the current transaction commits."""
    transaction.on_commit(
        lambda: send_email.enqueue(subject=subject, body=body, to=list(to), batch=batch)
    )
