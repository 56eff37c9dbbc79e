"""A damaged fixture ends in a clear message with nothing written."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from frameworks.models import Competency, CompetencyLineage, Framework, LevelDescriptor

# loaddata names the fixture and the object in each of these.
LOAD_ERRORS = (CommandError, DeserializationError, IntegrityError)
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "k12-it-leadership.json"


@pytest.fixture
def empty_db(db):
    """The session database holds the shipped framework; these tests need none."""
    Framework.objects.all().delete()


def _damaged(tmp_path, damage) -> Path:
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    damage(entries)
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(entries))
    return path


def test_shipped_fixture_loads_on_an_empty_database(empty_db):
    call_command("loaddata", "k12-it-leadership", verbosity=0)
    assert Competency.objects.count() >= 21


def test_version_2026_2_loads_without_2026_1_and_both_load_together(empty_db):
    """The mapping names earlier codes, not rows: 2026.2 needs no 2026.1 in the database."""
    call_command("loaddata", "k12-it-leadership-2026-2", verbosity=0)
    assert Competency.objects.count() == 32
    assert CompetencyLineage.objects.filter(earlier_version="2026.1").count() == 28
    call_command("loaddata", "k12-it-leadership", "k12-it-leadership-2026-2", verbosity=0)
    assert Competency.objects.count() == 32 + 25


def test_reference_to_a_missing_competency_writes_nothing(empty_db, tmp_path):
    def damage(entries):
        descriptor = next(e for e in entries if e["model"] == "frameworks.leveldescriptor")
        descriptor["fields"]["competency"][2] = "NOPE.9"

    with pytest.raises(LOAD_ERRORS, match="Problem installing fixture"):
        call_command("loaddata", str(_damaged(tmp_path, damage)), verbosity=0)
    assert not Framework.objects.exists()
    assert not LevelDescriptor.objects.exists()


def test_target_outside_the_scale_writes_nothing(empty_db, tmp_path):
    def damage(entries):
        target = next(e for e in entries if e["model"] == "frameworks.roletarget")
        target["fields"]["target"][2] = 7

    with pytest.raises(LOAD_ERRORS, match="Problem installing fixture"):
        call_command("loaddata", str(_damaged(tmp_path, damage)), verbosity=0)
    assert not Framework.objects.exists()


def test_truncated_json_writes_nothing(empty_db, tmp_path):
    path = tmp_path / "truncated.json"
    path.write_text(FIXTURE.read_text(encoding="utf-8")[:5000])
    with pytest.raises(LOAD_ERRORS, match="Problem installing fixture"):
        call_command("loaddata", str(path), verbosity=0)
    assert not Framework.objects.exists()
