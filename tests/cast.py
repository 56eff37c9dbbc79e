"""
The standard cast: a district with a technology team, a district admin, a lead (the
team's lead, a district CTO, who reports to the superintendent), a staff member, a
superintendent and HR.
"""

import datetime
from types import SimpleNamespace

from assessments import workflow
from assessments.models import AuditEvent, District, RoleGrant, Team, User
from assessments.roles import Role

PASSWORD = "a long enough passphrase"


def make_person(district, email, full_name, *roles, team=None, job_role=""):
    person = User.objects.create_user(
        email, PASSWORD, full_name=full_name, district=district, team=team, job_role=job_role
    )
    RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in roles)
    return person


def make_district(slug: str, name: str) -> SimpleNamespace:
    district = District.objects.create(slug=slug, name=name)
    team = Team.objects.create(district=district, name="Technology")
    domain = f"{slug}.example"
    cast = SimpleNamespace(district=district, team=team)
    cast.admin = make_person(district, f"admin@{domain}", f"{name} Admin", Role.ADMIN)
    cast.lead = make_person(
        district, f"cto@{domain}", f"{name} CTO", Role.STAFF, team=team, job_role="district-cto"
    )
    team.lead = cast.lead
    team.save(update_fields=["lead"])
    cast.staff = make_person(
        district,
        f"netadmin@{domain}",
        f"{name} Netadmin",
        Role.STAFF,
        team=team,
        job_role="network-security-admin",
    )
    cast.superintendent = make_person(
        district, f"superintendent@{domain}", f"{name} Superintendent", Role.SUPERINTENDENT
    )
    cast.hr = make_person(district, f"hr@{domain}", f"{name} HR", Role.HR)
    # The CTO leads the team and reports to the superintendent, their reviewer.
    cast.lead.reports_to = cast.superintendent
    cast.lead.save(update_fields=["reports_to"])
    return cast


def open_cycle(cast, framework, *people, title="2026 annual review"):
    """Open a cycle in the cast's district, as its admin, for ``people``."""
    return workflow.open_cycle(
        actor=cast.admin,
        district=cast.district,
        framework=framework,
        title=title,
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
        people=list(people),
    )


def roster_import(cast) -> AuditEvent:
    """The audit event of a roster import of the cast's district (its result page's object)."""
    event, _ = AuditEvent.objects.get_or_create(
        action="roster.imported",
        district=cast.district,
        defaults={"detail": {"filename": "staff.csv", "created": 0, "updated": 0, "unchanged": 0}},
    )
    return event
