"""
Roster CSV import: read an uploaded file, check every row against the district, and
commit the whole file in one transaction or nothing at all.

The file has one header row with the columns ``email, full_name, team, job_role, roles``
and optionally ``reports_to`` (in any order; "Full name" is read as ``full_name``) and one
row per person. ``roles`` holds one or more district roles separated by ";" (``staff;
admin``). ``reports_to`` is the email of whom the person reports to (their reviewer when
they lead their team): someone of the district or of the same file; a file without the
column leaves everyone's as it is. Row numbers are those of a spreadsheet: the header is
row 1.

Decisions:

- **Unknown teams are refused, not created.** A typo would otherwise make a second team
  quietly; teams are created on the Teams page, then the file is uploaded again.
- A person whose email is already in the admin's district is **updated**: their name,
  team, job role and roles become the file's, except HR and superintendent, which only a
  platform admin grants or revokes: a row asking for one the person lacks is an error,
  and a person who holds one keeps it (``people.district_admin_roles``). People who are not in the file are left
  alone (nobody is deactivated by an import).
- An email address that belongs to another district is refused as "already in use",
  without saying where.
- Cells that a spreadsheet could run as a formula (``frameworks.spreadsheet``, leading
  spaces aside) and cells with control characters are refused rather than "defused", so
  nothing odd is stored.
- New people are invited by email: one task is queued once the transaction commits, and
  the task worker queues and sends each invitation, so a file of thousands answers at once.
  The import's audit event names the invitations' batch (``invitations``), whose progress
  ``invitation_progress`` counts.
"""

import csv
import io
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frameworks.spreadsheet import is_formula_like

from . import audit, mail, people, tasks
from .models import AuditEvent, Team, User
from .roles import Role

COLUMNS = ("email", "full_name", "team", "job_role", "roles")
OPTIONAL_COLUMNS = ("reports_to",)
MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000


@dataclass
class Row:
    """One person's row of the file, as read and as checked."""

    number: int  # the spreadsheet row number (the header is row 1)
    cells: dict[str, str]  # the cells as written in the file, by column
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    # What the row means, once checked:
    email: str = ""
    full_name: str = ""
    team: Team | None = None
    job_role: str = ""
    roles: frozenset[str] = frozenset()
    reports_to: str | None = None  # an email; None when the file has no such column
    person: User | None = None  # the person of the district this row updates
    outcome: str = ""  # "create", "update", "unchanged" or "error"


@dataclass
class Preview:
    """What committing the file would do; ``ok`` only when nothing at all is wrong."""

    file_errors: list[str]
    rows: list[Row]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.error_rows

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


def template_csv() -> str:
    """The header row of the file, for a downloadable template."""
    return ",".join((*COLUMNS, *OPTIONAL_COLUMNS)) + "\r\n"


def decode(data: bytes) -> tuple[str, list[str]]:
    """The file's text, or the reasons it cannot be read at all."""
    if len(data) > MAX_BYTES:
        return "", ["The file is larger than 1 MB. Split it into smaller files."]
    if not data.strip():
        return "", ["The file is empty."]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", [
            "The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma "
            "delimited)”."
        ]
    if "\x00" in text:
        return "", ["The file is not a CSV text file."]
    return text, []


def _header_name(cell: str) -> str:
    return "_".join(cell.strip().lower().split())


def parse(text: str) -> tuple[list[Row], list[str]]:
    """Rows of the file by column, or the reasons the file as a whole is refused."""
    try:
        records = [
            (number, cells)
            for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), 1)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as error:
        return [], [f"The file could not be read as CSV: {error}."]
    if not records:
        return [], ["The file is empty."]
    _, header = records[0]
    names = [_header_name(cell) for cell in header]
    problems = []
    missing = [column for column in COLUMNS if column not in names]
    known = (*COLUMNS, *OPTIONAL_COLUMNS)
    unknown = [cell.strip() for cell, name in zip(header, names, strict=True) if name not in known]
    doubled = sorted({name for name in names if name in known and names.count(name) > 1})
    if missing:
        problems.append(f"Missing column(s): {', '.join(missing)}.")
    if unknown:
        problems.append(f"Unknown column(s): {', '.join(unknown)}.")
    if doubled:
        problems.append(f"Column(s) given twice: {', '.join(doubled)}.")
    if problems:
        problems.append(f"The first row must name the columns {', '.join(COLUMNS)}.")
        return [], problems
    if len(records) == 1:
        return [], ["The file has a header row but no people below it."]
    if len(records) - 1 > MAX_ROWS:
        return [], [f"The file has more than {MAX_ROWS} people. Split it into smaller files."]
    rows = []
    for number, cells in records[1:]:
        row = Row(number=number, cells=dict(zip(names, cells, strict=False)))
        for column in COLUMNS:
            row.cells.setdefault(column, "")
        if len(cells) != len(names):
            row.errors.append(
                ("", f"This row has {len(cells)} cells; the header row has {len(names)}.")
            )
        rows.append(row)
    return rows, []


def _cell_problem(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        return "Contains a control character (such as a tab or a line break)."
    if is_formula_like(value.lstrip()):
        return (
            f"Starts with “{value.lstrip()[0]}”: cells that a spreadsheet could run as a "
            "formula are refused."
        )
    return ""


@dataclass
class _District:
    """What every row is checked against, read once for the whole file."""

    actor: User  # the admin importing; the district is theirs
    teams: dict[str, Team]  # the district's teams, by lower-case name
    job_roles: dict[str, str]  # job role codes, by lower-case code or title
    roles: dict[str, str]  # role values, by value or lower-case label
    file_emails: set[str]  # every email of the file's ``email`` column
    existing: dict[str, User]  # the people, of any district, with the file's emails
    first_row_of: dict[str, int] = field(default_factory=dict)  # each email's first row

    @classmethod
    def read(cls, rows: list[Row], actor: User) -> "_District":
        """Four queries: the teams, the job roles, the people with these emails and their roles."""
        job_roles = {}
        for code, title in people.job_role_choices():
            job_roles[code.lower()] = code
            job_roles.setdefault(title.lower(), code)
        roles = {value: value for value in Role.values}
        roles.update({label.lower(): value for value, label in Role.choices})
        file_emails = {people.normalize_email(row.cells["email"]) for row in rows}
        bosses = {people.normalize_email(row.cells.get("reports_to", "")) for row in rows}
        existing = (
            User.objects.filter(email__in=file_emails | bosses)
            .select_related("team", "reports_to")
            .prefetch_related("roles")
        )
        return cls(
            actor=actor,
            teams={t.name.lower(): t for t in Team.objects.filter(district_id=actor.district_id)},
            job_roles=job_roles,
            roles=roles,
            file_emails=file_emails,
            existing={person.email: person for person in existing},
        )

    def check_email(self, row: Row, cells: dict[str, str], bad: set[str]) -> None:
        """A valid address, once in the file, not of another district; sets ``row.person``."""
        row.email = people.normalize_email(cells["email"])
        if "email" in bad:
            return
        if not row.email:
            row.errors.append(("email", "An email address is needed."))
            return
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(("email", "Not a valid email address."))
        else:
            if row.email in self.first_row_of:
                row.errors.append(
                    ("email", f"The same email address is in row {self.first_row_of[row.email]}.")
                )
            person = self.existing.get(row.email)
            if person is not None and person.district_id != self.actor.district_id:
                row.errors.append(("email", people.EMAIL_IN_USE))
            else:
                row.person = person
        self.first_row_of.setdefault(row.email, row.number)

    def check_team(self, row: Row, cells: dict[str, str], bad: set[str]) -> None:
        """A team of the district, by name (unknown teams are refused, not created)."""
        if not cells["team"] or "team" in bad:
            return
        row.team = self.teams.get(" ".join(cells["team"].split()).lower())
        if row.team is None:
            row.errors.append(
                (
                    "team",
                    f"No team named “{cells['team']}” in your district. Create it on the "
                    "Teams page first.",
                )
            )

    def check_job_role(self, row: Row, cells: dict[str, str], bad: set[str]) -> None:
        """A job role of a published framework, by code or title."""
        if not cells["job_role"] or "job_role" in bad:
            return
        row.job_role = self.job_roles.get(cells["job_role"].lower(), "")
        if not row.job_role:
            row.errors.append(
                (
                    "job_role",
                    f"Unknown job role “{cells['job_role']}”. Use one of: "
                    f"{', '.join(sorted(set(self.job_roles.values())))}.",
                )
            )

    def check_roles(self, row: Row, cells: dict[str, str], bad: set[str]) -> None:
        """Known roles, at least one, that a district admin may grant (never to themselves)."""
        if "roles" in bad:
            return
        names = [name.strip() for name in cells["roles"].split(";") if name.strip()]
        unknown = [name for name in names if name.lower() not in self.roles]
        row.roles = frozenset(self.roles[name.lower()] for name in names if name not in unknown)
        if unknown:
            row.errors.append(
                (
                    "roles",
                    f"Unknown role(s): {', '.join(unknown)}. Use {', '.join(Role.values)}, "
                    "separated by “;”.",
                )
            )
        elif not names:
            row.errors.append(("roles", "At least one role is needed, e.g. staff."))
        else:
            self._check_grant(row)

    def _check_grant(self, row: Row) -> None:
        current = {grant.role for grant in row.person.roles.all()} if row.person else set()
        try:
            row.roles = frozenset(people.district_admin_roles(set(row.roles), current))
        except ValidationError as error:
            row.errors.append(("roles", error.messages[0]))
        else:
            if row.person and people.changes_own_roles(self.actor, row.person, row.roles, current):
                row.errors.append(("roles", people.OWN_ROLES))

    def check_reports_to(self, row: Row, cells: dict[str, str], bad: set[str]) -> None:
        """Someone else of the district or of this file (when the file has the column)."""
        if "reports_to" not in cells or "reports_to" in bad:
            return
        row.reports_to = people.normalize_email(cells["reports_to"])
        boss = self.existing.get(row.reports_to)
        in_district = boss is not None and boss.district_id == self.actor.district_id
        if row.reports_to and row.reports_to == row.email:
            row.errors.append(("reports_to", "Nobody reports to themselves."))
        elif row.reports_to and not in_district and row.reports_to not in self.file_emails:
            row.errors.append(
                (
                    "reports_to",
                    f"Nobody with the email “{cells['reports_to']}” in your district or "
                    "in this file.",
                )
            )


def _check_full_name(row: Row, cells: dict[str, str], bad: set[str]) -> None:
    row.full_name = " ".join(cells["full_name"].split())
    if not row.full_name and "full_name" not in bad:
        row.errors.append(("full_name", "A full name is needed."))
    elif len(row.full_name) > 150:
        row.errors.append(("full_name", "At most 150 characters."))


def _check_cells(row: Row) -> tuple[dict[str, str], set[str]]:
    """The row's cells, stripped, and the columns whose cells are refused as they are."""
    columns = [column for column in (*COLUMNS, *OPTIONAL_COLUMNS) if column in row.cells]
    for column in columns:
        problem = _cell_problem(row.cells[column])
        if problem:
            row.errors.append((column, problem))
    bad = {column for column, _ in row.errors}
    return {column: row.cells[column].strip() for column in columns}, bad


def check(rows: list[Row], *, actor: User) -> list[Row]:
    """
    Check every row against the admin's district and say what committing it would do.
    Reads the district's teams, the job roles and the people with the file's emails once.
    """
    district = _District.read(rows, actor)
    for row in rows:
        cells, bad = _check_cells(row)
        district.check_email(row, cells, bad)
        _check_full_name(row, cells, bad)
        district.check_team(row, cells, bad)
        district.check_job_role(row, cells, bad)
        district.check_roles(row, cells, bad)
        district.check_reports_to(row, cells, bad)
        row.errors.sort(key=lambda error: ("", *COLUMNS, *OPTIONAL_COLUMNS).index(error[0]))
        row.outcome = _outcome(row)
    return rows


def _outcome(row: Row) -> str:
    if row.errors:
        return "error"
    person = row.person
    if person is None:
        return "create"
    same = (
        person.full_name == row.full_name
        and person.team_id == (row.team.pk if row.team else None)
        and person.job_role == row.job_role
        and {grant.role for grant in person.roles.all()} == row.roles
        and row.reports_to in (None, person.reports_to.email if person.reports_to_id else "")
    )
    return "unchanged" if same else "update"


def preview(*, actor: User, text: str) -> Preview:
    rows, file_errors = parse(text)
    return Preview(file_errors=file_errors, rows=check(rows, actor=actor) if rows else [])


def _person_fields(row: Row) -> dict:
    """What a file's row says of a person, as the people services take it."""
    return {
        "full_name": row.full_name,
        "team": row.team,
        "job_role": row.job_role,
        "roles": set(row.roles),
        "via": "roster",
    }


def _create_people(result: Preview, *, actor: User, address: str | None) -> list[User]:
    """Create the file's new people (without inviting them yet); return them."""
    created = []
    for row in result.rows:
        if row.outcome == "create":
            row.person = people.create_person(
                actor=actor,
                email=row.email,
                **_person_fields(row),
                invite=False,
                address=address,
            )
            created.append(row.person)
    return created


def _apply_changes(result: Preview, *, actor: User, address: str | None) -> None:
    """
    Change the people the file updates, and whom the new ones report to: once they are
    all created, since people may report to someone the same file creates.
    """
    by_email = {
        person.email: person
        for person in User.objects.filter(
            district_id=actor.district_id, email__in={row.reports_to for row in result.rows}
        )
    }
    for row in result.rows:
        if row.outcome == "update" or (row.outcome == "create" and row.reports_to):
            people.apply_changes(
                actor=actor,
                person=row.person,
                **_person_fields(row),
                reports_to=row.person.reports_to
                if row.reports_to is None
                else by_email.get(row.reports_to),
                address=address,
            )


def _invite_once_committed(created: list[User], *, actor: User, batch: str) -> None:
    """
    Invite the new people: one task is queued on commit, which queues each invitation
    (``people.queue_invitations``), so the request writes one row, not one per person.
    """
    ids, inviter = [person.pk for person in created], actor.get_full_name()
    transaction.on_commit(
        lambda: tasks.send_invitations.enqueue(person_ids=ids, inviter=inviter, batch=batch)
    )


@transaction.atomic
def commit(
    *, actor: User, text: str, filename: str, address: str | None = None
) -> tuple[Preview, AuditEvent]:
    """
    Check the file again against the district as it is now, then create and update
    everyone in it, or (if anything at all is wrong) no one. Returns what was done, and
    the import's audit event (which names the batch of its invitations).
    """
    batch = f"roster-{uuid.uuid4().hex}"
    result = preview(actor=actor, text=text)
    if not result.ok:
        problems = len(result.file_errors) + len(result.error_rows)
        raise ValidationError(
            f"Nothing was imported: the file has {problems} problem(s). Correct them and "
            "upload the file again."
        )
    try:
        with transaction.atomic():
            created = _create_people(result, actor=actor, address=address)
            _apply_changes(result, actor=actor, address=address)
    except IntegrityError:
        raise ValidationError(
            "Nothing was imported: someone changed these people while you imported. Upload "
            "the file again."
        ) from None
    if created:
        _invite_once_committed(created, actor=actor, batch=batch)
    event = audit.record(
        None,
        "roster.imported",
        actor=actor,
        address=address,
        district=actor.district,
        filename=filename[:200],
        created=result.count("create"),
        updated=result.count("update"),
        unchanged=result.count("unchanged"),
        invitations=batch,
    )
    return result, event


def invitation_progress(event: AuditEvent) -> dict[str, int]:
    """
    How far the invitations of an import (its ``roster.imported`` event) have gone: how
    many were queued, sent, are still to send, and how many sends failed (each is retried,
    up to ``mail.MAX_ATTEMPTS`` times).
    """
    queued = event.detail["created"]
    counts = DBTaskResult.objects.filter(
        task_path=mail.send_email.module_path,
        args_kwargs__kwargs__batch=event.detail.get("invitations", "-"),
    ).aggregate(
        sent=Count("id", filter=Q(status=TaskResultStatus.SUCCESSFUL)),
        failed_sends=Count("id", filter=Q(status=TaskResultStatus.FAILED)),
    )
    return {"queued": queued, "pending": queued - counts["sent"], **counts}
