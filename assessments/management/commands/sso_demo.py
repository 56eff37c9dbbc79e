"""
`make sso-demo`: points the demo's Northfield at a local OpenID Connect provider and writes
that provider's configuration (tests/oidc/provider.mjs): the portal as its client, and
every active demo person of Northfield and Riverside as an account with a verified email.
Run after `load_demo`; running it again updates the same rows.
"""

import json
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import sso
from assessments.models import District, SignInDomain, SignInSettings, User

CLIENT_ID = "skills-portal-demo"


class Command(BaseCommand):
    help = "Point the demo's Northfield at a local OpenID Connect provider (make sso-demo)."

    def add_arguments(self, parser):
        parser.add_argument("--issuer", required=True, help="e.g. http://127.0.0.1:8200")
        parser.add_argument("--portal", required=True, help="e.g. http://127.0.0.1:8000")
        parser.add_argument("--provider-config", required=True, type=Path)

    @transaction.atomic
    def handle(self, *args, issuer, portal, provider_config, **options):
        secret = secrets.token_urlsafe(24)
        district = District.objects.get(slug="northfield")
        SignInSettings.objects.update_or_create(
            district=district,
            defaults={
                "sso_enabled": True,
                "issuer": issuer,
                "client_id": CLIENT_ID,
                "client_secret_encrypted": sso.encrypt_secret(secret),
            },
        )
        SignInDomain.objects.update_or_create(
            domain="northfield.example",
            defaults={"district": district, "verified_at": timezone.now()},
        )
        port = int(issuer.rsplit(":", 1)[1].strip("/"))
        people = User.objects.filter(district__slug__in=["northfield", "riverside"], is_active=True)
        config = {
            "port": port,
            "keyId": "demo-key",
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": secret,
                    "redirect_uris": [f"{portal.rstrip('/')}/account/sso/callback/"],
                }
            ],
            "accounts": {
                person.email: {
                    "claims": {
                        "email": person.email,
                        "email_verified": True,
                        "name": person.full_name,
                    }
                }
                for person in people
            },
        }
        provider_config.parent.mkdir(parents=True, exist_ok=True)
        provider_config.write_text(json.dumps(config, indent=2))
        provider_config.chmod(0o600)
        self.stdout.write(f"Northfield signs in through {issuer} ({len(people)} accounts).")
