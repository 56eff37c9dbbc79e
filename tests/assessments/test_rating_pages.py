"""The rating form in the browser's terms: steps, autosave, conflicts, submit, review."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments import workflow
from assessments.models import Assessment, AuditEvent, Rating
from frameworks.models import Domain, Indicator
from frameworks.services import copy_framework, publish_framework
from tests.cast import open_cycle
from tests.factories import make_framework

pytestmark = pytest.mark.django_db
Status = Assessment.Status


@pytest.fixture
def mine(a, shipped_framework) -> Assessment:
    return open_cycle(a, shipped_framework, a.staff, a.lead).assessments.get(person=a.staff)


@pytest.fixture
def staff(client, a):
    client.force_login(a.staff)
    return client


def step_url(assessment, step):
    return reverse("assessments:rate_step", args=[assessment.pk, step])


def autosave(client, assessment, version, **fields):
    return client.post(
        reverse("assessments:autosave", args=[assessment.pk]), {"version": version, **fields}
    )


def test_step_shows_every_descriptor_the_target_and_a_fieldset_per_competency(staff, mine):
    response = staff.get(step_url(mine, "INF"))
    page = response.text
    competencies = mine.cycle.framework.competencies.filter(domain__code="INF")
    assert page.count("<fieldset") == competencies.count()
    assert page.count("<legend") == competencies.count()
    competency = competencies.first()
    for descriptor in competency.descriptors.all():
        assert descriptor.text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert "Target for your role: level" in page
    assert f'name="level-{competency.pk}"' in page
    assert 'id="rating-form"' in page and "js/autosave.js" in page


def test_autosave_saves_one_change_and_answers_the_new_version(staff, mine):
    competency = mine.ratings.first().competency_id
    response = autosave(staff, mine, mine.version, competency=competency, level=3)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == mine.version + 1
    assert (body["rated"], body["total"]) == (1, mine.ratings.count())
    response = autosave(staff, mine, body["version"], competency=competency, note="Evidence")
    rating = Rating.objects.get(assessment=mine, competency_id=competency)
    assert (rating.level.value, rating.note) == (3, "Evidence")


def test_everything_is_there_after_a_reload(staff, mine):
    competency = mine.ratings.first().competency_id
    autosave(staff, mine, mine.version, competency=competency, level=4)
    page = staff.get(step_url(mine, "INF")).text
    assert f'id="level-{competency}-4" value="4" checked' in page


def test_a_stale_tab_is_told_and_overwrites_nothing(staff, mine):
    competency = mine.ratings.first().competency_id
    loaded = mine.version
    assert autosave(staff, mine, loaded, competency=competency, level=4).status_code == 200
    stale = autosave(staff, mine, loaded, competency=competency, level=1)
    assert stale.status_code == 409
    assert "changed elsewhere" in stale.json()["error"]
    assert Rating.objects.get(assessment=mine, competency_id=competency).level.value == 4


@pytest.mark.parametrize(
    "fields",
    [
        {"level": "9"},
        {"level": "abc"},
        {"note": "x" * 2001},
        {"competency": "999999", "level": "1"},
    ],
)
def test_autosave_refuses_bad_input_with_a_message(staff, mine, fields):
    data = {"competency": mine.ratings.first().competency_id, **fields}
    response = autosave(staff, mine, mine.version, **data)
    assert response.status_code == 400
    assert response.json()["error"]
    assert Assessment.objects.get(pk=mine.pk).version == mine.version


def test_no_script_save_button_saves_the_whole_step(staff, mine):
    ids = list(
        mine.ratings.filter(competency__domain__code="INF").values_list("competency_id", flat=True)
    )
    data = {"version": mine.version, "next": "1"}
    data.update({f"level-{pk}": "2" for pk in ids})
    data.update({f"note-{ids[0]}": "Restored the SIS in the drill."})
    response = staff.post(step_url(mine, "INF"), data)
    assert response.status_code == 302 and response.url.endswith("/rate/LRN/")
    assert mine.ratings.filter(level__value=2).count() == len(ids)


def test_a_step_post_ignores_fields_of_other_steps(staff, mine):
    outside = mine.ratings.filter(competency__domain__code="WEL").first().competency_id
    staff.post(step_url(mine, "INF"), {"version": mine.version, f"level-{outside}": "5"})
    assert Rating.objects.get(assessment=mine, competency_id=outside).level is None


def test_review_step_highlights_what_is_unrated(staff, mine):
    page = staff.get(step_url(mine, "review")).text
    assert f"{mine.ratings.count()} competencies are not rated yet" in page


def test_submit_through_the_page_twice_submits_once(staff, mine):
    ids = mine.ratings.values_list("competency_id", flat=True)
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(pk, level=3) for pk in ids],
    )
    url = reverse("assessments:submit", args=[mine.pk])
    first = staff.post(url, {"version": mine.version})
    second = staff.post(url, {"version": mine.version})
    assert first.status_code == second.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED


def test_a_forged_status_field_changes_nothing(staff, mine):
    staff.post(step_url(mine, "INF"), {"version": mine.version, "status": "finalized"})
    assert Assessment.objects.get(pk=mine.pk).status == Status.DRAFT


def test_others_cannot_open_or_save_my_form(client, mine, a, b):
    for someone in (a.lead, a.superintendent, a.hr, a.admin, b.staff, b.lead):
        client.force_login(someone)
        assert client.get(step_url(mine, "INF")).status_code in (302, 404)
        assert autosave(client, mine, mine.version, competency=1, level=1).status_code == 404
    assert Assessment.objects.get(pk=mine.pk).version == mine.version


def test_csrf_is_enforced_on_autosave(mine, a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.staff)
    response = autosave(client, mine, mine.version, competency=1, level=1)
    assert response.status_code == 403


def test_lead_reviews_and_finalizes_through_the_page(client, mine, a):
    ids = list(mine.ratings.values_list("competency_id", flat=True))
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(pk, level=3) for pk in ids],
    )
    mine = workflow.submit(person=mine.person, assessment=mine, version=mine.version)
    client.force_login(a.lead)
    review_url = reverse("assessments:review", args=[mine.pk])
    confirm_url = reverse("reports:finalize", args=[mine.pk])
    page = client.get(review_url)
    assert page.status_code == 200 and f"<strong>0 of {len(ids)}</strong>" in page.text
    # "Finalize" on the review page saves, then asks for confirmation: nothing final yet.
    response = client.post(
        review_url,
        {
            "version": mine.version,
            f"reviewer-level-{ids[0]}": "1",
            f"reviewer-note-{ids[0]}": "Seen in March.",
            "comment": "Well done.",
            "action": "finalize",
        },
    )
    assert response.url == confirm_url
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED
    confirm = client.get(confirm_url).text
    assert f"{len(ids) - 1} of {len(ids)} competencies have no level of yours" in confirm
    assert "Finalize as the official record" not in confirm
    refused = client.post(confirm_url, follow=True).text
    assert f"{len(ids) - 1} of {len(ids)} competencies have no reviewer level yet" in refused
    assert Assessment.objects.get(pk=mine.pk).status == Status.SUBMITTED
    # Agree with every domain's self-ratings (the lead's own level 1 stays), then confirm.
    for domain in mine.cycle.framework.domains.all():
        mine.refresh_from_db()
        client.post(review_url, {"version": mine.version, "agree": domain.code})
    confirm = client.get(confirm_url).text
    assert "cannot be undone" in confirm and "Seen in March." in confirm  # 3 against 1
    assert 'class="reviewer-readiness">' in confirm
    assert client.post(confirm_url).url == reverse("assessments:detail", args=[mine.pk])
    mine.refresh_from_db()
    assert mine.status == Status.FINALIZED
    rating = Rating.objects.get(assessment=mine, competency_id=ids[0])
    assert (rating.level.value, rating.reviewer_level.value) == (3, 1)
    assert AuditEvent.objects.filter(action="assessment.review_agreed").count() == len(
        mine.cycle.framework.domains.all()
    )


def test_failed_return_saves_nothing_of_the_review(client, mine, a):
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()],
    )
    mine = workflow.submit(person=mine.person, assessment=mine, version=mine.version)
    client.force_login(a.lead)
    client.post(
        reverse("assessments:review", args=[mine.pk]),
        {"version": mine.version, "comment": "Should not stay", "action": "return", "message": ""},
    )
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED and mine.review_comment == ""


def _queries_for_step(client, assessment, django_assert_num_queries, expected):
    url = step_url(assessment, assessment.cycle.framework.domains.first().code)
    client.get(url)  # the process's first look at this framework reads it (frameworks.content)
    with django_assert_num_queries(expected):
        client.get(url)


# session, user, the person's own assessment (+cycle, framework, district, person, team,
# role), its ratings, last cycle's levels (selectors.previous_levels), the person's roles
# for the navigation, led teams. The framework's own content is read once per process
# (frameworks.content); the session row is written at most once a minute
# (assessments.sessions).
STEP_QUERIES = 7
# session, user, the person's own assessment (no roles needed: only its author saves),
# savepoint (BEGIN outside tests), UPDATE of the version that checks it and locks the
# row, UPDATE of the rating, release (COMMIT), progress (rated and total)
SAVE_QUERIES = 8


def test_form_step_makes_a_fixed_number_of_queries(staff, mine, django_assert_num_queries):
    _queries_for_step(staff, mine, django_assert_num_queries, STEP_QUERIES)


def test_form_step_and_autosave_queries_do_not_grow_with_competencies(
    staff, a, django_assert_num_queries
):
    big = make_framework(competencies=60, roles=("network-security-admin",))
    assessment = open_cycle(a, big, a.staff).assessments.get()
    _queries_for_step(staff, assessment, django_assert_num_queries, STEP_QUERIES)
    competency = assessment.ratings.first().competency_id
    with django_assert_num_queries(SAVE_QUERIES):
        autosave(staff, assessment, assessment.version, competency=competency, level=2)


def test_autosave_makes_a_fixed_number_of_queries(staff, mine, django_assert_num_queries):
    staff.get(step_url(mine, "INF"))  # the page the autosave comes from
    competency = mine.ratings.first().competency_id
    with django_assert_num_queries(SAVE_QUERIES):
        response = autosave(staff, mine, mine.version, competency=competency, level=2)
    assert response.json()["version"] == mine.version + 1


def test_save_and_continue_on_the_review_step_saves_and_stays_on_site(staff, mine):
    """The review step is the last: "next" there saves and stays (it answered 500)."""
    before = mine.version
    response = staff.post(
        step_url(mine, "review"), {"version": mine.version, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == step_url(mine, "review")
    mine.refresh_from_db()
    assert mine.version == before + 1


def _closed(mine, a) -> Assessment:
    workflow.close_cycle(actor=a.admin, cycle=mine.cycle)
    return Assessment.objects.get(pk=mine.pk)


def test_a_closed_cycle_refuses_the_form_with_a_message(staff, mine, a):
    mine = _closed(mine, a)
    competency = mine.ratings.first().competency_id
    response = staff.post(
        step_url(mine, "INF"), {"version": mine.version, f"level-{competency}": "2"}, follow=True
    )
    assert response.status_code == 200
    assert "This cycle is closed." in response.text
    assert response.redirect_chain[-1][0] == reverse("assessments:detail", args=[mine.pk])
    response = autosave(staff, mine, mine.version, competency=competency, level=2)
    assert response.status_code == 409
    assert response.json() == {"error": "This cycle is closed."}
    response = staff.post(
        reverse("assessments:submit", args=[mine.pk]), {"version": mine.version}, follow=True
    )
    assert "This cycle is closed." in response.text
    assert Assessment.objects.get(pk=mine.pk).version == mine.version


def test_a_closed_cycle_refuses_the_review_and_acknowledgment_with_a_message(client, mine, a):
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()],
    )
    mine = _closed(workflow.submit(person=mine.person, assessment=mine, version=mine.version), a)
    client.force_login(a.lead)
    for action in ("save", "return", "finalize"):
        response = client.post(
            reverse("assessments:review", args=[mine.pk]),
            {"version": mine.version, "action": action, "message": "More.", "comment": "x"},
            follow=True,
        )
        assert response.status_code == 200 and "This cycle is closed." in response.text
    assert Assessment.objects.get(pk=mine.pk).version == mine.version
    client.force_login(a.staff)
    response = client.post(reverse("assessments:acknowledge", args=[mine.pk]), follow=True)
    assert response.status_code == 200 and "This cycle is closed." in response.text


def test_a_step_shows_the_indicators_and_groups_without_competencies_are_no_step(
    staff, a, shipped_framework
):
    """A CASE framework's indicators (any depth) show under their competency."""
    draft = copy_framework(framework=shipped_framework)
    first = draft.domains.order_by("position").first()
    # A domain that only holds a group: it has nothing to rate, so no step of its own.
    Domain.objects.create(framework=draft, code="TOP", title="Top", position=0)
    first.parent = draft.domains.get(code="TOP")
    first.save()
    competency = first.competencies.order_by("position").first()
    part = Indicator.objects.create(competency=competency, code="I.1", statement="Part one.")
    Indicator.objects.create(competency=competency, parent=part, statement="Deeper part.")
    publish_framework(framework=draft)
    assessment = open_cycle(a, draft, a.staff).assessments.get()

    assert staff.get(reverse("assessments:rate", args=[assessment.pk])).url == step_url(
        assessment, first.code
    )
    page = staff.get(step_url(assessment, first.code)).text
    assert "I.1</span> Part one." in page
    assert "Deeper part." in page
    assert staff.get(step_url(assessment, "TOP")).status_code == 404


def _last_year(cast, framework, person, *, own=2, reviewer=4):
    """``person``'s finalized assessment of a 2025 cycle in ``cast``'s district."""
    cycle = workflow.open_cycle(
        actor=cast.admin,
        district=cast.district,
        framework=framework,
        title=f"2025 review of {cast.district.name}",
        opens_on=datetime.date(2025, 11, 1),
        due_on=datetime.date(2025, 12, 15),
        people=[person],
    )
    old = cycle.assessments.get()
    ids = list(old.ratings.values_list("competency_id", flat=True))
    old = workflow.save_ratings(
        person=person,
        assessment=old,
        version=old.version,
        changes=[workflow.RatingChange(pk, level=own) for pk in ids],
    )
    old = workflow.submit(person=person, assessment=old, version=old.version)
    old = workflow.save_review(
        reviewer=person.reviewer(),
        assessment=old,
        version=old.version,
        changes=[workflow.RatingChange(pk, level=reviewer) for pk in ids],
    )
    workflow.finalize(reviewer=person.reviewer(), assessment=old)
    workflow.close_cycle(actor=cast.admin, cycle=cycle)


def test_last_cycle_is_shown_beside_each_rating_on_the_form_and_the_review(
    client, a, shipped_framework
):
    _last_year(a, shipped_framework, a.staff)
    mine = open_cycle(a, shipped_framework, a.staff).assessments.get()
    shown = "Last cycle (2025 review of Northfield): self 2, reviewer 4"
    client.force_login(a.staff)
    page = client.get(step_url(mine, shipped_framework.domains.first().code)).text
    assert page.count(shown) == shipped_framework.domains.first().competencies.count()
    ids = list(mine.ratings.values_list("competency_id", flat=True))
    mine = workflow.save_ratings(
        person=a.staff,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(pk, level=3) for pk in ids],
    )
    workflow.submit(person=a.staff, assessment=mine, version=mine.version)
    client.force_login(a.lead)
    page = client.get(reverse("assessments:review", args=[mine.pk])).text
    assert page.count(shown) == len(ids)


def test_last_cycle_of_another_district_is_never_shown(client, a, b, shipped_framework):
    _last_year(b, shipped_framework, b.staff)
    mover = b.staff
    mover.district, mover.team = a.district, a.team
    mover.save(update_fields=["district", "team"])
    mine = open_cycle(a, shipped_framework, mover).assessments.get()
    client.force_login(mover)
    page = client.get(step_url(mine, shipped_framework.domains.first().code)).text
    assert "Last cycle" not in page and "2025 review of Riverside" not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reviewer-level-{pk}": "9"}, "not on this framework&#x27;s scale"),
        ({"action": "publish"}, "Choose what to do with the review."),
        ({"agree": "NOPE"}, "Choose a domain of this framework."),
        ({"version": "x"}, "The form was incomplete; reload the page."),
    ],
)
def test_the_review_refuses_bad_input_with_a_message_and_saves_nothing(
    client, mine, a, fields, message
):
    mine = workflow.save_ratings(
        person=mine.person,
        assessment=mine,
        version=mine.version,
        changes=[workflow.RatingChange(r.competency_id, level=3) for r in mine.ratings.all()],
    )
    mine = workflow.submit(person=mine.person, assessment=mine, version=mine.version)
    pk = mine.ratings.first().competency_id
    client.force_login(a.lead)
    data = {"version": mine.version, "comment": "Kept?", f"reviewer-level-{pk}": "2"}
    data.update({name.format(pk=pk): value for name, value in fields.items()})
    response = client.post(reverse("assessments:review", args=[mine.pk]), data, follow=True)
    assert message in response.text
    assert Assessment.objects.get(pk=mine.pk).version == mine.version
    assert not mine.ratings.filter(reviewer_level__isnull=False).exists()
