"""
Reports rendered in the background (``reports.exports.report_jobs``): the team PDF, the
district PDF and a team's individual reports as one ZIP. Asking creates a job (a GET only
offers the button); the test worker (tests/taskqueue.py) runs it as ``db_worker`` would;
the download is the real file, read back. Only the person who asked may follow a job,
and only while they may still read its report; another district's answers 404.
"""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import AuditEvent, RoleGrant, Team
from reports.models import CycleExport
from tests.reports import test_team as team_tests
from tests.reports.helpers import finalize, pdf_text, queued_download
from tests.reports.test_team import url
from tests.taskqueue import committing, queued, run_queued_tasks

# The team report's worked example, shared as fixtures.
framework, team = team_tests.framework, team_tests.team

pytestmark = pytest.mark.django_db
Kind, Status = CycleExport.Kind, CycleExport.Status


def ask(client, address):
    with committing():
        return client.post(address)


def job_urls(job):
    return [
        reverse(f"reports:{name}", args=[job.pk])
        for name in ("job_detail", "job_status", "job_download")
    ]


def test_a_get_offers_the_button_and_changes_nothing(client, team):
    client.force_login(team.lead)
    response = client.get(url("team_pdf", team.team, team.cycle) + "&basis=self")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page and "Prepare the PDF" in page
    assert "Ratings counted: Self-ratings" in page
    assert not CycleExport.objects.exists()


def test_asking_records_the_job_with_its_basis_and_queues_it(client, team):
    client.force_login(team.lead)
    response = ask(client, url("team_pdf", team.team, team.cycle) + "&basis=self")
    job = CycleExport.objects.get()
    assert response.url == reverse("reports:job_detail", args=[job.pk])
    assert (job.kind, job.team, job.cycle, job.requested_by) == (
        Kind.TEAM_PDF,
        team.team,
        team.cycle,
        team.lead,
    )
    assert job.options == {"basis": "self"}
    assert job.status == Status.QUEUED
    task = queued("reports.tasks.build_report_job").get()
    assert task.args_kwargs == {"args": [], "kwargs": {"export_id": job.pk}}
    event = AuditEvent.objects.get(action="report.requested")
    assert (event.actor, event.object_id, event.detail["basis"]) == (team.lead, str(job.pk), "self")
    # Asked again while it waits: the same job.
    ask(client, url("team_pdf", team.team, team.cycle) + "&basis=self")
    assert CycleExport.objects.count() == 1


@pytest.mark.parametrize("hostile", ["%00", "reviewer%27--", "x" * 300, ""])
def test_a_hostile_basis_records_the_default(client, team, hostile):
    client.force_login(team.lead)
    ask(client, url("team_pdf", team.team, team.cycle) + f"&basis={hostile}")
    assert CycleExport.objects.get().options == {"basis": "reviewed"}


def test_the_progress_page_then_the_team_pdf(client, team):
    client.force_login(team.lead)
    ask(client, url("team_pdf", team.team, team.cycle))
    job = CycleExport.objects.get()
    detail, status, download = job_urls(job)
    page = client.get(detail).content.decode()
    assert "<progress" in page and "Waiting for a worker to start." in page
    assert client.get(status).json()["status"] == "queued"
    assert client.get(download).status_code == 404  # nothing to download yet
    run_queued_tasks()  # (the mail the fixture queued runs too)
    state = client.get(status).json()
    assert (state["status"], state["percent"], state["download_url"]) == ("done", 100, download)
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="technology-2026-annual-review-team-report.pdf"'
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    for figure in ("75.0%", "66.6%", "85.7%", "Northfield Netadmin"):
        assert figure in text
    assert AuditEvent.objects.filter(action="report.downloaded", object_type="team").exists()


def test_the_district_pdf(client, team):
    client.force_login(team.superintendent)
    response = queued_download(client, reverse("reports:district_pdf"))
    assert response["Content-Disposition"] == (
        'attachment; filename="northfield-2026-annual-review-district-report.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.body))
    assert reader.metadata.title == "District report — Northfield — 2026 annual review"
    assert "75.0%" in pdf_text(response.body)
    assert CycleExport.objects.get().options == {"basis": "reviewed"}


def test_the_teams_reports_in_one_zip(client, team, private_storage):
    staff = team.cycle.assessments.get(person=team.staff)
    finalize(staff, team.lead)  # official: its stored PDF goes in as it is
    official = staff.official_reports.get()
    client.force_login(team.lead)
    response = queued_download(client, url("team_reports", team.team, team.cycle))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="technology-2026-annual-review-individual-reports.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    names = sorted(archive.namelist())
    lead_assessment = team.cycle.assessments.get(person=team.lead)
    # The drafter's draft is nobody's report yet.
    assert names == [
        f"northfield-cto-{lead_assessment.pk}.pdf",
        f"northfield-netadmin-{staff.pk}.pdf",
    ]
    assert archive.read(names[1]) == (private_storage / official.path).read_bytes()
    working = pdf_text(archive.read(names[0]))
    assert "Northfield CTO" in working and "Working copy" in working
    job = CycleExport.objects.get()
    assert (job.status, job.done, job.total) == (Status.DONE, 2, 2)


def test_who_may_ask(client, team, b):
    other = Team.objects.create(district=team.district, name="Schools", lead=team.staff)
    for name in ("team_pdf", "team_reports"):
        expected = [
            (team.staff, url(name, team.team), 404),  # leads another team
            (team.staff, url(name, other), 302),  # their own team
            (team.drafter, url(name, team.team), 403),  # a member who is no lead
            (team.hr, url(name, team.team), 403),
            (b.superintendent, url(name, team.team), 404),  # another district
            (b.lead, url(name, team.team), 404),
        ]
        for person, address, code in expected:
            client.force_login(person)
            assert ask(client, address).status_code == code, (name, person)
    for person in (team.lead, team.staff, team.hr, b.superintendent):
        client.force_login(person)
        assert ask(client, reverse("reports:district_pdf")).status_code in (403, 404)
    assert set(CycleExport.objects.values_list("requested_by", flat=True)) == {team.staff.pk}


def test_only_the_asker_follows_a_job_and_only_while_they_may_read_it(client, team, b):
    client.force_login(team.lead)
    ask(client, url("team_pdf", team.team, team.cycle))
    job = CycleExport.objects.get()
    run_queued_tasks()
    for person in (team.superintendent, team.staff, team.drafter, team.hr, b.superintendent):
        client.force_login(person)
        for address in job_urls(job):
            assert client.get(address).status_code == 404, (person, address)
    client.force_login(team.lead)
    assert all(client.get(address).status_code == 200 for address in job_urls(job))
    # No longer the team's lead: the job is gone for them too.
    Team.objects.filter(pk=team.team.pk).update(lead=None)
    RoleGrant.objects.filter(person=team.lead).exclude(role="staff").delete()
    for address in job_urls(job):
        assert client.get(address).status_code in (403, 404)


def test_the_district_job_needs_the_superintendent_still(client, team):
    client.force_login(team.superintendent)
    ask(client, reverse("reports:district_pdf"))
    job = CycleExport.objects.get()
    RoleGrant.objects.filter(person=team.superintendent, role="superintendent").delete()
    assert client.get(job_urls(job)[0]).status_code == 404


def test_hr_export_pages_never_show_report_jobs(client, team):
    client.force_login(team.lead)
    ask(client, url("team_pdf", team.team, team.cycle))
    job = CycleExport.objects.get()
    client.force_login(team.hr)
    assert client.get(reverse("reports:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404


def test_asking_needs_the_csrf_token(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.lead)
    assert client.post(url("team_pdf", team.team, team.cycle)).status_code == 403
    assert not CycleExport.objects.exists()


def test_the_askers_own_unfinished_assessment_is_not_in_the_zip(client, team):
    from assessments import workflow

    mine = team.cycle.assessments.get(person=team.lead)
    workflow.return_for_revision(
        reviewer=team.superintendent, assessment=mine, message="More evidence"
    )
    client.force_login(team.lead)
    response = queued_download(client, url("team_reports", team.team, team.cycle))
    names = zipfile.ZipFile(io.BytesIO(response.body)).namelist()
    assert names == [f"northfield-netadmin-{team.cycle.assessments.get(person=team.staff).pk}.pdf"]
