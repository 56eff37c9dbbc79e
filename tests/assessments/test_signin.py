"""Sign-in that districts can trust: throttling, identical answers, sessions, passwords."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent, SignInFailure
from assessments.signin import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS

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
    assert client.get(reverse("home")).status_code in (200, 302)
    event = AuditEvent.objects.get(action="signin")
    assert event.actor == person and event.address == "10.0.0.1"


def test_session_key_is_rotated_at_sign_in(client, person):
    client.get(SIGNIN)
    client.session["probe"] = 1
    before = client.session.session_key
    sign_in(client, person.email, PASSWORD)
    assert client.session.session_key != before


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


def test_password_reset_answers_the_same_for_unknown_addresses(client, person):
    known = client.post(reverse("accounts:password_reset"), {"email": person.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "no@where.example"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


def test_password_reset_link_sets_a_new_password(client, person):
    client.post(reverse("accounts:password_reset"), {"email": person.email})
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
