"""Sessions are written when something changed, and their idle expiry at most once a minute."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def test_a_request_soon_after_the_last_write_writes_nothing(signed_in):
    before = stored(signed_in).expire_date
    assert session_writes(signed_in, reverse("healthz")) == 0
    assert stored(signed_in).expire_date == before


def test_an_expiry_more_than_the_touch_interval_behind_is_moved_on(signed_in, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    row = stored(signed_in)
    row.expire_date = timezone.now() + idle - timedelta(seconds=settings.SESSION_TOUCH_SECONDS + 5)
    row.save(update_fields=["expire_date"])
    assert session_writes(signed_in, reverse("healthz")) == 1
    assert stored(signed_in).expire_date > timezone.now() + idle - timedelta(seconds=5)


def test_an_expiry_just_behind_is_left_for_a_later_request(signed_in, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    row = stored(signed_in)
    row.expire_date = timezone.now() + idle - timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 5)
    row.save(update_fields=["expire_date"])
    assert session_writes(signed_in, reverse("healthz")) == 0


def test_a_changed_session_is_written_at_once(signed_in):
    session = signed_in.session
    session["seen"] = "yes"
    session.save()
    assert signed_in.session["seen"] == "yes"
