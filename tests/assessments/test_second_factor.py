"""The second factor: who needs one, enrolment, codes, recovery codes and the throttle."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import second_factor
from assessments.models import AuditEvent, SignInSettings
from assessments.signin import MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db
SIGNIN = reverse("accounts:login")
CODE = reverse("accounts:second_factor")
ENROL = reverse("accounts:second_factor_enrol")


def sign_in(client, email, password=PASSWORD):
    return client.post(SIGNIN, {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


def code_of(device, steps_ahead=0) -> str:
    """The device's code, ``steps_ahead`` time steps on (a code is accepted only once)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def enrolled(person) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return device


def signed_in_as(client):
    return client.get(reverse("home")).wsgi_request.user


def send_code(client, code):
    return client.post(CODE, {"code": code}, REMOTE_ADDR="10.0.0.1")


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_district_admins_and_platform_admins_need_a_second_factor(a, platform_admin):
    assert second_factor.required_for(a.admin)
    assert second_factor.required_for(platform_admin)
    assert not second_factor.required_for(a.staff)
    assert not second_factor.required_for(a.hr)


def test_a_district_may_ask_hr_and_superintendents_for_one(a, b):
    SignInSettings.objects.create(
        district=a.district, second_factor_for_hr_and_superintendents=True
    )
    assert second_factor.required_for(a.hr) and second_factor.required_for(a.superintendent)
    assert not second_factor.required_for(a.staff) and not second_factor.required_for(a.lead)
    assert not second_factor.required_for(b.hr)  # the setting is A's only


def test_staff_without_a_device_sign_in_with_their_password_alone(client, a):
    response = sign_in(client, a.staff.email)
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_as(client) == a.staff


def test_an_admin_enrols_at_their_next_sign_in_before_any_session(client, a):
    response = sign_in(client, a.admin.email)
    assert response.url == CODE
    assert client.get(CODE).url == ENROL
    assert not signed_in_as(client).is_authenticated  # the password alone is not enough

    page = client.get(ENROL)
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=a.admin, confirmed=False)
    assert client.post(ENROL, {"code": code_of(device, steps_ahead=5)}).status_code == 200
    assert not signed_in_as(client).is_authenticated

    response = client.post(ENROL, {"code": code_of(device)})
    assert response.url == reverse("accounts:recovery_codes")
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", client.get(response.url).text)
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    assert signed_in_as(client) == a.admin
    assert client.get(reverse("accounts:recovery_codes")).url == "/"  # shown once only
    device.refresh_from_db()
    assert device.confirmed
    assert "second_factor.enrolled" in actions() and "second_factor.verified" in actions()


def test_an_enrolled_admin_signs_in_with_a_code(client, a):
    device = enrolled(a.admin)
    assert sign_in(client, a.admin.email).url == CODE
    wrong = send_code(client, code_of(device, steps_ahead=5))  # outside the tolerance
    assert "That code is not right" in wrong.text
    assert not signed_in_as(client).is_authenticated
    response = send_code(client, code_of(device))
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_as(client) == a.admin
    assert actions()[-4:] == [
        "second_factor.asked",
        "second_factor.failed",
        "signin",
        "second_factor.verified",
    ]


def test_a_code_is_accepted_once(client, a):
    device = enrolled(a.admin)
    code = code_of(device)
    sign_in(client, a.admin.email)
    send_code(client, code)
    client.post(reverse("accounts:logout"))
    sign_in(client, a.admin.email)
    assert "That code is not right" in send_code(client, code).text
    assert not signed_in_as(client).is_authenticated


def test_wrong_codes_are_throttled_with_the_passwords(client, a):
    device = enrolled(a.admin)
    sign_in(client, a.admin.email)  # its attempt counts until the code is right
    for _ in range(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        assert "That code is not right" in send_code(client, code_of(device, 5)).text
    response = send_code(client, code_of(device))
    assert "Too many failed sign-ins" in response.text
    assert not signed_in_as(client).is_authenticated
    assert AuditEvent.objects.filter(
        action="second_factor.throttled", outcome=AuditEvent.Outcome.REFUSED
    ).exists()


def test_a_recovery_code_signs_in_once(client, a):
    enrolled(a.admin)
    code = second_factor.new_recovery_codes(a.admin)[0]
    sign_in(client, a.admin.email)
    assert send_code(client, code).url == "/"
    assert signed_in_as(client) == a.admin
    assert "second_factor.recovery_code_used" in actions()
    client.post(reverse("accounts:logout"))
    sign_in(client, a.admin.email)
    assert "That code is not right" in send_code(client, code).text
    assert not signed_in_as(client).is_authenticated


def test_the_code_pages_need_a_pending_sign_in(client, a):
    enrolled(a.admin)
    assert client.get(CODE).url == SIGNIN
    assert client.post(CODE, {"code": "123456"}).url == SIGNIN
    assert client.get(ENROL).url == SIGNIN


def test_a_platform_admin_needs_a_code_for_the_admin_too(client, platform_admin):
    device = enrolled(platform_admin)
    assert sign_in(client, platform_admin.email).url == CODE
    assert client.get("/admin/").status_code == 302  # not signed in yet
    send_code(client, code_of(device))
    assert client.get("/admin/").status_code == 200


def test_an_invited_admin_enrols_before_their_first_session(client, a):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(a.admin.pk))
    token = default_token_generator.make_token(a.admin)
    url = reverse("accounts:invitation_accept", args=[uid, token])
    form_url = client.get(url).url
    new = "another long enough passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.url == ENROL
    assert not signed_in_as(client).is_authenticated


def test_hr_enrol_at_their_next_sign_in_once_their_district_asks(client, a):
    assert sign_in(client, a.hr.email).url == "/"
    client.post(reverse("accounts:logout"))
    SignInSettings.objects.create(
        district=a.district, second_factor_for_hr_and_superintendents=True
    )
    assert sign_in(client, a.hr.email).url == CODE
    assert client.get(CODE).url == ENROL
    assert not signed_in_as(client).is_authenticated
