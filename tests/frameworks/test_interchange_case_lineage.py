"""Version 2026.2's CASE export says which 2026.1 items it continues (``CompetencyLineage``)."""

import json

import pytest

from frameworks.interchange.service import export_framework, import_framework
from frameworks.models import Competency, CompetencyLineage
from tests.frameworks.test_interchange_round_trip import EXPORTS, schema_errors

pytestmark = pytest.mark.django_db

TYPES = {"same": "replacedBy", "recoded": "replacedBy", "merged": "replacedBy"}


def _export(framework, format="case") -> dict:
    return json.loads(export_framework(framework=framework, format=format))


def _competency_ids(package: dict) -> dict[str, str]:
    return {
        i["humanCodingScheme"]: i["identifier"]
        for i in package["CFItems"]
        if i.get("CFItemType") == "Competency"
    }


def _lineage_associations(package: dict) -> list[dict]:
    return [
        a
        for a in package["CFAssociations"]
        if a["associationType"] in ("replacedBy", "isRelatedTo")
    ]


@pytest.mark.parametrize("format", EXPORTS)
def test_each_lineage_row_is_one_association_from_the_2026_1_item(
    shipped_framework, framework_2026_2, format
):
    earlier = _competency_ids(_export(shipped_framework, format))
    package = _export(framework_2026_2, format)
    current = _competency_ids(package)
    rows = CompetencyLineage.objects.filter(competency__framework=framework_2026_2)

    expected = sorted(
        (TYPES.get(r.kind, "isRelatedTo"), earlier[r.earlier_code], current[r.competency.code])
        for r in rows.select_related("competency")
    )
    found = sorted(
        (
            a["associationType"],
            a["originNodeURI"]["identifier"],
            a["destinationNodeURI"]["identifier"],
        )
        for a in _lineage_associations(package)
    )
    assert len(found) == rows.count() == 28
    assert found == expected
    assert schema_errors(package, EXPORTS[format]) == []


def test_an_earlier_item_from_a_case_source_keeps_its_identifier(
    shipped_framework, framework_2026_2
):
    """The earlier export writes an imported item's own identifier, and so does the link."""
    Competency.objects.filter(framework=shipped_framework, code="INF.1").update(
        case_identifier="1b0e2c9a-3f4d-4e5a-8b6c-7d8e9f0a1b2c",
        case_uri="https://example.org/i1",
        case_fields={"item": {"humanCodingScheme": "INF.1", "CFItemType": "Competency"}},
    )
    package = _export(framework_2026_2)
    (link,) = [
        a["originNodeURI"]
        for a in _lineage_associations(package)
        if a["destinationNodeURI"]["identifier"] == _competency_ids(package)["INF.1"]
    ]
    assert link["identifier"] == _competency_ids(_export(shipped_framework))["INF.1"]
    assert link["uri"] == "https://example.org/i1"


def test_without_the_earlier_version_the_identifier_its_export_would_have(
    shipped_framework, framework_2026_2
):
    """The portal's identifiers come from slug/version/code, so they need no database row."""
    earlier = set(_competency_ids(_export(shipped_framework)).values())
    shipped_framework.delete()
    origins = {
        a["originNodeURI"]["identifier"] for a in _lineage_associations(_export(framework_2026_2))
    }
    assert origins == earlier


def test_a_round_trip_keeps_the_associations(framework_2026_2):
    package = _export(framework_2026_2)
    result = import_framework(content=json.dumps(package).encode(), format="case")
    assert result.ok, result.errors
    again = _export(result.framework)
    assert len(_lineage_associations(again)) == 28
    key = lambda a: (a["identifier"], a["originNodeURI"], a["destinationNodeURI"])  # noqa: E731
    assert sorted(map(key, _lineage_associations(again))) == sorted(
        map(key, _lineage_associations(package))
    )
