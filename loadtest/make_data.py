"""
The load test's data, in the (throwaway) database that DATABASE_URL names.

Run with the project's settings, from the repository's root:

    .venv/bin/python -m loadtest.make_data --staff 200 --teams 20 --out data.json

Loads the shipped framework (``loaddata k12-it-leadership``), then builds one district
with ``--teams`` teams sharing ``--staff`` staff members (job roles of the framework in
turn), a lead for every team (a person of their own, outside the cycle), and opens one
cycle (``workflow.open_cycle``) that gives every staff member an assessment. Every
account has the same known password. Writes what the locust users need (accounts,
assessment ids, the competencies of each form step, team ids) to ``--out`` as JSON.
"""

import argparse
import datetime
import json
from pathlib import Path

PASSWORD = "loadtest-passphrase-2026"  # noqa: S105 (throwaway database only)
SLUG = "loadtest"


def build(*, staff: int, teams: int) -> dict:
    # Imported here: Django is set up by main() first.
    from django.core.management import call_command

    from assessments import workflow
    from frameworks.models import Framework

    call_command("loaddata", "k12-it-leadership", verbosity=0)
    framework = Framework.objects.get(slug="k12-it-leadership", status="published")
    admin, leads, team_rows, people = _district(framework, staff=staff, teams=teams)
    today = datetime.date.today()
    cycle = workflow.open_cycle(
        actor=admin,
        district=admin.district,
        framework=framework,
        title="Load test cycle",
        opens_on=today,
        due_on=today + datetime.timedelta(days=30),
        people=people,
    )
    steps = _steps(framework)
    # Every fourth person comes back to finish: they rated all but the last three
    # competencies in an earlier sitting, so that submits happen within the run at a
    # person's pace.
    returning = people[::4]
    left = steps[-1]["competencies"][-3:]
    _rate_all_but(returning, left, framework)
    assessments = dict(cycle.assessments.values_list("person_id", "pk"))
    return {
        "password": PASSWORD,
        "cycle": cycle.pk,
        "levels": sorted(framework.levels.values_list("value", flat=True)),
        "steps": steps,
        "left_for_returning": {"code": steps[-1]["code"], "competencies": left},
        "staff": [
            {"email": p.email, "assessment": assessments[p.pk], "returning": p in returning}
            for p in people
        ],
        "leads": [
            {"email": lead.email, "team": team.pk}
            for lead, team in zip(leads, team_rows, strict=True)
        ],
    }


def _district(framework, *, staff: int, teams: int) -> tuple:
    """The district's admin, the team leads, the teams and the staff (job roles in turn)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from assessments.models import District, RoleGrant, Team, User
    from assessments.roles import Role
    from frameworks.models import RoleProfile

    roles = list(
        RoleProfile.objects.filter(framework=framework)
        .order_by("pk")
        .values_list("code", flat=True)
    )
    # One hash for every account: hashing 200 passwords one by one takes minutes here.
    password = make_password(PASSWORD)

    with transaction.atomic():
        district = District.objects.create(slug=SLUG, name="Load Test USD")
        admin = User.objects.create(
            email=f"admin@{SLUG}.example",
            full_name="Load Admin",
            district=district,
            password=password,
        )
        RoleGrant.objects.create(person=admin, role=Role.ADMIN)
        leads = User.objects.bulk_create(
            User(
                email=f"lead-{t:03d}@{SLUG}.example",
                full_name=f"Lead {t:03d}",
                district=district,
                job_role="district-cto",
                password=password,
            )
            for t in range(teams)
        )
        RoleGrant.objects.bulk_create(RoleGrant(person=lead, role=Role.STAFF) for lead in leads)
        team_rows = Team.objects.bulk_create(
            Team(district=district, name=f"Team {t:03d}", lead=leads[t]) for t in range(teams)
        )
        people = _staff(team_rows, roles, password, count=staff)
    return admin, leads, team_rows, people


def _staff(team_rows, roles: list[str], password: str, *, count: int) -> list:
    """``count`` staff members, spread over the teams, with the job roles in turn."""
    from assessments.models import RoleGrant, User
    from assessments.roles import Role

    people = User.objects.bulk_create(
        User(
            email=f"staff-{i:04d}@{SLUG}.example",
            full_name=f"Staff {i:04d}",
            district=team_rows[0].district,
            team=team_rows[i % len(team_rows)],
            job_role=roles[i % len(roles)],
            password=password,
        )
        for i in range(count)
    )
    RoleGrant.objects.bulk_create(RoleGrant(person=p, role=Role.STAFF) for p in people)
    return people


def _steps(framework) -> list[dict]:
    """The form's steps: one per domain, in the order the form shows them."""
    return [
        {
            "code": domain.code,
            "competencies": list(
                domain.competencies.order_by("position", "code").values_list("pk", flat=True)
            ),
        }
        for domain in framework.domains.all()
    ]


def _rate_all_but(people, left: list[int], framework) -> None:
    """Rate these people's every competency but ``left`` at level 3, as if earlier."""
    from assessments.models import Rating

    Rating.objects.filter(assessment__person__in=people).exclude(competency_id__in=left).update(
        level=framework.levels.get(value=3)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.staff < 1 or not 1 <= args.teams <= args.staff:
        parser.error("need at least one staff member and between 1 and --staff teams")

    import django

    django.setup()
    data = build(staff=args.staff, teams=args.teams)
    args.out.write_text(json.dumps(data, indent=1))
    print(
        f"Loaded {len(data['staff'])} staff with an open assessment each, "
        f"{len(data['leads'])} teams with their leads."
    )


if __name__ == "__main__":
    main()
