"""The audit trail page of district admins, and the read-only audit trail in the Django admin."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import audit
from assessments.models import AuditEvent, Team, User
from tests.factories import make_framework
from tests.reports.helpers import ROLES, make_cycle

pytestmark = pytest.mark.django_db


def event(district, action, *, actor=None, at=None, obj=None, **detail):
    return AuditEvent.objects.create(
        district=district,
        action=action,
        actor=actor,
        actor_email=actor.email if actor else "",
        at=at or timezone.now(),
        object_type=obj._meta.model_name if obj else "",
        object_id=str(obj.pk) if obj else "",
        object_repr=str(obj) if obj else "",
        detail=detail,
    )


def test_changes_made_on_the_pages_show_in_the_trail(admin_a, a):
    admin_a.post(reverse("administration:team_add"), {"name": "Instruction"})
    admin_a.post(reverse("administration:person_deactivate", args=[a.staff.pk]))
    page = admin_a.get(reverse("administration:audit")).text
    assert "team.created" in page and "person.deactivated" in page
    assert page.index("person.deactivated") < page.index("team.created")  # newest first
    assert "Northfield Netadmin" in page


def test_only_the_districts_own_events_are_shown(admin_a, a, b):
    event(a.district, "team.created", actor=a.admin, secret="ours")
    event(b.district, "team.created", actor=b.admin, secret="theirs")
    event(None, "signin.failed", secret="nobody's")
    page = admin_a.get(reverse("administration:audit")).text
    assert "ours" in page
    assert "theirs" not in page and "riverside" not in page.lower()
    assert "nobody&#x27;s" not in page and "signin.failed" not in page


def test_filters_by_person_action_and_dates(admin_a, a, b):
    now = timezone.now()
    event(a.district, "person.renamed", actor=a.admin, obj=a.staff, at=now, mark="about-staff")
    event(a.district, "signin", actor=a.hr, at=now - timedelta(days=10), mark="hr-old")
    event(a.district, "signin", actor=a.lead, at=now - timedelta(days=2), mark="lead-recent")
    url = reverse("administration:audit")

    page = admin_a.get(url, {"person": a.staff.pk}).text
    assert "about-staff" in page and "hr-old" not in page and "lead-recent" not in page

    page = admin_a.get(url, {"action": "signin"}).text
    assert "hr-old" in page and "lead-recent" in page and "about-staff" not in page

    today = timezone.localdate()
    page = admin_a.get(url, {"since": today - timedelta(days=5), "until": today}).text
    assert "lead-recent" in page and "about-staff" in page and "hr-old" not in page

    page = admin_a.get(url, {"until": today - timedelta(days=5)}).text
    assert "hr-old" in page and "lead-recent" not in page


def test_a_person_of_another_district_is_not_a_filter_choice(admin_a, a, b):
    event(b.district, "signin", actor=b.staff, mark="theirs")
    response = admin_a.get(reverse("administration:audit"), {"person": b.staff.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "theirs" not in response.text
    assert "No events match." in response.text


def test_a_reversed_date_range_is_a_form_error(admin_a, a):
    response = admin_a.get(
        reverse("administration:audit"), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert "The end date is before the start date." in response.text


def test_the_trail_pages_by_50_newest_first(admin_a, a):
    start = timezone.make_aware(datetime(2026, 1, 1, 8, 0))
    for number in range(60):
        event(
            a.district, "test.step", actor=a.staff, at=start + timedelta(minutes=number), n=number
        )
    url = reverse("administration:audit")
    first = admin_a.get(url, {"action": "test.step"}).text
    assert "n</span>: 59<" in first and "n</span>: 10<" in first and "n</span>: 9<" not in first
    assert first.index("n</span>: 59<") < first.index("n</span>: 58<")
    assert "?action=test.step&amp;page=2" in first  # the filter is kept from page to page
    second = admin_a.get(url, {"action": "test.step", "page": 2}).text
    assert "n</span>: 9<" in second and "n</span>: 0<" in second and "n</span>: 10<" not in second


def test_the_page_offers_no_way_to_change_events(admin_a, a):
    event(a.district, "signin", actor=a.staff)
    page = admin_a.get(reverse("administration:audit")).text
    assert 'method="post"' not in page.split("<main", 1)[1]
    assert admin_a.post(reverse("administration:audit")).status_code == 405


def test_audit_page_query_count_is_fixed(admin_a, a, django_assert_num_queries):
    """The same count for N events and 2N, whatever they are about."""
    cycle = make_cycle(a, make_framework(competencies=2, domains=1, roles=ROLES))
    about = [a.staff, a.team, cycle, cycle.assessments.first(), a.district]

    def count_for_page():
        # 1 session, 2 signed-in person, 3-4 their roles (grants, led teams), 5 the
        # district's actions for the filter, 6 paginator count, 7 the page of events,
        # 8-12 the names of what the page's events are about, one query per type (people,
        # teams, cycles, assessments with person and cycle, the district),
        # 13 the district's people for the filter (the session row is written at most once
        # a minute: assessments.sessions).
        with django_assert_num_queries(13):
            assert admin_a.get(reverse("administration:audit")).status_code == 200

    for rows in (5, 10):
        for number in range(rows - AuditEvent.objects.filter(action__startswith="t.").count()):
            event(a.district, f"t.{number}", actor=a.staff, obj=about[number % len(about)])
        count_for_page()


def test_actions_read_as_words_and_unknown_ones_as_recorded(admin_a, a):
    event(a.district, "assessment.finalized", actor=a.lead)
    event(a.district, "made.up_action", actor=a.lead)
    page = admin_a.get(reverse("administration:audit")).text
    assert "<td>Assessment finalized" in page
    assert "<td>made.up_action</td>" in page
    assert '<option value="assessment.finalized">Assessment finalized</option>' in page


def test_every_recorded_action_has_a_readable_name():
    """The actions the code records (``audit.record(…, "x.y"``) are all in the mapping."""
    import re
    from pathlib import Path

    from django.conf import settings

    recorded = set()
    for app in ("assessments", "reports", "frameworks"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = path.read_text()
            for call in re.finditer(r"(?:audit\.)?record\(\s*\w+,\s*\"([a-z_.]+)\"", text):
                recorded.add(call.group(1))
    assert recorded
    assert recorded - set(audit.ACTIONS) == set()


def test_events_name_their_object_as_it_is_now(admin_a, a, b):
    cycle = make_cycle(a, make_framework(competencies=2, domains=1, roles=ROLES))
    assessment = cycle.assessments.get(person=a.staff)
    event(a.district, "person.renamed", actor=a.admin, obj=a.staff)
    event(a.district, "plan.saved", actor=a.staff, obj=assessment)
    event(a.district, "team.renamed", actor=a.admin, obj=a.team)
    User.objects.filter(pk=a.staff.pk).update(full_name="Renamed <b>Netadmin</b>")
    Team.objects.filter(pk=a.team.pk).update(name="Tech & Ops")
    # An event that names an object of another district keeps its recorded name.
    stray = event(a.district, "team.renamed", actor=a.admin, obj=b.team)
    Team.objects.filter(pk=b.team.pk).update(name="Riverside's secret name")
    # An object that is gone keeps its recorded name.
    missing = AuditEvent.objects.create(
        district=a.district,
        action="team.created",
        object_type="team",
        object_id="999999",
        object_repr="Old team",
    )
    page = admin_a.get(reverse("administration:audit")).text
    assert "Person:</span> Renamed &lt;b&gt;Netadmin&lt;/b&gt;" in page
    assert f"Assessment:</span> Renamed &lt;b&gt;Netadmin&lt;/b&gt; — {cycle.title}" in page
    assert "Team:</span> Tech &amp; Ops" in page
    assert f"Team:</span> {stray.object_repr}" in page
    assert "secret name" not in page
    assert f"Team:</span> {missing.object_repr}" in page


# The Django admin


def test_audit_events_are_read_only_in_the_django_admin(client, platform_admin, a):
    client.force_login(platform_admin)
    item = event(a.district, "signin", actor=a.staff)
    assert client.get(reverse("admin:assessments_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_auditevent_add")).status_code == 403
    change = client.get(reverse("admin:assessments_auditevent_change", args=[item.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.text
    delete = client.post(reverse("admin:assessments_auditevent_delete", args=[item.pk]))
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=item.pk).exists()


def test_people_admin_signs_in_by_email(client, platform_admin, a):
    client.force_login(platform_admin)
    assert client.get(reverse("admin:assessments_user_changelist")).status_code == 200
    page = client.get(reverse("admin:assessments_user_change", args=[a.staff.pk])).text
    assert 'name="roles-0-role"' in page  # the role grants inline
    response = client.post(
        reverse("admin:assessments_user_add"),
        {
            "email": "New.Root@Skillsportal.example",
            "full_name": "New Root",
            "district": a.district.pk,
            "usable_password": "false",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "hr",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="new.root@skillsportal.example")
    assert not created.has_usable_password()
    assert list(created.roles.values_list("role", flat=True)) == ["hr"]
    granted = AuditEvent.objects.get(action="person.roles_changed", object_id=str(created.pk))
    assert (granted.actor, granted.district) == (platform_admin, a.district)
    for name in ("district", "team"):
        assert client.get(reverse(f"admin:assessments_{name}_changelist")).status_code == 200


def change_person(client, person, *, add=(), delete=(), **fields):
    """POST the Django admin's change form of ``person`` as it is, with ``fields`` changed."""
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "district": person.district_id or "",
        "team": person.team_id or "",
        "job_role": person.job_role,
        "is_active": "on",
        **fields,
    }
    grants = list(person.roles.all())
    for number, grant in enumerate(grants):
        data |= {
            f"roles-{number}-id": grant.pk,
            f"roles-{number}-person": person.pk,
            f"roles-{number}-role": grant.role,
        }
        if grant.role in delete:
            data[f"roles-{number}-DELETE"] = "on"
    for number, role in enumerate(add, len(grants)):
        data[f"roles-{number}-role"] = role
    data |= {"roles-TOTAL_FORMS": len(grants) + len(add), "roles-INITIAL_FORMS": len(grants)}
    return client.post(reverse("admin:assessments_user_change", args=[person.pk]), data)


def test_a_platform_admin_grants_and_revokes_hr_and_it_is_audited(client, platform_admin, a):
    client.force_login(platform_admin)
    response = change_person(client, a.staff, add=["hr"])
    assert response.status_code == 302
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff", "hr"}
    granted = AuditEvent.objects.get(action="person.roles_changed")
    assert (granted.actor, granted.district) == (platform_admin, a.district)
    assert granted.object_id == str(a.staff.pk)
    assert granted.detail == {"via": "admin", "added": ["hr"], "removed": []}

    response = change_person(client, a.staff, delete=["hr"])
    assert response.status_code == 302
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff"}
    revoked = AuditEvent.objects.filter(action="person.roles_changed").latest("id")
    assert revoked.detail == {"via": "admin", "added": [], "removed": ["hr"]}
    assert revoked.district == a.district

    change_person(client, a.staff, full_name="Nora Netadmin")  # no grant, no grant event
    assert AuditEvent.objects.filter(action="person.roles_changed").count() == 2


def test_a_platform_admin_chooses_a_lead_and_it_is_audited(client, platform_admin, a):
    client.force_login(platform_admin)
    response = client.post(
        reverse("admin:assessments_team_change", args=[a.team.pk]),
        {"name": "Technology", "district": a.district.pk, "lead": a.staff.pk},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="team.lead_changed")
    assert (event.actor, event.district, event.object_id) == (
        platform_admin,
        a.district,
        str(a.team.pk),
    )
    assert event.detail == {"via": "admin", "old": a.lead.email, "new": a.staff.email}


def test_the_django_admin_keeps_roles_teams_and_leads_inside_one_district(
    client, platform_admin, a, b
):
    client.force_login(platform_admin)
    response = change_person(client, platform_admin, add=["hr"], is_staff="on", is_superuser="on")
    assert response.status_code == 200
    assert "A person needs a district to hold a district role." in response.text
    assert not platform_admin.roles.exists()

    response = change_person(client, a.staff, team=b.team.pk)
    assert response.status_code == 200
    assert "Choose a team of the person&#x27;s district." in response.text

    response = change_person(client, a.lead, district=b.district.pk, team="")
    assert response.status_code == 200
    assert "Leads Technology of Northfield: choose another lead there first." in response.text
    a.lead.refresh_from_db()
    assert (a.lead.district, a.lead.team) == (a.district, a.team)

    response = client.post(
        reverse("admin:assessments_team_change", args=[a.team.pk]),
        {"name": "Technology", "district": a.district.pk, "lead": b.staff.pk},
    )
    assert response.status_code == 200
    assert "Choose a person of the team&#x27;s district." in response.text
    response = client.post(
        reverse("admin:assessments_team_change", args=[a.team.pk]),
        {"name": "Technology", "district": b.district.pk, "lead": ""},
    )
    assert response.status_code == 200
    assert "The team has members: move them to other teams first." in response.text
    team = Team.objects.get(pk=a.team.pk)
    assert (team.district, team.lead) == (a.district, a.lead)
    assert not AuditEvent.objects.exclude(action="signin").exists()
