"""
The role × URL × method matrix: every named URL of the portal, fetched (GET) and posted
to (POST) by every role of district A, every role of district B (on A's objects), a
platform admin and an anonymous visitor.

A new view joins by adding one line to MATRIX: how to build its arguments from a
district's objects, the answer each role of that district gets to a GET, and, for a view
that takes a POST, the answer to a POST and the form data that gets the action done for
the right actor (an answer that carries an error message fails: the action was not
done). The test fails when a named URL is missing here. B's answers follow from
A's: where A's role gets a page or an action done, B's same role gets 404 on A's object
(as for an object that does not exist); where A's role is refused for want of a role
(403) or a method (405), so is B's. Every POST runs in a transaction that is rolled back,
so each actor meets the same world.

A key may name a variant after the URL name ("assessments:detail, a member's draft"):
the same URL on another object.
"""

from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.cast import roster_import

from .conftest import ROLES

pytestmark = pytest.mark.django_db

ANON = "anon"
ROOT = "root"
ACTORS = (ANON, *ROLES, ROOT)


def answers(default, **by_role):
    """Answers for every role: ``default`` unless named; anonymous visitors sign in first."""
    table = {role: default for role in (*ROLES, ROOT)}
    table[ANON] = 302
    table.update(by_role)
    return table


EVERYONE = answers(200)
NOBODY = answers(405, anon=405)  # the method is refused before anything else


class Row(NamedTuple):
    args: Callable | None  # URL arguments from a district's objects d and the world w
    get: dict  # the answer to a GET, by actor
    post: dict = NOBODY  # the answer to a POST of ``data``, by actor
    data: Callable | None = None  # form data, from d and w, that gets the action done


def _first_competency(d) -> int:
    """The first competency of the lead's draft, for the rating forms."""
    return d.draft.ratings.order_by("pk").first().competency_id


# name → Row(arguments, GET answers, POST answers, POST data)
MATRIX = {
    # The superintendent lands on the district dashboard.
    "home": Row(None, answers(200, root=302, superintendent=302)),
    "healthz": Row(None, answers(200, anon=200)),
    "accounts:login": Row(None, answers(302, anon=200), answers(302, anon=200)),
    "accounts:logout": Row(None, NOBODY, answers(302, anon=302)),
    "accounts:password_change": Row(None, EVERYONE, EVERYONE),
    "accounts:password_change_done": Row(None, EVERYONE, answers(405)),
    "accounts:password_reset": Row(None, answers(200, anon=200), answers(200, anon=200)),
    "accounts:password_reset_done": Row(None, answers(200, anon=200)),
    "accounts:password_reset_confirm": Row(
        lambda d, w: {"uidb64": "MQ", "token": "set-password"},
        answers(200, anon=200),
        answers(200, anon=200),
    ),
    "accounts:password_reset_complete": Row(None, answers(200, anon=200)),
    # Without a sign-in pending in the session, the second-factor pages send to sign in.
    "accounts:second_factor": Row(None, answers(302), answers(302)),
    "accounts:second_factor_enrol": Row(None, answers(302), answers(302)),
    "accounts:recovery_codes": Row(None, answers(302)),
    # No single sign-on in this world: its pages are 404 (tests/assessments/test_sso.py).
    "accounts:sso": Row(lambda d, w: {"district": d.district.slug}, answers(404, anon=404)),
    "accounts:sso_start": Row(lambda d, w: {"district": d.district.slug}, answers(404, anon=404)),
    "accounts:sso_callback": Row(None, answers(302)),
    "accounts:invitation_accept": Row(
        lambda d, w: {"uidb64": "MQ", "token": "set-password"},
        answers(200, anon=200),
        answers(200, anon=200),
    ),
    "administration:people": Row(
        None, answers(403, lead=200, superintendent=200, hr=200, admin=200)
    ),
    "administration:person_add": Row(
        None,
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {"email": "new@northfield.example", "full_name": "New Person"},
    ),
    "administration:person_edit": Row(
        lambda d, w: {"pk": d.staff.pk},
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {
            "full_name": "Renamed",
            "team": d.team.pk,
            "job_role": d.staff.job_role,
            "roles": "staff",
        },
    ),
    "administration:person_deactivate": Row(
        lambda d, w: {"pk": d.staff.pk}, answers(403, admin=200), answers(403, admin=302)
    ),
    "administration:person_reactivate": Row(
        lambda d, w: {"pk": d.staff.pk}, answers(403, admin=200), answers(403, admin=302)
    ),
    "administration:person_invite": Row(
        lambda d, w: {"pk": d.newcomer.pk}, NOBODY, answers(403, admin=302)
    ),
    "administration:teams": Row(None, answers(403, admin=200)),
    "administration:team_add": Row(
        None, answers(403, admin=200), answers(403, admin=302), lambda d, w: {"name": "Security"}
    ),
    "administration:team_edit": Row(
        lambda d, w: {"pk": d.team.pk},
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {"name": "Technology team", "lead": d.lead.pk},
    ),
    "administration:roster": Row(
        None,
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {"file": SimpleUploadedFile("roster.csv", b"email,full_name\n")},
    ),
    "administration:roster_preview": Row(None, answers(403, admin=302), answers(403, admin=302)),
    "administration:roster_template": Row(None, answers(403, admin=200)),
    "administration:roster_imported": Row(
        lambda d, w: {"pk": roster_import(d).pk}, answers(403, admin=200)
    ),
    "administration:audit": Row(None, answers(403, admin=200)),
    "administration:sign_in": Row(
        None,
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {"password_sign_in": "on", "second_factor_for_hr_and_superintendents": "on"},
    ),
    "assessments:detail": Row(
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    # A draft is private until submitted: its author alone reads it (not an actor here).
    "assessments:detail, a member's draft": Row(
        lambda d, w: {"pk": d.member_draft.pk}, answers(404)
    ),
    "assessments:rate": Row(lambda d, w: {"pk": d.draft.pk}, answers(404, lead=302)),
    "assessments:rate_step": Row(
        lambda d, w: {"pk": d.draft.pk, "step": "INF"},
        answers(404, lead=200),
        answers(404, lead=302),
        lambda d, w: {"version": d.draft.version, f"level-{_first_competency(d)}": "2"},
    ),
    "assessments:autosave": Row(
        lambda d, w: {"pk": d.draft.pk},
        NOBODY,
        answers(404, lead=200),
        lambda d, w: {"version": d.draft.version, "competency": _first_competency(d), "level": 2},
    ),
    "assessments:submit": Row(
        lambda d, w: {"pk": d.draft.pk},
        NOBODY,
        answers(404, lead=302),
        lambda d, w: {"version": d.draft.version},
    ),
    "assessments:review": Row(
        lambda d, w: {"pk": d.submitted.pk},
        answers(404, lead=200),
        answers(404, lead=302),
        lambda d, w: {"action": "save", "version": d.submitted.version},
    ),
    "assessments:acknowledge": Row(
        lambda d, w: {"pk": d.finalized.pk}, NOBODY, answers(404, staff=302)
    ),
    "assessments:plan": Row(
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200),
        answers(404, staff=302, lead=302),
        lambda d, w: {"goals-TOTAL_FORMS": 5, "goals-INITIAL_FORMS": 0},
    ),
    "assessments:cycles": Row(None, answers(403, admin=200)),
    "assessments:cycle_new": Row(
        None,
        answers(403, admin=200),
        answers(403, admin=302),
        lambda d, w: {
            "title": "2027 review",
            "framework": w.framework.pk,
            "opens_on": "2027-01-04",
            "due_on": "2027-02-01",
            "people": d.staff.pk,
        },
    ),
    "assessments:cycle": Row(lambda d, w: {"pk": d.cycle.pk}, answers(403, admin=200)),
    "assessments:cycle_add": Row(
        lambda d, w: {"pk": d.cycle.pk},
        NOBODY,
        answers(403, admin=302),
        lambda d, w: {"person": d.newcomer.pk},
    ),
    "assessments:cycle_add_newcomers": Row(
        lambda d, w: {"pk": d.cycle.pk}, NOBODY, answers(403, admin=302)
    ),
    "assessments:cycle_close": Row(
        lambda d, w: {"pk": d.cycle.pk}, answers(403, admin=200), answers(403, admin=302)
    ),
    "assessments:cycle_reopen, a closed cycle": Row(
        lambda d, w: {"pk": d.closed_cycle.pk}, NOBODY, answers(403, admin=302)
    ),
    "frameworks:list": Row(None, EVERYONE),
    "frameworks:import": Row(None, answers(404, root=200), answers(404, root=200)),
    "frameworks:import_detail": Row(
        lambda d, w: {"pk": w.framework_import.pk}, answers(404, root=200)
    ),
    "frameworks:detail": Row(
        lambda d, w: {"slug": w.framework.slug, "version": w.framework.version}, EVERYONE
    ),
    "frameworks:export": Row(
        lambda d, w: {"slug": w.framework.slug, "version": w.framework.version, "format": "csv"},
        EVERYONE,
    ),
    "reports:individual": Row(
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    "reports:individual, a member's draft": Row(
        lambda d, w: {"pk": d.member_draft.pk}, answers(404)
    ),
    "reports:individual_pdf": Row(
        lambda d, w: {"pk": d.finalized.pk},
        answers(404, staff=200, lead=200, superintendent=200, hr=200),
    ),
    "reports:finalize": Row(
        lambda d, w: {"pk": d.submitted.pk}, answers(404, lead=200), answers(404, lead=302)
    ),
    "reports:individual_pdf, a member's draft": Row(
        lambda d, w: {"pk": d.member_draft.pk}, answers(404)
    ),
    "reports:hr_list": Row(None, answers(403, hr=200)),
    "reports:export_list": Row(None, answers(403, hr=200)),
    "reports:export_create": Row(
        lambda d, w: {"cycle_pk": d.cycle.pk}, NOBODY, answers(403, hr=302)
    ),
    "reports:export_detail": Row(lambda d, w: {"pk": d.export.pk}, answers(403, hr=200)),
    "reports:export_status": Row(lambda d, w: {"pk": d.export.pk}, answers(403, hr=200)),
    "reports:export_download": Row(lambda d, w: {"pk": d.export.pk}, answers(403, hr=404)),
    "reports:team": Row(lambda d, w: {"pk": d.team.pk}, answers(403, lead=200, superintendent=200)),
    "reports:team_pdf": Row(
        lambda d, w: {"pk": d.team.pk},
        answers(403, lead=200, superintendent=200),
        answers(403, lead=302, superintendent=302),
    ),
    "reports:team_reports": Row(
        lambda d, w: {"pk": d.team.pk},
        answers(403, lead=200, superintendent=200),
        answers(403, lead=302, superintendent=302),
    ),
    # Only the person who asked for a job follows it (here the lead); not done yet.
    "reports:job_detail": Row(lambda d, w: {"pk": d.report_job.pk}, answers(404, lead=200)),
    "reports:job_status": Row(lambda d, w: {"pk": d.report_job.pk}, answers(404, lead=200)),
    "reports:job_download": Row(lambda d, w: {"pk": d.report_job.pk}, answers(404)),
    "reports:team_csv": Row(
        lambda d, w: {"pk": d.team.pk}, answers(403, lead=200, superintendent=200)
    ),
    "reports:team_xlsx": Row(
        lambda d, w: {"pk": d.team.pk}, answers(403, lead=200, superintendent=200)
    ),
    "reports:district": Row(None, answers(403, superintendent=200)),
    "reports:district_pdf": Row(
        None, answers(403, superintendent=200), answers(403, superintendent=302)
    ),
    "reports:own_data": Row(None, EVERYONE),
    "reports:dashboard": Row(None, answers(403, superintendent=200)),
    # The whole district's page; a lead opens their team's (?team=, tests/reports/test_competency.py).
    "reports:competency": Row(
        lambda d, w: {"pk": d.cycle.framework.competencies.order_by("pk").first().pk},
        answers(403, superintendent=200),
    ),
}


def _name(key: str) -> str:
    return key.split(",")[0]


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
    missing = sorted(set(named_urls()) - {_name(key) for key in MATRIX})
    assert not missing, f"add these URLs to MATRIX: {missing}"


def _url(key, district, world):
    build = MATRIX[key].args
    return reverse(_name(key), kwargs=build(district, world) if build else None)


def _client_for(client, role, district, world):
    client.logout()
    if role == ROOT:
        client.force_login(world.root)
    elif role != ANON:
        client.force_login(getattr(district, role))
    return client


def _post(client, key, url, world):
    """POST the row's data (its data for A's objects); everything it changed is undone."""
    data = MATRIX[key].data
    with transaction.atomic():
        response = client.post(url, data(world.a, world) if data else {})
        transaction.set_rollback(True)
    return response


def _request(client, method, key, url, world):
    if method == "GET":
        return client.get(url)
    return _post(client, key, url, world)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_each_role_of_the_district_gets_its_answer(client, world, method):
    wrong = []
    for key, row in sorted(MATRIX.items()):
        table = row.get if method == "GET" else row.post
        url = _url(key, world.a, world)
        for role in ACTORS:
            _client_for(client, role, world.a, world)
            response = _request(client, method, key, url, world)
            if response.status_code in (200, 302) and _errors(response):
                wrong.append(f"{method} {key} as {role}: not done: {_errors(response)}")
            if response.status_code != table[role]:
                wrong.append(
                    f"{method} {key} as {role}: {response.status_code}, expected {table[role]}"
                )
            wrong.extend(
                f"{method} {key} as {role}: {problem}" for problem in _header_problems(response)
            )
    assert not wrong, "\n".join(wrong)


def _errors(response) -> list[str]:
    """The error messages a page or a redirect carries: the action was not done."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]


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


def _has_district_object(key) -> bool:
    # A competency is its framework's, which districts share: B reads its own figures of it.
    shared = ("accounts:", "frameworks:", "reports:competency")
    return MATRIX[key].args is not None and not key.startswith(shared)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_district_b_gets_404_on_every_object_of_district_a(client, world, method):
    wrong = []
    for key, row in sorted(MATRIX.items()):
        if not _has_district_object(key):
            continue
        in_a = row.get if method == "GET" else row.post
        url = _url(key, world.a, world)
        for role in ROLES:
            # Refused for want of the role or the method: the same answer for any object.
            expected = in_a[role] if in_a[role] in (403, 405) else 404
            _client_for(client, role, world.b, world)
            status = _request(client, method, key, url, world).status_code
            if status != expected:
                wrong.append(f"{method} {key} as B's {role}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# Steps of signing in itself: without one under way, back to the start of signing in.
SIGN_IN_STEPS = {
    "accounts:second_factor",
    "accounts:second_factor_enrol",
    "accounts:recovery_codes",
    "accounts:sso_callback",
}


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for key, row in MATRIX.items():
        if row.get[ANON] == 302:
            response = client.get(_url(key, world.a, world))
            if key in SIGN_IN_STEPS:
                assert response.url == "/account/signin/", key
            else:
                assert response.url.startswith("/account/signin/?next="), key


def test_csrf_is_enforced_on_every_post(world):
    """No view is exempt: a POST without the token is refused before the view runs."""
    client = Client(enforce_csrf_checks=True)
    refused = []
    for key, row in sorted(MATRIX.items()):
        role = next((r for r in (*ROLES, ROOT) if row.post[r] in (200, 302)), None)
        _client_for(client, role or ANON, world.a, world)
        response = client.post(_url(key, world.a, world), {"anything": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            refused.append(f"{key} as {role}: {response.status_code}")
    assert not refused, "POST without a CSRF token was not refused:\n" + "\n".join(refused)
