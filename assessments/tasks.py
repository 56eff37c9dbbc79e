"""
Background tasks of the assessments app (Django's tasks framework), thin entry points like
``reports.tasks``. The email task itself is ``assessments.mail.send_email``.
"""

from django.tasks import task

from . import people, signin


@task()
def send_password_reset(*, email: str, domain: str, protocol: str) -> None:
    """Email a reset link to the account of ``email``, if there is one (see ``signin``)."""
    signin.send_password_reset(email=email, domain=domain, protocol=protocol)


@task()
def send_invitations(*, person_ids: list[int], inviter: str, batch: str) -> None:
    """Queue the invitations of a roster import's new people (see ``people``)."""
    people.queue_invitations(person_ids=person_ids, inviter=inviter, batch=batch)
