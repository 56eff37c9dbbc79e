"""Each person downloads everything the portal holds about them, as JSON."""

# Fixtures are imported by name from test_individual_fixtures; using them as arguments
# is what pytest expects, not a redefinition.
import datetime
import json
import re

import pytest
from django.urls import reverse

from assessments import audit, plans, workflow
from assessments.models import AuditEvent, SignInFailure
from tests.reports.helpers import HOSTILE

pytestmark = pytest.mark.django_db
URL = reverse("reports:own_data")
EMAILS = re.compile(r"[\w.+-]+@[\w.-]+")


@pytest.fixture
def full_record(a, finalized):
    """A finalized, acknowledged assessment with a goal, a lead comment and a sign-in failure."""
    competency = finalized.ratings.get(competency__code="D1.4").competency
    plans.save_plan(
        person=a.staff,
        assessment=finalized,
        goals=[
            plans.GoalInput(
                competency_id=competency.pk,
                goal="Run a tabletop exercise",
                actions="Book the room",
                resource_id=None,
                target_date=datetime.date(2027, 3, 1),
            )
        ],
    )
    workflow.acknowledge(person=a.staff, assessment=finalized, comment="Agreed.")
    return finalized


def test_the_download(client, a, full_record):
    client.force_login(a.staff)  # (a sign-in clears earlier failures, so one comes after)
    SignInFailure.objects.create(email=a.staff.email, address="192.0.2.7")
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="skills-portal-data-northfield-netadmin.json"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)

    assert data["profile"]["email"] == a.staff.email
    assert data["profile"]["district"] == "Northfield"
    assert data["roles"] == ["Staff"]
    assert data["team"] == {"name": "Technology", "lead": "Northfield CTO"}
    (assessment,) = data["assessments"]
    assert assessment["status"] == "acknowledged"
    assert assessment["reviewer"] == "Northfield CTO"
    assert assessment["review_comment"] == HOSTILE
    assert assessment["acknowledgment_comment"] == "Agreed."
    assert assessment["official_pdf_sha256"] == full_record.official_reports.get(version=2).sha256
    ratings = {r["competency"]: r for r in assessment["ratings"]}
    assert len(ratings) == 6
    assert ratings["D0.0"] == {
        "competency": "D0.0",
        "title": "Competency 0",
        "level": 3,
        "note": HOSTILE,
        "reviewer_level": 2,
        "reviewer_note": "",
    }
    assert ratings["D2.2"]["reviewer_note"] == "Reviewer says <b>bold</b>"
    assert assessment["goals"][0]["goal"] == "Run a tabletop exercise"
    actions = {e["action"] for e in data["audit_events"]}
    assert {"assessment.submitted", "assessment.finalized", "assessment.acknowledged"} <= actions
    assert {"plan.saved"} <= actions
    assert data["failed_sign_ins"][0]["address"] == "192.0.2.7"


def test_nothing_of_anyone_else_and_no_password(client, a, b, full_record):
    client.force_login(a.staff)
    body = client.get(URL).content.decode()
    assert a.staff.password not in body and "password" not in body
    assert "riverside" not in body.lower()
    data = json.loads(body)
    # Their own assessment only: not the lead's in the same cycle.
    assert [x["id"] for x in data["assessments"]] == [full_record.pk]
    lead_own = full_record.cycle.assessments.get(person=a.lead)
    assert f'assessment {lead_own.pk}"' not in body


def test_other_people_appear_by_role_never_by_email_or_address(client, a, full_record):
    """Events by others about me name their role; only my own events keep an address."""
    audit.record(None, "signin", actor=a.staff, address="192.0.2.50")
    audit.record(None, "report.downloaded", actor=a.hr, obj=full_record, address="198.51.100.2")
    audit.record(None, "person.renamed", actor=a.admin, obj=a.staff, address="198.51.100.3")
    client.force_login(a.staff)
    body = client.get(URL, REMOTE_ADDR="192.0.2.51").content.decode()
    assert set(EMAILS.findall(body)) == {a.staff.email}
    assert "198.51.100." not in body
    events = json.loads(body)["audit_events"]
    mine = [e for e in events if e["actor"] == "you"]
    assert {e["action"] for e in mine} >= {"signin", "assessment.submitted"}
    assert {"192.0.2.50"} == {e["address"] for e in mine if e["address"]}
    by_others = {e["action"]: e for e in events if e["actor"] != "you"}
    assert by_others["assessment.finalized"]["actor"] == "your reviewer"
    assert by_others["report.downloaded"]["actor"] == "HR"
    assert by_others["person.renamed"]["actor"] == "District admin"
    assert all(e["address"] is None for e in by_others.values())


def test_my_own_events_do_not_name_other_people_by_email(client, a, full_record):
    """A district admin's own events (a team's new lead) name nobody else by email."""
    audit.record(None, "team.lead_changed", actor=a.admin, obj=a.team, old="", new=a.lead.email)
    client.force_login(a.admin)
    body = client.get(URL).content.decode()
    assert "team.lead_changed" in body and set(EMAILS.findall(body)) == {a.admin.email}


def test_one_audit_event_per_download(client, a, full_record):
    client.force_login(a.staff)
    client.get(URL)
    (event,) = AuditEvent.objects.filter(action="own_data.downloaded")
    assert (event.actor, event.district, event.object_type) == (a.staff, a.district, "user")


def test_signing_in_is_required(client):
    assert client.get(URL).status_code == 302


def test_a_person_without_assessments(client, a):
    client.force_login(a.hr)
    data = json.loads(client.get(URL).content)
    assert data["assessments"] == [] and data["roles"] == ["HR"] and data["team"] is None


# The download, whatever the amount of data:
#  1. the session   2. the signed-in person
#  3. the person again, with district and team's lead
#  4. granted roles   5. whether they lead a team   (User.role_set)
#  6. assessments with cycle, framework, role, reviewer
#  7. their official PDFs, 8. their ratings, 9. their goals (prefetched)
# 10. audit events   11. the roles of the others in them   12. failed sign-ins
# 13. reminders   14. the viewer's district, for the audit event   15. the audit event
# (INSERT)   (the session row is written at most once a minute: assessments.sessions)
OWN_DATA_QUERIES = 15


def test_a_fixed_number_of_queries(client, a, full_record, django_assert_num_queries):
    client.force_login(a.staff)
    with django_assert_num_queries(OWN_DATA_QUERIES):
        assert client.get(URL).status_code == 200
