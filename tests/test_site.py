"""The base of the site: health check, error pages, security headers and the CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.text == "ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


@pytest.mark.django_db
def test_pages_carry_the_csp_and_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_inline_script_or_style_without_the_nonce(client, person, shipped_framework):
    client.force_login(person)
    for url in (reverse("frameworks:list"), shipped_framework.get_absolute_url()):
        page = client.get(url).text
        assert "<style" not in page
        assert " style=" not in page
        for chunk in page.split("<script")[1:]:
            assert ' src="/static/' in chunk.split(">")[0] or "nonce=" in chunk.split(">")[0]


@pytest.mark.django_db
def test_bootstrap_is_served_from_the_installed_package(client):
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert found and "site-packages" in found
    assert not (ROOT / "static" / "vendor").exists()


@pytest.mark.django_db
def test_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def _manage(*args, **env):
    # A clean environment: no development defaults, and none of the browser tests' knobs.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be a sqlite"),
        (
            {
                "DEBUG": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_PORT": "smtp",
            },
            "EMAIL_PORT must be a whole number",
        ),
        ({"DEBUG": "1", "TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 60}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of DEBUG, INFO"),
        ({"DEBUG": "1", "SITE_URL": "skills.district.org"}, "SITE_URL must be an http"),
        ({"DEBUG": "1", "SITE_URL": "ftp://skills.district.org"}, "SITE_URL must be an http"),
        ({"DEBUG": "1", "SITE_URL": "https://"}, "SITE_URL must be an http"),
        ({"DEBUG": "1", "SITE_URL": "https://x.org/?a=1"}, "SITE_URL must be an http"),
        ({"DEBUG": "1", "PRIVATE_STORAGE_ROOT": "private"}, "PRIVATE_STORAGE_ROOT must be an"),
        ({"DEBUG": "1", "STATIC_ROOT": "static"}, "STATIC_ROOT must be an absolute path"),
    ],
)
def test_bad_settings_stop_with_a_clear_message(env, message):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_private_storage_root_is_the_default_never_the_working_directory(value):
    show = "from django.conf import settings; print(settings.PRIVATE_STORAGE_ROOT)"
    result = _manage("shell", "--no-imports", "-c", show, DEBUG="1", PRIVATE_STORAGE_ROOT=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "var" / "private")


def test_good_log_level_and_site_url_are_taken():
    show = "from django.conf import settings; print(settings.LOGGING['root']['level'], settings.SITE_URL)"
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        DEBUG="1",
        LOG_LEVEL="warning",
        SITE_URL="https://skills.district.org/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["WARNING", "https://skills.district.org"]


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-production-secret-of-sufficient-length-and-randomness-7f3k2",
        ALLOWED_HOSTS="skills.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# Signs in through the real sign-in page over HTTPS and prints the cookies it was sent
# (static names unhashed: no collectstatic for this).
SIGN_IN_AND_PRINT_COOKIES = """
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from assessments.models import User
call_command("migrate", verbosity=0)
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
User.objects.create_user("c@example.org", "a long enough passphrase", full_name="C")
client = Client()
for response in (
    client.get("/account/signin/", secure=True),
    client.post(
        "/account/signin/",
        {"username": "c@example.org", "password": "a long enough passphrase"},
        secure=True,
    ),
):
    for morsel in response.cookies.values():
        print(morsel.OutputString())
"""


def test_production_cookies_carry_the_host_prefix(tmp_path):
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        SIGN_IN_AND_PRINT_COOKIES,
        DEBUG="0",
        SECRET_KEY="a-production-secret-of-sufficient-length-and-randomness-7f3k2",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    cookies = {line.split("=", 1)[0]: line for line in result.stdout.splitlines()}
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for line in cookies.values():
        # What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
        attributes = [part.strip() for part in line.split(";")]
        assert "Secure" in attributes and "Path=/" in attributes, line
        assert not any(part.lower().startswith("domain=") for part in attributes), line


def test_local_env_fills_in_only_what_the_environment_does_not_set(tmp_path, monkeypatch):
    from skillsportal.settings import read_local_env

    env = tmp_path / ".env"
    env.write_text("# development\nDEBUG=1\nTIME_ZONE = Europe/Paris\n\n", encoding="utf-8")
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.delenv("TIME_ZONE", raising=False)
    read_local_env(env)
    assert os.environ["DEBUG"] == "0"  # a production environment is never overridden
    assert os.environ["TIME_ZONE"] == "Europe/Paris"


def test_a_damaged_local_env_stops_with_its_line(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from skillsportal.settings import read_local_env

    env = tmp_path / ".env"
    env.write_text("DEBUG=1\nnot a setting\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="line 2: expected NAME=value"):
        read_local_env(env)
