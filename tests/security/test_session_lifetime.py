"""A session ends SESSION_MAX_HOURS after sign-in, however busy it was kept."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.middleware import SIGNED_IN_AT

pytestmark = pytest.mark.django_db
SIGNIN = "/account/signin/"


def signed_in_hours_ago(client, hours: float) -> None:
    """Move the sign-in time of the client's session into the past."""
    session = client.session
    session[SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()


def autosave(client, assessment):
    return client.post(
        reverse("assessments:autosave", args=[assessment.pk]),
        {"version": assessment.version, "competency": "0", "note": ""},
    )


def test_signing_in_stamps_the_session(client, world):
    person = world.a.staff
    before = time.time()
    person.set_password("a long enough passphrase")
    person.save(update_fields=["password"])
    client.post(SIGNIN, {"username": person.email, "password": "a long enough passphrase"})
    assert before <= client.session[SIGNED_IN_AT] <= time.time()


def test_a_busy_session_ends_at_its_absolute_lifetime(client, world, settings):
    settings.SESSION_MAX_HOURS = 12
    draft = world.a.draft
    client.force_login(draft.person)
    home = reverse("home")
    # Kept busy for almost twelve hours: every request still answers.
    signed_in_hours_ago(client, 11.9)
    assert client.get(home).status_code == 200
    assert autosave(client, draft).status_code in (200, 400)

    signed_in_hours_ago(client, 12.1)
    response = client.get(reverse("reports:own_data"))
    assert response.status_code == 302
    assert response.url == f"{SIGNIN}?next=/reports/my-data/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your session has ended. Sign in again to continue."
    ]
    # Signed out for good: the session is gone.
    response = client.get(home)
    assert response.status_code == 302 and response.url.startswith(SIGNIN)


def test_the_autosave_of_an_ended_session_is_sent_to_sign_in_and_saves_nothing(
    client, world, settings
):
    settings.SESSION_MAX_HOURS = 12
    draft = world.a.draft
    version = draft.version
    client.force_login(draft.person)
    signed_in_hours_ago(client, 13)
    rating = draft.ratings.first()
    response = client.post(
        reverse("assessments:autosave", args=[draft.pk]),
        {"version": version, "competency": rating.competency_id, "note": "written too late"},
    )
    # static/js/autosave.js reads a redirect as "your session has ended".
    assert response.status_code == 302 and response.url == SIGNIN
    draft.refresh_from_db()
    assert draft.version == version
    assert not draft.ratings.filter(note="written too late").exists()


def test_a_session_without_a_sign_in_time_has_ended(client, world):
    person = world.a.staff
    client.force_login(person)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(SIGNIN)
