"""
HR's whole-cycle export: requesting it, the ZIP the worker builds, progress, the stale
heartbeat sweep, failures that say why, and who may see what.

How tasks run in tests: the suite keeps the real backend (django-tasks-db), so
requesting an export queues a real task row once the transaction commits. Most tests
then call ``reports.exports.builder.build`` (what the task calls) directly; one transactional
test runs django-tasks-db's own worker loop in batch mode, end to end.
"""

import csv
import hashlib
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments import workflow
from assessments.models import Assessment, AuditEvent
from reports.exports import builder, requesting, sweep
from reports.models import CycleExport, OfficialReport
from tests.cast import make_person
from tests.taskqueue import WORKER

Status = CycleExport.Status


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def open_cycle(cast, framework, people=None):
    return workflow.open_cycle(
        actor=cast.admin,
        district=cast.district,
        framework=framework,
        title="2026 Annual Review",
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 3, 31),
        people=people or [cast.lead, cast.staff],
    )


def make_official(assessment, root, status=Assessment.Status.FINALIZED) -> bytes:
    """Mark ``assessment`` official and store a stand-in PDF for it, as finalization would."""
    body = b"%PDF-1.7\n% official record of " + assessment.person.email.encode() + b"\n%%EOF\n"
    relative = f"official/cycle-{assessment.cycle_id}/assessment-{assessment.pk}.pdf"
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(body)
    OfficialReport.objects.create(
        assessment=assessment,
        path=relative,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=status, finalized_at=timezone.now())
    return body


@pytest.fixture
def cycle(a, shipped_framework, private_root):
    """A's cycle: the lead's assessment finalized, the staff member's acknowledged."""
    cycle = open_cycle(a, shipped_framework)
    make_official(cycle.assessments.get(person=a.lead), private_root)
    make_official(
        cycle.assessments.get(person=a.staff), private_root, Assessment.Status.ACKNOWLEDGED
    )
    return cycle


@pytest.fixture
def hr(client, a):
    client.force_login(a.hr)
    return client


def request_and_build(hr, cycle, django_capture_on_commit_callbacks) -> CycleExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(reverse("reports:export_create", args=[cycle.pk]))
    export = CycleExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:export_detail", args=[export.pk])
    return builder.build(export.pk)


# --- the happy path --------------------------------------------------------------------


def test_requesting_queues_one_task_after_commit(hr, a, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hr.post(reverse("reports:export_create", args=[cycle.pk]))
    export = CycleExport.objects.get()
    assert len(callbacks) == 1
    assert (export.status, export.done, export.total) == (Status.QUEUED, 0, 2)
    task = DBTaskResult.objects.get(task_path="reports.tasks.build_cycle_export")
    assert task.task_path == "reports.tasks.build_cycle_export"
    assert task.args_kwargs == {"args": [], "kwargs": {"export_id": export.pk}}
    event = AuditEvent.objects.get(action="export.requested")
    assert (event.actor, event.district, event.object_id) == (a.hr, a.district, str(export.pk))


def test_a_second_request_while_one_is_queued_returns_the_same_export(
    hr, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("reports:export_create", args=[cycle.pk]))
        hr.post(reverse("reports:export_create", args=[cycle.pk]))
    assert CycleExport.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_zip_holds_each_official_pdf_and_an_index_with_its_sha256(
    hr, a, cycle, private_root, django_capture_on_commit_callbacks
):
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert (export.status, export.done, export.total, export.error) == (Status.DONE, 2, 2, "")
    assert export.finished_at is not None
    assert (private_root / export.path).is_file()
    assert not list((private_root / "exports").glob("*.part"))

    response = hr.get(reverse("reports:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="2026-annual-review-official-reports-{export.pk}.zip"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert sorted(row["email"] for row in rows) == sorted([a.lead.email, a.staff.email])
    for row in rows:
        body = archive.read(row["file"])
        assert hashlib.sha256(body).hexdigest() == row["sha256"]
        official = OfficialReport.objects.get(assessment__person__email=row["email"])
        assert row["sha256"] == official.sha256
        assert body == (private_root / official.path).read_bytes()
    assert {row["status"] for row in rows} == {"finalized", "acknowledged"}
    assert sorted(archive.namelist()) == sorted(["index.csv", *(row["file"] for row in rows)])

    event = AuditEvent.objects.get(action="export.downloaded")
    assert (event.actor, event.object_id) == (a.hr, str(export.pk))


def test_only_finalized_and_acknowledged_assessments_are_exported(
    hr, a, shipped_framework, private_root, django_capture_on_commit_callbacks
):
    other = make_person(a.district, "coach@northfield.example", "Colin Coach", "staff")
    other.job_role = "instructional-tech-coordinator"
    other.team = a.team
    other.save(update_fields=["job_role", "team"])
    cycle = open_cycle(a, shipped_framework, [a.lead, a.staff, other])
    make_official(cycle.assessments.get(person=a.lead), private_root)
    Assessment.objects.filter(cycle=cycle, person=a.staff).update(status="submitted")

    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert (export.status, export.total) == (Status.DONE, 1)
    archive = zipfile.ZipFile(private_root / export.path)
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert [row["email"] for row in rows] == [a.lead.email]


def test_a_cycle_with_nothing_official_is_refused_with_a_reason(
    hr, a, shipped_framework, private_root
):
    cycle = open_cycle(a, shipped_framework)
    response = hr.post(reverse("reports:export_create", args=[cycle.pk]), follow=True)
    assert not CycleExport.objects.exists()
    assert "nothing to export" in response.content.decode()


def test_spreadsheet_formulas_in_names_are_neutralised(
    hr, a, cycle, private_root, django_capture_on_commit_callbacks
):
    a.lead.full_name = '=HYPERLINK("http://evil")'
    a.lead.save(update_fields=["full_name"])
    a.staff.full_name = "＠SUM(A1)"
    a.staff.save(update_fields=["full_name"])
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(private_root / export.path)
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    names = [row["person"] for row in rows]
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'＠SUM(A1)" in names
    assert all(name.startswith("reports/") and ".." not in name for name in archive.namelist()[:-1])


# --- progress page and JSON ------------------------------------------------------------


def test_the_progress_page_works_without_inline_script(hr, cycle):
    export = CycleExport.objects.create(
        cycle=cycle, requested_by=cycle.district.people.get(email__startswith="hr@"), total=2
    )
    CycleExport.objects.filter(pk=export.pk).update(
        status=Status.RUNNING, done=1, heartbeat_at=timezone.now()
    )
    response = hr.get(reverse("reports:export_detail", args=[export.pk]))
    page = response.content.decode()
    assert '<progress id="export-progress" class="w-100" max="2" value="1">' in page
    assert "1 of 2 reports added (50%)" in page
    assert 'src="/static/js/export-progress.js"' in page
    assert "<script>" not in page
    assert "Refresh to see the progress" in page
    assert "no-store" in response["Cache-Control"]

    status = hr.get(reverse("reports:export_status", args=[export.pk])).json()
    assert status == {
        "status": "running",
        "status_display": "Running",
        "done": 1,
        "total": 2,
        "percent": 50,
        "error": "",
        "download_url": None,
    }


def test_the_status_of_a_finished_export_links_the_download(
    hr, cycle, django_capture_on_commit_callbacks
):
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    status = hr.get(reverse("reports:export_status", args=[export.pk])).json()
    assert status["status"] == "done"
    assert status["percent"] == 100
    assert status["download_url"] == reverse("reports:export_download", args=[export.pk])


def test_progress_and_heartbeat_move_as_reports_are_added(
    hr, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    # A second passes at every reading of the clock: progress is written after each report.
    monkeypatch.setattr(builder, "clock", FakeClock(1.0))
    seen = []
    real = builder.official_pdf

    def spy(assessment):
        export = CycleExport.objects.get()
        seen.append((export.status, export.done, export.total, export.heartbeat_at))
        return real(assessment)

    monkeypatch.setattr(builder, "official_pdf", spy)
    request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert [s[:3] for s in seen] == [("running", 0, 2), ("running", 1, 2)]
    assert seen[0][3] <= seen[1][3]


# --- faults ----------------------------------------------------------------------------


def running_export(cycle, *, heartbeat_age: timedelta) -> CycleExport:
    export = CycleExport.objects.create(
        cycle=cycle, requested_by=cycle.district.people.get(email__startswith="hr@"), total=2
    )
    CycleExport.objects.filter(pk=export.pk).update(
        status=Status.RUNNING, done=1, heartbeat_at=timezone.now() - heartbeat_age
    )
    return export


def test_an_export_whose_worker_died_is_marked_failed_when_its_status_is_read(
    hr, cycle, private_root
):
    export = running_export(cycle, heartbeat_age=timedelta(minutes=3))
    (private_root / "exports").mkdir(parents=True)
    partial = private_root / "exports" / f"export-{export.pk}-abc.part"
    partial.write_bytes(b"PK half a zip")

    status = hr.get(reverse("reports:export_status", args=[export.pk])).json()
    assert status["status"] == "failed"
    assert "stopped responding" in status["error"]
    assert not partial.exists()
    page = hr.get(reverse("reports:export_detail", args=[export.pk])).content.decode()
    assert "Why it failed:" in page
    assert "no progress for over 2 minutes" in page


def test_a_live_export_is_left_running(hr, cycle):
    export = running_export(cycle, heartbeat_age=timedelta(seconds=30))
    assert sweep.sweep_stale() == 0
    assert hr.get(reverse("reports:export_status", args=[export.pk])).json()["status"] == "running"


def test_a_worker_that_lost_its_export_to_the_sweep_stops_and_keeps_nothing(
    hr, cycle, private_root, django_capture_on_commit_callbacks, monkeypatch
):
    real = builder.official_pdf

    def slow_worker(assessment):
        # The worker stalls; meanwhile the sweep gives its export up.
        CycleExport.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
        sweep.sweep_stale()
        return real(assessment)

    monkeypatch.setattr(builder, "official_pdf", slow_worker)
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert export.status == Status.FAILED
    assert export.path == ""
    assert not list((private_root / "exports").iterdir())


def test_a_missing_official_pdf_fails_the_export_and_says_which(
    hr, a, cycle, private_root, django_capture_on_commit_callbacks
):
    official = OfficialReport.objects.get(assessment__person=a.staff)
    (private_root / official.path).unlink()
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert export.status == Status.FAILED
    assert f"The official PDF of {a.staff.get_full_name()} is missing" in export.error
    assert not list((private_root / "exports").glob("*"))
    page = hr.get(reverse("reports:export_detail", args=[export.pk])).content.decode()
    assert "is missing from the private storage" in page
    assert hr.get(reverse("reports:export_download", args=[export.pk])).status_code == 404


def test_an_altered_official_pdf_fails_the_export(
    hr, a, cycle, private_root, django_capture_on_commit_callbacks
):
    official = OfficialReport.objects.get(assessment__person=a.lead)
    (private_root / official.path).write_bytes(b"%PDF-1.7 something else")
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert export.status == Status.FAILED
    assert "no longer matches the SHA-256" in export.error


def test_an_unexpected_error_fails_the_export_with_a_reason(
    hr, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(assessment):
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "official_pdf", broken)
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    assert export.status == Status.FAILED
    assert "unexpected error stopped the export (RuntimeError)" in export.error


def test_an_export_is_built_once(hr, cycle, django_capture_on_commit_callbacks):
    export = request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    finished_at = export.finished_at
    again = builder.build(export.pk)
    assert (again.status, again.finished_at) == (Status.DONE, finished_at)


# --- who may see what ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "lead", "superintendent", "admin"])
def test_only_hr_may_export(client, a, cycle, role):
    client.force_login(getattr(a, role))
    assert client.get(reverse("reports:export_list")).status_code == 403
    assert client.post(reverse("reports:export_create", args=[cycle.pk])).status_code == 403
    assert not CycleExport.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, cycle):
    response = client.get(reverse("reports:export_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_hr_of_another_district_gets_404_everywhere(
    client, a, b, cycle, django_capture_on_commit_callbacks
):
    client.force_login(a.hr)
    export = request_and_build(client, cycle, django_capture_on_commit_callbacks)
    client.force_login(b.hr)
    assert client.post(reverse("reports:export_create", args=[cycle.pk])).status_code == 404
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"reports:{name}", args=[export.pk])).status_code == 404
    page = client.get(reverse("reports:export_list")).content.decode()
    assert cycle.title not in page


def test_the_export_button_needs_the_csrf_token(a, cycle):
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.hr)
    assert client.post(reverse("reports:export_create", args=[cycle.pk])).status_code == 403
    assert not CycleExport.objects.exists()


def test_the_list_shows_cycles_and_exports(hr, cycle, django_capture_on_commit_callbacks):
    request_and_build(hr, cycle, django_capture_on_commit_callbacks)
    page = hr.get(reverse("reports:export_list")).content.decode()
    assert "Export 2026 Annual Review" in page
    assert "Done" in page


# --- the real worker -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_claims_and_runs_the_queued_export(a, shipped_framework, private_root):
    cycle = open_cycle(a, shipped_framework)
    make_official(cycle.assessments.get(person=a.lead), private_root)
    export = requesting.request_export(actor=a.hr, cycle=cycle)  # commits: the task is queued

    WORKER.run()

    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (Status.DONE, 1, 1)
    task = DBTaskResult.objects.get(task_path="reports.tasks.build_cycle_export")
    assert (task.status, task.worker_ids, task.return_value) == (
        "SUCCESSFUL",
        ["test-worker"],
        "done",
    )


# --- progress writes ---------------------------------------------------------------------


class FakeClock:
    """A clock that moves only when told: ``step`` seconds at every reading."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def progress_writes(a, framework, root, people: int, clock, monkeypatch) -> int:
    """Build the export of a cycle of ``people`` official reports; count progress UPDATEs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.roles import Role

    staff = [
        make_person(
            a.district,
            f"p{people}-{n}@northfield.example",
            f"P {n}",
            Role.STAFF,
            team=a.team,
            job_role="network-security-admin",
        )
        for n in range(people)
    ]
    cycle = workflow.open_cycle(
        actor=a.admin,
        district=a.district,
        framework=framework,
        title=f"Cycle of {people}",
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 3, 31),
        people=staff,
    )
    for assessment in cycle.assessments.all():
        make_official(assessment, root)
    export = CycleExport.objects.create(cycle=cycle, requested_by=a.hr, total=people)
    monkeypatch.setattr(builder, "clock", clock)
    with CaptureQueriesContext(connection) as captured:
        built = builder.build(export.pk)
    assert (built.status, built.done, built.total) == (Status.DONE, people, people)
    return sum(
        1
        for query in captured
        if query["sql"].startswith('UPDATE "reports_cycleexport"') and '"done"' in query["sql"]
    )


def test_progress_writes_do_not_grow_with_the_cycle(
    a, shipped_framework, private_root, monkeypatch
):
    # All within one second: the claim, the start (0 of N), the end (N of N), and done.
    few = progress_writes(a, shipped_framework, private_root, 3, FakeClock(0.001), monkeypatch)
    many = progress_writes(a, shipped_framework, private_root, 30, FakeClock(0.001), monkeypatch)
    assert few == many == 4


def test_progress_is_written_once_a_second_while_the_export_runs(
    a, shipped_framework, private_root, monkeypatch
):
    # Each PDF takes a quarter of a second (the clock moves at every reading): ten take
    # some 2.5 seconds, so the bar moves two or three times between start and end.
    writes = progress_writes(a, shipped_framework, private_root, 10, FakeClock(0.25), monkeypatch)
    assert 4 + 2 <= writes <= 4 + 3
