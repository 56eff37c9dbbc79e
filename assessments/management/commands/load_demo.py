"""
Load the demo districts, accounts and cycles that `make run` signs in with
(``assessments.demo.cast`` says who is who). Safe to run again: a district that has
cycles already is left as it is (a password changed in the demo survives a second run;
`make demo-reset` starts over).

Northfield USD gets three cycles, Riverside USD two. Every past cycle is closed, each of
its assessments reviewed and finalized, nearly all acknowledged; the open cycle has
assessments in every state: not started, draft, submitted, returned, finalized and
acknowledged. The CTO's own submission waits for the superintendent, whom the CTO
reports to. Every assessment is reviewed by its person's reviewer (``User.reviewer``),
through the workflow services: the audit trail and the official PDFs are the real ones.
The levels and texts are made up but the same on every run (``assessments.demo.levels``).
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assessments import workflow
from assessments.demo import cast, steps
from assessments.models import Assessment, Cycle, District, RoleGrant, Team, User
from frameworks.models import Framework

DEMO_PASSWORD = "skills-demo-2026"  # noqa: S105 — demo-only, listed in the README
PLATFORM_ADMIN = "root@skillsportal.example"
# The past cycles ran on 2026.1; this year's runs on 2026.2 (its reports follow each
# competency across the two versions).
PAST_FRAMEWORK = ("k12-it-leadership", "2026.1")
CURRENT_FRAMEWORK = ("k12-it-leadership", "2026.2")
# The demo sends no email: nobody is there to read it. The workflow queues its messages
# as tasks once the transaction commits, so the queue is the one silenced (the mailer too).
SILENT = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
NO_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class Command(BaseCommand):
    help = "Create the demo districts and accounts (idempotent). Never run this in production."

    def handle(self, *args, **options):
        with override_settings(MAILERS=SILENT, TASKS=NO_TASKS), transaction.atomic():
            made, kept = self._load()
        self.stdout.write(f"Demo: {made} account(s) created, the rest kept as they were.")
        for name in kept:
            self.stdout.write(
                f"{name} has cycles already: kept as it was (`make demo-reset` starts over)."
            )

    def _load(self) -> tuple[int, list[str]]:
        try:
            frameworks = [
                Framework.objects.get_by_natural_key(*key)
                for key in (PAST_FRAMEWORK, CURRENT_FRAMEWORK)
            ]
        except Framework.DoesNotExist:
            raise CommandError(
                "Load the framework first: "
                "manage.py loaddata k12-it-leadership k12-it-leadership-2026-2"
            ) from None
        password = make_password(DEMO_PASSWORD)
        _, created = User.objects.get_or_create(
            email=PLATFORM_ADMIN,
            defaults={
                "full_name": "Platform Admin",
                "is_staff": True,
                "is_superuser": True,
                "password": password,
            },
        )
        made, kept = int(created), []
        for spec in cast.DISTRICTS:
            district, _ = District.objects.get_or_create(
                slug=spec.slug, defaults={"name": spec.name}
            )
            if Cycle.objects.filter(district=district).exists():
                kept.append(district.name)
                continue
            made += _people(district, spec, password)
            _cycles(district, spec, *frameworks)
        return made, kept


def _people(district: District, spec: cast.DistrictSpec, password: str) -> int:
    """The district's teams and people, their roles, leads and reporting lines."""
    teams = {
        t.name: Team.objects.get_or_create(district=district, name=t.name)[0] for t in spec.teams
    }
    people, made = {}, 0
    for p in spec.people:
        person, created = User.objects.get_or_create(
            email=f"{p.mailbox}@{district.slug}.example",
            defaults={
                "full_name": p.name,
                "district": district,
                "team": teams.get(p.team),
                "job_role": p.job_role,
                "password": password,
            },
        )
        people[p.mailbox], made = person, made + created
        for role in p.roles:
            RoleGrant.objects.get_or_create(person=person, role=role)
        if p.leads and teams[p.team].lead_id is None:
            teams[p.team].lead = person
            teams[p.team].save(update_fields=["lead"])
    for p in spec.people:
        if p.reports_to:
            User.objects.filter(pk=people[p.mailbox].pk, reports_to__isnull=True).update(
                reports_to=people[p.reports_to]
            )
    return made


def _cycles(district, spec: cast.DistrictSpec, past_framework, current_framework) -> None:
    """Each cycle of ``spec``, oldest first, its assessments taken to their states."""
    admin = User.objects.get(email=f"admin@{district.slug}.example")
    by_mailbox = {p.mailbox: p for p in spec.people}
    teams = {t.name: t for t in spec.teams}
    today = timezone.localdate()
    for years_back in spec.cycles:
        opens_on = today - timedelta(days=14 + 366 * years_back)
        cycle = workflow.open_cycle(
            actor=admin,
            district=district,
            framework=current_framework if years_back == 0 else past_framework,
            title=f"{today.year - years_back} annual review",
            opens_on=opens_on,
            due_on=opens_on + timedelta(days=24 if years_back == 0 else 40),
            people=User.objects.filter(
                district=district,
                email__in=[
                    f"{p.mailbox}@{district.slug}.example"
                    for p in spec.people
                    if p.staff and p.since >= years_back
                ],
            ),
        )
        for assessment in cycle.assessments.select_related("person", "role_profile"):
            person = by_mailbox[assessment.person.email.split("@")[0]]
            steps.advance(
                assessment,
                _state(person, years_back),
                person=person,
                team=teams[person.team],
                years_back=years_back,
            )
        if years_back:
            workflow.close_cycle(actor=admin, cycle=cycle)


def _state(person: cast.Person, years_back: int) -> str:
    """Where the person's assessment of that cycle stands (a past one is official)."""
    if years_back == 0:
        return person.now
    if years_back in person.unacknowledged:
        return Assessment.Status.FINALIZED
    return Assessment.Status.ACKNOWLEDGED
