"""
Single sign-on against a real OpenID Connect provider process (tests/oidc): who gets in,
who is refused and why, the checks of the ID token, and keys rotated without a restart.
"""

import base64
import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import sso
from assessments.models import AuditEvent, ExternalIdentity, SignInDomain, SignInSettings, User
from tests.cast import PASSWORD, make_person
from tests.oidc import CLIENT_ID, CLIENT_SECRET, Provider, account, sign_in_at_provider

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/account/sso/callback/"
ACCOUNTS = {
    email: account(email)
    for email in (
        "netadmin@northfield.example",
        "admin@northfield.example",
        "stranger@northfield.example",
        "moonlighter@northfield.example",
        "cto@northfield.example",
    )
} | {
    "unverified@northfield.example": account("unverified@northfield.example", verified=False),
    "netadmin@elsewhere.example": account("netadmin@elsewhere.example"),
    # Microsoft Entra ID's claims: xms_edov instead of email_verified.
    "entra@northfield.example": account("entra@northfield.example", entra=True),
    "entra-unverified@northfield.example": account(
        "entra-unverified@northfield.example", entra=True, verified=False
    ),
}


@pytest.fixture
def provider():
    started = Provider(redirect_uris=[CALLBACK], accounts=ACCOUNTS).start()
    yield started
    started.stop()


@pytest.fixture
def northfield(a, provider):
    """District A with single sign-on through ``provider`` and its domain verified."""
    a.config = SignInSettings.objects.create(
        district=a.district,
        sso_enabled=True,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret_encrypted=sso.encrypt_secret(CLIENT_SECRET),
    )
    SignInDomain.objects.create(
        district=a.district, domain="northfield.example", verified_at=timezone.now()
    )
    return a


def start(client, district="northfield"):
    response = client.get(reverse("accounts:sso_start", args=[district]))
    assert response.status_code == 302, response
    return response.url


def through_provider(client, login, district="northfield"):
    """Sign in at the provider as ``login``; return the portal's callback path and query."""
    back = sign_in_at_provider(start(client, district), login, CALLBACK)
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"


def sign_in(client, login):
    return client.get(through_provider(client, login))


def signed_in_as(client):
    return client.get(reverse("home")).wsgi_request.user


def refusal():
    return AuditEvent.objects.filter(action="sso.refused").latest("pk").detail["reason"]


def test_a_rostered_person_signs_in_and_is_linked(client, northfield):
    response = sign_in(client, "netadmin@northfield.example")
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_as(client) == northfield.staff
    identity = ExternalIdentity.objects.get(person=northfield.staff)
    assert identity.subject == "netadmin@northfield.example"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sso.started", "sso.linked", "sso.signin", "signin"} <= actions


def test_a_linked_person_is_found_by_subject_whatever_their_email(client, northfield):
    ExternalIdentity.objects.create(
        person=northfield.lead,
        issuer=northfield.config.issuer,
        subject="netadmin@northfield.example",
    )
    sign_in(client, "netadmin@northfield.example")
    assert signed_in_as(client) == northfield.lead


def test_the_request_uses_pkce_state_and_nonce(client, northfield):
    query = urlsplit(start(client)).query
    for parameter in ("code_challenge=", "code_challenge_method=S256", "state=", "nonce="):
        assert parameter in query


def test_an_admin_still_needs_their_second_factor(client, northfield):
    TOTPDevice.objects.create(user=northfield.admin, name="app", confirmed=True)
    response = sign_in(client, "admin@northfield.example")
    assert response.url == reverse("accounts:second_factor")
    assert not signed_in_as(client).is_authenticated


@pytest.mark.parametrize(
    ("login", "reason"),
    [
        ("unverified@northfield.example", "email_not_verified"),
        ("entra-unverified@northfield.example", "email_not_verified"),
        ("stranger@northfield.example", "unknown_person"),
        ("netadmin@elsewhere.example", "domain_not_of_district"),
    ],
)
def test_people_not_on_the_roster_are_refused(client, northfield, login, reason):
    make_person(northfield.district, "unverified@northfield.example", "Unverified")
    response = sign_in(client, login)
    assert response.url == reverse("accounts:login")
    assert not signed_in_as(client).is_authenticated
    assert refusal() == reason
    assert not User.objects.filter(email="stranger@northfield.example").exists()


def test_entra_ids_verified_email_claim_is_accepted(client, northfield):
    """Entra ID sends ``xms_edov`` (email domain owner verified), never ``email_verified``."""
    person = make_person(northfield.district, "entra@northfield.example", "Entra Person")
    sign_in(client, "entra@northfield.example")
    assert signed_in_as(client) == person


def test_a_deactivated_person_is_refused(client, northfield):
    User.objects.filter(pk=northfield.staff.pk).update(is_active=False)
    sign_in(client, "netadmin@northfield.example")
    assert not signed_in_as(client).is_authenticated
    assert refusal() == "deactivated"


def test_a_person_of_another_district_on_this_ones_domain_is_refused(client, northfield, b):
    make_person(b.district, "moonlighter@northfield.example", "Riverside, on A's domain")
    sign_in(client, "moonlighter@northfield.example")
    assert not signed_in_as(client).is_authenticated
    assert refusal() == "other_district"


def test_the_district_may_create_staff_on_first_sign_in(client, northfield):
    SignInSettings.objects.filter(pk=northfield.config.pk).update(create_on_first_sign_in=True)
    sign_in(client, "stranger@northfield.example")
    person = User.objects.get(email="stranger@northfield.example")
    assert signed_in_as(client) == person
    assert person.district == northfield.district and person.role_set() == {"staff"}
    assert AuditEvent.objects.filter(action="sso.person_created", actor=person).exists()


def test_a_replayed_state_is_refused(client, northfield):
    callback = through_provider(client, "netadmin@northfield.example")
    client.get(callback)
    client.post(reverse("accounts:logout"))
    start(client)  # a sign-in under way, so the replay reaches the state check
    client.get(callback)
    assert not signed_in_as(client).is_authenticated
    assert refusal() == "token_refused"
    assert "MismatchingStateError" in AuditEvent.objects.latest("pk").detail["error"]


def test_a_wrong_nonce_is_refused(client, northfield):
    authorize = start(client)
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_"))  # noqa: SIM118 (not iterable)
    session[key] = {**session[key], "data": {**session[key]["data"], "nonce": "another-nonce"}}
    session.save()
    back = urlsplit(sign_in_at_provider(authorize, "netadmin@northfield.example", CALLBACK))
    client.get(f"{back.path}?{back.query}")
    assert not signed_in_as(client).is_authenticated
    assert "nonce" in AuditEvent.objects.latest("pk").detail["error"]


def test_an_expired_token_is_refused(client, northfield, provider):
    provider.restart(clockOffsetSeconds=-1000)  # its tokens expired 400 s ago
    sign_in(client, "netadmin@northfield.example")
    assert not signed_in_as(client).is_authenticated
    assert "expired" in AuditEvent.objects.latest("pk").detail["error"].lower()


def test_a_minute_of_clock_skew_is_tolerated(client, northfield, provider):
    provider.restart(clockOffsetSeconds=45)  # tokens issued "in the future"
    sign_in(client, "netadmin@northfield.example")
    assert signed_in_as(client) == northfield.staff


def test_more_skew_is_refused(client, northfield, provider):
    provider.restart(clockOffsetSeconds=120)
    sign_in(client, "netadmin@northfield.example")
    assert not signed_in_as(client).is_authenticated
    assert "future" in AuditEvent.objects.latest("pk").detail["error"]


def test_keys_rotate_without_a_restart(client, northfield, provider):
    sign_in(client, "netadmin@northfield.example")  # the JWKS of key-1 is now cached
    client.post(reverse("accounts:logout"))
    provider.restart(keyId="key-2")  # a new key under a new id
    sign_in(client, "netadmin@northfield.example")
    assert signed_in_as(client) == northfield.staff


def test_a_bad_signature_is_refused(client, northfield, provider):
    sign_in(client, "netadmin@northfield.example")  # key-1 cached
    client.post(reverse("accounts:logout"))
    provider.restart()  # a new key under the same id: the cached key no longer verifies
    sign_in(client, "netadmin@northfield.example")
    assert not signed_in_as(client).is_authenticated
    assert "BadSignatureError" in AuditEvent.objects.latest("pk").detail["error"]


# --- the ID token's checks, on real tokens of the provider --------------------------------


def _tokens(client, northfield):
    """A real token response of the provider for this client, and its request's nonce."""
    app = sso.client_for(northfield.config)
    authorize = start(client)
    state_key = next(k for k in client.session.keys() if k.startswith("_state_"))  # noqa: SIM118
    state = client.session[state_key]["data"]
    back = urlsplit(sign_in_at_provider(authorize, "netadmin@northfield.example", CALLBACK))
    code = dict(p.split("=", 1) for p in back.query.split("&"))["code"]
    token = app.fetch_access_token(
        code=code, redirect_uri=state["redirect_uri"], code_verifier=state["code_verifier"]
    )
    return app, token, state["nonce"]


def test_a_token_for_another_audience_is_refused(client, northfield):
    app, token, nonce = _tokens(client, northfield)
    options = sso.claims_options(app, "another-portal")  # the token names northfield-portal
    with pytest.raises(Exception, match="aud"):
        app.parse_id_token(token, nonce=nonce, claims_options=options, leeway=60)


def test_a_tampered_token_is_refused(client, northfield):
    app, token, nonce = _tokens(client, northfield)
    options = sso.claims_options(app, CLIENT_ID)
    assert app.parse_id_token(token, nonce=nonce, claims_options=options, leeway=60)["sub"]
    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["email"] = "admin@northfield.example"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(Exception, match=r"(?i)signature"):
        app.parse_id_token(
            {**token, "id_token": f"{header}.{forged}.{signature}"},
            nonce=nonce,
            claims_options=options,
            leeway=60,
        )


# --- the sign-in page: home realm discovery and passwords ---------------------------------


def test_the_email_first_page_sends_sso_districts_to_their_provider(client, northfield):
    response = client.post(reverse("accounts:login"), {"username": "NetAdmin@Northfield.example"})
    assert response.url.startswith(reverse("accounts:sso", args=["northfield"]))
    page = client.get(response.url)
    assert "Continue to Northfield" in page.text


def test_an_unverified_domain_does_not_send_anyone_to_a_provider(client, northfield):
    SignInDomain.objects.update(verified_at=None)
    response = client.post(reverse("accounts:login"), {"username": "netadmin@northfield.example"})
    assert response.status_code == 200  # asks for the password


def test_a_district_may_turn_passwords_off_but_not_for_platform_admins(
    client, northfield, platform_admin
):
    SignInSettings.objects.filter(pk=northfield.config.pk).update(password_sign_in=False)
    data = {"username": northfield.staff.email, "password": PASSWORD}
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 200 and "continue without a password" in response.text
    assert not signed_in_as(client).is_authenticated
    data = {"username": platform_admin.email, "password": PASSWORD}
    assert client.post(reverse("accounts:login"), data).url == reverse("accounts:second_factor")


def test_a_discovery_document_of_another_issuer_is_refused(client, northfield, provider):
    SignInSettings.objects.filter(pk=northfield.config.pk).update(
        issuer=provider.issuer.replace("127.0.0.1", "localhost")
    )
    response = client.get(reverse("accounts:sso_start", args=["northfield"]))
    assert response.url == reverse("accounts:login")
    assert refusal() == "issuer_mismatch"
