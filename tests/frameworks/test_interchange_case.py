"""
Reading CASE packages that were not written by the portal: one built by hand following
the specification, and the small deviations real published packages have.
"""

import json

import pytest

from frameworks.interchange.service import import_framework
from frameworks.services import framework_problems

pytestmark = pytest.mark.django_db

STAMP = "2025-09-01T12:00:00+00:00"
DOC_ID = "c0a3e5f2-1111-4a4a-9b9b-000000000001"


def _uuid(n: int) -> str:
    return f"c0a3e5f2-2222-4a4a-9b9b-{n:012d}"


def _link(title, ident):
    return {"title": title, "identifier": ident, "uri": f"https://case.example.org/uri/{ident}"}


def hand_built_package() -> dict:
    """
    A district's framework as the CASE 1.0 specification describes it: a CFDocument, an
    isChildOf tree three levels deep (strand → standard → indicator), and a CFRubric
    whose criteria point at the standards, with three criterion levels each.
    """
    items = [
        # (number, parent number or None for the document, code, statement, type)
        (1, None, "NET", "Networks and security", "Strand"),
        (2, 1, "NET.1", "Maintains a segmented, monitored school network.", "Standard"),
        (3, 2, "NET.1.a", "Separates student, staff and device traffic.", "Indicator"),
        (4, 2, "NET.1.b", "Reviews firewall alerts every school day.", "Indicator"),
        (5, 1, "NET.2", "Restores service after a ransomware attack.", "Standard"),
        (6, None, "LRN", "Learning technology", "Strand"),
        (7, 6, "LRN.1", "Helps teachers choose safe classroom apps.", "Standard"),
    ]
    package = {
        "CFDocument": {
            "identifier": DOC_ID,
            "uri": f"https://case.example.org/uri/{DOC_ID}",
            "creator": "Example Unified School District",
            "title": "District Technology Standards",
            "lastChangeDateTime": STAMP,
            "publisher": "Example USD",
            "version": "3.0",
            "adoptionStatus": "Adopted",
            "language": "en",
        },
        "CFItems": [],
        "CFAssociations": [],
        "CFRubrics": [],
    }
    for number, parent, code, statement, kind in items:
        package["CFItems"].append(
            {
                "identifier": _uuid(number),
                "uri": f"https://case.example.org/uri/{_uuid(number)}",
                "fullStatement": statement,
                "humanCodingScheme": code,
                "CFItemType": kind,
                "lastChangeDateTime": STAMP,
            }
        )
        parent_link = (
            _link("District Technology Standards", DOC_ID)
            if parent is None
            else _link("", _uuid(parent))
        )
        package["CFAssociations"].append(
            {
                "identifier": _uuid(100 + number),
                "associationType": "isChildOf",
                "sequenceNumber": number,
                "uri": f"https://case.example.org/uri/{_uuid(100 + number)}",
                "originNodeURI": _link(statement, _uuid(number)),
                "destinationNodeURI": parent_link,
                "lastChangeDateTime": STAMP,
            }
        )
    criteria = []
    for position, number in enumerate((2, 5, 7), start=1):
        criterion_id = _uuid(200 + number)
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": f"https://case.example.org/uri/{criterion_id}",
                "category": "Performance",
                "CFItemURI": _link("", _uuid(number)),
                "position": position,
                "rubricId": _uuid(300),
                "lastChangeDateTime": STAMP,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": _uuid(1000 + number * 10 + score),
                        "uri": f"https://case.example.org/uri/{_uuid(1000 + number * 10 + score)}",
                        "quality": quality,
                        "score": score,
                        "description": f"{quality} in item {number}: observable behaviour {score}.",
                        "position": score,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": STAMP,
                    }
                    for score, quality in ((1, "Beginning"), (2, "Meeting"), (3, "Exceeding"))
                ],
            }
        )
    package["CFRubrics"].append(
        {
            "identifier": _uuid(300),
            "uri": f"https://case.example.org/uri/{_uuid(300)}",
            "title": "Technology staff performance rubric",
            "lastChangeDateTime": STAMP,
            "CFRubricCriteria": criteria,
        }
    )
    return package


def _import(package, **kwargs):
    return import_framework(content=json.dumps(package).encode(), format="case", **kwargs)


def test_hand_built_package_with_rubric_and_three_levels():
    result = _import(hand_built_package())
    assert result.ok, result.errors
    framework = result.framework
    assert (framework.slug, framework.version, framework.status) == (
        "district-technology-standards",
        "3.0",
        "draft",
    )
    assert [d.code for d in framework.domains.order_by("position")] == ["NET", "LRN"]
    assert [c.code for c in framework.competencies.all()] == ["NET.1", "NET.2", "LRN.1"]
    net1 = framework.competencies.get(code="NET.1")
    assert net1.description == "Maintains a segmented, monitored school network."
    assert [(i.code, i.statement) for i in net1.indicators.all()] == [
        ("NET.1.a", "Separates student, staff and device traffic."),
        ("NET.1.b", "Reviews firewall alerts every school day."),
    ]
    assert [(lv.value, lv.name) for lv in framework.levels.all()] == [
        (1, "Beginning"),
        (2, "Meeting"),
        (3, "Exceeding"),
    ]
    assert net1.descriptors.get(level__value=3).text == (
        "Exceeding in item 2: observable behaviour 3."
    )
    warnings = " ".join(result.warnings)
    assert "folded" not in warnings
    assert "the scale was made from the criterion levels" in warnings
    # A scale from 1 is imported as it is; publishing asks for one from 0.
    assert any("the scale must run 0" in p for p in framework_problems(framework))


def test_tolerated_deviations_are_each_named():
    package = hand_built_package()
    package["CFDefinitions"] = {}
    package["CFItems"][1]["vendorColour"] = "blue"
    package["CFAssociations"][1]["sequenceNumber"] = "2"
    level = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]
    level["score"] = "1"
    del package["CFItems"][4]["humanCodingScheme"]
    del package["CFItems"][0]["uri"]
    package["CFDocument"]["version"] = 3

    result = _import(package)

    assert result.ok, result.errors
    warnings = "\n".join(result.warnings)
    assert "CFDefinitions is an empty object" in warnings
    assert "Unknown key 'vendorColour' in 1 CFItem object(s)" in warnings
    assert f"CFAssociation {_uuid(102)}, sequenceNumber: a number written as a string" in warnings
    assert f"CFRubricCriterionLevel {_uuid(1021)}, score: a number written as a string" in warnings
    assert "no humanCodingScheme; codes were made from their place" in warnings
    assert "1 CFItem object(s) lack 'uri'" in warnings
    assert "CFDocument, version: a number where text belongs" in warnings
    # The second competency of domain NET, coded from its place.
    assert result.framework.competencies.get(code="NET.2").title.startswith("Restores service")
    assert result.framework.version == "3"


def test_package_without_rubric_gets_the_default_scale():
    package = hand_built_package()
    del package["CFRubrics"]
    result = _import(package)
    assert result.ok, result.errors
    assert "No rubric: the default 0–5 scale is used" in " ".join(result.warnings)
    assert list(result.framework.levels.values_list("value", flat=True)) == [0, 1, 2, 3, 4, 5]


def test_slug_can_be_chosen():
    result = _import(hand_built_package(), slug="our-standards")
    assert result.framework.slug == "our-standards"


def test_a_dry_run_of_a_new_slug_writes_nothing_and_has_no_diff():
    result = _import(hand_built_package(), dry_run=True)
    assert result.ok
    assert result.diff is None
    assert result.framework is None
    assert result.version == "3.0"
