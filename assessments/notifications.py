"""
Emails of the workflow and invitations, each rendered from its pair of templates in
``templates/assessments/email/`` and queued (``assessments.mail``) once the transaction
that caused it commits: a rolled-back step never sends anything, and a committed one never
waits for the mail server.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import mail


def _send(template: str, to: list[str], batch: str = "", **ctx) -> None:
    ctx["site_url"] = settings.SITE_URL
    subject = render_to_string(f"assessments/email/{template}_subject.txt", ctx).strip()
    body = render_to_string(f"assessments/email/{template}.txt", ctx)
    mail.send_later(subject=subject, body=body, to=to, batch=batch)


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def invitation(person, *, inviter: str, batch: str = "") -> None:
    """
    Invite ``person`` (from ``inviter``: a name, or "") to choose their password, through
    a link valid for PASSWORD_RESET_TIMEOUT. ``batch`` names a roster import's invitations.
    """
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    _send(
        "invitation",
        [person.email],
        batch=batch,
        person=person,
        inviter=inviter,
        district=person.district.name if person.district_id else "your district",
        link=_link("accounts:invitation_accept", uid, token),
    )


def cycle_opened(cycle, people) -> None:
    for person in people:
        _send("cycle_opened", [person.email], person=person, cycle=cycle, link=_link("home"))


def assessment_submitted(assessment) -> None:
    """Tell the person's reviewer (``User.reviewer``: their lead, or whom they report to)."""
    reviewer = assessment.person.reviewer()
    if reviewer is not None:
        _send(
            "assessment_submitted",
            [reviewer.email],
            reviewer=reviewer,
            assessment=assessment,
            link=_link("assessments:review", assessment.pk),
        )


def assessment_returned(assessment) -> None:
    _send(
        "assessment_returned",
        [assessment.person.email],
        assessment=assessment,
        link=_link("assessments:rate", assessment.pk),
    )


def assessment_finalized(assessment) -> None:
    _send(
        "assessment_finalized",
        [assessment.person.email],
        assessment=assessment,
        link=_link("assessments:detail", assessment.pk),
    )


def reminder(assessment) -> None:
    _send(
        "reminder",
        [assessment.person.email],
        assessment=assessment,
        link=_link("assessments:rate", assessment.pk),
    )
