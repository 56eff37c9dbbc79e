"""
`make bench`: the median time and the query count of the portal's main operations.

Run as a plain script (``.venv/bin/python -m tests.benchmarks.run [group ...]``, every
group of rows when none is named: see GROUPS). It builds its own
data in a throwaway SQLite file (or, when DATABASE_URL is set, in a throwaway test
database next to that one, dropped afterwards), drives the views through Django's test
client, and prints one row per operation: how many people it covers, the median of
RUNS timed runs in milliseconds, and the number of queries of the last run.

Timings are for reading, never for passing or failing: nothing here asserts a time. A
report whose URL does not exist yet prints "not built yet" instead of a time.
"""

import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

RUNS = 5
# The groups of rows, each chosen by naming it (``python -m tests.benchmarks.run form``); all
# of them when none is named.
GROUPS = ("form", "individual", "team", "district", "dashboard", "export", "case")
HOT_RUNS = 41  # the hot path's rows and their bare view: a few ms each, so more runs
SILENT_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@dataclass
class Row:
    operation: str
    people: int | str
    median_ms: float | None = None
    queries: int | None = None
    note: str = ""


def configure(workdir: Path) -> bool:
    """Point Django at a throwaway database; True when that is PostgreSQL."""
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "skillsportal.settings"
    os.environ["PRIVATE_STORAGE_ROOT"] = str(workdir / "private")
    on_postgres = bool(os.environ.get("DATABASE_URL"))
    if not on_postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    logging.disable(logging.WARNING)  # WeasyPrint's progress, 404 warnings
    return on_postgres


class Bench:
    def __init__(self):
        from django.test import Client

        self.rows: list[Row] = []
        self.client = Client()

    def measure(
        self,
        operation: str,
        people: int | str,
        action: Callable[[object], object],
        *,
        prepare: Callable[[], object] = lambda: None,
        runs: int = RUNS,
    ) -> list[float]:
        """Time ``action(prepare())`` ``runs`` times (``prepare`` untimed)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if connection.vendor == "postgresql":
            # Planner statistics for the rows just built: without them PostgreSQL plans the
            # report queries for empty tables (the district row took twice as long).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        times = []
        queries = 0
        for _ in range(runs):
            argument = prepare()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                action(argument)
                times.append((time.perf_counter() - start) * 1000)
            queries = len(captured)
        self.rows.append(Row(operation, people, statistics.median(times), queries))
        return times

    def missing(self, operation: str, people: int | str, why: str = "not built yet") -> None:
        self.rows.append(Row(operation, people, note=why))

    def url(self, name: str, *args) -> str | None:
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        if response.status_code != status:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    def post(self, url: str, data: dict, status: int = 200):
        response = self.client.post(url, data)
        if response.status_code != status:
            raise RuntimeError(f"POST {url} answered {response.status_code}")
        return response

    def print(self) -> None:
        header = ("operation", "N", "median ms", "queries")
        lines = [
            (
                row.operation,
                str(row.people),
                f"{row.median_ms:,.1f}" if row.median_ms is not None else row.note,
                str(row.queries) if row.queries is not None else "",
            )
            for row in self.rows
        ]
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(4)]
        print()
        print(f"make bench: median of {RUNS} runs each (the CASE import: 3 and 1)")
        for line in [header, tuple("-" * w for w in widths), *lines]:
            print(
                f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  "
                f"{line[2]:>{widths[2]}}  {line[3]:>{widths[3]}}"
            )


# --- data ------------------------------------------------------------------------------


def district_with_cast(slug: str):
    from assessments.models import District, RoleGrant, Team, User

    district = District.objects.create(slug=slug, name=f"{slug.title()} USD")
    team = Team.objects.create(district=district, name="Technology")

    def person(mailbox, role, **fields):
        user = User.objects.create_user(
            f"{mailbox}@{slug}.example",
            "a bench passphrase",
            full_name=f"{mailbox.title()} {slug.title()}",
            district=district,
            **fields,
        )
        RoleGrant.objects.create(person=user, role=role)
        return user

    lead = person("lead", "staff", team=team, job_role="district-cto")
    team.lead = lead
    team.save(update_fields=["lead"])
    return district, team, lead, person


def rate_everything(assessment) -> None:
    from frameworks.models import ProficiencyLevel

    levels = list(
        ProficiencyLevel.objects.filter(framework=assessment.cycle.framework)
        .order_by("value")
        .values_list("pk", flat=True)
    )
    for n, rating in enumerate(assessment.ratings.order_by("pk")):
        rating.level_id = levels[1 + n % (len(levels) - 1)]
        rating.note = f"Evidence for competency {n}."
        rating.save(update_fields=["level", "note"])


# --- the operations --------------------------------------------------------------------


def bench_form(bench: Bench, framework) -> tuple:
    """
    Issue 4: opening a form step, one autosave, submitting. Returns a finalized
    assessment (with its official PDF) and a submitted one (whose PDF is rendered).
    """
    from assessments import workflow
    from assessments.models import Assessment

    district, team, lead, person = district_with_cast("formdistrict")
    staff = [
        person(f"staff{i}", "staff", team=team, job_role="network-security-admin")
        for i in range(RUNS + 1)
    ]
    admin = person("admin", "admin")
    cycle = workflow.open_cycle(
        actor=admin,
        district=district,
        framework=framework,
        title="Bench cycle",
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 3, 31),
        people=staff,
    )
    first = cycle.assessments.select_related("person").get(person=staff[0])
    competencies = list(first.ratings.order_by("pk").values_list("competency_id", flat=True))
    domain = framework.domains.order_by("position").first()
    per_person = f"1 ({len(competencies)} comp.)"
    bench.client.force_login(staff[0])

    step_url = bench.url("assessments:rate_step", first.pk, domain.code)
    bench.get(step_url)  # the process's first look at the framework reads it (frameworks.content)
    # Issue 12: the hot path as ratios to a bare view through the same middleware, signed
    # in as the same person: the health check (its one query is SELECT 1).
    bare = bench.measure(
        "bare view (/healthz), signed in", 1, lambda _: bench.get("/healthz"), runs=HOT_RUNS
    )
    step = bench.measure(
        "form: open a step", per_person, lambda _: bench.get(step_url), runs=HOT_RUNS
    )

    counter = iter(range(1000))  # one value per run

    def autosave_data():
        first.refresh_from_db(fields=["version"])
        n = next(counter)
        return {
            "version": first.version,
            "competency": competencies[n % len(competencies)],
            "level": 1 + n % 5,
        }

    save = bench.measure(
        "form: one autosave",
        per_person,
        lambda data: bench.post(bench.url("assessments:autosave", first.pk), data),
        prepare=autosave_data,
        runs=HOT_RUNS,
    )
    for name, times in (("form: open a step", step), ("form: one autosave", save)):
        ratio = statistics.median(times) / statistics.median(bare)
        bench.rows.append(Row(f"{name} / bare view", per_person, note=f"{ratio:.2f}×"))

    queue = list(cycle.assessments.select_related("person").exclude(pk=first.pk))
    submitted = queue[0]

    def ready_to_submit():
        assessment = queue.pop()
        rate_everything(assessment)
        assessment.refresh_from_db()
        bench.client.force_login(assessment.person)
        return assessment

    bench.measure(
        "form: submit",
        per_person,
        lambda a: bench.post(
            bench.url("assessments:submit", a.pk), {"version": a.version}, status=302
        ),
        prepare=ready_to_submit,
    )

    # One assessment goes all the way to finalized (its official PDF is rendered then).
    rate_everything(first)
    first.refresh_from_db()
    workflow.submit(person=staff[0], assessment=first, version=first.version)
    for code in framework.domains.values_list("code", flat=True):  # the lead agrees
        fresh = Assessment.objects.get(pk=first.pk)
        workflow.agree_with_domain(
            reviewer=lead, assessment=fresh, version=fresh.version, domain_code=code
        )
    workflow.finalize(reviewer=lead, assessment=Assessment.objects.get(pk=first.pk))
    related = ("person", "cycle")
    return (
        Assessment.objects.select_related(*related).get(pk=first.pk),
        Assessment.objects.select_related(*related).get(pk=submitted.pk),
    )


def bench_individual(bench: Bench, finalized, submitted) -> None:
    url = bench.url("reports:individual", finalized.pk)
    if url is None:
        bench.missing("individual report HTML", 1)
    else:
        bench.client.force_login(finalized.person)
        bench.measure("individual report HTML", 1, lambda _: bench.get(url))
    if bench.url("reports:individual_pdf", finalized.pk) is None:
        bench.missing("individual report PDF", 1)
        bench.missing("individual PDF: request / WeasyPrint alone", 1)
        return
    stored = bench.url("reports:individual_pdf", finalized.pk)
    bench.measure("individual PDF, official (stored file)", 1, lambda _: bench.get(stored))
    # Before finalization the PDF is a working copy, rendered once per state of the report
    # (reports.working_copy): the first request renders it, the next ones read it back.
    pdf_url = bench.url("reports:individual_pdf", submitted.pk)
    bench.client.force_login(submitted.person)
    request_times = bench.measure(
        "individual PDF, working copy, first render",
        1,
        lambda _: bench.get(pdf_url),
        prepare=forget_working_copies,
    )
    bench.get(pdf_url)
    bench.measure("individual PDF, working copy, repeated", 1, lambda _: bench.get(pdf_url))

    # The same HTML through WeasyPrint alone: catch what the view hands to the renderer.
    import reports.pdf

    seen = {}
    real_html = reports.pdf.HTML

    def catching(*args, **kwargs):
        seen.update(kwargs)
        return real_html(*args, **kwargs)

    reports.pdf.HTML = catching
    forget_working_copies()
    try:
        bench.get(pdf_url)
    finally:
        reports.pdf.HTML = real_html
    if "string" not in seen:
        bench.missing("individual PDF: request / WeasyPrint alone", 1, "renderer not seen")
        return

    def render_alone(_):
        document = real_html(
            string=seen["string"],
            base_url=reports.pdf.BASE_URL,
            url_fetcher=reports.pdf.StaticFilesFetcher(),
        )
        document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)

    render_times = bench.measure("individual PDF: WeasyPrint alone", 1, render_alone)
    ratio = statistics.median(request_times) / statistics.median(render_times)
    bench.rows.append(Row("individual PDF: request / WeasyPrint alone", 1, note=f"{ratio:.2f}×"))


def forget_working_copies() -> None:
    """Remove the rendered working copies, so that the next request renders again."""
    from django.conf import settings

    from reports.working_copy import FOLDER

    shutil.rmtree(Path(settings.PRIVATE_STORAGE_ROOT) / FOLDER, ignore_errors=True)


def bench_team(bench: Bench, framework) -> None:
    from tests import factories

    make_team = getattr(factories, "make_team", None)
    district, _, _, person = district_with_cast("teamdistrict")
    superintendent = person("superintendent", "superintendent")
    for size in (25, 100, 400):
        if make_team is None or bench.url("reports:team", 1) is None:
            bench.missing("team report HTML", size)
            continue
        made = make_team(
            district, framework, people=size, statuses=("submitted", "finalized", "draft")
        )
        bench.client.force_login(superintendent)
        url = bench.url("reports:team", made.team.pk) + f"?cycle={made.cycle.pk}"
        bench.measure("team report HTML", size, lambda _, url=url: bench.get(url))
        if size == 25:
            bench_team_pdf(bench, made)


def bench_team_pdf(bench: Bench, made) -> None:
    """
    The team PDF, which the worker renders (reports.exports.report_jobs): asking for it
    (the request, untimed) and the worker's job (timed), as ``db_worker`` runs it.
    """
    from reports.exports import report_jobs

    address = bench.url("reports:team_pdf", made.team.pk) + f"?cycle={made.cycle.pk}"

    def ask():
        response = bench.post(address, {}, status=302)
        return int(response.url.rstrip("/").split("/")[-1])

    def render(pk):
        job = report_jobs.build(pk)
        if job.status != "done":
            raise RuntimeError(f"team PDF failed: {job.error}")

    bench.measure("team report PDF (worker job)", len(made.assessments), render, prepare=ask)


def bench_district(bench: Bench, framework) -> None:
    from tests import factories

    make_team = getattr(factories, "make_team", None)
    if make_team is None or bench.url("reports:district") is None:
        bench.missing("district report HTML", 2000)
        return
    district, _, _, person = district_with_cast("bigdistrict")
    superintendent = person("superintendent", "superintendent")
    cycle = None
    for n in range(20):
        made = make_team(
            district,
            framework,
            people=100,
            cycle=cycle,
            name=f"Team {n:02d}",
            statuses=("submitted", "finalized", "acknowledged", "draft"),
        )
        cycle = made.cycle
    bench.client.force_login(superintendent)
    url = bench.url("reports:district") + f"?cycle={cycle.pk}"
    bench.measure("district report HTML", 2000, lambda _: bench.get(url))


def bench_dashboard(bench: Bench, framework) -> None:
    """
    Issue 12: the superintendent's dashboard and one competency across the district, for
    20 teams of 100 people with an assessment each in two cycles (the dashboard compares
    this year with last year; the competency page shows last year's level).
    """
    from assessments.models import Cycle
    from tests import factories

    make_team = getattr(factories, "make_team", None)
    if make_team is None or bench.url("reports:dashboard") is None:
        bench.missing("district dashboard HTML", 2000)
        bench.missing("competency page HTML, whole district", 2000)
        return
    district, _, _, person = district_with_cast("dashboarddistrict")
    superintendent = person("superintendent", "superintendent")
    teams: list = []
    for year in (2025, 2026):
        cycle = Cycle.objects.create(
            district=district,
            framework=framework,
            title=f"{year} review",
            opens_on=date(year, 9, 1),
            due_on=date(year, 10, 1),
        )
        teams = [
            make_team(
                district,
                framework,
                people=100,
                cycle=cycle,
                name=f"Team {n:02d}",
                again=teams[n] if teams else None,
                statuses=("submitted", "finalized", "acknowledged", "draft"),
            )
            for n in range(20)
        ]
    bench.client.force_login(superintendent)
    url = bench.url("reports:dashboard") + f"?cycle={cycle.pk}"
    bench.measure("district dashboard HTML", 2000, lambda _: bench.get(url))
    competency = framework.competencies.order_by("pk").first()
    page = bench.url("reports:competency", competency.pk) + f"?cycle={cycle.pk}"
    bench.measure("competency page HTML, whole district", 2000, lambda _: bench.get(page))


def bench_export(bench: Bench, framework, official) -> None:
    """A 100-person cycle: request the export, build the ZIP (the worker's part), in one."""
    import hashlib

    from django.conf import settings

    from reports.exports import builder
    from reports.models import OfficialReport
    from tests import factories

    make_team = getattr(factories, "make_team", None)
    if make_team is None or bench.url("reports:export_create", 1) is None:
        bench.missing("cycle export (request + ZIP)", 100)
        return
    district, _, _, person = district_with_cast("exportdistrict")
    hr = person("hr", "hr")
    made = make_team(district, framework, people=100, statuses=("finalized", "acknowledged"))
    # Every official PDF is a copy of a real one (the bench's finalized assessment).
    body = (Path(settings.PRIVATE_STORAGE_ROOT) / official.path).read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    rows = []
    for assessment in made.assessments:
        relative = f"official/cycle-{made.cycle.pk}/assessment-{assessment.pk}.pdf"
        path = Path(settings.PRIVATE_STORAGE_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        rows.append(
            OfficialReport(assessment=assessment, path=relative, sha256=digest, size=len(body))
        )
    OfficialReport.objects.bulk_create(rows)
    bench.client.force_login(hr)
    url = bench.url("reports:export_create", made.cycle.pk)

    def export(_):
        response = bench.post(url, {}, status=302)
        pk = int(response.url.rstrip("/").split("/")[-1])
        done = builder.build(pk)
        if done.status != "done":
            raise RuntimeError(f"export failed: {done.error}")

    bench.measure(f"cycle export (request + ZIP, {len(body) // 1024} KB PDFs)", 100, export)


def bench_case_import(bench: Bench, items: int = 40_000) -> None:
    """
    Issue 14: a CASE package of ``items`` items (made here, some 50 MB, as the command
    takes it): the dry run, then the import (once: a second would compare with the first).
    """
    import json

    from frameworks.interchange.safe_json import COMMAND_MAX_BYTES
    from frameworks.interchange.service import import_framework
    from tests.frameworks.case_packages import sized

    content = json.dumps(sized(items)).encode()

    def run(dry_run: bool):
        def action(_):
            result = import_framework(
                content=content, format="case", dry_run=dry_run, max_bytes=COMMAND_MAX_BYTES
            )
            if not result.ok:
                raise RuntimeError(f"CASE import refused: {result.errors[:3]}")

        return action

    size = f"{items:,} items"
    bench.measure(f"CASE import, dry run ({len(content) // 2**20} MB)", size, run(True), runs=3)
    bench.measure("CASE import", size, run(False), runs=1)


def run_chosen(bench: Bench, framework, chosen: set[str]) -> None:
    """The chosen groups of rows; the form's always (the others build on its assessments)."""
    from reports.models import OfficialReport

    finalized, submitted = bench_form(bench, framework)
    if "individual" in chosen:
        bench_individual(bench, finalized, submitted)
    if "team" in chosen:
        bench_team(bench, framework)
    if "district" in chosen:
        bench_district(bench, framework)
    if "dashboard" in chosen:
        bench_dashboard(bench, framework)
    if "export" in chosen:
        official = OfficialReport.objects.filter(assessment=finalized).first()
        if official is None:
            bench.missing("cycle export (request + ZIP)", 100, "no official PDF")
        else:
            bench_export(bench, framework, official)
    if "case" in chosen:
        bench_case_import(bench)


def main(argv: list[str]) -> int:
    chosen = set(argv) or set(GROUPS)
    if not chosen <= set(GROUPS):
        print(f"usage: python -m tests.benchmarks.run [{' | '.join(GROUPS)} ...]", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="skillsportal-bench-"))
    try:
        on_postgres = configure(workdir)
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import (
            override_settings,
            setup_test_environment,
            teardown_test_environment,
        )

        setup_test_environment()
        old_name = None
        if on_postgres:
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0)
        try:
            with override_settings(
                MAILERS=SILENT_MAIL,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                DEBUG=False,
            ):
                call_command("loaddata", "k12-it-leadership", verbosity=0)
                from frameworks.models import Framework

                framework = Framework.objects.get_by_natural_key("k12-it-leadership", "2026.1")
                bench = Bench()
                print(
                    f"Benchmarking on {connection.vendor} "
                    f"({'throwaway test database' if on_postgres else workdir})…",
                    file=sys.stderr,
                )
                run_chosen(bench, framework, chosen)
                bench.print()
        finally:
            if on_postgres:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
