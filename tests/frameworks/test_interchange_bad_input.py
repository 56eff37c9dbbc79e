"""Bad files are refused with a clear message, and nothing is written."""

import json

import pytest
from django.db import IntegrityError

from frameworks.interchange.service import import_framework
from frameworks.models import Competency, Framework

pytestmark = pytest.mark.django_db

DOC = "00000000-0000-4000-8000-000000000000"


def _item(ident, code, statement):
    return {
        "identifier": ident,
        "uri": f"urn:uuid:{ident}",
        "fullStatement": statement,
        "humanCodingScheme": code,
        "lastChangeDateTime": "2026-01-01T00:00:00Z",
    }


def _child_of(ident, child, parent, number):
    return {
        "identifier": ident,
        "associationType": "isChildOf",
        "sequenceNumber": number,
        "uri": f"urn:uuid:{ident}",
        "originNodeURI": {"title": "", "identifier": child, "uri": f"urn:uuid:{child}"},
        "destinationNodeURI": {"title": "", "identifier": parent, "uri": f"urn:uuid:{parent}"},
        "lastChangeDateTime": "2026-01-01T00:00:00Z",
    }


def small_package() -> dict:
    """A domain with two competencies, no rubric: valid, and imported with a warning."""
    ids = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 7)]
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": f"urn:uuid:{DOC}",
            "creator": "Tests",
            "title": "Small framework",
            "lastChangeDateTime": "2026-01-01T00:00:00Z",
            "version": "1.0",
        },
        "CFItems": [
            _item(ids[0], "S", "Security"),
            _item(ids[1], "S.1", "Keeps the network patched."),
            _item(ids[2], "S.2", "Plans for ransomware."),
        ],
        "CFAssociations": [
            _child_of(ids[3], ids[0], DOC, 1),
            _child_of(ids[4], ids[1], ids[0], 1),
            _child_of(ids[5], ids[2], ids[0], 2),
        ],
    }


def _import(content: bytes | str, format="case", **kwargs):
    if isinstance(content, str):
        content = content.encode()
    before = (Framework.objects.count(), Competency.objects.count())
    result = import_framework(content=content, format=format, **kwargs)
    if not result.ok:
        assert (Framework.objects.count(), Competency.objects.count()) == before
        assert result.framework is None
    return result


def _errors(result) -> str:
    assert not result.ok, "expected the file to be refused"
    return "\n".join(result.errors)


def test_the_small_package_itself_is_accepted():
    result = _import(json.dumps(small_package()))
    assert result.ok, result.errors
    assert result.framework.competencies.count() == 2
    assert "No rubric: the default 0–5 scale is used" in " ".join(result.warnings)


def test_not_json():
    assert "not JSON" in _errors(_import("CFDocument: yes"))


def test_json_that_is_not_a_case_package():
    assert "not a CASE package" in _errors(_import("[1, 2, 3]"))


def test_wrong_encoding():
    content = json.dumps(small_package()).replace("Security", "Sécurité").encode("latin-1")
    assert "not UTF-8" in _errors(_import(content))


def test_file_over_five_megabytes():
    package = small_package()
    package["CFDocument"]["description"] = "x" * (5 * 1024 * 1024)
    assert "up to 5 MB" in _errors(_import(json.dumps(package)))


def test_nesting_deeper_than_the_format_needs():
    package = small_package()
    package["CFItems"][0]["extensions"] = {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}}
    assert "nests deeper" in _errors(_import(json.dumps(package)))


def test_pathological_nesting_is_refused_not_crashed():
    assert "nests deeper" in _errors(_import("[" * 200_000 + "]" * 200_000))


def test_duplicate_keys_in_one_object():
    text = json.dumps(small_package()).replace(
        '"humanCodingScheme": "S.1"', '"humanCodingScheme": "S.1", "humanCodingScheme": "S.9"'
    )
    assert 'key "humanCodingScheme" appears twice' in _errors(_import(text))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(constant):
    text = json.dumps(small_package()).replace(
        '"sequenceNumber": 2', f'"sequenceNumber": {constant}'
    )
    assert constant in _errors(_import(text))


@pytest.mark.parametrize("number", ["1" + "0" * 40, "1e400", "123456789012345678.5"])
def test_huge_numbers(number):
    text = json.dumps(small_package()).replace('"sequenceNumber": 2', f'"sequenceNumber": {number}')
    assert "too large" in _errors(_import(text))


def test_duplicate_identifiers():
    package = small_package()
    package["CFItems"][2]["identifier"] = package["CFItems"][1]["identifier"]
    errors = _errors(_import(json.dumps(package)))
    assert f"CFItem {package['CFItems'][1]['identifier']}: the identifier is used twice" in errors


def test_duplicate_identifiers_of_different_items_name_both():
    package = small_package()
    package["CFItems"][2]["identifier"] = package["CFItems"][1]["identifier"]
    errors = _errors(_import(json.dumps(package)))
    assert "the identifier is used twice, by different objects (also by CFItems[1])" in errors


def test_an_is_child_of_cycle():
    package = small_package()
    items = package["CFItems"]
    # The domain becomes the child of its own first competency.
    package["CFAssociations"][0] = _child_of(
        package["CFAssociations"][0]["identifier"],
        items[0]["identifier"],
        items[1]["identifier"],
        1,
    )
    assert "form a cycle" in _errors(_import(json.dumps(package)))


def test_an_association_pointing_at_a_missing_item():
    package = small_package()
    missing = "99999999-0000-4000-8000-000000000000"
    package["CFAssociations"][2]["destinationNodeURI"]["identifier"] = missing
    errors = _errors(_import(json.dumps(package)))
    assert f"it points at {missing}" in errors
    assert package["CFAssociations"][2]["identifier"] in errors


def test_an_association_from_a_missing_item():
    package = small_package()
    package["CFAssociations"][1]["originNodeURI"]["identifier"] = "gone"
    assert "its origin gone is not a CFItem" in _errors(_import(json.dumps(package)))


def test_a_rubric_criterion_pointing_at_a_missing_item_is_kept_not_rated():
    package = small_package()
    package["CFRubrics"] = [
        {
            "identifier": "r",
            "uri": "urn:r",
            "lastChangeDateTime": "2026-01-01T00:00:00Z",
            "CFRubricCriteria": [
                {
                    "identifier": "c",
                    "uri": "urn:c",
                    "lastChangeDateTime": "2026-01-01T00:00:00Z",
                    "CFItemURI": {"title": "", "identifier": "gone", "uri": "urn:gone"},
                }
            ],
        }
    ]
    result = _import(json.dumps(package))
    assert result.ok, result.errors
    assert "CFItem gone is not a competency" in " ".join(result.warnings)


def test_an_empty_framework():
    package = small_package()
    package["CFItems"], package["CFAssociations"] = [], []
    assert "The framework is empty" in _errors(_import(json.dumps(package)))


def test_an_item_without_a_statement_is_named():
    package = small_package()
    del package["CFItems"][1]["fullStatement"]
    errors = _errors(_import(json.dumps(package)))
    assert f"CFItem {package['CFItems'][1]['identifier']}: it has no fullStatement" in errors


def test_a_code_too_long_for_the_database_is_named():
    package = small_package()
    package["CFItems"][1]["humanCodingScheme"] = "S." + "1" * 300
    errors = _errors(_import(json.dumps(package)))
    assert f"CFItem {package['CFItems'][1]['identifier']}, humanCodingScheme: code:" in errors


def test_markup_in_titles_is_kept_as_plain_text():
    package = small_package()
    title = '<script>alert("x")</script><b>Patching</b>'
    package["CFItems"][1]["abbreviatedStatement"] = title
    result = _import(json.dumps(package))
    assert result.ok, result.errors
    assert any("HTML markup" in w for w in result.warnings)
    assert result.framework.competencies.get(code="S.1").title == title


def test_an_unknown_format():
    assert "Unknown format" in _errors(_import("x", format="xml"))


def test_a_failure_while_writing_leaves_nothing(monkeypatch):
    """Everything is written in one transaction: a failure halfway rolls it all back."""

    def refuse(*args, **kwargs):
        raise IntegrityError("refused by the test")

    monkeypatch.setattr(Competency.objects, "bulk_create", refuse)
    errors = _errors(_import(json.dumps(small_package())))
    assert "refused by the test" in errors
    assert not Framework.objects.filter(slug="small-framework").exists()


def test_definitions_that_are_not_lists_of_objects_are_named():
    package = small_package()
    package["CFDefinitions"] = {"CFSubjects": "Mathematics", "CFConcepts": [1]}
    errors = _errors(_import(json.dumps(package)))
    assert "CFDefinitions.CFSubjects: expected a list of objects." in errors
    assert "CFDefinitions.CFConcepts: expected a list of objects." in errors
