"""
Real published CASE packages (``tests/data/case``, their sources and licences in its
README): each dry-runs and imports, and its export keeps every CFItem with its identifier,
URI, code, statements, notes and type, and every association with its identifier, ends
and sequenceNumber. The export is valid CASE 1.1 but where the package itself forbids it:
identifiers that are not UUIDs (the CCSS package's ASN URIs) are kept, as they must be,
and are the only errors left.
"""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.interchange.service import export_framework, import_framework
from frameworks.models import Indicator

from .case_packages import sized
from .test_interchange_case_lossless import identifiers, items
from .test_interchange_round_trip import EXPORTS, schema_errors

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "case"
PACKAGES = sorted(path.name for path in DATA.glob("*.json"))
UUID = re.compile(r"[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")


def read(name: str) -> tuple[bytes, dict]:
    content = (DATA / name).read_bytes()
    return content, json.loads(content)


def associations(package: dict) -> set[tuple]:
    """Each association's identifier, type, ends and order (a "1" is the number 1)."""
    found = set()
    for a in package.get("CFAssociations", []):
        number = a.get("sequenceNumber")
        if isinstance(number, str) and number.strip().isdigit():
            number = int(number)
        found.add(
            (
                a["identifier"],
                a["associationType"],
                a["originNodeURI"]["identifier"],
                a["destinationNodeURI"]["identifier"],
                number,
            )
        )
    return found


def imported_and_exported(name: str, format: str = "case") -> tuple[dict, dict]:
    content, source = read(name)
    result = import_framework(content=content, format="case")
    assert result.ok, result.errors
    return source, json.loads(export_framework(framework=result.framework, format=format))


def test_there_are_at_least_five_real_packages():
    assert len(PACKAGES) >= 5


@pytest.mark.parametrize("name", PACKAGES)
def test_a_real_package_dry_runs_without_error(name):
    content, source = read(name)
    result = import_framework(content=content, format="case", dry_run=True)
    assert result.ok, result.errors
    assert result.framework is None
    counted = result.counts["domains"] + result.counts["competencies"]
    assert 0 < counted <= len(source["CFItems"])


@pytest.mark.parametrize("name", PACKAGES)
def test_a_real_package_comes_back_with_every_item_and_association(name):
    source, exported = imported_and_exported(name)
    assert items(exported) == items(source)
    assert associations(exported) == associations(source)
    assert identifiers(source) <= identifiers(exported)
    assert exported["CFDocument"]["identifier"] == source["CFDocument"]["identifier"]


@pytest.mark.parametrize("format", EXPORTS)
@pytest.mark.parametrize("name", PACKAGES)
def test_a_real_package_exports_as_valid_as_its_identifiers_allow(name, format):
    source, exported = imported_and_exported(name, format)
    not_uuids = {i for i in identifiers(source) if not UUID.fullmatch(i)}
    left = [
        error
        for error in schema_errors(exported, EXPORTS[format])
        if not any(f": {i!r} " in error for i in not_uuids)
    ]
    assert left == []


def _queries_to_import(count: int) -> int:
    content = json.dumps(sized(count)).encode()
    with CaptureQueriesContext(connection) as captured:
        result = import_framework(content=content, format="case")
    assert result.ok, result.errors
    assert Indicator.objects.filter(competency__framework=result.framework).count() == count - (
        result.counts["domains"] + result.counts["competencies"]
    )
    return len(captured)


def test_the_import_makes_as_many_queries_for_500_items_as_for_50():
    """Rows go in bulk (one INSERT per kind and depth, as many rows as one statement takes)."""
    assert _queries_to_import(500) == _queries_to_import(50)
