"""The state machine of an assessment, per role: every allowed and refused transition."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from assessments import workflow
from assessments.models import Assessment, AuditEvent, Rating
from assessments.workflow import CLEAR, RatingChange, StaleVersionError
from tests.cast import open_cycle
from tests.taskqueue import run_queued_tasks

pytestmark = pytest.mark.django_db
Status = Assessment.Status


@pytest.fixture
def cycle(a, shipped_framework, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(a, shipped_framework, a.lead, a.staff)
    run_queued_tasks()
    return cycle


@pytest.fixture
def mine(cycle, a) -> Assessment:
    return cycle.assessments.get(person=a.staff)


def rate_all(assessment, level=3) -> Assessment:
    changes = [RatingChange(r.competency_id, level=level) for r in assessment.ratings.all()]
    return workflow.save_ratings(
        person=assessment.person, assessment=assessment, version=assessment.version, changes=changes
    )


def submitted(assessment) -> Assessment:
    assessment = rate_all(assessment)
    return workflow.submit(
        person=assessment.person, assessment=assessment, version=assessment.version
    )


def reviewed(assessment, reviewer, level=2) -> Assessment:
    """The reviewer's level on every competency: ready to finalize."""
    changes = [RatingChange(r.competency_id, level=level) for r in assessment.ratings.all()]
    return workflow.save_review(
        reviewer=reviewer, assessment=assessment, version=assessment.version, changes=changes
    )


def test_opening_a_cycle_freezes_the_framework_and_keeps_each_role(cycle, a, shipped_framework):
    shipped_framework.refresh_from_db()
    assert shipped_framework.is_frozen
    staff = cycle.assessments.get(person=a.staff)
    assert staff.role_profile.code == "network-security-admin"
    assert staff.ratings.count() == shipped_framework.competencies.count()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.lead.email, a.staff.email])
    assert AuditEvent.objects.filter(action="cycle.opened", district=a.district).exists()


def test_a_person_without_a_job_role_cannot_join(a, shipped_framework):
    with pytest.raises(ValidationError, match="no job role"):
        open_cycle(a, shipped_framework, a.hr)


def test_people_of_another_district_cannot_join(a, b, shipped_framework):
    with pytest.raises(ValidationError, match="is not in"):
        open_cycle(a, shipped_framework, b.staff)


def test_saving_moves_the_version_on(mine):
    before = mine.version
    competency = mine.ratings.first().competency_id
    saved = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=before,
        changes=[RatingChange(competency, level=2, note="  ran the drill  ")],
    )
    assert saved.version == before + 1
    rating = Rating.objects.get(assessment=mine, competency_id=competency)
    assert (rating.level.value, rating.note) == (2, "ran the drill")


def test_a_stale_tab_overwrites_nothing(mine):
    competency = mine.ratings.first().competency_id
    loaded = mine.version
    workflow.save_ratings(
        person=mine.person, assessment=mine, version=loaded, changes=[RatingChange(competency, 4)]
    )
    with pytest.raises(StaleVersionError, match="changed elsewhere"):
        workflow.save_ratings(
            person=mine.person,
            assessment=mine,
            version=loaded,
            changes=[RatingChange(competency, 1)],
        )
    assert Rating.objects.get(assessment=mine, competency_id=competency).level.value == 4


def test_a_rating_can_be_cleared(mine):
    competency = mine.ratings.first().competency_id
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(competency, 4)],
    )
    workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(competency, CLEAR)],
    )
    assert Rating.objects.get(assessment=mine, competency_id=competency).level is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: RatingChange(c, level=6), "not a level"),
        (lambda c: RatingChange(c, level=-5), "not a level"),
        (lambda c: RatingChange(999_999, level=2), "not part of this assessment"),
        (lambda c: RatingChange(c, note="x" * 2001), "longer than 2000"),
    ],
)
def test_bad_input_is_refused_whole(mine, change, message):
    first, second = mine.ratings.all()[:2]
    good = RatingChange(first.competency_id, level=3)
    with pytest.raises(ValidationError, match=message):
        workflow.save_ratings(
            person=mine.person,
            assessment=mine,
            version=mine.version,
            changes=[good, change(second.competency_id)],
        )
    assert Rating.objects.get(pk=first.pk).level is None
    assert Assessment.objects.get(pk=mine.pk).version == mine.version


def test_a_competency_of_another_framework_is_refused(mine, shipped_framework):
    from frameworks.services import copy_framework

    other = copy_framework(framework=shipped_framework).competencies.first()
    with pytest.raises(ValidationError, match="not part of this assessment"):
        workflow.save_ratings(
            person=mine.person,
            assessment=mine,
            version=mine.version,
            changes=[RatingChange(other.pk, level=2)],
        )


def test_someone_elses_assessment_cannot_be_rated(mine, a):
    with pytest.raises(ValidationError, match="can no longer be changed"):
        workflow.save_ratings(
            person=a.lead,
            assessment=mine,
            version=mine.version,
            changes=[RatingChange(mine.ratings.first().competency_id, 1)],
        )


def test_the_database_refuses_duplicate_ratings(mine):
    rating = mine.ratings.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=mine, competency_id=rating.competency_id)


def test_submit_needs_every_competency_rated(mine):
    with pytest.raises(ValidationError, match="not rated yet"):
        workflow.submit(person=mine.person, assessment=mine, version=mine.version)
    assert Assessment.objects.get(pk=mine.pk).status == Status.DRAFT


def test_submit_twice_submits_once_and_tells_the_lead_once(
    mine, a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    mine = rate_all(mine)
    version = mine.version
    with django_capture_on_commit_callbacks(execute=True):
        first = workflow.submit(person=mine.person, assessment=mine, version=version)
        second = workflow.submit(person=mine.person, assessment=mine, version=version)
    run_queued_tasks()
    assert first.status == second.status == Status.SUBMITTED
    assert second.version == first.version
    assert AuditEvent.objects.filter(action="assessment.submitted").count() == 1
    assert [m.to for m in mail.outbox] == [[a.lead.email]]


def test_a_submitted_assessment_cannot_be_changed(mine):
    mine = submitted(mine)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        rate_all(mine, level=1)


def test_lead_reviews_apart_from_the_self_rating_and_finalizes(mine, a):
    mine = submitted(mine)
    competency = mine.ratings.first().competency_id
    mine = workflow.save_review(
        reviewer=a.lead,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(competency, level=2, note="Seen in the March outage.")],
        comment="Good year.",
    )
    rating = Rating.objects.get(assessment=mine, competency_id=competency)
    assert (rating.level.value, rating.reviewer_level.value) == (3, 2)
    mine = reviewed(mine, a.lead)
    workflow.finalize(reviewer=a.lead, assessment=mine)
    mine.refresh_from_db()
    assert mine.status == Status.FINALIZED and mine.finalized_at and mine.reviewer == a.lead
    assert mine.review_comment == "Good year."


def test_returned_assessment_is_editable_again(mine, a, django_capture_on_commit_callbacks):
    mine = submitted(mine)
    with django_capture_on_commit_callbacks(execute=True):
        mine = workflow.return_for_revision(reviewer=a.lead, assessment=mine, message="Add notes.")
    run_queued_tasks()
    assert mine.status == Status.RETURNED
    assert mail.outbox[-1].to == [a.staff.email]
    mine = rate_all(mine, level=4)
    assert mine.status == Status.DRAFT
    assert workflow.submit(person=mine.person, assessment=mine, version=mine.version).status == (
        Status.SUBMITTED
    )


def test_return_needs_a_message(mine, a):
    mine = submitted(mine)
    with pytest.raises(ValidationError, match="revised"):
        workflow.return_for_revision(reviewer=a.lead, assessment=mine, message="  ")


@pytest.mark.parametrize("who", ["staff", "superintendent", "hr", "admin"])
def test_only_the_team_lead_reviews(mine, a, who):
    mine = submitted(mine)
    for step in (
        lambda: workflow.finalize(reviewer=getattr(a, who), assessment=mine),
        lambda: workflow.return_for_revision(
            reviewer=getattr(a, who), assessment=mine, message="x"
        ),
    ):
        with pytest.raises(ValidationError):
            step()
    assert Assessment.objects.get(pk=mine.pk).status == Status.SUBMITTED


def test_lead_of_another_district_cannot_review(mine, b):
    mine = submitted(mine)
    with pytest.raises(ValidationError):
        workflow.finalize(reviewer=b.lead, assessment=mine)


def test_nobody_reviews_their_own_assessment(cycle, a):
    own = submitted(cycle.assessments.get(person=a.lead))
    with pytest.raises(ValidationError, match="Nobody reviews their own"):
        workflow.finalize(reviewer=a.lead, assessment=own)


def test_draft_cannot_be_finalized_or_acknowledged(mine, a):
    with pytest.raises(ValidationError, match="submitted"):
        workflow.finalize(reviewer=a.lead, assessment=mine)
    with pytest.raises(ValidationError, match="finalized"):
        workflow.acknowledge(person=a.staff, assessment=mine)


def test_acknowledge_once_with_a_comment(mine, a):
    mine = workflow.finalize(reviewer=a.lead, assessment=reviewed(submitted(mine), a.lead))
    workflow.acknowledge(person=a.staff, assessment=mine, comment="Agreed.")
    workflow.acknowledge(person=a.staff, assessment=mine, comment="Again")
    mine.refresh_from_db()
    assert mine.status == Status.ACKNOWLEDGED and mine.acknowledgment_comment == "Agreed."
    assert AuditEvent.objects.filter(action="assessment.acknowledged").count() == 1


def test_only_the_person_acknowledges(mine, a):
    mine = workflow.finalize(reviewer=a.lead, assessment=reviewed(submitted(mine), a.lead))
    with pytest.raises(ValidationError):
        workflow.acknowledge(person=a.lead, assessment=mine)


def test_finalized_assessment_is_locked(mine, a):
    mine = workflow.finalize(reviewer=a.lead, assessment=reviewed(submitted(mine), a.lead))
    with pytest.raises(ValidationError):
        rate_all(mine, level=1)
    with pytest.raises(ValidationError):
        workflow.save_review(reviewer=a.lead, assessment=mine, version=mine.version, changes=[])


def test_every_step_is_in_the_audit_trail(mine, a):
    mine = submitted(mine)
    mine = workflow.return_for_revision(reviewer=a.lead, assessment=mine, message="More.")
    mine = reviewed(submitted(mine), a.lead)
    mine = workflow.finalize(reviewer=a.lead, assessment=mine)
    workflow.acknowledge(person=a.staff, assessment=mine)
    actions = list(
        AuditEvent.objects.filter(object_type="assessment", object_id=str(mine.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "assessment.submitted",
        "assessment.returned",
        "assessment.submitted",
        "assessment.review_saved",
        "assessment.finalized",
        "assessment.acknowledged",
    ]


def test_a_person_who_joins_later_gets_an_assessment(cycle, a):
    from assessments.models import User

    newcomer = User.objects.create_user(
        "new@northfield.example",
        None,
        district=a.district,
        team=a.team,
        job_role="tech-support-specialist",
    )
    added = workflow.add_participant(actor=a.admin, cycle=cycle, person=newcomer)
    assert added.role_profile.code == "tech-support-specialist"
    with pytest.raises(ValidationError, match="already has"):
        workflow.add_participant(actor=a.admin, cycle=cycle, person=newcomer)
    workflow.close_cycle(actor=a.admin, cycle=cycle)
    other = User.objects.create_user(
        "later@northfield.example", None, district=a.district, job_role="tech-support-specialist"
    )
    with pytest.raises(ValidationError, match="closed"):
        workflow.add_participant(actor=a.admin, cycle=cycle, person=other)


def _write(name: str, assessment: Assessment, a) -> None:
    """One write of the workflow, made by the one person allowed to make it."""
    m = assessment
    steps = {
        "save": lambda: rate_all(m, level=1),
        "submit": lambda: workflow.submit(person=a.staff, assessment=m, version=m.version),
        "save_review": lambda: workflow.save_review(
            reviewer=a.lead, assessment=m, version=m.version, changes=[], comment="Late."
        ),
        "return": lambda: workflow.return_for_revision(reviewer=a.lead, assessment=m, message="x"),
        "finalize": lambda: workflow.finalize(reviewer=a.lead, assessment=m),
        "acknowledge": lambda: workflow.acknowledge(person=a.staff, assessment=m, comment="Read"),
    }
    steps[name]()


@pytest.mark.parametrize(
    "name, ready",
    [
        ("save", "draft"),
        ("submit", "rated"),
        ("save_review", "submitted"),
        ("return", "submitted"),
        ("finalize", "submitted"),
        ("acknowledge", "finalized"),
    ],
)
def test_a_closed_cycle_freezes_its_assessments(mine, a, name, ready):
    """DESIGN: "A closed cycle freezes its assessments": every write is refused, none written."""
    if ready == "rated":
        mine = rate_all(mine)
    elif ready == "submitted":
        mine = reviewed(submitted(mine), a.lead)
    elif ready == "finalized":
        mine = workflow.finalize(reviewer=a.lead, assessment=reviewed(submitted(mine), a.lead))
    workflow.close_cycle(actor=a.admin, cycle=mine.cycle)
    mine = Assessment.objects.get(pk=mine.pk)
    before = (mine.status, mine.version)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="This cycle is closed"):
        _write(name, mine, a)
    mine.refresh_from_db()
    assert (mine.status, mine.version) == before
    assert AuditEvent.objects.count() == events


def test_finalize_is_refused_while_any_reviewer_level_is_missing(mine, a):
    mine = submitted(mine)
    total = mine.ratings.count()
    first = mine.ratings.order_by("pk").first().competency_id
    mine = workflow.save_review(
        reviewer=a.lead,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(first, level=2)],
    )
    with pytest.raises(ValidationError, match=f"{total - 1} of {total} competencies have no"):
        workflow.finalize(reviewer=a.lead, assessment=mine)
    assert Assessment.objects.get(pk=mine.pk).status == Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="assessment.finalized").exists()


def test_agreeing_with_a_domain_takes_the_self_levels_as_the_reviewers_choice(mine, a):
    mine = submitted(mine)  # self level 3 everywhere
    ratings = mine.ratings.select_related("competency__domain").order_by("competency__position")
    domain = ratings.first().competency.domain
    in_domain = [r for r in ratings if r.competency.domain_id == domain.pk]
    kept = in_domain[0]
    mine = workflow.save_review(
        reviewer=a.lead,
        assessment=mine,
        version=mine.version,
        changes=[RatingChange(kept.competency_id, level=1)],
    )
    count = workflow.agree_with_domain(
        reviewer=a.lead, assessment=mine, version=mine.version, domain_code=domain.code
    )
    assert count == len(in_domain) - 1
    after = {r.competency_id: r for r in mine.ratings.select_related("reviewer_level", "level")}
    assert after[kept.competency_id].reviewer_level.value == 1  # the lead's own level stays
    for rating in in_domain[1:]:
        assert after[rating.competency_id].reviewer_level_id == after[rating.competency_id].level_id
    others = [
        r for r in after.values() if r.competency_id not in {x.competency_id for x in in_domain}
    ]
    assert all(r.reviewer_level_id is None for r in others)
    event = AuditEvent.objects.get(action="assessment.review_agreed")
    assert event.actor == a.lead and event.detail["domain"] == domain.code
    assert event.detail["competencies"] == sorted(r.competency.code for r in in_domain[1:])
    with pytest.raises(ValidationError, match="reviewer"):
        workflow.agree_with_domain(
            reviewer=a.superintendent,
            assessment=mine,
            version=mine.version,
            domain_code=domain.code,
        )


RACERS = 8


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that threads share: SQLite's in-memory test database is per thread",
)
def test_racing_saves_of_one_version_keep_exactly_one(transactional_db, a, shipped_framework):
    """RACERS tabs save at once, all from the same version: one is kept, none half-written."""
    mine = Assessment.objects.select_related("cycle__framework").get(
        pk=open_cycle(a, shipped_framework, a.staff).assessments.get().pk
    )
    competencies = list(mine.ratings.values_list("competency_id", flat=True)[:RACERS])
    start = threading.Barrier(RACERS)
    kept, refused = [], []

    def save(competency):
        try:
            start.wait()
            workflow.save_ratings(
                person=a.staff,
                assessment=mine,
                version=mine.version,
                changes=[RatingChange(competency, level=3, note=f"from tab {competency}")],
            )
            kept.append(competency)
        except StaleVersionError:
            refused.append(competency)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[c]) for c in competencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(kept) == 1 and len(refused) == RACERS - 1
    assert Assessment.objects.get(pk=mine.pk).version == mine.version + 1
    written = Rating.objects.filter(assessment=mine).exclude(note="")
    assert list(written.values_list("competency_id", "level__value")) == [(kept[0], 3)]
