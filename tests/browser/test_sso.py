"""
Single sign-on in a real browser, against the real OpenID Connect provider (tests/oidc):
a staff member types their email, goes on to their district's provider, signs in there and
lands on their assessment; a district admin who comes back from it still needs their code.
"""

import pytest
from django.utils import timezone

from assessments import sso
from assessments.models import SignInDomain, SignInSettings
from tests.cast import make_district, open_cycle
from tests.oidc import CLIENT_ID, CLIENT_SECRET, Provider, account

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def northfield(transactional_db, shipped_framework, live_server):
    cast = make_district("northfield", "Northfield")
    cast.assessment = open_cycle(cast, shipped_framework, cast.staff).assessments.get()
    accounts = {p.email: account(p.email) for p in (cast.staff, cast.admin)}
    callback = f"{live_server.url}/account/sso/callback/"
    cast.provider = Provider(redirect_uris=[callback], accounts=accounts).start()
    SignInSettings.objects.create(
        district=cast.district,
        sso_enabled=True,
        issuer=cast.provider.issuer,
        client_id=CLIENT_ID,
        client_secret_encrypted=sso.encrypt_secret(CLIENT_SECRET),
    )
    SignInDomain.objects.create(
        district=cast.district, domain="northfield.example", verified_at=timezone.now()
    )
    yield cast
    cast.provider.stop()


def through_the_provider(page, email):
    page.goto("/account/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Use my district's sign-in").click()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to Northfield's sign-in").click()
    page.locator('input[name="password"]').fill("their provider password")  # its own form
    page.locator('input[name="login"]').fill(email)
    page.get_by_role("button", name="Sign-in").click()


def test_staff_sign_in_through_their_district_and_land_on_their_assessment(
    page, northfield, live_server
):
    through_the_provider(page, northfield.staff.email)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="2026 annual review").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start rating").click()
    page.wait_for_url(f"**/assessments/{northfield.assessment.pk}/**")


def test_a_district_admin_still_needs_their_second_factor(page, northfield):
    through_the_provider(page, northfield.admin.email)
    page.wait_for_url("**/account/signin/enrol/")
    assert page.get_by_role("heading", name="Set up your sign-in code").is_visible()
    assert_accessible(page)
    page.goto("/district/people/")
    assert "/account/signin/" in page.url  # no session without the code
