"""
People and teams of a district: the writes of the district admin pages.

Each change is one transaction and writes audit events. The district is always the acting
admin's own (``by.district``); objects of another district are refused here as well as by
the forms, so a tampered id changes nothing. New people get an unusable password and an
invitation email (queued once the transaction commits) with a link to choose their password.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from frameworks.models import Framework, RoleProfile

from . import audit, mail
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


def invitation_link(person: User) -> str:
    """The link at which ``person`` chooses their password (``SITE_URL`` + path)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse("accounts:invitation_accept", args=[uid, token])


def invitation_email(person: User, *, inviter: str) -> tuple[str, str]:
    """The subject and body of ``person``'s invitation from ``inviter`` (a name, or "")."""
    district = person.district.name if person.district_id else "your district"
    body = (
        f"Hello {person.get_short_name()},\n\n"
        f"{inviter or 'Your district admin'} has invited you to Skills Portal for "
        f"{district}, where you rate your skills against your job's competency framework.\n\n"
        f"Choose your password here to sign in:\n\n{invitation_link(person)}\n\n"
        "The link works once, for a limited time. If it has expired, ask your district "
        "admin to send a new invitation.\n"
    )
    return "Your invitation to Skills Portal", body


def _inviter(request: HttpRequest) -> str:
    return request.user.get_full_name() if request.user.is_authenticated else ""


def send_invitation(request: HttpRequest, person: User) -> None:
    """
    Queue an email to ``person`` with a link to choose their password (valid for
    PASSWORD_RESET_TIMEOUT), sent once the transaction commits.
    """
    subject, body = invitation_email(person, inviter=_inviter(request))
    mail.send_later(subject=subject, body=body, to=[person.email])


def send_invitations(request: HttpRequest, people: list[User], *, batch: str) -> None:
    """
    Invite many people at once (a roster import): one task is queued on commit, which
    queues each invitation (``queue_invitations``), so the request writes one row, not
    one per person. ``batch`` names the invitations, as in ``mail.send_email``.
    """
    from .tasks import send_invitations as task  # the task module imports this one

    ids, inviter = [person.pk for person in people], _inviter(request)
    transaction.on_commit(lambda: task.enqueue(person_ids=ids, inviter=inviter, batch=batch))


def queue_invitations(*, person_ids: list[int], inviter: str, batch: str) -> None:
    """Queue the invitation of each of these people who has not chosen a password yet."""
    for person in User.objects.filter(pk__in=person_ids, is_active=True).select_related("district"):
        if not person.has_usable_password():
            subject, body = invitation_email(person, inviter=inviter)
            mail.send_later(subject=subject, body=body, to=[person.email], batch=batch)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_team(by: User, team: Team | None) -> None:
    if team is not None and team.district_id != by.district_id:
        raise ValidationError({"team": "Choose a team of your district."})


def check_reports_to(by: User, person: User | None, reports_to: User | None) -> None:
    """Whom a person reports to: someone of the admin's district, never themselves."""
    if reports_to is None:
        return
    if reports_to.district_id != by.district_id:
        raise ValidationError({"reports_to": "Choose a person of your district."})
    if person is not None and reports_to.pk == person.pk:
        raise ValidationError({"reports_to": "Nobody reports to themselves."})


def _check_job_role(job_role: str) -> None:
    if job_role and job_role not in dict(job_role_choices()):
        raise ValidationError({"job_role": "Choose a job role of a published framework."})


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


def changes_own_roles(by: User, person: User, roles: set[str], current: set[str]) -> bool:
    """
    Whether ``by`` would change their own roles. Nobody grants roles to themselves, or
    changes their own at all, so every grant takes a second person. This also keeps a
    district's last admin, who could only remove the role from themselves.
    """
    return person.pk == by.pk and roles != current


def _check_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    return roles


def _create_person(
    request: HttpRequest,
    *,
    by: User,
    email: str,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: set[str],
    via: str,
    reports_to: User | None = None,
    invite: bool = True,
) -> User:
    """
    Create a person and queue their invitation (unless ``invite`` is off: the caller
    invites many at once, see ``send_invitations``).
    """
    roles = district_admin_roles(roles, set())
    person = User(
        email=email,
        full_name=full_name,
        district_id=by.district_id,
        team=team,
        job_role=job_role,
        reports_to=reports_to,
    )
    person.set_unusable_password()
    person.save()
    RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in sorted(roles))
    audit.record(
        request,
        "person.invited",
        obj=person,
        district=by.district,
        via=via,
        roles=sorted(roles),
        team=team.name if team else "",
        job_role=job_role,
        reports_to=reports_to.email if reports_to else "",
    )
    if invite:
        send_invitation(request, person)
    return person


def _apply_changes(
    request: HttpRequest,
    *,
    by: User,
    person: User,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: set[str],
    via: str,
    reports_to: User | None,
) -> list[str]:
    """Change what differs and write one audit event per kind of change; return the kinds."""
    current = set(person.roles.values_list("role", flat=True))
    roles = district_admin_roles(roles, current)
    if changes_own_roles(by, person, roles, current):
        raise ValidationError({"roles": OWN_ROLES})
    changes: list[str] = []
    fields: list[str] = []
    if full_name != person.full_name:
        audit.record(
            request, "person.renamed", obj=person, via=via, old=person.full_name, new=full_name
        )
        person.full_name = full_name
        fields.append("full_name")
        changes.append("name")
    if (team.pk if team else None) != person.team_id:
        old_team = person.team.name if person.team_id else ""
        person.team = team
        fields.append("team")
        audit.record(
            request,
            "person.team_changed",
            obj=person,
            via=via,
            old=old_team,
            new=team.name if team else "",
        )
        changes.append("team")
    if job_role != person.job_role:
        audit.record(
            request,
            "person.job_role_changed",
            obj=person,
            via=via,
            old=person.job_role,
            new=job_role,
        )
        person.job_role = job_role
        fields.append("job_role")
        changes.append("job role")
    if (reports_to.pk if reports_to else None) != person.reports_to_id:
        audit.record(
            request,
            "person.reports_to_changed",
            obj=person,
            via=via,
            old=person.reports_to.email if person.reports_to_id else "",
            new=reports_to.email if reports_to else "",
        )
        person.reports_to = reports_to
        fields.append("reports_to")
        changes.append("reports to")
    if fields:
        person.save(update_fields=fields)
    added, removed = roles - current, current - roles
    if added or removed:
        RoleGrant.objects.filter(person=person, role__in=removed).delete()
        RoleGrant.objects.bulk_create(RoleGrant(person=person, role=role) for role in added)
        audit.record(
            request,
            "person.roles_changed",
            obj=person,
            via=via,
            added=sorted(added),
            removed=sorted(removed),
        )
        changes.append("roles")
    return changes


@transaction.atomic
def invite_person(
    *,
    request: HttpRequest,
    email: str,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: Iterable[str],
    reports_to: User | None = None,
) -> User:
    """
    Add a person to the signed-in admin's district with an unusable password, and email
    them an invitation once the transaction commits. An email address already used in any
    district is refused without saying where.
    """
    by = request.user
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_IN_USE})
    _check_team(by, team)
    _check_job_role(job_role)
    check_reports_to(by, None, reports_to)
    try:
        with transaction.atomic():
            return _create_person(
                request,
                by=by,
                email=email,
                full_name=full_name.strip(),
                team=team,
                job_role=job_role,
                roles=_check_roles(roles),
                via="form",
                reports_to=reports_to,
            )
    except IntegrityError:  # the same address, added a moment ago by someone else
        raise ValidationError({"email": EMAIL_IN_USE}) from None


@transaction.atomic
def update_person(
    *,
    request: HttpRequest,
    person: User,
    full_name: str,
    team: Team | None,
    job_role: str,
    roles: Iterable[str],
    reports_to: User | None = None,
) -> list[str]:
    """Change a person's name, team, job role, roles and whom they report to; returns what
    changed."""
    by = request.user
    if person.district_id != by.district_id:
        raise ValidationError("This person is not in your district.")
    _check_team(by, team)
    _check_job_role(job_role)
    check_reports_to(by, person, reports_to)
    return _apply_changes(
        request,
        by=by,
        person=person,
        full_name=full_name.strip(),
        team=team,
        job_role=job_role,
        roles=_check_roles(roles),
        via="form",
        reports_to=reports_to,
    )


@transaction.atomic
def resend_invitation(*, request: HttpRequest, person: User) -> None:
    """Email a new invitation link to a person who has not chosen a password yet."""
    if person.district_id != request.user.district_id:
        raise ValidationError("This person is not in your district.")
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(f"{person} has already chosen a password or is deactivated.")
    audit.record(request, "person.invitation_resent", obj=person)
    send_invitation(request, person)


@transaction.atomic
def deactivate_person(*, request: HttpRequest, person: User) -> None:
    """
    Stop a person from signing in; they are signed out on their next request (the
    authentication backend refuses inactive accounts). Their work and history stay.
    """
    if person.district_id != request.user.district_id:
        raise ValidationError("This person is not in your district.")
    if person.pk == request.user.pk:
        raise ValidationError("You cannot deactivate yourself; ask another district admin.")
    if not person.is_active:
        return
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit.record(request, "person.deactivated", obj=person)


@transaction.atomic
def reactivate_person(*, request: HttpRequest, person: User) -> None:
    if person.district_id != request.user.district_id:
        raise ValidationError("This person is not in your district.")
    if person.is_active:
        return
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record(request, "person.reactivated", obj=person)


def _check_team_name(by: User, name: str, *, exclude: Team | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A team needs a name."})
    teams = Team.objects.annotate(lower_name=Lower("name")).filter(
        district_id=by.district_id, lower_name=name.lower()
    )
    if exclude is not None:
        teams = teams.exclude(pk=exclude.pk)
    if teams.exists():
        raise ValidationError({"name": TEAM_NAME_IN_USE})
    return name


@transaction.atomic
def create_team(*, request: HttpRequest, name: str) -> Team:
    """Add a team to the signed-in admin's district; names are unique ignoring case."""
    by = request.user
    name = _check_team_name(by, name)
    try:
        with transaction.atomic():
            team = Team.objects.create(district_id=by.district_id, name=name)
    except IntegrityError:  # team_unique_name_in_district, raced by another admin
        raise ValidationError({"name": TEAM_NAME_IN_USE}) from None
    audit.record(request, "team.created", obj=team, district=by.district)
    return team


@transaction.atomic
def update_team(*, request: HttpRequest, team: Team, name: str, lead: User | None) -> list[str]:
    """Rename a team and choose its lead (an active person of the same district)."""
    by = request.user
    if team.district_id != by.district_id:
        raise ValidationError("This team is not in your district.")
    name = _check_team_name(by, name, exclude=team)
    if lead is not None and (lead.district_id != by.district_id or not lead.is_active):
        raise ValidationError({"lead": "Choose an active person of your district."})
    if lead is not None and lead.pk == by.pk and team.lead_id != by.pk:
        raise ValidationError({"lead": OWN_LEAD})
    changes: list[str] = []
    fields: list[str] = []
    if name != team.name:
        audit.record(request, "team.renamed", obj=team, old=team.name, new=name)
        team.name = name
        fields.append("name")
        changes.append("name")
    if (lead.pk if lead else None) != team.lead_id:
        old_lead = team.lead.email if team.lead_id else ""
        team.lead = lead
        fields.append("lead")
        audit.record(
            request, "team.lead_changed", obj=team, old=old_lead, new=lead.email if lead else ""
        )
        changes.append("lead")
    if fields:
        try:
            with transaction.atomic():
                team.save(update_fields=fields)
        except IntegrityError:  # team_unique_name_in_district, raced by another admin
            raise ValidationError({"name": TEAM_NAME_IN_USE}) from None
    return changes
