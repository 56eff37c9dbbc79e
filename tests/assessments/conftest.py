"""
The standard cast of the district pages: district A and district B, each with a
technology team, a district admin, a lead (the team's lead), a staff member, a
superintendent and HR.
"""

from types import SimpleNamespace

import pytest

from assessments.models import District, RoleGrant, Team, User
from assessments.roles import Role

PASSWORD = "a long enough passphrase"


def make_person(district, email, full_name, *roles, team=None, job_role=""):
    person = User.objects.create_user(
        email, PASSWORD, full_name=full_name, district=district, team=team, job_role=job_role
    )
    RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in roles)
    return person


def make_district(slug: str, name: str) -> SimpleNamespace:
    district = District.objects.create(slug=slug, name=name)
    team = Team.objects.create(district=district, name="Technology")
    domain = f"{slug}.example"
    cast = SimpleNamespace(district=district, team=team)
    cast.admin = make_person(district, f"admin@{domain}", f"{name} Admin", Role.ADMIN)
    cast.lead = make_person(
        district, f"cto@{domain}", f"{name} CTO", Role.STAFF, team=team, job_role="district-cto"
    )
    team.lead = cast.lead
    team.save(update_fields=["lead"])
    cast.staff = make_person(
        district,
        f"netadmin@{domain}",
        f"{name} Netadmin",
        Role.STAFF,
        team=team,
        job_role="network-security-admin",
    )
    cast.superintendent = make_person(
        district, f"superintendent@{domain}", f"{name} Superintendent", Role.SUPERINTENDENT
    )
    cast.hr = make_person(district, f"hr@{domain}", f"{name} HR", Role.HR)
    return cast


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
