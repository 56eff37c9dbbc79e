"""A district admin's sign-in settings: the client secret kept encrypted, rules, the trail."""

import pytest
from django.urls import reverse

from assessments import sso
from assessments.models import AuditEvent, SignInDomain, SignInSettings

pytestmark = pytest.mark.django_db
PAGE = reverse("administration:sign_in")
SECRET = "a-client-secret-nobody-should-read-back"
SSO = {
    "sso_enabled": "on",
    "issuer": "https://accounts.google.com",
    "client_id": "portal.apps.googleusercontent.com",
    "password_sign_in": "on",
}


def test_the_secret_is_stored_encrypted_and_never_shown_again(admin_a, a):
    response = admin_a.post(PAGE, {**SSO, "client_secret": SECRET})
    assert response.status_code == 302
    config = SignInSettings.objects.get(district=a.district)
    assert SECRET not in config.client_secret_encrypted
    assert sso.decrypt_secret(config.client_secret_encrypted) == SECRET
    page = admin_a.get(PAGE)
    assert SECRET not in page.text and config.client_secret_encrypted not in page.text
    assert "A client secret is stored" in page.text
    event = AuditEvent.objects.get(action="district.sign_in_changed")
    assert "client_secret" in event.detail["changed"] and SECRET not in str(event.detail)


def test_an_empty_secret_keeps_the_stored_one(admin_a, a):
    admin_a.post(PAGE, {**SSO, "client_secret": SECRET})
    admin_a.post(PAGE, {**SSO, "client_id": "another-id", "client_secret": ""})
    config = SignInSettings.objects.get(district=a.district)
    assert config.client_id == "another-id"
    assert sso.decrypt_secret(config.client_secret_encrypted) == SECRET


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({**SSO}, "needs the client secret"),
        ({**SSO, "issuer": "", "client_secret": SECRET}, "needs the issuer URL"),
        ({"client_secret": SECRET}, "only while single sign-on is on"),  # passwords off
    ],
)
def test_settings_that_would_lock_people_out_are_refused(admin_a, a, data, error):
    response = admin_a.post(PAGE, data)
    assert response.status_code == 200 and error in response.text
    assert not SignInSettings.objects.filter(district=a.district, sso_enabled=True).exists()


def test_a_new_domain_waits_for_a_platform_admin(admin_a, a, b):
    admin_a.post(PAGE, {"password_sign_in": "on", "new_domain": "@Northfield.Example"})
    domain = SignInDomain.objects.get()
    assert (domain.domain, domain.district, domain.verified_at) == (
        "northfield.example",
        a.district,
        None,
    )
    assert sso.realm_for("netadmin@northfield.example") is None
    SignInDomain.objects.create(district=b.district, domain="riverside.example")
    response = admin_a.post(PAGE, {"password_sign_in": "on", "new_domain": "riverside.example"})
    assert "already listed" in response.text  # one district per domain
