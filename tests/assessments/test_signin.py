"""Sign-in that districts can trust: throttling, identical answers, sessions, passwords."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import AuditEvent, SignInFailure, User
from assessments.signin import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
    MAX_RESETS_PER_ACCOUNT,
    MAX_RESETS_PER_ADDRESS,
)
from tests.backends import CountingBackend
from tests.taskqueue import committing, queued, run_queued_tasks

RESET_TASK = "assessments.tasks.send_password_reset"
EMAIL_TASK = "assessments.mail.send_email"

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase"
SIGNIN = "/account/signin/"


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(SIGNIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def error_of(response) -> str:
    found = re.search(
        r'<div class="alert alert-block alert-danger">(.*?)</div>', response.text, re.S
    )
    return " ".join(found.group(1).split()) if found else ""


def test_signs_in_by_email_whatever_its_case(client, person):
    response = sign_in(client, person.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("frameworks:list")).status_code == 200  # signed in: no redirect
    event = AuditEvent.objects.get(action="signin")
    assert event.actor == person and event.address == "10.0.0.1"


def test_session_key_is_rotated_at_sign_in(client, person):
    session = client.session  # a saved session, its cookie set on the client
    session["probe"] = 1
    session.save()
    before = session.session_key
    sign_in(client, person.email, PASSWORD)
    assert client.session.session_key != before
    assert client.session["probe"] == 1  # the same session, under a new key
    assert not SessionStore().exists(before)


def test_unknown_and_known_accounts_get_the_same_answer(client, person):
    wrong_password = sign_in(client, person.email, "not the password at all")
    unknown = sign_in(client, "nobody@northfield.example", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 200
    assert error_of(wrong_password) == error_of(unknown) != ""
    assert AuditEvent.objects.filter(action="signin.failed").count() == 2


def test_failures_from_one_address_cool_off_that_account_and_address(client, person):
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(client, person.email, "wrong password guess")
    refused = sign_in(client, person.email, PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed sign-ins" in error_of(refused)
    assert AuditEvent.objects.filter(action="signin.throttled").exists()
    # The right password from another address still works: no lock-out of the person.
    assert sign_in(client, person.email, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_shared_school_address_never_locks_out_everyone(client, person, django_user_model):
    colleague = django_user_model.objects.create_user("colleague@northfield.example", PASSWORD)
    for number in range(3 * MAX_FAILURES_PER_ACCOUNT):
        sign_in(client, f"guess{number}@northfield.example", "wrong password guess")
    assert sign_in(client, colleague.email, PASSWORD).status_code == 302


def test_failures_across_addresses_cool_off_the_account(client, person):
    for number in range(MAX_FAILURES_PER_ACCOUNT):
        sign_in(client, person.email, "wrong password guess", address=f"10.0.1.{number}")
    refused = sign_in(client, person.email, PASSWORD, address="10.0.2.1")
    assert "Too many failed sign-ins" in error_of(refused)


def test_throttling_answers_the_same_for_unknown_accounts(client):
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(client, "nobody@northfield.example", "wrong password guess")
    refused = sign_in(client, "nobody@northfield.example", "wrong password guess")
    assert "Too many failed sign-ins" in error_of(refused)


def test_success_forgets_earlier_failures(client, person):
    sign_in(client, person.email, "wrong password guess")
    sign_in(client, person.email, PASSWORD)
    assert not SignInFailure.objects.filter(email=person.email).exists()


def test_deactivated_person_is_signed_out_on_the_next_request(client, person):
    client.force_login(person)
    assert client.get(reverse("frameworks:list")).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 302 and response.url.startswith(SIGNIN)


def test_sessions_end_when_idle_and_each_request_extends_them(client, person, settings):
    client.force_login(person)
    stored = Session.objects.get(session_key=client.session.session_key)
    stored.expire_date = timezone.now() + timedelta(minutes=1)
    stored.save(update_fields=["expire_date"])
    # A request moves the end of the session a whole idle period on.
    assert client.get(reverse("frameworks:list")).status_code == 200
    stored.refresh_from_db()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert timezone.now() + idle - timedelta(minutes=1) < stored.expire_date
    assert idle <= timedelta(hours=8)
    # A whole idle period without a request: the session has ended.
    stored.expire_date = timezone.now() - timedelta(seconds=1)
    stored.save(update_fields=["expire_date"])
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 302 and response.url.startswith(SIGNIN)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short pass", False),
        ("123456789012345", False),
        ("1qaz2wsx3edc", False),
        ("correct horse battery staple", True),
        ("lowercase only passphrase of words " * 4, True),
    ],
)
def test_password_rules(password, accepted, person):
    if accepted:
        validate_password(password, person)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, person)


RESET = "/account/password/reset/"


def ask_reset(client, email, address="10.0.0.1"):
    with committing():
        return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_answers_the_same_for_unknown_addresses(client, person):
    known = ask_reset(client, person.email)
    unknown = ask_reset(client, "no@where.example")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    run_queued_tasks()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


def test_password_reset_sends_nothing_in_the_request(client, person):
    ask_reset(client, person.email)
    assert mail.outbox == []
    assert [task.args_kwargs["kwargs"] for task in queued(RESET_TASK)] == [
        {"email": person.email, "domain": "testserver", "protocol": "http"}
    ]
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert queued(EMAIL_TASK).get().status == "SUCCESSFUL"


def test_password_reset_takes_the_same_path_for_known_and_unknown_accounts(client, person):
    def path_of(email):
        with CaptureQueriesContext(connection) as queries:
            ask_reset(client, email)
        return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries]

    path_of("warm.up@northfield.example")  # the first request loads what any would
    known, unknown = path_of(person.email), path_of("nobody@northfield.example")
    assert known == unknown
    assert any("dbtaskresult" in sql for sql in known)
    assert [task.args_kwargs["kwargs"]["email"] for task in queued(RESET_TASK)][1:] == [
        person.email,
        "nobody@northfield.example",
    ]


def test_password_resets_are_limited_per_account(client, person):
    for number in range(MAX_RESETS_PER_ACCOUNT + 2):
        answer = ask_reset(client, person.email.upper(), address=f"10.0.3.{number}")
        assert answer.status_code == 302 and answer.url == "/account/password/reset/sent/"
    assert queued(RESET_TASK).count() == MAX_RESETS_PER_ACCOUNT
    refusals = AuditEvent.objects.filter(action="password_reset.refused")
    assert [(e.actor_email, e.outcome) for e in refusals] == [(person.email, "refused")] * 2
    run_queued_tasks()
    assert len(mail.outbox) == MAX_RESETS_PER_ACCOUNT


def test_password_resets_are_limited_per_address(client, person):
    for number in range(MAX_RESETS_PER_ADDRESS + 1):
        ask_reset(client, f"someone{number}@northfield.example")
    refused = ask_reset(client, person.email)
    assert refused.status_code == 302 and refused.url == "/account/password/reset/sent/"
    assert queued(RESET_TASK).count() == MAX_RESETS_PER_ADDRESS
    assert AuditEvent.objects.filter(action="password_reset.refused").count() == 2
    assert ask_reset(client, person.email, address="10.0.0.2").status_code == 302
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_password_reset_link_sets_a_new_password(client, person):
    ask_reset(client, person.email)
    run_queued_tasks()
    link = re.search(r"http://testserver(/account/password/reset/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a brand new passphrase")


def test_sign_out_is_a_post(client, person):
    client.force_login(person)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="signout", actor=person).exists()


# --- the Django admin signs in through the portal ---------------------------------------


def test_the_admin_login_never_checks_a_password(client, platform_admin):
    response = client.post(
        "/admin/login/?next=/admin/auth/",
        {"username": platform_admin.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/admin/auth/"
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="signin").exists()


def test_the_admin_sends_visitors_to_the_portal_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == (f"{SIGNIN}?next=/admin/", 302)


def test_a_platform_admin_signs_in_through_the_portal_then_reaches_the_admin(
    client, platform_admin
):
    device = TOTPDevice.objects.create(user=platform_admin, name="app", confirmed=True)
    response = client.post(
        f"{SIGNIN}?next=/admin/", {"username": platform_admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/account/signin/code/"
    response = client.post(response.url, {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="signin", actor=platform_admin).exists()


def test_guesses_at_the_admin_password_are_throttled_by_the_portal(client, platform_admin):
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(client, platform_admin.email, "wrong password guess")
    assert "Too many failed sign-ins" in error_of(sign_in(client, platform_admin.email, PASSWORD))
    assert client.get("/admin/").status_code == 302


# --- the throttle counts an attempt before its password is checked ----------------------


COUNTING = "tests.backends.CountingBackend"


@pytest.fixture
def counted_checks(settings):
    settings.AUTHENTICATION_BACKENDS = [COUNTING]
    CountingBackend.checks = []
    return CountingBackend.checks


def test_each_attempt_is_counted_before_its_password_is_checked(client, person, counted_checks):
    sign_in(client, person.email, "wrong password guess")
    sign_in(client, person.email, PASSWORD)
    assert counted_checks == [True, True]
    assert not SignInFailure.objects.exists()  # the success forgot the failure (and itself)


def test_throttled_attempts_are_not_checked_nor_counted(client, person, counted_checks):
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS + 3):
        sign_in(client, person.email, "wrong password guess")
    assert len(counted_checks) == MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
    assert SignInFailure.objects.count() == MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
    assert AuditEvent.objects.filter(action="signin.throttled").count() == 3


GUESSES = 30


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that threads share: SQLite's in-memory test database is per thread",
)
def test_parallel_guesses_cannot_beat_the_throttle(transactional_db, counted_checks):
    """GUESSES wrong passwords at once from one address: at most the limit are checked."""
    person = User.objects.create_user("pat.staff@northfield.example", PASSWORD)
    start = threading.Barrier(GUESSES)

    def guess():
        try:
            client = Client()
            start.wait()
            assert sign_in(client, person.email, "wrong password guess").status_code == 200
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(counted_checks) <= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
    assert AuditEvent.objects.filter(action="signin.failed").count() == len(counted_checks)
    assert AuditEvent.objects.filter(action="signin.throttled").count() == GUESSES - len(
        counted_checks
    )


def test_a_signed_in_person_who_is_not_a_platform_admin_is_refused_the_admin(client, person):
    client.force_login(person)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
