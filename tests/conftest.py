"""Fixtures shared by the whole suite."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from frameworks.models import Framework
from tests.cast import make_district

SHIPPED = ("k12-it-leadership", "2026.1")
# The current version ships beside 2026.1 in its own fixture; tests that need it load it.
SHIPPED_NEXT = ("k12-it-leadership", "2026.2")
NEXT_FIXTURE = "k12-it-leadership-2026-2"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped framework once; tests run inside transactions on top of it."""
    with django_db_blocker.unblock():
        call_command("loaddata", "k12-it-leadership", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing at full strength costs a third of a second per password; tests need none."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Official PDFs and exports go to a fresh directory per test, never into var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def shipped_framework(db) -> Framework:
    """The shipped framework (loaded again where a transactional test flushed it)."""
    if not Framework.objects.filter(slug=SHIPPED[0], version=SHIPPED[1]).exists():
        call_command("loaddata", "k12-it-leadership", verbosity=0)
    return Framework.objects.get_by_natural_key(*SHIPPED)


@pytest.fixture
def framework_2026_2(shipped_framework) -> Framework:
    """Version 2026.2, loaded beside 2026.1 inside the test's transaction."""
    call_command("loaddata", NEXT_FIXTURE, verbosity=0)
    return Framework.objects.get_by_natural_key(*SHIPPED_NEXT)


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(
        "pat.staff@northfield.example", "a long enough passphrase", full_name="Pat Staff"
    )


@pytest.fixture
def platform_admin(django_user_model):
    return django_user_model.objects.create_superuser(
        "root@skillsportal.example", "a long enough passphrase", full_name="Root Admin"
    )


@pytest.fixture
def a(db) -> SimpleNamespace:
    """District A ("Northfield") with the standard cast (tests/cast.py): the one tested."""
    return make_district("northfield", "Northfield")


@pytest.fixture
def b(db) -> SimpleNamespace:
    """District B ("Riverside"): must never see or change anything of A."""
    return make_district("riverside", "Riverside")


@pytest.fixture
def admin_a(client, a):
    """The test client, signed in as district A's admin."""
    client.force_login(a.admin)
    return client
