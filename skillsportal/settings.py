"""
Settings for Skills Portal, every value read from the environment.

Each value goes through one of the small typed helpers below, which raise
ImproperlyConfigured with the variable's name when a value cannot be used.
Defaults suit a developer's machine (DEBUG on, SQLite file, console email);
with DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be given.
"""

import os
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def envint(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    return number


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envpath(name: str, default: Path) -> Path:
    """An absolute path; unset or empty means ``default`` (never the working directory)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not Path(value).is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path; got {value!r}.")
    return Path(value)


def envurl(name: str, default: str) -> str:
    """An http(s) address with a host and no query or fragment, without a trailing slash."""
    value = os.environ.get(name, "").strip() or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// address such as "
            f"https://skills.district.org; got {value!r}."
        )
    return value.rstrip("/")


def envloglevel(name: str, default: str) -> str:
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    value = os.environ.get(name, "").strip().upper() or default
    if value not in levels:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(levels)}; got {os.environ[name]!r}."
        )
    return value


def envdatabase(name: str, default: str) -> dict:
    url = os.environ.get(name) or default
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"{name} must be a sqlite:/// or postgres:// URL; got {url.split(':', 1)[0]!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} could not be read: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Wait for a writer instead of failing at once when the web process and the
        # task worker write at the same moment.
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return config


def envtimezone(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone; got {value!r}.") from None
    return value


def read_local_env(path: Path) -> None:
    """
    Fill in values that the environment does not set from a git-ignored ``.env`` beside
    manage.py: ``make run`` and ``make test`` write one with ``DEBUG=1`` so that a
    development checkout's ``manage.py`` works as it is. Production writes none (and
    ``make serve`` sets DEBUG=0 itself); the environment always wins.
    """
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value.")
        os.environ.setdefault(name.strip(), value.strip())


read_local_env(BASE_DIR / ".env")

DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "frameworks",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    # First: refuses an oversized body before anything reads it (REQUEST_MAX_BYTES).
    "assessments.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every answer to a signed-in person.
    "assessments.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions older than SESSION_MAX_HOURS (after messages: it leaves one).
    "assessments.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "skillsportal.urls"
WSGI_APPLICATION = "skillsportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": envdatabase("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessments.User"
LOGIN_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# Idle sessions end: each request moves the expiry on (the rating form's autosave counts).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
# ...written to the database at most once a minute while nothing else in it changes
# (assessments.sessions): an idle session may end up to a minute early, never late.
SESSION_ENGINE = "assessments.sessions"
SESSION_TOUCH_SECONDS = 60
PASSWORD_RESET_TIMEOUT = envint("INVITATION_DAYS", 7, minimum=1) * 24 * 3600
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = envtimezone("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Official PDFs and exports: never under STATIC_ROOT or any URL; served only by views
# that check access.
PRIVATE_STORAGE_ROOT = envpath("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private")

STATIC_URL = "static/"
STATIC_ROOT = envpath("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
# The app serves its own static files (WhiteNoise). With DEBUG off they come hashed (and
# precompressed unless STATIC_COMPRESS=0) from STATIC_ROOT (`collectstatic`, which `make
# serve` runs); with DEBUG on (development, the test suite) straight from the finders.
if DEBUG:
    _static_storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif envbool("STATIC_COMPRESS", True):
    _static_storage = "whitenoise.storage.CompressedManifestStaticFilesStorage"
else:
    _static_storage = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_storage},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Background tasks (django.tasks), queued in this database by django-tasks-db and run by
# `manage.py db_worker` (`make run` and `make serve` start one; add more on any machine).
# Tests keep this backend and run the queued work themselves (tests/reports/test_exports.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Email: with DEBUG on, the console backend prints messages to the terminal; with DEBUG
# off, SMTP through the EMAIL_* values. EMAIL_BACKEND chooses either way explicitly.
_email_backend = envstr(
    "EMAIL_BACKEND",
    f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": envstr("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25, minimum=1),
        "username": envstr("EMAIL_HOST_USER", ""),
        "password": envstr("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", False),
        "use_ssl": envbool("EMAIL_USE_SSL", False),
        "timeout": envint("EMAIL_TIMEOUT", 20, minimum=1),
    }
    if _email_options["use_tls"] and _email_options["use_ssl"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
# The address people reach the portal at, for links in emails sent outside a request.
SITE_URL = envurl("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Skills Portal <noreply@skillsportal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. HTTPS-only settings follow SECURE_SSL (on by default when DEBUG is
# off); set SECURE_SSL=0 only behind a proxy that does not terminate TLS for you.
SECURE_SSL = envbool("SECURE_SSL", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy: only our own origin; scripts and styles need a nonce or a file.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Argon2id first; older PBKDF2 hashes still work and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envloglevel("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Request bodies, session lifetime and caching of signed-in pages (assessments/middleware.py,
# placed in MIDDLEWARE above). A body larger than REQUEST_MAX_MB is refused (413) before
# anything reads it: the largest legitimate one is a framework import (5 MB) in a form.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_MB", 10, minimum=6) * 1024 * 1024
# A session ends this long after sign-in, however busy (the idle expiry is SESSION_COOKIE_AGE).
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 12, minimum=1)
# Over HTTPS the cookies carry the __Host- prefix: browsers then accept them only when
# Secure, for Path=/ and without Domain, so no subdomain can set or shadow them.
if SECURE_SSL:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
