"""Generated data for tests and benchmarks of any size."""

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
