"""
District pages: people, teams, the roster import and the audit trail.

District admins manage people and teams; the superintendent, HR and leads read the list
of the people visible to them. Every object is reached through ``assessments.access``:
another district's answers 404, a missing role 403, and the district is always the
signed-in person's own.
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import audit, people, roster
from ..access import DISTRICT_WIDE, get_person_or_404, get_team_or_404, role_required
from ..audit import client_address
from ..forms import (
    AuditFilterForm,
    InviteForm,
    PeopleSearchForm,
    PersonForm,
    RosterCommitForm,
    RosterUploadForm,
    TeamEditForm,
    TeamForm,
)
from ..models import AuditEvent, RoleGrant, Team, User
from ..roles import LEAD, ROLE_NAMES, Role
from .errors import show_errors

PEOPLE_PER_PAGE = 25
EVENTS_PER_PAGE = 50
ROSTER_SESSION_KEY = "district.roster"


# People


@require_safe
@role_required(*DISTRICT_WIDE, LEAD)
def people_list(request):
    search = PeopleSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = (
        User.objects.visible_to(request.user)
        .select_related("team__lead", "reports_to")
        .prefetch_related(Prefetch("roles", RoleGrant.objects.order_by("role")))
        .order_by("full_name", "email")
    )
    if query:
        found = found.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    job_roles = dict(people.job_role_choices())
    for person in page:
        person.job_role_title = job_roles.get(person.job_role, person.job_role)
        person.role_names = [ROLE_NAMES[grant.role] for grant in person.roles.all()]
        person.resolved_reviewer = person.reviewer()
    ctx = {
        "page": page,
        "query": query,
        "can_manage": request.user.has_role(Role.ADMIN),
    }
    return render(request, "assessments/administration/people_list.html", ctx)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def person_add(request):
    form = InviteForm(request.POST if request.method == "POST" else None, viewer=request.user)
    if form.is_valid():
        try:
            person = people.invite_person(
                actor=request.user, address=client_address(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # by field where the service names one
        else:
            messages.success(
                request,
                f"{person} was added. Their invitation to {person.email} is queued and will "
                "be emailed shortly.",
            )
            return redirect("administration:people")
    ctx = {"form": form}
    return render(request, "assessments/administration/person_add.html", ctx)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def person_edit(request, pk):
    person = get_person_or_404(request.user, pk, manage=True)
    roles = set(person.roles.values_list("role", flat=True))
    initial = {
        "full_name": person.full_name,
        "team": person.team_id,
        "job_role": person.job_role,
        "reports_to": person.reports_to_id,
        "roles": list(roles),
    }
    form = PersonForm(
        request.POST if request.method == "POST" else None, initial=initial, viewer=request.user
    )
    saved = _save_changes(
        request,
        form,
        people.update_person,
        what=lambda: f"{person}",
        to="administration:people",
        person=person,
    )
    if saved:
        return saved
    ctx = {
        "person": person,
        "form": form,
        "is_self": person.pk == request.user.pk,
        "reviewer": person.reviewer(),
        # Shown read-only: saving the form keeps them (people.district_admin_roles).
        "platform_roles": [ROLE_NAMES[role] for role in sorted(roles & people.PLATFORM_ROLES)],
    }
    return render(request, "assessments/administration/person_edit.html", ctx)


def _save_changes(request, form, update, *, what, to: str, **keys):
    """
    The shared shape of the edit pages: when ``form`` is valid, ``update`` (a service that
    returns the names of what changed) saves it; say what changed and return the redirect
    to ``to``. None shows the form again, with the service's errors on it. ``what()``
    names the object once saved (a renamed team by its new name).
    """
    if not form.is_valid():
        return None
    try:
        changes = update(
            actor=request.user, address=client_address(request), **keys, **form.cleaned_data
        )
    except ValidationError as error:
        form.add_error(None, error)  # by field where the service names one
        return None
    if changes:
        messages.success(request, f"Saved {what()}: changed {', '.join(changes)}.")
    else:
        messages.info(request, f"Nothing changed for {what()}.")
    return redirect(to)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def person_deactivate(request, pk):
    """GET asks for confirmation; only a POST deactivates."""
    return _confirm_activation(
        request,
        pk,
        activate=False,
        change=people.deactivate_person,
        done="was deactivated and can no longer sign in",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def person_reactivate(request, pk):
    """GET asks for confirmation; only a POST reactivates."""
    return _confirm_activation(
        request,
        pk,
        activate=True,
        change=people.reactivate_person,
        done="was reactivated and can sign in again",
    )


def _confirm_activation(request, pk, *, activate: bool, change, done: str):
    """The shared shape of deactivating and reactivating: ``change`` is the service."""
    person = get_person_or_404(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            change(actor=request.user, person=person, address=client_address(request))
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, f"{person} {done}.")
        return redirect("administration:people")
    ctx = {"person": person, "activate": activate}
    return render(request, "assessments/administration/person_confirm.html", ctx)


@require_POST
@role_required(Role.ADMIN)
def person_invite(request, pk):
    person = get_person_or_404(request.user, pk, manage=True)
    try:
        people.resend_invitation(actor=request.user, person=person, address=client_address(request))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, f"A new invitation to {person.email} is queued and will be emailed shortly."
        )
    return redirect("administration:person_edit", pk=person.pk)


# Teams


@require_safe
@role_required(Role.ADMIN)
def team_list(request):
    teams = (
        Team.objects.manageable_by(request.user)
        .select_related("lead")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    ctx = {"teams": teams}
    return render(request, "assessments/administration/team_list.html", ctx)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def team_add(request):
    form = TeamForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            team = people.create_team(
                actor=request.user, address=client_address(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # by field where the service names one
        else:
            messages.success(request, f"Team {team} was created.")
            return redirect("administration:teams")
    ctx = {"form": form}
    return render(request, "assessments/administration/team_add.html", ctx)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def team_edit(request, pk):
    team = get_team_or_404(request.user, pk, manage=True)
    form = TeamEditForm(
        request.POST if request.method == "POST" else None,
        initial={"name": team.name, "lead": team.lead_id},
        viewer=request.user,
    )
    saved = _save_changes(
        request,
        form,
        people.update_team,
        what=lambda: f"team {team}",
        to="administration:teams",
        team=team,
    )
    if saved:
        return saved
    ctx = {"team": team, "form": form}
    return render(request, "assessments/administration/team_edit.html", ctx)


# Roster import


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def roster_upload(request):
    """
    Step 1: upload. The file's text is kept in the session (never in form fields that the
    browser could change) until the admin commits it or uploads another.
    """
    form = RosterUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    file_errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        text, file_errors = roster.decode(upload.read(roster.MAX_BYTES + 1))
        if not file_errors:
            request.session[ROSTER_SESSION_KEY] = {
                "district": request.user.district_id,
                "filename": upload.name,
                "text": text,
                "token": secrets.token_urlsafe(16),
            }
            return redirect("administration:roster_preview")
    ctx = {
        "form": form,
        "file_errors": file_errors,
        "columns": (*roster.COLUMNS, *roster.OPTIONAL_COLUMNS),
        "roles": people.district_admin_role_choices(),
        "job_roles": people.job_role_choices(),
        "teams": Team.objects.manageable_by(request.user).order_by("name"),
    }
    return render(request, "assessments/administration/roster_upload.html", ctx)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ADMIN)
def roster_preview(request):
    """Step 2: every row's outcome and every error; a POST commits the whole file or nothing."""
    upload = request.session.get(ROSTER_SESSION_KEY)
    if not upload or upload.get("district") != request.user.district_id:
        messages.info(request, "Upload a roster file first.")
        return redirect("administration:roster")
    if request.method == "POST":
        form = RosterCommitForm(request.POST, token=upload["token"])
        if not form.is_valid():
            show_errors(request, form)
            return redirect("administration:roster_preview")
        try:
            _, event = roster.commit(
                actor=request.user,
                text=upload["text"],
                filename=upload["filename"],
                address=client_address(request),
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            del request.session[ROSTER_SESSION_KEY]
            return redirect("administration:roster_imported", pk=event.pk)
    preview = roster.preview(actor=request.user, text=upload["text"])
    ctx = {
        "filename": upload["filename"],
        "token": upload["token"],
        "preview": preview,
        "columns": (*roster.COLUMNS, *roster.OPTIONAL_COLUMNS),
        "counts": {
            "create": preview.count("create"),
            "update": preview.count("update"),
            "unchanged": preview.count("unchanged"),
            "error": len(preview.error_rows),
        },
    }
    return render(request, "assessments/administration/roster_preview.html", ctx)


@require_safe
@role_required(Role.ADMIN)
def roster_imported(request, pk):
    """Step 3: what an import saved, and how far the sending of its invitations has gone."""
    imports = AuditEvent.objects.visible_to(request.user).filter(action="roster.imported")
    event = get_object_or_404(imports, pk=pk)
    ctx = {"event": event, "progress": roster.invitation_progress(event)}
    return render(request, "assessments/administration/roster_imported.html", ctx)


@require_safe
@role_required(Role.ADMIN)
def roster_template(request):
    response = HttpResponse(roster.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response


# Audit trail


@require_safe
@role_required(Role.ADMIN)
def audit_list(request):
    events = AuditEvent.objects.visible_to(request.user)
    actions = list(events.order_by("action").values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, viewer=request.user, actions=actions)
    if form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            person = data["person"]
            events = events.filter(
                Q(actor=person) | Q(object_type="user", object_id=str(person.pk))
            )
        if data["action"]:
            events = events.filter(action=data["action"])
        # Whole days in the portal's time zone, as ranges of ``at`` (so its index is used).
        if data["since"]:
            events = events.filter(at__gte=_start_of(data["since"]))
        if data["until"]:
            events = events.filter(at__lt=_start_of(data["until"] + timedelta(days=1)))
    elif form.is_bound:
        events = events.none()
    page = Paginator(events.order_by("-at", "-id"), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit.name_objects(page, district_id=request.user.district_id)
    for event in page:
        event.action_label = audit.action_label(event.action)
        event.detail_items = [(key, _as_text(value)) for key, value in event.detail.items()]
    ctx = {"form": form, "page": page}
    return render(request, "assessments/administration/audit_list.html", ctx)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
