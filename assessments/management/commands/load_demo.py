"""
Load the demo districts, accounts and cycles that `make run` signs in with. Safe to run
again: what exists is left as it is (a password changed in the demo survives a second run).

Each district gets a closed cycle from last year, where every assessment (the CTO's too)
was reviewed, finalized and acknowledged, and an open cycle with an assessment in every
state: draft, submitted, returned, finalized and acknowledged; the CTO's own submission
waits for the superintendent, whom the CTO reports to. Every assessment is reviewed by
its person's reviewer (``User.reviewer``). Ratings are made up but the same on every run
(seeded by person and cycle).
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assessments import workflow
from assessments.models import Assessment, Cycle, District, RoleGrant, Team, User
from assessments.roles import Role
from frameworks.models import Framework

DEMO_PASSWORD = "skills-demo-2026"  # noqa: S105 — demo-only, listed in the README
PLATFORM_ADMIN = "root@skillsportal.example"
DISTRICTS = [("northfield", "Northfield USD"), ("riverside", "Riverside USD")]
# (mailbox, full name, job role, roles, leads the technology team)
# Last year's cycle ran on 2026.1; this year's runs on 2026.2 (its reports follow each
# competency across the two versions).
PAST_FRAMEWORK = ("k12-it-leadership", "2026.1")
CURRENT_FRAMEWORK = ("k12-it-leadership", "2026.2")
# The state each staff member's assessment reaches in the open cycle.
CURRENT_STATES = {
    "cto": Assessment.Status.SUBMITTED,
    "netadmin": Assessment.Status.SUBMITTED,
    "tech": Assessment.Status.DRAFT,
    "coach": Assessment.Status.RETURNED,
    "support": Assessment.Status.FINALIZED,
    "privacy": Assessment.Status.ACKNOWLEDGED,
}
# The demo sends no email: nobody is there to read it.
SILENT = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
PEOPLE = [
    ("cto", "Casey Torres", "district-cto", [Role.STAFF], True),
    ("netadmin", "Nadia Adams", "network-security-admin", [Role.STAFF], False),
    ("coach", "Colin Ochoa", "instructional-tech-coordinator", [Role.STAFF], False),
    ("support", "Sam Porter", "tech-support-specialist", [Role.STAFF], False),
    ("tech", "Toni Lindqvist", "tech-support-specialist", [Role.STAFF], False),
    ("privacy", "Priya Vance", "data-privacy-lead", [Role.STAFF], False),
    ("superintendent", "Susan Intendente", "", [Role.SUPERINTENDENT], False),
    ("hr", "Harriet Reyes", "", [Role.HR], False),
    ("admin", "Adam Minter", "", [Role.ADMIN], False),
]


class Command(BaseCommand):
    help = "Create the demo districts and accounts (idempotent). Never run this in production."

    def handle(self, *args, **options):
        # The emails of the workflow go out when the transaction commits: silence them
        # until after that.
        with override_settings(MAILERS=SILENT), transaction.atomic():
            made = self._load()
        self.stdout.write(f"Demo: {made} account(s) created, the rest kept as they were.")

    def _load(self) -> int:
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
        made = int(created)
        for slug, name in DISTRICTS:
            district, _ = District.objects.get_or_create(slug=slug, defaults={"name": name})
            made += self._people(district, password)
            self._cycles(district, *frameworks)
        return made

    def _people(self, district, password) -> int:
        team, _ = Team.objects.get_or_create(district=district, name="Technology")
        made = 0
        for mailbox, full_name, job_role, roles, leads in PEOPLE:
            person, created = User.objects.get_or_create(
                email=f"{mailbox}@{district.slug}.example",
                defaults={
                    "full_name": full_name,
                    "district": district,
                    "team": team if job_role else None,
                    "job_role": job_role,
                    "password": password,
                },
            )
            made += created
            for role in roles:
                RoleGrant.objects.get_or_create(person=person, role=role)
            if leads and team.lead_id is None:
                team.lead = person
                team.save(update_fields=["lead"])
        # The CTO leads the team and reports to the superintendent, their reviewer.
        User.objects.filter(email=f"cto@{district.slug}.example", reports_to__isnull=True).update(
            reports_to=User.objects.get(email=f"superintendent@{district.slug}.example")
        )
        return made

    def _cycles(self, district, past_framework, current_framework) -> None:
        if Cycle.objects.filter(district=district).exists():
            return
        admin = User.objects.get(email=f"admin@{district.slug}.example")
        staff = list(User.objects.filter(district=district).exclude(job_role=""))
        today = timezone.localdate()
        past = workflow.open_cycle(
            actor=admin,
            district=district,
            framework=past_framework,
            title=f"{today.year - 1} annual review",
            opens_on=today - timedelta(days=380),
            due_on=today - timedelta(days=340),
            people=staff,
        )
        for assessment in past.assessments.select_related("person"):
            seed = f"{assessment.person.email} past"
            _advance(assessment, Assessment.Status.ACKNOWLEDGED, seed=seed)
        workflow.close_cycle(actor=admin, cycle=past)
        current = workflow.open_cycle(
            actor=admin,
            district=district,
            framework=current_framework,
            title=f"{today.year} annual review",
            opens_on=today - timedelta(days=14),
            due_on=today + timedelta(days=10),
            people=staff,
        )
        for assessment in current.assessments.select_related("person"):
            mailbox = assessment.person.email.split("@")[0]
            seed = f"{assessment.person.email} current"
            _advance(assessment, CURRENT_STATES[mailbox], seed=seed)


def _advance(assessment: Assessment, state: str, *, seed: str) -> None:
    """
    Rate, submit and review ``assessment`` through the workflow until it is in ``state``,
    reviewed by its person's reviewer.
    """
    rng = random.Random(seed)  # noqa: S311 — made-up demo ratings, not security
    person = assessment.person
    lead = person.reviewer()
    ratings = list(assessment.ratings.select_related("competency"))
    targets = dict(assessment.role_profile.targets.values_list("competency_id", "target__value"))
    if state == Assessment.Status.DRAFT:
        ratings = ratings[: len(ratings) // 3]  # half-way through the first domain or so
    changes = [
        workflow.RatingChange(
            r.competency_id,
            level=max(0, min(5, targets[r.competency_id] + rng.choice([-2, -1, -1, 0, 0, 1]))),
            note=rng.choice(["", "", "Led this at the spring drill.", "Still learning this."]),
        )
        for r in ratings
    ]
    assessment = workflow.save_ratings(
        person=person, assessment=assessment, version=assessment.version, changes=changes
    )
    if state == Assessment.Status.DRAFT:
        return
    assessment = workflow.submit(person=person, assessment=assessment, version=assessment.version)
    if state == Assessment.Status.SUBMITTED:
        return
    if state == Assessment.Status.RETURNED:
        workflow.return_for_revision(
            reviewer=lead,
            assessment=assessment,
            message="Please add evidence notes for the network security competencies.",
        )
        return
    review = [
        workflow.RatingChange(c.competency_id, level=max(0, c.level + rng.choice([-1, 0, 0])))
        for c in changes
    ]
    assessment = workflow.save_review(
        reviewer=lead,
        assessment=assessment,
        version=assessment.version,
        changes=review,
        comment="A solid year. Focus on the gaps in the plan.",
    )
    assessment = workflow.finalize(reviewer=lead, assessment=assessment)
    if state == Assessment.Status.ACKNOWLEDGED:
        workflow.acknowledge(person=person, assessment=assessment, comment="Read and agreed.")
