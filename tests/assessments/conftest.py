"""
The standard cast of the district pages: district A and district B, each with a
technology team, a district admin, a lead (the team's lead), a staff member, a
superintendent and HR.
"""

from types import SimpleNamespace

import pytest

from tests.cast import PASSWORD, make_district, make_person  # noqa: F401  (shared cast)


@pytest.fixture
def fast_hashing(settings):
    """The cast signs in many times; a quick hasher keeps the suite fast (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def a(db, fast_hashing) -> SimpleNamespace:
    """District A ("Northfield"): the district whose pages are tested."""
    return make_district("northfield", "Northfield")


@pytest.fixture
def b(db, fast_hashing) -> SimpleNamespace:
    """District B ("Riverside"): must never see or change anything of A."""
    return make_district("riverside", "Riverside")


@pytest.fixture
def admin_a(client, a):
    """The test client, signed in as district A's admin."""
    client.force_login(a.admin)
    return client
