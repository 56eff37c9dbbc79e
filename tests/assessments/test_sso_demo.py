"""`make sso-demo`'s set-up: Northfield pointed at the local provider, which knows the demo people."""

import json

import pytest
from django.core.management import call_command

from assessments import sso
from assessments.models import SignInDomain, SignInSettings


@pytest.mark.django_db
def test_sso_demo_points_northfield_at_the_local_provider(
    tmp_path, shipped_framework, framework_2026_2
):
    call_command("load_demo", verbosity=0)
    path = tmp_path / "provider.json"
    for _ in range(2):  # a second run updates the same rows
        call_command(
            "sso_demo",
            issuer="http://127.0.0.1:8200",
            portal="http://127.0.0.1:8000",
            provider_config=path,
            verbosity=0,
        )
    config = SignInSettings.objects.get(district__slug="northfield")
    provider = json.loads(path.read_text())
    client = provider["clients"][0]
    assert (config.sso_enabled, config.issuer, config.client_id) == (
        True,
        "http://127.0.0.1:8200",
        client["client_id"],
    )
    assert sso.decrypt_secret(config.client_secret_encrypted) == client["client_secret"]
    assert client["redirect_uris"] == ["http://127.0.0.1:8000/account/sso/callback/"]
    assert provider["port"] == 8200
    assert provider["accounts"]["netadmin@northfield.example"]["claims"]["email_verified"]
    assert SignInDomain.objects.get(domain="northfield.example").verified_at is not None
    assert sso.realm_for("netadmin@northfield.example") == config
    assert sso.realm_for("netadmin@riverside.example") is None
    assert path.stat().st_mode & 0o077 == 0  # the client secret is for its owner only
