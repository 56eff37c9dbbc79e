"""
Email goes through the task queue: a mail server that is down never turns a committed
step into an error; the failed send is recorded and tried again later, a bounded number
of times (tests/backends.py's MailServerDown fails every send as SMTP does).
"""

import pytest
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone

from assessments import mail, workflow
from assessments.models import Assessment, User
from tests.cast import open_cycle
from tests.taskqueue import committing, queued, run_queued_tasks

pytestmark = pytest.mark.django_db
EMAIL_TASK = "assessments.mail.send_email"


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.backends.MailServerDown"}}


def sends_after_the_server_is_back(settings) -> list[list[str]]:
    """Bring the mail server back, make the retries due, run them: who got mail."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    queued(EMAIL_TASK).filter(status="READY").update(run_after=timezone.now())
    run_queued_tasks()
    return [message.to for message in outbox.outbox]


def test_submitting_while_the_mail_server_is_down_succeeds_and_the_mail_is_retried(
    client, a, shipped_framework, mail_server_down, settings
):
    mine = open_cycle(a, shipped_framework, a.staff).assessments.get(person=a.staff)
    mine = workflow.save_ratings(
        person=a.staff,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()],
    )
    client.force_login(a.staff)
    with committing():
        response = client.post(
            reverse("assessments:submit", args=[mine.pk]), {"version": mine.version}
        )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=mine.pk).status == Assessment.Status.SUBMITTED
    page = client.get(response.url)
    assert "Northfield CTO will be emailed shortly" in page.text

    run_queued_tasks()
    failed, retry = queued(EMAIL_TASK)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "smtplib.SMTPException"
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= timezone.now() + mail.FIRST_RETRY_AFTER / 2  # waits a while
    assert sends_after_the_server_is_back(settings) == [[a.lead.email]]


def test_inviting_while_the_mail_server_is_down_succeeds_and_the_mail_is_retried(
    admin_a, a, mail_server_down, settings
):
    fields = {"email": "new@northfield.example", "full_name": "New Person", "roles": ["staff"]}
    with committing():
        response = admin_a.post(reverse("administration:person_add"), fields, follow=True)
    assert response.status_code == 200 and response.redirect_chain[0][1] == 302
    assert User.objects.filter(email="new@northfield.example", district=a.district).exists()
    assert "is queued and will be emailed shortly" in response.text

    run_queued_tasks()
    assert [task.status for task in queued(EMAIL_TASK)] == ["FAILED", "READY"]
    assert sends_after_the_server_is_back(settings) == [["new@northfield.example"]]


def test_a_send_is_tried_a_bounded_number_of_times(mail_server_down):
    message = {"subject": "S", "body": "B", "to": ["x@northfield.example"]}
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        with pytest.raises(OSError):
            mail.send_email.call(**message, attempt=attempt)
    retries = [task.args_kwargs["kwargs"]["attempt"] for task in queued(EMAIL_TASK)]
    assert retries == list(range(2, mail.MAX_ATTEMPTS + 1))  # none after the last attempt
