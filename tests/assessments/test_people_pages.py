"""The district pages for people and teams: access, forms, services, emails, query counts."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import get_resolver, reverse

from assessments import people
from assessments.models import AuditEvent, RoleGrant, Team, User
from assessments.roles import Role
from tests.cast import PASSWORD, make_person, roster_import
from tests.taskqueue import committing, run_queued_tasks

pytestmark = pytest.mark.django_db

ROLES = ("admin", "lead", "staff", "superintendent", "hr")
# Pages that district-wide readers and leads may read; every other page is for admins.
READ_PAGES = {"people"}


def district_urls(a) -> dict[str, str]:
    """Every page of the "administration" namespace, with A's objects where it takes one."""
    return {
        "people": reverse("administration:people"),
        "person_add": reverse("administration:person_add"),
        "person_edit": reverse("administration:person_edit", args=[a.staff.pk]),
        "person_deactivate": reverse("administration:person_deactivate", args=[a.staff.pk]),
        "person_reactivate": reverse("administration:person_reactivate", args=[a.staff.pk]),
        "person_invite": reverse("administration:person_invite", args=[a.staff.pk]),
        "teams": reverse("administration:teams"),
        "team_add": reverse("administration:team_add"),
        "team_edit": reverse("administration:team_edit", args=[a.team.pk]),
        "roster": reverse("administration:roster"),
        "roster_preview": reverse("administration:roster_preview"),
        "roster_template": reverse("administration:roster_template"),
        "roster_imported": reverse("administration:roster_imported", args=[roster_import(a).pk]),
        "audit": reverse("administration:audit"),
        "sign_in": reverse("administration:sign_in"),
    }


# Pages that name one of A's objects: B's admin gets 404 there.
OBJECT_PAGES = {
    "person_edit",
    "person_deactivate",
    "person_reactivate",
    "person_invite",
    "team_edit",
}
POST_ONLY = {"person_invite"}


def test_the_matrix_names_every_district_url(a):
    named = {
        name
        for name in get_resolver().namespace_dict["administration"][1].reverse_dict
        if isinstance(name, str)
    }
    assert named == set(district_urls(a))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_of_a_gets_its_pages_and_403_elsewhere(client, a, role):
    client.force_login(getattr(a, role))
    for name, url in district_urls(a).items():
        response = client.post(url) if name in POST_ONLY else client.get(url)
        if role == "admin":
            # The preview without an upload sends the admin back to the upload page; a
            # new invitation for someone who has a password is refused with a message.
            expected = 302 if name in {"roster_preview", "person_invite"} else 200
        elif name in READ_PAGES and role != "staff":
            expected = 200
        else:
            expected = 403
        assert response.status_code == expected, (role, name)


def test_b_admin_gets_404_for_every_object_of_a(client, a, b):
    client.force_login(b.admin)
    for name, url in district_urls(a).items():
        if name in OBJECT_PAGES:
            assert client.get(url).status_code in {404, 405}, name
            assert client.post(url, {"full_name": "Hacked", "name": "Hacked"}).status_code == 404
    a.staff.refresh_from_db()
    a.team.refresh_from_db()
    assert (a.staff.full_name, a.staff.is_active, a.team.name) == (
        "Northfield Netadmin",
        True,
        "Technology",
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, a):
    for name, url in district_urls(a).items():
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


def test_every_post_needs_the_csrf_token(a):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(a.admin)
    posts = {
        "person_add": {"email": "x@northfield.example", "full_name": "X", "roles": ["staff"]},
        "person_edit": {"full_name": "Changed", "roles": ["staff"]},
        "person_deactivate": {},
        "person_reactivate": {},
        "person_invite": {},
        "team_add": {"name": "Forged"},
        "team_edit": {"name": "Forged"},
        "roster": {},
        "roster_preview": {"token": "x"},
        "sign_in": {"password_sign_in": "on"},
    }
    urls = district_urls(a)
    for name, data in posts.items():
        assert csrf_client.post(urls[name], data).status_code == 403, name
    a.staff.refresh_from_db()
    assert a.staff.full_name == "Northfield Netadmin" and a.staff.is_active
    assert not User.objects.filter(email="x@northfield.example").exists()
    assert not Team.objects.filter(name="Forged").exists()


# The people list


def test_people_list_shows_the_district_to_district_wide_readers(client, a, b):
    for role in ("admin", "superintendent", "hr"):
        client.force_login(getattr(a, role))
        page = client.get(reverse("administration:people")).text
        assert "netadmin@northfield.example" in page
        assert "superintendent@northfield.example" in page
        assert "riverside.example" not in page


def test_a_lead_reads_only_their_team_and_themselves(client, a, b):
    client.force_login(a.lead)
    page = client.get(reverse("administration:people")).text
    assert "netadmin@northfield.example" in page
    assert "cto@northfield.example" in page
    assert "hr@northfield.example" not in page
    assert "riverside.example" not in page
    assert reverse("administration:person_add") not in page  # readers get no manage links


def test_search_by_name_or_email(admin_a, a):
    page = admin_a.get(reverse("administration:people"), {"q": "netADMIN"}).text
    assert "netadmin@northfield.example" in page
    assert "hr@northfield.example" not in page
    page = admin_a.get(reverse("administration:people"), {"q": "Northfield HR"}).text
    assert "hr@northfield.example" in page
    assert "netadmin@northfield.example" not in page


def test_people_list_pages_by_25_and_keeps_the_search(admin_a, a):
    for number in range(30):
        make_person(a.district, f"teacher{number:02}@northfield.example", f"Teacher {number:02}")
    first = admin_a.get(reverse("administration:people"), {"q": "teacher"}).text
    assert "teacher00@" in first and "teacher24@" in first and "teacher25@" not in first
    assert "?q=teacher&amp;page=2" in first
    second = admin_a.get(reverse("administration:people"), {"q": "teacher", "page": 2}).text
    assert "teacher25@" in second and "teacher29@" in second and "teacher00@" not in second
    assert "Page 2 of 2" in second


def test_people_list_query_count_is_fixed(admin_a, a, django_assert_num_queries):
    def count_for_page():
        # 1 session, 2 signed-in person, 3-4 their roles (grants, led teams),
        # 5 paginator count, 6 the job role titles, 7 the page of people with their
        # teams, 8 their role grants (the session row is written at most once a minute:
        # assessments.sessions).
        with django_assert_num_queries(8):
            assert admin_a.get(reverse("administration:people")).status_code == 200

    count_for_page()
    for number in range(20):
        person = make_person(
            a.district, f"t{number}@northfield.example", f"T {number}", Role.STAFF, team=a.team
        )
        RoleGrant.objects.create(person=person, role=Role.HR)
    count_for_page()


# Adding and inviting


def invite(client, **data):
    fields = {"full_name": "New Person", "roles": ["staff"], "job_role": "", "team": ""}
    fields.update(data)
    return client.post(reverse("administration:person_add"), fields)


def test_add_person_sends_an_invitation_that_sets_a_password(client, admin_a, a):
    with committing():
        response = invite(
            admin_a,
            email="  New.Person@Northfield.EXAMPLE ",
            team=a.team.pk,
            job_role="tech-support-specialist",
            roles=["staff", "admin"],
        )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@northfield.example")
    assert person.district == a.district and person.team == a.team
    assert person.job_role == "tech-support-specialist"
    assert set(person.roles.values_list("role", flat=True)) == {"staff", "admin"}
    assert not person.has_usable_password()
    event = AuditEvent.objects.get(action="person.invited", object_id=str(person.pk))
    assert event.actor == a.admin and event.district == a.district

    assert mail.outbox == []  # queued, sent by the task worker
    assert run_queued_tasks() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@northfield.example"]
    link = re.search(r"https?://\S+", message.body).group(0)
    path = urlparse(link).path

    invited = Client()
    response = invited.get(path)
    assert response.status_code == 302  # to the form, with the token kept in the session
    form_url = response.url
    assert invited.get(form_url).status_code == 200
    short = invited.post(form_url, {"new_password1": "too short", "new_password2": "too short"})
    assert short.status_code == 200 and "at least 12 characters" in short.text
    chosen = "correct horse battery staple"
    response = invited.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    # Invited as an admin: they set up their second factor before their first session.
    assert response.status_code == 302
    assert response.url == reverse("accounts:second_factor_enrol")
    assert "_auth_user_id" not in invited.session
    person.refresh_from_db()
    assert person.check_password(chosen)
    assert Client().get(path).status_code in {200, 302}  # the link does not work twice
    assert "no longer works" in Client().get(path, follow=True).text


def test_an_email_in_use_in_another_district_is_a_form_error_that_names_no_district(admin_a, a, b):
    response = invite(admin_a, email="NetAdmin@Riverside.example")
    assert response.status_code == 200
    assert "This email address is already in use." in response.text
    assert "riverside" not in response.text.lower().replace("riverside.example", "")
    assert User.objects.filter(email="netadmin@riverside.example").get().district == b.district


def test_a_team_of_another_district_is_refused_and_district_ids_are_ignored(admin_a, a, b):
    response = invite(admin_a, email="sneaky@northfield.example", team=b.team.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not User.objects.filter(email="sneaky@northfield.example").exists()

    response = invite(admin_a, email="placed@northfield.example", district=b.district.pk)
    assert response.status_code == 302
    assert User.objects.get(email="placed@northfield.example").district == a.district


def test_an_empty_post_shows_errors(admin_a):
    response = admin_a.post(reverse("administration:person_add"), {})
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_resend_invitation_only_before_a_password_is_chosen(admin_a, a):
    invite(admin_a, email="later@northfield.example")
    person = User.objects.get(email="later@northfield.example")
    with committing():
        admin_a.post(reverse("administration:person_invite", args=[person.pk]))
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["later@northfield.example"]]
    assert AuditEvent.objects.filter(action="person.invitation_resent").count() == 1
    with committing():
        admin_a.post(reverse("administration:person_invite", args=[a.staff.pk]))
    assert run_queued_tasks() == 0
    assert len(mail.outbox) == 1


def test_the_invitation_names_inviter_and_district_as_written(admin_a, a):
    """Rendered from templates/assessments/email/invitation*.txt, as plain text: a name
    with an apostrophe is not HTML-escaped."""
    a.admin.full_name = "Pat O'Brien"
    a.admin.save(update_fields=["full_name"])
    with committing():
        invite(admin_a, email="later@northfield.example", full_name="Sam & Co")
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.subject == "Your invitation to Skills Portal"
    assert message.body.startswith("Hello Sam,\n\nPat O'Brien has invited you to Skills Portal")
    assert f"for {a.district.name}, where you rate your skills" in message.body
    assert message.body.endswith("ask your district admin to send a new invitation.\n")


def test_the_audit_events_carry_the_admins_address(client, a):
    admin = Client(REMOTE_ADDR="198.51.100.20")
    admin.force_login(a.admin)
    invite(admin, email="later@northfield.example")
    person = User.objects.get(email="later@northfield.example")
    admin.post(reverse("administration:person_deactivate", args=[person.pk]))
    admin.post(reverse("administration:team_add"), {"name": "Help desk"})
    events = AuditEvent.objects.filter(
        action__in=["person.invited", "person.deactivated", "team.created"]
    )
    assert {(e.action, e.actor, e.address) for e in events} == {
        ("person.invited", a.admin, "198.51.100.20"),
        ("person.deactivated", a.admin, "198.51.100.20"),
        ("team.created", a.admin, "198.51.100.20"),
    }


# Editing


def test_edit_changes_name_team_job_role_and_roles_with_audit_events(admin_a, a):
    other = Team.objects.create(district=a.district, name="Instruction")
    response = admin_a.post(
        reverse("administration:person_edit", args=[a.staff.pk]),
        {
            "full_name": "  Nora   Netadmin ",
            "team": other.pk,
            "job_role": "data-privacy-lead",
            "roles": ["staff", "admin"],
        },
    )
    assert response.status_code == 302
    a.staff.refresh_from_db()
    assert a.staff.full_name == "Nora Netadmin"
    assert a.staff.team == other and a.staff.job_role == "data-privacy-lead"
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff", "admin"}
    events = {e.action: e for e in AuditEvent.objects.filter(object_id=str(a.staff.pk))}
    assert set(events) == {
        "person.renamed",
        "person.team_changed",
        "person.job_role_changed",
        "person.roles_changed",
    }
    assert events["person.team_changed"].detail == {
        "via": "form",
        "old": "Technology",
        "new": "Instruction",
    }
    assert events["person.roles_changed"].detail["added"] == ["admin"]


def test_edit_form_shows_current_values_and_job_roles_of_published_frameworks(admin_a, a):
    page = admin_a.get(reverse("administration:person_edit", args=[a.staff.pk])).text
    assert 'value="Northfield Netadmin"' in page
    assert '<option value="network-security-admin" selected>' in page
    assert "District CTO/CIO" in page
    assert re.search(r'name="roles" value="staff"[^>]*checked', page)
    assert not re.search(r'name="roles" value="hr"[^>]*checked', page)


def test_edit_refuses_a_team_of_another_district(admin_a, a, b):
    response = admin_a.post(
        reverse("administration:person_edit", args=[a.staff.pk]),
        {"full_name": "X", "team": b.team.pk, "roles": ["staff"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    a.staff.refresh_from_db()
    assert a.staff.team == a.team and a.staff.full_name == "Northfield Netadmin"


@pytest.mark.parametrize(
    "roles",
    [
        ["admin", "staff"],
        ["staff"],  # dropping their own admin role (they may be the last admin)
        [],
    ],
)
def test_nobody_changes_their_own_roles(admin_a, a, roles):
    response = admin_a.post(
        reverse("administration:person_edit", args=[a.admin.pk]),
        {"full_name": "Northfield Admin", "roles": roles},
    )
    assert response.status_code == 200
    assert "You cannot change your own roles; ask another district admin." in response.text
    assert set(a.admin.roles.values_list("role", flat=True)) == {"admin"}
    assert not AuditEvent.objects.filter(action="person.roles_changed").exists()


def test_the_service_refuses_a_self_grant_whatever_the_form(a):
    with pytest.raises(ValidationError, match="your own roles"):
        people.update_person(
            actor=a.admin,
            person=a.admin,
            full_name="Northfield Admin",
            team=None,
            job_role="",
            roles=["admin", "staff"],
        )
    assert set(a.admin.roles.values_list("role", flat=True)) == {"admin"}


# HR and superintendent: granted and revoked by a platform admin only


@pytest.mark.parametrize("role", ["hr", "superintendent"])
@pytest.mark.parametrize("whom", ["staff", "admin"])
def test_a_district_admin_cannot_grant_hr_or_superintendent(client, a, role, whom):
    """
    Not to another person either, even a second admin account of their own: that one
    could otherwise grant the first HR and read every evaluation.
    """
    second = make_person(a.district, "admin2@northfield.example", "Second Admin", Role.ADMIN)
    client.force_login(second)
    person = getattr(a, whom)
    before = set(person.roles.values_list("role", flat=True))
    response = client.post(
        reverse("administration:person_edit", args=[person.pk]),
        {"full_name": person.full_name, "roles": [*before, role]},
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {role} is not one of the available choices." in response.text
    assert set(person.roles.values_list("role", flat=True)) == before
    assert not AuditEvent.objects.exclude(action="signin").exists()

    response = invite(client, email="new@northfield.example", roles=["staff", role])
    assert response.status_code == 200
    assert "is not one of the available choices" in response.text
    assert not User.objects.filter(email="new@northfield.example").exists()
    assert not AuditEvent.objects.exclude(action="signin").exists()


@pytest.mark.parametrize("role", ["hr", "superintendent"])
def test_the_service_refuses_hr_and_superintendent_from_a_district_admin(a, role):
    with pytest.raises(ValidationError, match="Only a platform admin grants HR or superintendent"):
        people.update_person(
            actor=a.admin,
            person=a.staff,
            full_name=a.staff.full_name,
            team=a.team,
            job_role=a.staff.job_role,
            roles=["staff", role],
        )
    with pytest.raises(ValidationError, match="Only a platform admin grants HR or superintendent"):
        people.invite_person(
            actor=a.admin,
            email="new@northfield.example",
            full_name="New Person",
            team=None,
            job_role="",
            roles=[role],
        )
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff"}
    assert not User.objects.filter(email="new@northfield.example").exists()
    assert not AuditEvent.objects.exclude(action="signin").exists()


def test_editing_an_hr_person_keeps_their_hr_grant(admin_a, a):
    page = admin_a.get(reverse("administration:person_edit", args=[a.hr.pk])).text
    assert 'value="hr"' not in page and 'value="superintendent"' not in page
    assert "HR (granted by a platform admin)" in page
    response = admin_a.post(
        reverse("administration:person_edit", args=[a.hr.pk]),
        {"full_name": "Northfield HR", "team": a.team.pk, "roles": ["staff"]},
    )
    assert response.status_code == 302
    a.hr.refresh_from_db()
    assert a.hr.team == a.team
    assert set(a.hr.roles.values_list("role", flat=True)) == {"hr", "staff"}
    event = AuditEvent.objects.get(action="person.roles_changed")
    assert event.detail == {"via": "form", "added": ["staff"], "removed": []}

    response = admin_a.post(
        reverse("administration:person_edit", args=[a.superintendent.pk]),
        {"full_name": "Northfield Superintendent", "roles": []},
    )
    assert response.status_code == 302
    assert set(a.superintendent.roles.values_list("role", flat=True)) == {"superintendent"}
    assert AuditEvent.objects.filter(action="person.roles_changed").count() == 1


# Deactivating


def test_deactivate_asks_first_then_signs_the_person_out(admin_a, a):
    staff_client = Client()
    staff_client.force_login(a.staff)
    assert staff_client.get(reverse("home")).status_code in {200, 302}

    url = reverse("administration:person_deactivate", args=[a.staff.pk])
    confirm = admin_a.get(url)
    assert confirm.status_code == 200 and "Deactivate Northfield Netadmin?" in confirm.text
    a.staff.refresh_from_db()
    assert a.staff.is_active  # a GET changes nothing

    assert admin_a.post(url).status_code == 302
    a.staff.refresh_from_db()
    assert not a.staff.is_active
    assert AuditEvent.objects.filter(action="person.deactivated", object_id=str(a.staff.pk))

    response = staff_client.get(reverse("administration:people"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    assert (
        admin_a.post(reverse("administration:person_reactivate", args=[a.staff.pk])).status_code
        == 302
    )
    a.staff.refresh_from_db()
    assert a.staff.is_active
    assert AuditEvent.objects.filter(action="person.reactivated").count() == 1


def test_each_change_page_says_what_it_did(admin_a, a):
    """The confirmation and the message of deactivate, reactivate and the team edit page."""

    def said(name, data=None):
        url = reverse(
            f"administration:{name}", args=[a.staff.pk if "person" in name else a.team.pk]
        )
        return admin_a.post(url, data or {}, follow=True).text

    reactivate = reverse("administration:person_reactivate", args=[a.staff.pk])
    assert "Reactivate Northfield Netadmin?" in admin_a.get(reactivate).text
    assert "Northfield Netadmin was deactivated and can no longer sign in." in said(
        "person_deactivate"
    )
    assert "Northfield Netadmin was reactivated and can sign in again." in said("person_reactivate")
    same = {"name": a.team.name, "lead": a.team.lead_id or ""}
    assert "Nothing changed for team Technology." in said("team_edit", same)
    renamed = {"name": "Technology Services", "lead": a.staff.pk}
    assert "Saved team Technology Services: changed name, lead." in said("team_edit", renamed)


def test_an_admin_cannot_deactivate_themselves(admin_a, a):
    admin_a.post(reverse("administration:person_deactivate", args=[a.admin.pk]))
    a.admin.refresh_from_db()
    assert a.admin.is_active


# Teams


def test_teams_list_and_its_query_count(admin_a, a, b, django_assert_num_queries):
    def count_for_page():
        # 1 session, 2 signed-in person, 3-4 their roles (grants, led teams),
        # 5 the teams with their leads and member counts (the session row is written at
        # most once a minute: assessments.sessions).
        with django_assert_num_queries(5):
            response = admin_a.get(reverse("administration:teams"))
        return response.text

    page = count_for_page()
    assert "Technology" in page and "Northfield CTO" in page
    assert "Riverside" not in page
    for number in range(10):
        team = Team.objects.create(district=a.district, name=f"Team {number}")
        make_person(a.district, f"m{number}@northfield.example", "M", team=team)
        team.lead = a.staff
        team.save()
    count_for_page()


def test_create_team_refuses_a_name_in_use_ignoring_case(admin_a, a, b):
    response = admin_a.post(reverse("administration:team_add"), {"name": "  technology "})
    assert response.status_code == 200
    assert "already has a team with this name" in response.text
    assert Team.objects.filter(district=a.district).count() == 1

    response = admin_a.post(
        reverse("administration:team_add"), {"name": "Data  Privacy", "district": b.district.pk}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Data Privacy")
    assert team.district == a.district
    assert AuditEvent.objects.filter(action="team.created", object_id=str(team.pk)).exists()


def test_rename_and_choose_a_lead(admin_a, a):
    response = admin_a.post(
        reverse("administration:team_edit", args=[a.team.pk]),
        {"name": "Technology Services", "lead": a.staff.pk},
    )
    assert response.status_code == 302
    a.team.refresh_from_db()
    assert a.team.name == "Technology Services" and a.team.lead == a.staff
    renamed = AuditEvent.objects.get(action="team.renamed")
    assert renamed.detail == {"old": "Technology", "new": "Technology Services"}
    lead_changed = AuditEvent.objects.get(action="team.lead_changed")
    assert lead_changed.detail == {
        "old": "cto@northfield.example",
        "new": "netadmin@northfield.example",
    }


def test_an_admin_cannot_make_themselves_a_team_lead(admin_a, a):
    response = admin_a.post(
        reverse("administration:team_edit", args=[a.team.pk]),
        {"name": "Technology", "lead": a.admin.pk},
    )
    assert response.status_code == 200
    assert "You cannot make yourself a team&#x27;s lead; ask another district admin." in (
        response.text
    )
    a.team.refresh_from_db()
    assert a.team.lead == a.lead
    assert not AuditEvent.objects.filter(action="team.lead_changed").exists()


def test_a_lead_who_is_also_admin_may_still_rename_their_team(client, a):
    a.lead.roles.create(role=Role.ADMIN)
    client.force_login(a.lead)
    response = client.post(
        reverse("administration:team_edit", args=[a.team.pk]),
        {"name": "Technology Services", "lead": a.lead.pk},
    )
    assert response.status_code == 302
    a.team.refresh_from_db()
    assert (a.team.name, a.team.lead) == ("Technology Services", a.lead)


def test_a_lead_of_another_district_is_refused(admin_a, a, b):
    response = admin_a.post(
        reverse("administration:team_edit", args=[a.team.pk]),
        {"name": "Technology", "lead": b.staff.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    a.team.refresh_from_db()
    assert a.team.lead == a.lead


def test_renaming_to_another_teams_name_is_refused(admin_a, a):
    Team.objects.create(district=a.district, name="Instruction")
    response = admin_a.post(
        reverse("administration:team_edit", args=[a.team.pk]), {"name": "INSTRUCTION", "lead": ""}
    )
    assert response.status_code == 200
    assert "already has a team with this name" in response.text


# Navigation


def test_navigation_shows_the_pages_each_role_may_open(client, a):
    client.force_login(a.admin)
    page = client.get(reverse("administration:people")).text
    for name in (
        "administration:people",
        "administration:teams",
        "administration:roster",
        "administration:audit",
    ):
        assert f'href="{reverse(name)}"' in page
    client.force_login(a.hr)
    page = client.get(reverse("administration:people")).text
    assert f'href="{reverse("administration:people")}"' in page
    assert f'href="{reverse("administration:teams")}"' not in page
    client.force_login(a.staff)
    page = client.get(reverse("frameworks:list")).text
    assert f'href="{reverse("administration:people")}"' not in page


def test_pages_sign_in_with_password(client, a):
    assert client.login(email=a.admin.email, password=PASSWORD)
    assert client.get(reverse("administration:people")).status_code == 200


def test_a_team_name_raced_past_the_check_is_caught_by_the_constraint(a, monkeypatch):
    monkeypatch.setattr(people, "_check_team_name", lambda actor, name, exclude=None: name)
    with pytest.raises(ValidationError) as refused:
        people.create_team(actor=a.admin, name="TECHNOLOGY")
    assert refused.value.message_dict == {"name": [people.TEAM_NAME_IN_USE]}
    assert Team.objects.filter(district=a.district).count() == 1
