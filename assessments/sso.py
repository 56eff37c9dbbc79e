"""
Single sign-on per district with OpenID Connect, through Authlib's Django client.

Authlib does the protocol: discovery from the issuer URL, the authorization code flow with
PKCE (S256), ``state`` kept in the session and used once, a fresh ``nonce``, and the ID
token's signature checked against the provider's JWKS (fetched again when a token names a
key it does not hold, so keys rotate without a restart) with ``iss``, ``aud``, ``exp``,
``iat`` and ``nonce`` checked, ``SSO_CLOCK_SKEW_SECONDS`` of skew allowed. This module
adds the portal's rules on top: the email must be verified by the provider, its domain a
verified domain of the district, and the person active in that district (or linked to the
token's subject before); nobody is created unless the district asks for it. Every
sign-in, refusal, link and creation is audited.
"""

import base64
import hashlib

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from joserfc.errors import JoseError

from . import audit
from .models import AuditEvent, ExternalIdentity, SignInDomain, SignInSettings, User
from .roles import Role

# The session key of the sign-in under way: the district and the page to go on to.
FLOW = "sso.flow"
BACKEND = "django.contrib.auth.backends.ModelBackend"
SCOPE = "openid email profile"
# One Authlib client per district, kept with its cached discovery document and JWKS; a
# changed issuer, client id or secret makes a new one.
_clients: dict[int, tuple[str, DjangoOAuth2App]] = {}


class Refused(Exception):
    """A sign-in through the provider that is refused; ``reason`` goes to the audit trail."""

    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.config: SignInSettings | None = None


def _fernet() -> Fernet:
    secret = settings.SSO_SECRET_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(b"skillsportal-sso-client-secret:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""  # the key changed: the secret must be entered again


def realm_for(email: str) -> SignInSettings | None:
    """The sign-in settings of the district whose verified domain ``email`` is in, with SSO on."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    return (
        SignInSettings.objects.filter(
            sso_enabled=True,
            district__domains__domain=domain,
            district__domains__verified_at__isnull=False,
        )
        .select_related("district")
        .first()
    )


def password_allowed(user: User) -> bool:
    """Platform admins always keep their password; others unless their district turned it off."""
    if user.is_staff or user.is_superuser or user.district_id is None:
        return True
    return not SignInSettings.objects.filter(
        district_id=user.district_id, password_sign_in=False
    ).exists()


def client_for(config: SignInSettings) -> DjangoOAuth2App:
    version = f"{config.issuer} {config.client_id} {config.client_secret_encrypted}"
    cached = _clients.get(config.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    client = OAuth().register(
        name=f"district-{config.district_id}",
        client_id=config.client_id,
        client_secret=decrypt_secret(config.client_secret_encrypted),
        server_metadata_url=config.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": 10},
    )
    _clients[config.pk] = (version, client)
    return client


def start(request, config: SignInSettings, *, redirect_uri: str, next_url: str, login_hint: str):
    """The redirect to the district's provider; the flow's state is kept in the session."""
    client = client_for(config)
    _check_issuer(client, config)
    request.session[FLOW] = {"district": config.district_id, "next": next_url}
    audit.record(
        request, "sso.started", district=config.district, email=login_hint, issuer=config.issuer
    )
    extra = {"login_hint": login_hint} if login_hint else {}
    return client.authorize_redirect(request, redirect_uri, **extra)


def claims_options(client: DjangoOAuth2App, client_id: str) -> dict:
    """
    Authlib's options for the ID token: ``iss`` must be the discovered issuer and ``aud``
    must hold this client's id (left alone, Authlib lets an ``azp`` naming the client stand
    in for the audience).
    """
    issuer = client.load_server_metadata()["issuer"]
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [client_id]},
    }


def _check_issuer(client, config):
    """Discovery must name the issuer that was configured (OpenID Connect Discovery, 4.3)."""
    discovered = str(client.load_server_metadata().get("issuer") or "")
    if discovered.rstrip("/") != config.issuer.rstrip("/"):  # Auth0's end with a slash
        raise Refused("issuer_mismatch", discovered=discovered)


def finish(request) -> tuple[User, SignInSettings, str]:
    """
    The active person of the district that the provider's answer names, with the page to go
    on to; raises ``Refused`` (audited by the caller) for anything else.
    """
    flow = request.session.pop(FLOW, None) or {}
    config = (
        SignInSettings.objects.filter(district_id=flow.get("district"), sso_enabled=True)
        .select_related("district")
        .first()
    )
    if config is None:
        raise Refused("no_sign_in_under_way")
    try:
        return _person_from_provider(request, config), config, flow.get("next") or ""
    except Refused as refused:
        refused.config = config
        raise


def _person_from_provider(request, config: SignInSettings) -> User:
    client = client_for(config)
    try:
        token = client.authorize_access_token(
            request,
            leeway=settings.SSO_CLOCK_SKEW_SECONDS,
            claims_options=claims_options(client, config.client_id),
        )
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as error:
        raise Refused("token_refused", error=f"{type(error).__name__}: {error}"[:300]) from error
    claims = token.get("userinfo")
    if not claims:
        raise Refused("no_id_token")
    return person_for(request, config, claims)


def email_is_verified(claims) -> bool:
    """
    The provider vouches for the email: ``email_verified`` (Google Workspace, most
    providers), or Microsoft Entra ID's ``xms_edov`` (its optional claim "email domain
    owner verified"; Entra ID sends no ``email_verified``).
    """
    return claims.get("email_verified") is True or claims.get("xms_edov") is True


def person_for(request, config: SignInSettings, claims) -> User:
    """The person the ID token's claims name in the district, linked or matched by email."""
    issuer, subject = claims["iss"], claims["sub"]
    email = str(claims.get("email") or "").strip().lower()
    identity = (
        ExternalIdentity.objects.filter(issuer=issuer, subject=subject)
        .select_related("person")
        .first()
    )
    if identity is None and not email_is_verified(claims):
        raise Refused("email_not_verified", email=email)
    person = identity.person if identity else _match_by_email(request, config, email)
    if person.district_id != config.district_id:
        raise Refused("other_district", email=email)
    if not person.is_active:
        raise Refused("deactivated", email=email)
    if identity is None:
        ExternalIdentity.objects.create(person=person, issuer=issuer, subject=subject)
        audit.record(request, "sso.linked", actor=person, issuer=issuer, subject=subject)
    return person


def _match_by_email(request, config: SignInSettings, email: str) -> User:
    domain = email.rpartition("@")[2]
    if not SignInDomain.objects.filter(
        district_id=config.district_id, domain=domain, verified_at__isnull=False
    ).exists():
        raise Refused("domain_not_of_district", email=email)
    person = User.objects.filter(email=email).first()
    if person is not None:
        return person
    if not config.create_on_first_sign_in:
        raise Refused("unknown_person", email=email)
    return _create_staff(request, config, email)


@transaction.atomic
def _create_staff(request, config: SignInSettings, email: str) -> User:
    person = User.objects.create_user(email, None, district=config.district)
    person.roles.create(role=Role.STAFF)
    audit.record(request, "sso.person_created", actor=person, obj=person)
    return person


def audit_refusal(request, refused: Refused) -> None:
    audit.record(
        request,
        "sso.refused",
        district=refused.config.district if refused.config else None,
        outcome=AuditEvent.Outcome.REFUSED,
        reason=refused.reason,
        **refused.detail,
    )
