"""
People and teams of a district: the writes of the district admin pages.

Each change is one transaction and writes audit events. The district is always the acting
admin's own (``actor.district``); objects of another district are refused here as well as by
the forms, so a tampered id changes nothing. New people get an unusable password and an
invitation email (queued once the transaction commits) with a link to choose their password.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower

from frameworks.models import Framework, RoleProfile

from . import audit, notifications
from .models import RoleGrant, Team, User
from .roles import Role

EMAIL_IN_USE = "This email address is already in use."
OWN_ROLES = "You cannot change your own roles; ask another district admin."
OWN_LEAD = "You cannot make yourself a team's lead; ask another district admin."
PLATFORM_ONLY = "Only a platform admin grants HR or superintendent; ask yours."
# The roles that read every evaluation of a district: granted and revoked by a platform
# admin only, in the Django admin (see ``assessments.admin``), never by a district admin.
PLATFORM_ROLES = frozenset({Role.HR, Role.SUPERINTENDENT})
TEAM_NAME_IN_USE = "Your district already has a team with this name."


def job_role_choices() -> list[tuple[str, str]]:
    """
    The job roles a person may hold: the distinct (code, title) pairs of the role profiles
    of published frameworks, by title. Where two versions title one code differently, the
    first title wins.
    """
    pairs = (
        RoleProfile.objects.filter(framework__status=Framework.Status.PUBLISHED)
        .order_by("title", "code")
        .values_list("code", "title")
        .distinct()
    )
    choices: dict[str, str] = {}
    for code, title in pairs:
        choices.setdefault(code, title)
    return list(choices.items())


def queue_invitations(*, person_ids: list[int], inviter: str, batch: str) -> None:
    """
    Queue the invitation of each of these people who has not chosen a password yet (the
    task of a roster import, ``tasks.send_invitations``, runs this).
    """
    for person in User.objects.filter(pk__in=person_ids, is_active=True).select_related("district"):
        if not person.has_usable_password():
            notifications.invitation(person, inviter=inviter, batch=batch)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_team(actor: User, team: Team | None) -> None:
    if team is not None and team.district_id != actor.district_id:
        raise ValidationError({"team": "Choose a team of your district."})


def check_reports_to(actor: User, person: User | None, reports_to: User | None) -> None:
    """Whom a person reports to: someone of the admin's district, never themselves."""
    if reports_to is None:
        return
    if reports_to.district_id != actor.district_id:
        raise ValidationError({"reports_to": "Choose a person of your district."})
    if person is not None and reports_to.pk == person.pk:
        raise ValidationError({"reports_to": "Nobody reports to themselves."})


def _check_job_role(job_role: str) -> None:
    if job_role and job_role not in dict(job_role_choices()):
        raise ValidationError({"job_role": "Choose a job role of a published framework."})


def _check_in_district(actor: User, person: User) -> None:
    if person.district_id != actor.district_id:
        raise ValidationError("This person is not in your district.")


def district_admin_roles(roles: set[str], current: set[str]) -> set[str]:
    """
    The roles a person holding ``current`` ends up with when a district admin asks for
    ``roles``. HR and superintendent are the platform admin's to grant and revoke: asking
    for one the person does not hold is refused, and those they hold are kept whatever
    was asked (the district forms do not offer them; a roster row may leave them out).
    """
    if (roles & PLATFORM_ROLES) - current:
        raise ValidationError({"roles": PLATFORM_ONLY})
    return (roles - PLATFORM_ROLES) | (current & PLATFORM_ROLES)


def district_admin_role_choices() -> list[tuple[str, str]]:
    """The roles a district admin grants and revokes: every role but ``PLATFORM_ROLES``."""
    return [(value, label) for value, label in Role.choices if value not in PLATFORM_ROLES]


def changes_own_roles(actor: User, person: User, roles: set[str], current: set[str]) -> bool:
    """
    Whether ``actor`` would change their own roles. Nobody grants roles to themselves, or
    changes their own at all, so every grant takes a second person. This also keeps a
    district's last admin, who could only remove the role from themselves.
    """
    return person.pk == actor.pk and roles != current


def _check_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    return roles


def create_person(
    *,
    actor: User,
    email: str,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: set[str],
    via: str,
    reports_to: User | None = None,
    invite: bool = True,
    address: str | None = None,
) -> User:
    """
    Create a person of ``actor``'s district, once the caller has checked the values (the
    form's in ``invite_person``, the file's in ``roster.check``), and queue their
    invitation (unless ``invite`` is off: the roster import invites many at once).
    ``via`` says which ("form" or "roster") in the audit trail.
    """
    roles = district_admin_roles(roles, set())
    person = User(
        email=email,
        full_name=full_name,
        district_id=actor.district_id,
        team=team,
        job_role=job_role,
        reports_to=reports_to,
    )
    person.set_unusable_password()
    person.save()
    RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in sorted(roles))
    audit.record(
        None,
        "person.invited",
        actor=actor,
        address=address,
        obj=person,
        district=actor.district,
        via=via,
        roles=sorted(roles),
        team=team.name if team else "",
        job_role=job_role,
        reports_to=reports_to.email if reports_to else "",
    )
    if invite:
        notifications.invitation(person, inviter=actor.get_full_name())
    return person


# The fields of a person that a district admin changes, in the order their audit events
# are written: the field, its audit action, and the change as named to the admin.
PERSON_FIELDS = (
    ("full_name", "person.renamed", "name"),
    ("team", "person.team_changed", "team"),
    ("job_role", "person.job_role_changed", "job role"),
    ("reports_to", "person.reports_to_changed", "reports to"),
)


def _key(value):
    """What a field holds in its row: an object's id, else the value itself."""
    return value.pk if isinstance(value, models.Model) else value


def _as_audited(value) -> str:
    """A field's value as the audit trail writes it: a team by name, a person by email."""
    if isinstance(value, Team):
        return value.name
    if isinstance(value, User):
        return value.email
    return value or ""


def _change_fields(
    person: User, wanted: dict, *, actor: User, via: str, address: str | None
) -> list[str]:
    """Set each of ``wanted`` that differs, one audit event each; return the changes' names."""
    changed = []
    for field, action, name in PERSON_FIELDS:
        if _key(wanted[field]) == person.serializable_value(field):
            continue
        old, new = _as_audited(getattr(person, field)), _as_audited(wanted[field])
        audit.record(
            None, action, actor=actor, address=address, obj=person, via=via, old=old, new=new
        )
        setattr(person, field, wanted[field])
        changed.append((field, name))
    if changed:
        person.save(update_fields=[field for field, _ in changed])
    return [name for _, name in changed]


def _change_roles(
    person: User,
    roles: set[str],
    current: set[str],
    *,
    actor: User,
    via: str,
    address: str | None,
) -> bool:
    """Grant and revoke what differs, in one audit event; whether anything did."""
    added, removed = roles - current, current - roles
    if not (added or removed):
        return False
    RoleGrant.objects.filter(person=person, role__in=removed).delete()
    RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in added)
    audit.record(
        None,
        "person.roles_changed",
        actor=actor,
        address=address,
        obj=person,
        via=via,
        added=sorted(added),
        removed=sorted(removed),
    )
    return True


def apply_changes(
    *,
    actor: User,
    person: User,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: set[str],
    via: str,
    reports_to: User | None,
    address: str | None = None,
) -> list[str]:
    """
    Change what differs of a person, once the caller has checked the values (the form's
    in ``update_person``, the file's in ``roster.check``), with one audit event per kind
    of change; return the kinds. Nobody changes their own roles.
    """
    current = set(person.roles.values_list("role", flat=True))
    roles = district_admin_roles(roles, current)
    if changes_own_roles(actor, person, roles, current):
        raise ValidationError({"roles": OWN_ROLES})
    wanted = {"full_name": full_name, "team": team, "job_role": job_role, "reports_to": reports_to}
    changes = _change_fields(person, wanted, actor=actor, via=via, address=address)
    if _change_roles(person, roles, current, actor=actor, via=via, address=address):
        changes.append("roles")
    return changes


@transaction.atomic
def invite_person(
    *,
    actor: User,
    email: str,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: Iterable[str],
    reports_to: User | None = None,
    address: str | None = None,
) -> User:
    """
    Add a person to ``actor``'s district (the admin's) with an unusable password, and email
    them an invitation once the transaction commits. An email address already used in any
    district is refused without saying where.
    """
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_IN_USE})
    _check_team(actor, team)
    _check_job_role(job_role)
    check_reports_to(actor, None, reports_to)
    try:
        with transaction.atomic():
            return create_person(
                actor=actor,
                email=email,
                full_name=full_name.strip(),
                team=team,
                job_role=job_role,
                roles=_check_roles(roles),
                via="form",
                reports_to=reports_to,
                address=address,
            )
    except IntegrityError:  # the same address, added a moment ago by someone else
        raise ValidationError({"email": EMAIL_IN_USE}) from None


@transaction.atomic
def update_person(
    *,
    actor: User,
    person: User,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: Iterable[str],
    reports_to: User | None = None,
    address: str | None = None,
) -> list[str]:
    """Change a person's name, team, job role, roles and whom they report to; returns what
    changed."""
    _check_in_district(actor, person)
    _check_team(actor, team)
    _check_job_role(job_role)
    check_reports_to(actor, person, reports_to)
    return apply_changes(
        actor=actor,
        person=person,
        full_name=full_name.strip(),
        team=team,
        job_role=job_role,
        roles=_check_roles(roles),
        via="form",
        reports_to=reports_to,
        address=address,
    )


@transaction.atomic
def resend_invitation(*, actor: User, person: User, address: str | None = None) -> None:
    """Email a new invitation link to a person who has not chosen a password yet."""
    _check_in_district(actor, person)
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(f"{person} has already chosen a password or is deactivated.")
    audit.record(None, "person.invitation_resent", actor=actor, address=address, obj=person)
    notifications.invitation(person, inviter=actor.get_full_name())


@transaction.atomic
def deactivate_person(*, actor: User, person: User, address: str | None = None) -> None:
    """
    Stop a person from signing in; they are signed out on their next request (the
    authentication backend refuses inactive accounts). Their work and history stay.
    """
    _check_in_district(actor, person)
    if person.pk == actor.pk:
        raise ValidationError("You cannot deactivate yourself; ask another district admin.")
    if not person.is_active:
        return
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit.record(None, "person.deactivated", actor=actor, address=address, obj=person)


@transaction.atomic
def reactivate_person(*, actor: User, person: User, address: str | None = None) -> None:
    _check_in_district(actor, person)
    if person.is_active:
        return
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record(None, "person.reactivated", actor=actor, address=address, obj=person)


def _check_team_name(actor: User, name: str, *, exclude: Team | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A team needs a name."})
    teams = Team.objects.annotate(lower_name=Lower("name")).filter(
        district_id=actor.district_id, lower_name=name.lower()
    )
    if exclude is not None:
        teams = teams.exclude(pk=exclude.pk)
    if teams.exists():
        raise ValidationError({"name": TEAM_NAME_IN_USE})
    return name


@transaction.atomic
def create_team(*, actor: User, name: str, address: str | None = None) -> Team:
    """Add a team to ``actor``'s district (the admin's); names are unique ignoring case."""
    name = _check_team_name(actor, name)
    try:
        with transaction.atomic():
            team = Team.objects.create(district_id=actor.district_id, name=name)
    except IntegrityError:  # team_unique_name_in_district, raced by another admin
        raise ValidationError({"name": TEAM_NAME_IN_USE}) from None
    audit.record(
        None, "team.created", actor=actor, address=address, obj=team, district=actor.district
    )
    return team


@transaction.atomic
def update_team(
    *, actor: User, team: Team, name: str, lead: User | None, address: str | None = None
) -> list[str]:
    """Rename a team and choose its lead (an active person of the same district)."""
    if team.district_id != actor.district_id:
        raise ValidationError("This team is not in your district.")
    name = _check_team_name(actor, name, exclude=team)
    if lead is not None and (lead.district_id != actor.district_id or not lead.is_active):
        raise ValidationError({"lead": "Choose an active person of your district."})
    if lead is not None and lead.pk == actor.pk and team.lead_id != actor.pk:
        raise ValidationError({"lead": OWN_LEAD})
    changes: list[str] = []
    fields: list[str] = []
    if name != team.name:
        audit.record(
            None, "team.renamed", actor=actor, address=address, obj=team, old=team.name, new=name
        )
        team.name = name
        fields.append("name")
        changes.append("name")
    if (lead.pk if lead else None) != team.lead_id:
        old_lead = team.lead.email if team.lead_id else ""
        team.lead = lead
        fields.append("lead")
        audit.record(
            None,
            "team.lead_changed",
            actor=actor,
            address=address,
            obj=team,
            old=old_lead,
            new=lead.email if lead else "",
        )
        changes.append("lead")
    if fields:
        try:
            with transaction.atomic():
                team.save(update_fields=fields)
        except IntegrityError:  # team_unique_name_in_district, raced by another admin
            raise ValidationError({"name": TEAM_NAME_IN_USE}) from None
    return changes
