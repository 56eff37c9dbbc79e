"""Generated data for tests and benchmarks of any size."""

import datetime
import uuid
from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from frameworks.models import (
    Competency,
    Domain,
    Framework,
    LevelDescriptor,
    ProficiencyLevel,
    RoleProfile,
    RoleTarget,
)

IMPORTANCES = ["essential", "important", "helpful"]


def make_framework(
    *,
    competencies: int = 60,
    domains: int = 3,
    roles: tuple[str, ...] = ("staff",),
    slug="generated",
) -> Framework:
    """A published framework with the given number of competencies, complete in every part."""
    framework = Framework.objects.create(
        slug=slug, version="1", title=f"Generated ({competencies})", status="published"
    )
    levels = ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(framework=framework, value=v, name=f"Level {v}", description=f"L{v}")
        for v in range(6)
    )
    domain_rows = Domain.objects.bulk_create(
        Domain(framework=framework, code=f"D{d}", title=f"Domain {d}", position=d)
        for d in range(domains)
    )
    rows = Competency.objects.bulk_create(
        Competency(
            framework=framework,
            domain=domain_rows[n % domains],
            code=f"D{n % domains}.{n}",
            title=f"Competency {n}",
            description=f"What competency {n} is.",
            position=n,
        )
        for n in range(competencies)
    )
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(competency=c, level=level, text=f"{c.code} at level {level.value}")
        for c in rows
        for level in levels[1:]
    )
    for code in roles:
        role = RoleProfile.objects.create(framework=framework, code=code, title=code.title())
        RoleTarget.objects.bulk_create(
            RoleTarget(
                role=role,
                competency=c,
                target=levels[1 + n % 5],
                importance=IMPORTANCES[n % 3],
            )
            for n, c in enumerate(rows)
        )
    return framework


@transaction.atomic
def make_team(
    district,
    framework,
    *,
    people: int = 10,
    cycle=None,
    statuses: tuple[str, ...] = ("submitted",),
    name: str | None = None,
    lead=None,
    role: str | None = None,
    level: int | Callable[[int, int], int | None] | None = None,
    again: SimpleNamespace | None = None,
) -> SimpleNamespace:
    """
    A team of ``people`` with an assessment each in ``cycle`` (a new cycle of the
    district on ``framework`` when None), every competency rated: bulk inserts only, a
    fixed handful of queries whatever the size (400 people in well under a second).

    ``statuses`` are handed out in turn (person i gets ``statuses[i % len(statuses)]``).
    ``role`` is the role profile code (the framework's first by default). ``level`` is the
    self-rating: a fixed value, a function of (person index, competency index), or by
    default a spread of levels over the scale. ``again`` is a team made before (what this
    returned): its people get an assessment in ``cycle``, and nobody new is made (``people``
    and ``name`` are ignored). Returns team, cycle, people, assessments.
    """
    from assessments.models import Assessment, Cycle, Rating, RoleGrant, Team, User

    tag = uuid.uuid4().hex[:8]
    if again is None:
        team = Team.objects.create(district=district, name=name or f"Team {tag}", lead=lead)
    else:
        team = again.team
    if cycle is None:
        cycle = Cycle.objects.create(
            district=district,
            framework=framework,
            title=f"Cycle {tag}",
            opens_on=datetime.date(2026, 9, 1),
            due_on=datetime.date(2026, 10, 1),
        )
    profiles = RoleProfile.objects.filter(framework=framework)
    profile = profiles.get(code=role) if role else profiles.order_by("pk").first()
    if again is None:
        password = make_password(None)  # unusable: generated people never sign in
        members = User.objects.bulk_create(
            User(
                email=f"person-{i}-{tag}@{district.slug}.example",
                full_name=f"Person {i:04d} {tag}",
                district=district,
                team=team,
                job_role=profile.code,
                password=password,
            )
            for i in range(people)
        )
        RoleGrant.objects.bulk_create(RoleGrant(person=p, role="staff") for p in members)
    else:
        members = again.people
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            cycle=cycle,
            person=person,
            role_profile=profile,
            status=statuses[i % len(statuses)],
            submitted_at=None if statuses[i % len(statuses)] == "draft" else now,
        )
        for i, person in enumerate(members)
    )
    scale = dict(ProficiencyLevel.objects.filter(framework=framework).values_list("value", "pk"))
    competency_ids = list(
        Competency.objects.filter(framework=framework).order_by("pk").values_list("pk", flat=True)
    )

    def level_of(i: int, j: int) -> int | None:
        if level is None:
            return (i * 7 + j * 3) % len(scale)
        return level(i, j) if callable(level) else level

    # Ratings are most of the rows (people × competencies): one executemany, without
    # building a model instance per row (about ten times faster than bulk_create).
    fields = ["assessment", "competency", "level", "note", "reviewer_level", "reviewer_note"]
    columns = [Rating._meta.get_field(f).column for f in [*fields, "updated_at"]]
    stamp = Rating._meta.get_field("updated_at").get_db_prep_save(now, connection)
    rows = [
        (
            assessment.pk,
            competency_id,
            None if (value := level_of(i, j)) is None else scale[value],
            "",
            None,
            "",
            stamp,
        )
        for i, assessment in enumerate(assessments)
        for j, competency_id in enumerate(competency_ids)
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        connection.ops.quote_name(Rating._meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:  # inside the one transaction: a single commit
        cursor.executemany(sql, rows)
    return SimpleNamespace(team=team, cycle=cycle, people=members, assessments=assessments)
