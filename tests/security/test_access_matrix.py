"""
The role × URL matrix: every named URL of the portal, fetched by every role of district A,
every role of district B (on A's objects), a platform admin and an anonymous visitor.

A new view joins by adding one line to MATRIX: how to build its arguments from a
district's objects, and the answer each role of that district gets. The test fails when
a named URL is missing here. B's answers follow from A's: where A's role gets a page, B's
same role gets 404 on A's object (as for an object that does not exist); where A's role is
refused for want of a role (403) or a method (405), so is B's.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cast import roster_import

from .conftest import ROLES

pytestmark = pytest.mark.django_db

ANON = "anon"
ROOT = "root"


def answers(default, **by_role):
    """Answers for every role: ``default`` unless named; anonymous visitors sign in first."""
    table = {role: default for role in (*ROLES, ROOT)}
    table[ANON] = 302
    table.update(by_role)
    return table


EVERYONE = answers(200)
POST_ONLY = answers(405, anon=405)

# name → (arguments from a district's objects d and the world w, answers in that district)
MATRIX = {
    "home": (None, answers(200, root=302)),
    "healthz": (None, answers(200, anon=200)),
    "accounts:login": (None, answers(302, anon=200)),
    "accounts:logout": (None, POST_ONLY),
    "accounts:password_change": (None, EVERYONE),
    "accounts:password_change_done": (None, EVERYONE),
    "accounts:password_reset": (None, answers(200, anon=200)),
    "accounts:password_reset_done": (None, answers(200, anon=200)),
    "accounts:password_reset_confirm": (
        lambda d, w: {"uidb64": "MQ", "token": "set-password"},
        answers(200, anon=200),
    ),
    "accounts:password_reset_complete": (None, answers(200, anon=200)),
    "accounts:invitation_accept": (
        lambda d, w: {"uidb64": "MQ", "token": "set-password"},
        answers(200, anon=200),
    ),
    "district:people": (None, answers(403, lead=200, superintendent=200, hr=200, admin=200)),
    "district:person_add": (None, answers(403, admin=200)),
    "district:person_edit": (lambda d, w: {"pk": d.staff.pk}, answers(403, admin=200)),
    "district:person_deactivate": (lambda d, w: {"pk": d.staff.pk}, answers(403, admin=200)),
    "district:person_reactivate": (lambda d, w: {"pk": d.staff.pk}, answers(403, admin=200)),
    "district:person_invite": (lambda d, w: {"pk": d.staff.pk}, POST_ONLY),
    "district:teams": (None, answers(403, admin=200)),
    "district:team_add": (None, answers(403, admin=200)),
    "district:team_edit": (lambda d, w: {"pk": d.team.pk}, answers(403, admin=200)),
    "district:roster": (None, answers(403, admin=200)),
    "district:roster_preview": (None, answers(403, admin=302)),
    "district:roster_template": (None, answers(403, admin=200)),
    "district:roster_imported": (
        lambda d, w: {"pk": roster_import(d).pk},
        answers(403, admin=200),
    ),
    "district:audit": (None, answers(403, admin=200)),
    "assessments:detail": (
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    "assessments:rate": (lambda d, w: {"pk": d.draft.pk}, answers(404, lead=302)),
    "assessments:rate_step": (
        lambda d, w: {"pk": d.draft.pk, "step": "INF"},
        answers(404, lead=200),
    ),
    "assessments:autosave": (lambda d, w: {"pk": d.draft.pk}, POST_ONLY),
    "assessments:submit": (lambda d, w: {"pk": d.draft.pk}, POST_ONLY),
    "assessments:review": (lambda d, w: {"pk": d.submitted.pk}, answers(404, lead=200)),
    "assessments:acknowledge": (lambda d, w: {"pk": d.finalized.pk}, POST_ONLY),
    "assessments:plan": (
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=302, hr=302),
    ),
    "assessments:cycles": (None, answers(403, admin=200)),
    "assessments:cycle_new": (None, answers(403, admin=200)),
    "assessments:cycle": (lambda d, w: {"pk": d.cycle.pk}, answers(403, admin=200)),
    "assessments:cycle_add": (lambda d, w: {"pk": d.cycle.pk}, POST_ONLY),
    "assessments:cycle_close": (lambda d, w: {"pk": d.cycle.pk}, POST_ONLY),
    "frameworks:list": (None, EVERYONE),
    "frameworks:import": (None, answers(404, root=200)),
    "frameworks:detail": (
        lambda d, w: {"slug": w.framework.slug, "version": w.framework.version},
        EVERYONE,
    ),
    "frameworks:export": (
        lambda d, w: {"slug": w.framework.slug, "version": w.framework.version, "format": "csv"},
        EVERYONE,
    ),
    "reports:individual": (
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    "reports:individual_pdf": (
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    "reports:hr_list": (None, answers(403, hr=200)),
    "reports:export_list": (None, answers(403, hr=200)),
    "reports:export_create": (lambda d, w: {"cycle_pk": d.cycle.pk}, POST_ONLY),
    "reports:export_detail": (lambda d, w: {"pk": d.export.pk}, answers(403, hr=200)),
    "reports:export_status": (lambda d, w: {"pk": d.export.pk}, answers(403, hr=200)),
    "reports:export_download": (lambda d, w: {"pk": d.export.pk}, answers(403, hr=404)),
    "reports:team": (lambda d, w: {"pk": d.team.pk}, answers(403, lead=200, superintendent=200)),
    "reports:team_pdf": (
        lambda d, w: {"pk": d.team.pk},
        answers(403, lead=200, superintendent=200),
    ),
    "reports:team_csv": (
        lambda d, w: {"pk": d.team.pk},
        answers(403, lead=200, superintendent=200),
    ),
    "reports:team_xlsx": (
        lambda d, w: {"pk": d.team.pk},
        answers(403, lead=200, superintendent=200),
    ),
    "reports:district": (None, answers(403, superintendent=200)),
    "reports:district_pdf": (None, answers(403, superintendent=200)),
    "reports:own_data": (None, EVERYONE),
}


def named_urls(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin: platform admins only, tested by Django
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(named_urls()) - set(MATRIX))
    assert not missing, f"add these URLs to MATRIX: {missing}"


def _url(name, district, world):
    build, _ = MATRIX[name]
    return reverse(name, kwargs=build(district, world) if build else None)


def _client_for(client, role, district, world):
    client.logout()
    if role == ROOT:
        client.force_login(world.root)
    elif role != ANON:
        client.force_login(getattr(district, role))
    return client


def test_each_role_of_the_district_gets_its_answer(client, world):
    wrong = []
    for name, (_, table) in sorted(MATRIX.items()):
        url = _url(name, world.a, world)
        for role in (ANON, *ROLES, ROOT):
            response = _client_for(client, role, world.a, world).get(url)
            if response.status_code != table[role]:
                wrong.append(f"{name} as {role}: {response.status_code}, expected {table[role]}")
            wrong.extend(f"{name} as {role}: {problem}" for problem in _header_problems(response))
    assert not wrong, "\n".join(wrong)


def _header_problems(response) -> list[str]:
    """Every page carries the security headers and a CSP without inline allowances."""
    problems = []
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Content-Type", "").startswith("text/html"):
        csp = response.headers.get("Content-Security-Policy", "")
        if "default-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
            problems.append(f"CSP {csp!r}")
        if response.headers.get("X-Frame-Options") != "DENY":
            problems.append("no X-Frame-Options: DENY")
    return problems


def test_district_b_gets_404_on_every_object_of_district_a(client, world):
    wrong = []
    for name, (build, in_a) in sorted(MATRIX.items()):
        if build is None or name.startswith(("accounts:", "frameworks:")):
            continue  # no district object in the URL
        url = _url(name, world.a, world)
        for role in ROLES:
            # Refused for want of the role or the method: the same answer for any object.
            expected = in_a[role] if in_a[role] in (403, 405) else 404
            status = _client_for(client, role, world.b, world).get(url).status_code
            if status != expected:
                wrong.append(f"{name} as B's {role}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for name, (_, table) in MATRIX.items():
        if table[ANON] == 302:
            response = client.get(_url(name, world.a, world))
            assert response.url.startswith("/account/signin/?next="), name


def test_csrf_is_enforced_on_every_post(world):
    """No view is exempt: a POST without the token is refused before the view runs."""
    client = Client(enforce_csrf_checks=True)
    refused = []
    for name, (_, table) in sorted(MATRIX.items()):
        role = next((r for r in (*ROLES, ROOT) if table[r] in (200, 302, 405)), None)
        _client_for(client, role or ANON, world.a, world)
        response = client.post(_url(name, world.a, world), {"anything": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            refused.append(f"{name} as {role}: {response.status_code}")
    assert not refused, "POST without a CSRF token was not refused:\n" + "\n".join(refused)
