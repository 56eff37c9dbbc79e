"""When the database goes away in the middle of a request: a friendly page, no partial write."""

import pytest
from django.db import OperationalError
from django.test import Client

from assessments import workflow
from assessments.models import Assessment, Rating
from tests.cast import make_district, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(shipped_framework) -> Assessment:
    cast = make_district("northfield", "Northfield")
    return open_cycle(cast, shipped_framework, cast.staff).assessments.get()


def test_database_lost_between_writes_leaves_nothing_half_saved(assessment, monkeypatch):
    """
    The version moved on and the ratings are written, then the connection drops before
    the commit: neither the ratings nor the new version may stay.
    """
    write = workflow._write_ratings

    def connection_lost_after_the_ratings(assessment, changes, **kwargs):
        write(assessment, changes, **kwargs)
        moved = Assessment.objects.filter(pk=assessment.pk).values_list("version", flat=True)
        assert moved.get() == before + 1  # the writes this test is about did happen
        assert Rating.objects.filter(assessment=assessment, level__isnull=False).exists()
        raise OperationalError("server closed the connection unexpectedly")

    before = assessment.version
    monkeypatch.setattr(workflow, "_write_ratings", connection_lost_after_the_ratings)
    client = Client(raise_request_exception=False)
    client.force_login(assessment.person)
    ids = list(
        assessment.ratings.filter(competency__domain__code="INF").values_list(
            "competency_id", flat=True
        )
    )
    data = {"version": assessment.version, **{f"level-{pk}": "3" for pk in ids}}
    response = client.post(f"/assessments/{assessment.pk}/rate/INF/", data)

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "nothing was changed" in response.text
    assert "OperationalError" not in response.text and "Traceback" not in response.text
    assert not Rating.objects.filter(assessment=assessment, level__isnull=False).exists()
    assert Assessment.objects.get(pk=assessment.pk).version == before
