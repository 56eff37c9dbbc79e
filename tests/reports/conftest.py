"""Fixtures of the individual-report, official-PDF, HR and own-data tests."""

import pytest

from assessments.models import Assessment
from tests.factories import make_framework

from .helpers import HOSTILE, LONG_WORD, ROLES, finalize, make_cycle, rate, review, submit


@pytest.fixture
def small_framework(db):
    return make_framework(competencies=6, domains=3, roles=ROLES, slug="generated")


@pytest.fixture
def cycle(a, small_framework):
    return make_cycle(a, small_framework)


@pytest.fixture
def staff_assessment(cycle, a) -> Assessment:
    return cycle.assessments.get(person=a.staff)


@pytest.fixture
def submitted(staff_assessment, a) -> Assessment:
    """Self 3 everywhere (readiness 13/16 = 81.2%, gaps at D0.3 and D1.4), submitted."""
    rate(staff_assessment, 3, notes={"D0.0": HOSTILE, "D1.1": LONG_WORD})
    return submit(staff_assessment)


@pytest.fixture
def finalized(submitted, a) -> Assessment:
    """Reviewed at 2 everywhere (readiness 10/16 = 62.5%), with a hostile comment; finalized."""
    review(submitted, a.lead, 2, notes={"D2.2": "Reviewer says <b>bold</b>"}, comment=HOSTILE)
    return finalize(submitted, a.lead)
