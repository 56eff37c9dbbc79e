"""
Reporting lines: everyone's reviewer is their team's lead or, for a lead, whom they report
to; nobody reviews themselves; a reviewer sees their people through the chain.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import people, workflow
from assessments.models import Assessment, AuditEvent, Team, User
from assessments.querysets import reporting_lines, reviewer_id
from assessments.roles import Role
from assessments.workflow import RatingChange
from tests.cast import make_person, open_cycle
from tests.taskqueue import run_queued_tasks

pytestmark = pytest.mark.django_db


def fresh(person: User) -> User:
    """The person as a new request would load them (nothing cached on the instance)."""
    return User.objects.get(pk=person.pk)


def submitted(assessment: Assessment) -> Assessment:
    changes = [RatingChange(r.competency_id, level=3) for r in assessment.ratings.all()]
    assessment = workflow.save_ratings(
        person=assessment.person, assessment=assessment, version=assessment.version, changes=changes
    )
    return workflow.submit(
        person=assessment.person, assessment=assessment, version=assessment.version
    )


@pytest.fixture
def chain(a):
    """superintendent ← CTO (leads Technology) ← the help desk's lead ← a technician."""
    desk = Team.objects.create(district=a.district, name="Help desk")
    a.desk_lead = make_person(
        a.district,
        "desk.lead@northfield.example",
        "Desk Lead",
        Role.STAFF,
        team=desk,
        job_role="tech-support-specialist",
    )
    desk.lead = a.desk_lead
    desk.save(update_fields=["lead"])
    a.desk_lead.reports_to = a.lead
    a.desk_lead.save(update_fields=["reports_to"])
    a.technician = make_person(
        a.district,
        "technician@northfield.example",
        "Technician",
        Role.STAFF,
        team=desk,
        job_role="tech-support-specialist",
    )
    return a


def test_the_rule_lead_then_reports_to_never_self():
    assert reviewer_id(1, team_lead_id=2, reports_to_id=3) == 2  # a member: the lead
    assert reviewer_id(2, team_lead_id=2, reports_to_id=3) == 3  # the lead: reports to
    assert reviewer_id(4, team_lead_id=None, reports_to_id=3) == 3  # no lead: reports to
    assert reviewer_id(2, team_lead_id=2, reports_to_id=None) is None
    assert reviewer_id(3, team_lead_id=None, reports_to_id=3) is None  # never themselves


def test_each_person_resolves_to_their_reviewer(chain):
    a = chain
    assert fresh(a.staff).reviewer() == a.lead
    assert fresh(a.lead).reviewer() == a.superintendent  # the CTO leads their own team
    assert fresh(a.desk_lead).reviewer() == a.lead
    assert fresh(a.technician).reviewer() == a.desk_lead
    assert fresh(a.superintendent).reviewer() is None


def test_a_reviewer_sees_their_people_through_the_chain(chain):
    a = chain
    lines = reporting_lines(fresh(a.lead))
    assert lines.direct == {a.staff.pk, a.desk_lead.pk}
    assert lines.chain == {a.staff.pk, a.desk_lead.pk, a.technician.pk}
    visible = set(User.objects.visible_to(fresh(a.lead)))
    assert visible == {a.lead, a.staff, a.desk_lead, a.technician}
    assert set(User.objects.visible_to(fresh(a.desk_lead))) == {a.desk_lead, a.technician}
    assert set(User.objects.visible_to(fresh(a.technician))) == {a.technician}


def test_a_loop_in_the_reporting_lines_ends(chain):
    a = chain
    a.superintendent.reports_to = a.desk_lead  # nonsense, but it must not hang
    a.superintendent.save(update_fields=["reports_to"])
    assert a.lead.pk not in reporting_lines(fresh(a.lead)).chain


def test_submitted_work_is_read_through_the_chain_and_reviewed_only_directly(
    chain, shipped_framework
):
    a = chain
    cycle = open_cycle(a, shipped_framework, a.staff, a.lead, a.desk_lead, a.technician)
    work = {p: submitted(cycle.assessments.get(person=p)) for p in (a.desk_lead, a.technician)}
    cto = fresh(a.lead)
    assert set(Assessment.objects.visible_to(cto)) >= set(work.values())
    assert set(Assessment.objects.reviewable_by(cto)) == {work[a.desk_lead]}
    assert set(Assessment.objects.reviewable_by(fresh(a.desk_lead))) == {work[a.technician]}
    with pytest.raises(ValidationError, match="reviewer"):
        workflow.finalize(reviewer=cto, assessment=work[a.technician])


def test_the_superintendent_reviews_the_cto_and_nobody_else(a, shipped_framework):
    cycle = open_cycle(a, shipped_framework, a.staff, a.lead)
    cto_work = submitted(cycle.assessments.get(person=a.lead))
    staff_work = submitted(cycle.assessments.get(person=a.staff))
    superintendent = fresh(a.superintendent)
    assert set(Assessment.objects.reviewable_by(superintendent)) == {cto_work}
    assert set(Assessment.objects.reviewable_by(fresh(a.lead))) == {staff_work}
    with pytest.raises(ValidationError, match="reviewer"):
        workflow.return_for_revision(reviewer=superintendent, assessment=staff_work, message="x")
    with pytest.raises(ValidationError, match="Nobody reviews their own"):
        workflow.return_for_revision(reviewer=a.lead, assessment=cto_work, message="x")
    workflow.return_for_revision(reviewer=superintendent, assessment=cto_work, message="More")
    assert Assessment.objects.get(pk=cto_work.pk).status == Assessment.Status.RETURNED


def test_the_submission_mail_goes_to_the_resolved_reviewer(
    client, a, shipped_framework, django_capture_on_commit_callbacks
):
    cycle = open_cycle(a, shipped_framework, a.lead)
    mine = cycle.assessments.get(person=a.lead)
    mine = workflow.save_ratings(
        person=a.lead,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(r.competency_id, level=3) for r in mine.ratings.all()],
    )
    mail.outbox.clear()
    client.force_login(a.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:submit", args=[mine.pk]), {"version": mine.version}
        )
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[a.superintendent.email]]
    assert "Northfield Superintendent will be emailed" in client.get(response.url).text
    detail = client.get(reverse("assessments:detail", args=[mine.pk])).text
    assert "Northfield Superintendent (reviewer) was told" in detail


def test_opening_a_cycle_refuses_and_lists_people_without_a_reviewer(a, shipped_framework):
    loner = make_person(
        a.district,
        "loner@northfield.example",
        "Lone Ranger",
        Role.STAFF,
        job_role="tech-support-specialist",
    )
    a.lead.reports_to = None
    a.lead.save(update_fields=["reports_to"])
    with pytest.raises(ValidationError) as refused:
        open_cycle(a, shipped_framework, a.staff, a.lead, loner)
    assert [m for m in refused.value.messages if "no reviewer" in m] == [
        "Lone Ranger has no reviewer: give their team a lead, or set whom they report to, first.",
        "Northfield CTO has no reviewer: give their team a lead, or set whom they report to, "
        "first.",
    ]
    assert not a.district.cycles.exists()
    loner.reports_to = a.lead
    loner.save(update_fields=["reports_to"])
    a.lead.reports_to = a.superintendent
    a.lead.save(update_fields=["reports_to"])
    assert open_cycle(a, shipped_framework, a.staff, a.lead, loner).assessments.count() == 3


def test_reports_to_is_set_on_the_person_form_and_audited(admin_a, a, b):
    url = reverse("administration:person_edit", args=[a.staff.pk])
    form = {
        "full_name": a.staff.full_name,
        "team": a.team.pk,
        "job_role": a.staff.job_role,
        "roles": ["staff"],
    }
    assert "Reviewer: Northfield CTO" in admin_a.get(url).text
    response = admin_a.post(url, {**form, "reports_to": a.superintendent.pk})
    assert response.status_code == 302
    assert fresh(a.staff).reports_to == a.superintendent
    event = AuditEvent.objects.get(action="person.reports_to_changed")
    assert event.detail["new"] == a.superintendent.email
    # Another district's person, or themselves: refused, nothing changed.
    for wrong in (b.superintendent.pk, a.staff.pk):
        response = admin_a.post(url, {**form, "reports_to": wrong})
        assert response.status_code == 200
        assert fresh(a.staff).reports_to == a.superintendent
    people_page = admin_a.get(reverse("administration:people")).text
    assert "Northfield Superintendent <span" in people_page  # the CTO's reviewer


def test_the_service_refuses_reporting_to_oneself_or_another_district(a, b):
    for wrong in (a.staff, b.superintendent):
        with pytest.raises(ValidationError, match="reports_to"):
            people.update_person(
                actor=a.admin,
                person=a.staff,
                full_name="X",
                team=a.team,
                job_role=a.staff.job_role,
                roles=["staff"],
                reports_to=wrong,
            )
    assert fresh(a.staff).reports_to is None
