"""
The journeys of the other roles, in a real browser, with axe-core on every page visited:
the lead reviews and finalizes, the staff member acknowledges, HR downloads the official
PDF; the superintendent finalizes the CTO's review, the CTO acknowledges and HR's PDF is
version 2 with the acknowledgment; the superintendent opens the district report, a
district admin imports a roster.
"""

import hashlib

import pytest

from assessments import workflow
from assessments.models import Assessment, AuditEvent, User
from assessments.workflow import RatingChange
from frameworks.models import RoleTarget
from reports import gaps
from tests.cast import make_district, open_cycle
from tests.reports.helpers import pdf_text

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def district(transactional_db, shipped_framework):
    cast = make_district("northfield", "Northfield")
    assessment = open_cycle(cast, shipped_framework, cast.staff).assessments.get()
    changes = [RatingChange(r.competency_id, level=3) for r in assessment.ratings.all()]
    assessment = workflow.save_ratings(
        person=cast.staff, assessment=assessment, version=assessment.version, changes=changes
    )
    cast.assessment = workflow.submit(
        person=cast.staff, assessment=assessment, version=assessment.version
    )
    return cast


def test_review_finalize_acknowledge_and_hr_download(page, district):
    assessment = district.assessment
    staff_name = district.staff.get_full_name()

    # The lead reviews from their home page and finalizes.
    sign_in(page, district.lead)
    page.get_by_role("link", name=f"{staff_name} — 2026 annual review").click()
    assert_accessible(page)
    first = assessment.ratings.order_by("competency__domain__position", "competency__position")[0]
    page.locator(f"#reviewer-level-{first.competency_id}-2").check()
    page.get_by_label("Overall comment").fill("A strong year; keep going with the drills.")
    for domain in assessment.cycle.framework.domains.all():
        page.get_by_role("button", name=f"Agree with all self-ratings in {domain.title}").click()
        page.get_by_text("you agreed with").wait_for()
    page.get_by_role("button", name="Save and review before finalizing").click()
    page.get_by_text("cannot be undone").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Finalize as the official record").click()
    page.get_by_text("is finalized").wait_for()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINALIZED

    # The staff member reads it and acknowledges it.
    sign_in(page, district.staff)
    page.goto(f"/assessments/{assessment.pk}/")
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Read and agreed.")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("your acknowledgment is recorded").wait_for()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.ACKNOWLEDGED

    # HR downloads the official PDF: exactly the file stored at finalization.
    sign_in(page, district.hr)
    page.get_by_role("link", name="Official reports", exact=True).click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the official PDF of {staff_name}").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == assessment.official_reports.get(version=2).sha256
    assert AuditEvent.objects.filter(action="report.downloaded", actor=district.hr).exists()


def test_superintendent_finalizes_the_cto_who_acknowledges_and_hr_gets_version_2(page, district):
    """The CTO leads the team and reports to the superintendent, their reviewer."""
    cto = district.lead
    mine = workflow.add_participant(
        actor=district.admin, cycle=district.assessment.cycle, person=cto
    )
    changes = [RatingChange(r.competency_id, level=4) for r in mine.ratings.all()]
    mine = workflow.save_ratings(person=cto, assessment=mine, version=mine.version, changes=changes)
    mine = workflow.submit(person=cto, assessment=mine, version=mine.version)

    sign_in(page, district.superintendent)
    page.get_by_role("link", name=f"{cto.get_full_name()} — 2026 annual review").click()
    assert_accessible(page)
    for domain in mine.cycle.framework.domains.all():
        page.get_by_role("button", name=f"Agree with all self-ratings in {domain.title}").click()
        page.get_by_text("you agreed with").wait_for()
    page.get_by_role("button", name="Save and review before finalizing").click()
    page.get_by_text("cannot be undone").wait_for()
    page.get_by_role("button", name="Finalize as the official record").click()
    page.get_by_text("is finalized").wait_for()
    mine.refresh_from_db()
    assert (mine.status, mine.reviewer) == (Assessment.Status.FINALIZED, district.superintendent)

    sign_in(page, cto)
    page.goto(f"/assessments/{mine.pk}/")
    page.get_by_label("Your comment").fill("Thank you; the plan is right.")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("your acknowledgment is recorded").wait_for()
    assert_accessible(page)

    sign_in(page, district.hr)
    page.get_by_role("link", name="Official reports", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the official PDF of {cto.get_full_name()}").click()
    content = download.value.path().read_bytes()
    assert hashlib.sha256(content).hexdigest() == mine.official_reports.get(version=2).sha256
    text = pdf_text(content)
    assert "Thank you; the plan is right." in text
    assert "Acknowledged by the person" in text and district.superintendent.full_name in text


def test_superintendent_opens_the_district_report(page, district):
    # The one submitted assessment rates 3 everywhere: readiness is Σ min(3, target) ÷ Σ
    # target over the targets of the staff member's job role.
    targets = list(
        RoleTarget.objects.filter(role=district.assessment.role_profile).values_list(
            "target__value", flat=True
        )
    )
    readiness = gaps.percent(sum(min(3, t) for t in targets), sum(targets))
    assert readiness not in (0, 100)  # a figure that only this data gives

    sign_in(page, district.superintendent)
    page.get_by_role("link", name="District report", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "District report: Northfield"
    total = page.locator("table.district-readiness tr.district-total")
    assert total.locator("th").inner_text() == "Whole district"
    assert total.locator("td").last.inner_text() == f"{readiness}%"
    assert_accessible(page)


def test_district_admin_imports_a_roster(page, district, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "email,full_name,team,job_role,roles\r\n"
        "ada@northfield.example,Ada Lovelace,Technology,tech-support-specialist,staff\r\n"
        "grace@northfield.example,Grace Hopper,Technology,network-security-admin,staff\r\n",
        encoding="utf-8",
    )
    sign_in(page, district.admin)
    page.get_by_role("link", name="Roster import").click()
    assert_accessible(page)
    page.get_by_label("Roster CSV file").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import 2 rows").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_load_state()
    assert set(
        User.objects.filter(
            email__in=["ada@northfield.example", "grace@northfield.example"]
        ).values_list("full_name", flat=True)
    ) == {"Ada Lovelace", "Grace Hopper"}
    assert AuditEvent.objects.filter(action="roster.imported", actor=district.admin).exists()
