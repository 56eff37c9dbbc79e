"""Roster CSV import: upload → preview of every row → one all-or-nothing commit."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import roster
from assessments.models import AuditEvent, User
from tests.taskqueue import committing, queued, run_queued_tasks

pytestmark = pytest.mark.django_db

HEADER = "email,full_name,team,job_role,roles\n"
GOOD = (
    HEADER
    + "new.one@northfield.example,New One,Technology,tech-support-specialist,staff\n"
    + "New.Two@Northfield.example,New Two,,Data Privacy & Compliance Lead,staff; Admin\n"
    + "netadmin@northfield.example,Northfield Netadmin,Technology,district-cto,staff;admin\n"
    + "hr@northfield.example,Northfield HR,,,hr\n"
)


def upload(client, content: bytes | str, name="roster.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("administration:roster"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def commit(client):
    token = client.session.get("district.roster", {}).get("token", "")
    return client.post(reverse("administration:roster_preview"), {"token": token})


def people_count():
    return User.objects.count()


def test_template_csv_has_the_columns(admin_a):
    response = admin_a.get(reverse("administration:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.text.strip() == "email,full_name,team,job_role,roles,reports_to"


def test_a_good_file_previews_every_row_then_imports_it(admin_a, a, b):
    before = people_count()
    response = upload(admin_a, GOOD)
    assert response.status_code == 302 and response.url == reverse("administration:roster_preview")

    preview = admin_a.get(reverse("administration:roster_preview")).text
    assert "4 rows: 2 to add and invite, 1 to update, 1 unchanged, 0 with errors." in preview
    assert preview.count("Will add and invite") == 2
    assert preview.count("Will update") == 1
    assert people_count() == before  # the preview changes nothing

    with committing():
        response = commit(admin_a)
    assert response.status_code == 302
    imported = AuditEvent.objects.get(action="roster.imported")
    assert response.url == reverse("administration:roster_imported", args=[imported.pk])
    assert people_count() == before + 2
    one = User.objects.get(email="new.one@northfield.example")
    two = User.objects.get(email="new.two@northfield.example")
    assert (one.district, one.team, one.job_role) == (a.district, a.team, "tech-support-specialist")
    assert (two.team, two.job_role) == (None, "data-privacy-lead")
    assert set(two.roles.values_list("role", flat=True)) == {"staff", "admin"}
    assert not one.has_usable_password()
    a.staff.refresh_from_db()
    assert a.staff.job_role == "district-cto"
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff", "admin"}

    assert run_queued_tasks() == 1 + 2  # the import's task, then each invitation
    assert sorted(m.to[0] for m in mail.outbox) == [
        "new.one@northfield.example",
        "new.two@northfield.example",
    ]
    assert imported.district == a.district and imported.actor == a.admin
    batch = imported.detail.pop("invitations")
    assert batch.startswith("roster-")
    assert imported.detail == {"filename": "roster.csv", "created": 2, "updated": 1, "unchanged": 1}
    assert AuditEvent.objects.filter(action="person.invited", detail__via="roster").count() == 2
    assert (
        AuditEvent.objects.filter(action="person.roles_changed", detail__via="roster").count() == 1
    )

    # The upload is forgotten: posting again imports nothing twice.
    response = commit(admin_a)
    assert response.status_code == 302 and response.url == reverse("administration:roster")
    assert people_count() == before + 2


def test_a_preview_left_open_never_imports_a_newer_upload(admin_a, a):
    """The Import button names the upload it was shown for; a stale or missing one is
    refused with a message, and nothing is imported."""
    upload(admin_a, HEADER + "first@northfield.example,First,,,staff\n")
    stale = admin_a.session["district.roster"]["token"]
    upload(admin_a, HEADER + "second@northfield.example,Second,,,staff\n")
    before = people_count()
    for posted in ({"token": stale}, {}):
        response = admin_a.post(reverse("administration:roster_preview"), posted, follow=True)
        assert "That preview is out of date. Check this one and import again." in response.text
        assert "second@northfield.example" in response.text  # the newer upload's preview
    assert people_count() == before
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


def test_the_import_is_audited_with_the_admins_address(client, a):
    client.defaults["REMOTE_ADDR"] = "198.51.100.21"
    client.force_login(a.admin)
    upload(client, HEADER + "first@northfield.example,First,,,staff\n")
    assert commit(client).status_code == 302
    events = AuditEvent.objects.filter(action__in=["roster.imported", "person.invited"])
    assert {(e.action, e.actor, e.address) for e in events} == {
        ("roster.imported", a.admin, "198.51.100.21"),
        ("person.invited", a.admin, "198.51.100.21"),
    }


MANY = 300


def test_a_large_roster_is_saved_at_once_and_its_invitations_are_queued(admin_a, a, b):
    rows = "".join(f"person{n}@northfield.example,Person {n},,,staff\n" for n in range(MANY))
    upload(admin_a, HEADER + rows)
    with committing():
        response = commit(admin_a)
    assert mail.outbox == []  # nothing is sent within the request
    assert User.objects.filter(email__startswith="person", district=a.district).count() == MANY
    task = queued("assessments.tasks.send_invitations").get()  # one write, not one per person
    assert task.status == "READY" and len(task.args_kwargs["kwargs"]["person_ids"]) == MANY

    page = admin_a.get(response.url)
    assert "300 invitations queued, 0 sent, 300 still to send." in page.text

    assert run_queued_tasks() == 1 + MANY
    assert len(mail.outbox) == MANY
    assert queued("assessments.mail.send_email").filter(status="SUCCESSFUL").count() == MANY
    assert "300 invitations queued, 300 sent." in admin_a.get(response.url).text

    b_admin = admin_a
    b_admin.force_login(b.admin)
    assert b_admin.get(response.url).status_code == 404  # another district's import


BAD_FILES = {
    "wrong columns": (
        "email,name,team,job_role,roles\nx@northfield.example,X,,,staff\n",
        ["Missing column(s): full_name.", "Unknown column(s): name."],
    ),
    "missing columns": ("email,full_name\nx@northfield.example,X\n", ["Missing column(s): team"]),
    "unknown team": (
        HEADER + "x@northfield.example,X,Facilities,,staff\n",
        ["Row 2", "column <code>team</code>", "No team named “Facilities” in your district"],
    ),
    "unknown role": (
        HEADER + "x@northfield.example,X,,,staff;wizard\n",
        ["Row 2", "column <code>roles</code>", "Unknown role(s): wizard."],
    ),
    "unknown job role": (
        HEADER + "x@northfield.example,X,,janitor,staff\n",
        ["Row 2", "column <code>job_role</code>", "Unknown job role “janitor”."],
    ),
    "no role": (HEADER + "x@northfield.example,X,,,\n", ["At least one role is needed"]),
    "duplicate email": (
        HEADER + "x@northfield.example,X,,,staff\nX@Northfield.example,X again,,,staff\n",
        ["Row 3", "The same email address is in row 2."],
    ),
    "email of another district": (
        HEADER + "y@northfield.example,Y,,,staff\nnetadmin@riverside.example,Z,,,staff\n",
        ["Row 3", "column <code>email</code>", "This email address is already in use."],
    ),
    "formula =": (
        HEADER + 'x@northfield.example,"=HYPERLINK(""http://evil"")",,,staff\n',
        ["column <code>full_name</code>", "Starts with “=”"],
    ),
    "formula +": (HEADER + "x@northfield.example,+1,,,staff\n", ["Starts with “+”"]),
    "formula -": (HEADER + "x@northfield.example,X,-2+3,,staff\n", ["Starts with “-”"]),
    "formula @": (HEADER + "x@northfield.example,@SUM(A1),,,staff\n", ["Starts with “@”"]),
    "formula fullwidth ＝": (HEADER + "x@northfield.example,＝1+1,,,staff\n", ["Starts with “＝”"]),
    "control character": (
        HEADER + "x@northfield.example,\tX,,,staff\n",
        ["Contains a control character"],
    ),
    "bad email": (HEADER + "not-an-email,X,,,staff\n", ["Not a valid email address."]),
    "short row": (HEADER + "x@northfield.example,X,,\n", ["This row has 4 cells"]),
    "header only": (HEADER, ["The file has a header row but no people below it."]),
    "blank lines only": ("\n\n  \n", ["The file is empty."]),
    "non-UTF-8": (
        (HEADER + "x@northfield.example,José Müller,,,staff\n").encode("latin-1"),
        ["The file is not UTF-8 text."],
    ),
    "binary": (b"\x00\x01\x02PK\x03\x04" * 10, ["The file is not a CSV text file."]),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message_and_no_one_is_created(admin_a, a, b, case):
    content, expected = BAD_FILES[case]
    before = people_count()
    response = upload(admin_a, content)
    page = response.text
    if response.status_code == 302:
        page = admin_a.get(response.url).text
    for text in expected:
        assert text in page, case
    assert "riverside" not in page.lower().replace("riverside.example", "")
    assert 'name="token"' not in page  # no import button
    commit(admin_a)  # a forced commit is refused too
    assert people_count() == before
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


def test_a_file_over_1_mb_is_refused(admin_a, a, settings):
    before = people_count()
    big = HEADER + ("x@northfield.example,X,,,staff\n" * 70_000)  # about 2 MB
    assert 1024 * 1024 < len(big) < settings.REQUEST_MAX_BYTES
    response = upload(admin_a, big)
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.text
    # Over the request cap it is refused before the portal reads it (tests/security).
    assert upload(admin_a, big * 6).status_code == 413
    assert "district.roster" not in admin_a.session
    assert people_count() == before


def test_an_empty_file_is_refused(admin_a, a):
    response = upload(admin_a, b"")
    assert response.status_code == 200
    assert "The submitted file is empty." in response.text


def test_every_error_of_every_row_is_listed(admin_a, a):
    content = (
        HEADER
        + "ok@northfield.example,OK,Technology,,staff\n"
        + "bad,=cmd,Nowhere,janitor,wizard\n"
    )
    upload(admin_a, content)
    page = admin_a.get(reverse("administration:roster_preview")).text
    assert "Will add and invite" in page  # the good row still shows its outcome
    for column in ("email", "full_name", "team", "job_role", "roles"):
        assert f"Row 3</a>, column <code>{column}</code>" in page


def test_the_file_is_checked_again_at_commit(admin_a, a, b):
    upload(admin_a, HEADER + "late@northfield.example,Late,,,staff\n")
    assert "Will add and invite" in admin_a.get(reverse("administration:roster_preview")).text
    User.objects.create_user("late@northfield.example", district=b.district)  # meanwhile, in B
    response = commit(admin_a)
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "This email address is already in use." in response.text
    assert not User.objects.filter(email="late@northfield.example", district=a.district).exists()


def test_a_stale_token_imports_nothing(admin_a, a):
    upload(admin_a, HEADER + "x@northfield.example,X,,,staff\n")
    response = admin_a.post(reverse("administration:roster_preview"), {"token": "forged"})
    assert response.status_code == 302
    assert not User.objects.filter(email="x@northfield.example").exists()


def test_an_upload_is_kept_for_its_own_district_only(client, a, b):
    client.force_login(a.admin)
    upload(client, HEADER + "x@northfield.example,X,,,staff\n")
    client.force_login(b.admin)  # a new session: nothing of A's upload is left
    response = client.get(reverse("administration:roster_preview"))
    assert response.status_code == 302 and response.url == reverse("administration:roster")


@pytest.mark.parametrize("roles", ["staff", "admin;staff"])
def test_the_importing_admin_cannot_change_their_own_roles(admin_a, a, roles):
    upload(admin_a, HEADER + f"admin@northfield.example,Northfield Admin,,,{roles}\n")
    page = admin_a.get(reverse("administration:roster_preview")).text
    assert "You cannot change your own roles; ask another district admin." in page
    commit(admin_a)
    assert set(a.admin.roles.values_list("role", flat=True)) == {"admin"}


def test_the_importing_admin_may_list_themselves_unchanged(admin_a, a):
    upload(admin_a, HEADER + "admin@northfield.example,Northfield Admin,,,admin\n")
    page = admin_a.get(reverse("administration:roster_preview")).text
    assert "your own roles" not in page


@pytest.mark.parametrize(
    ("row", "whom"),
    [
        ("new@northfield.example,New Person,,,staff; HR", "new"),
        (
            "netadmin@northfield.example,Northfield Netadmin,Technology,,staff;superintendent",
            "staff",
        ),
        ("admin@northfield.example,Northfield Admin,,,admin;hr", "admin"),
    ],
)
def test_a_row_granting_hr_or_superintendent_is_refused(admin_a, a, row, whom):
    upload(admin_a, HEADER + row + "\n")
    page = admin_a.get(reverse("administration:roster_preview")).text
    assert "Row 2" in page and "column <code>roles</code>" in page
    assert "Only a platform admin grants HR or superintendent; ask yours." in page
    before = people_count()
    commit(admin_a)
    assert people_count() == before
    assert set(a.staff.roles.values_list("role", flat=True)) == {"staff"}
    assert set(a.admin.roles.values_list("role", flat=True)) == {"admin"}
    assert not AuditEvent.objects.exclude(action="signin").exists()


def test_hr_and_superintendent_are_kept_when_a_row_lists_other_roles(admin_a, a):
    upload(
        admin_a,
        HEADER
        + "hr@northfield.example,Northfield HR,Technology,,staff\n"
        + "superintendent@northfield.example,Northfield Superintendent,,,superintendent\n",
    )
    page = admin_a.get(reverse("administration:roster_preview")).text
    assert "2 rows: 0 to add and invite, 1 to update, 1 unchanged, 0 with errors." in page
    commit(admin_a)
    assert set(a.hr.roles.values_list("role", flat=True)) == {"hr", "staff"}
    assert set(a.superintendent.roles.values_list("role", flat=True)) == {"superintendent"}
    event = AuditEvent.objects.get(action="person.roles_changed")
    assert event.detail == {"via": "roster", "added": ["staff"], "removed": []}


# The parser, without the web


def test_parse_reads_columns_in_any_order_and_friendly_header_names():
    rows, errors = roster.parse("Roles, Full Name ,EMAIL,team,job_role\nstaff,A B,a@x.example,,\n")
    assert errors == []
    assert rows[0].number == 2
    assert rows[0].cells == {
        "roles": "staff",
        "full_name": "A B",
        "email": "a@x.example",
        "team": "",
        "job_role": "",
    }


def test_decode_accepts_a_byte_order_mark():
    text, errors = roster.decode("\ufeff".encode() + HEADER.encode())
    assert errors == [] and text.startswith("email,")


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_spreadsheet():
    rows, errors = roster.parse(HEADER + "\na@x.example,A,,,staff\n")
    assert errors == [] and [row.number for row in rows] == [3]


WITH_REPORTS_TO = (
    "email,full_name,team,job_role,roles,reports_to\n"
    "new.lead@northfield.example,New Lead,,district-cto,staff,superintendent@northfield.example\n"
    "new.member@northfield.example,New Member,,tech-support-specialist,staff,"
    "new.lead@northfield.example\n"
    "cto@northfield.example,Northfield CTO,Technology,district-cto,staff,\n"
)


def test_reports_to_names_someone_of_the_district_or_of_the_file(admin_a, a):
    assert upload(admin_a, WITH_REPORTS_TO).status_code == 302
    with committing():
        assert commit(admin_a).status_code == 302
    new_lead = User.objects.get(email="new.lead@northfield.example")
    assert new_lead.reports_to == a.superintendent
    assert User.objects.get(email="new.member@northfield.example").reports_to == new_lead
    assert User.objects.get(pk=a.lead.pk).reports_to is None  # an empty cell clears it
    assert AuditEvent.objects.filter(action="person.reports_to_changed").count() == 3


def test_a_file_without_reports_to_keeps_everyones(admin_a, a):
    assert (
        upload(
            admin_a,
            HEADER + "cto@northfield.example,Northfield CTO,Technology,district-cto,staff\n",
        ).status_code
        == 302
    )
    preview = admin_a.get(reverse("administration:roster_preview")).text
    assert "No change" in preview
    with committing():
        commit(admin_a)
    assert User.objects.get(pk=a.lead.pk).reports_to == a.superintendent


@pytest.mark.parametrize(
    "boss, message",
    [
        ("cto@northfield.example", "Nobody reports to themselves."),
        ("superintendent@riverside.example", "Nobody with the email"),
        ("nobody@northfield.example", "Nobody with the email"),
    ],
)
def test_a_bad_reports_to_is_refused(admin_a, a, b, boss, message):
    before = people_count()
    row = f"cto@northfield.example,Northfield CTO,Technology,district-cto,staff,{boss}\n"
    upload(admin_a, "email,full_name,team,job_role,roles,reports_to\n" + row)
    assert message in admin_a.get(reverse("administration:roster_preview")).text
    commit(admin_a)
    assert people_count() == before
    assert User.objects.get(pk=a.lead.pk).reports_to == a.superintendent
