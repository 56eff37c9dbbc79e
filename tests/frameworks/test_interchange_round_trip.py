"""The shipped framework goes out and comes back the same, through CASE and through CSV."""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from frameworks.interchange import store
from frameworks.interchange.service import export_framework, import_framework
from frameworks.models import Competency, Framework, LevelDescriptor, RoleTarget
from frameworks.services import publish_framework
from tests.cast import open_cycle

pytestmark = pytest.mark.django_db

TABLES = (Framework, Competency, LevelDescriptor, RoleTarget)

# The CASE schemas are not ours to ship: they live in the steering repository beside
# this one (../shared/standards, as on CI); CASE_SCHEMA names the v1.0 one in any other
# checkout, and the v1.1 one is beside it (or named by CASE_SCHEMA_V1P1).
SCHEMA = Path(
    os.environ.get("CASE_SCHEMA")
    or Path(__file__).resolve().parents[3] / "shared/standards/case-v1p0-cfpackage-schema.json"
)
SCHEMA_V1P1 = Path(
    os.environ.get("CASE_SCHEMA_V1P1") or SCHEMA.with_name("case-v1p1-cfpackage-schema.json")
)
EXPORTS = {"case": SCHEMA_V1P1, "case-1.0": SCHEMA}


def schema_errors(package: dict, schema: Path) -> list[str]:
    """Every error of ``package`` against ``schema``; a missing schema fails, never skips."""
    assert schema.is_file(), f"the CASE schema is not at {schema}: set CASE_SCHEMA"
    document = json.loads(schema.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(document)(
        document, format_checker=jsonschema.FormatChecker()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]


def without_case(fd):
    """The portal's content of a framework: its CASE identity blanked."""
    for part in [fd, *fd.domains, *fd.competencies()]:
        part.case = type(part.case)()
    return fd


def _same_content(original: Framework, imported: Framework) -> None:
    before, after = store.load(original), without_case(store.load(imported))
    assert after.version != before.version
    after.version = before.version
    # Domains, competencies, codes, descriptors, resources, crosswalk, roles and targets.
    assert after == before
    assert imported.status == Framework.Status.DRAFT


@pytest.mark.parametrize("format", ["case", "csv"])
def test_shipped_framework_round_trips(shipped_framework, format):
    text = export_framework(framework=shipped_framework, format=format)
    dry = import_framework(content=text.encode(), format=format, dry_run=True)
    assert dry.ok, dry.errors
    assert dry.warnings == []
    assert dry.diff.against == "k12-it-leadership@2026.1"
    assert dry.diff.unchanged
    assert dry.version == "2026.1.1"

    result = import_framework(content=text.encode(), format=format)
    assert result.ok, result.errors
    assert result.warnings == []  # complete: ready to publish
    _same_content(shipped_framework, result.framework)
    assert result.framework.version == "2026.1.1"
    publish_framework(framework=result.framework)  # complete, so an admin can publish it


def test_second_import_takes_the_next_free_label(shipped_framework):
    text = export_framework(framework=shipped_framework, format="csv").encode()
    labels = [import_framework(content=text, format="csv").version for _ in range(2)]
    assert labels == ["2026.1.1", "2026.1.2"]


def test_a_new_version_label_is_used_when_free(shipped_framework):
    text = export_framework(framework=shipped_framework, format="csv")
    text = text.replace("k12-it-leadership,2026.1,", "k12-it-leadership,2027.1,", 1)
    result = import_framework(content=text.encode(), format="csv")
    assert result.version == "2027.1"


def test_dry_run_writes_nothing_and_shows_the_changes(shipped_framework):
    package = json.loads(export_framework(framework=shipped_framework, format="case"))
    competencies = [i for i in package["CFItems"] if i["CFItemType"] == "Competency"]
    competencies[0]["abbreviatedStatement"] = "A new name"
    dropped = competencies[1]
    package["CFItems"].remove(dropped)
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] != dropped["identifier"]
    ]
    for criterion in package["CFRubrics"][0]["CFRubricCriteria"]:
        if criterion.get("CFItemURI", {}).get("identifier") == dropped["identifier"]:
            package["CFRubrics"][0]["CFRubricCriteria"].remove(criterion)
        elif criterion.get("category") == competencies[0]["humanCodingScheme"]:
            criterion["CFRubricCriterionLevels"][0]["description"] = "Something else entirely."
    counts = [m.objects.count() for m in TABLES]

    result = import_framework(content=json.dumps(package).encode(), format="case", dry_run=True)

    assert result.ok, result.errors
    assert [m.objects.count() for m in TABLES] == counts
    assert result.framework is None
    first = competencies[0]["humanCodingScheme"]
    assert result.diff.renamed == [
        f"{first}: {shipped_framework.competencies.get(code=first).title} → A new name"
    ]
    assert result.diff.removed == [
        f"{dropped['humanCodingScheme']} {dropped['abbreviatedStatement']}"
    ]
    assert result.diff.descriptors_changed == [f"{first} level 1"]
    assert any(dropped["humanCodingScheme"] in line for line in result.diff.targets_changed)


@pytest.mark.parametrize("format", EXPORTS)
def test_case_export_is_valid_against_the_cfpackage_schema(shipped_framework, format):
    package = json.loads(export_framework(framework=shipped_framework, format=format))
    assert schema_errors(package, EXPORTS[format]) == []
    assert package["CFDocument"].get("caseVersion") == ("1.1" if format == "case" else None)
    rubric = package["CFRubrics"][0]
    assert len(rubric["CFRubricCriteria"]) == 1 + shipped_framework.competencies.count()
    assert {lv["score"] for lv in rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]} == set(
        range(6)
    )


def test_case_identifiers_are_stable(shipped_framework):
    def identifiers(text):
        found = []

        def walk(value):
            if isinstance(value, dict):
                found.extend(v for k, v in value.items() if k == "identifier")
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(json.loads(text))
        return found

    first = identifiers(export_framework(framework=shipped_framework, format="case"))
    again = identifiers(export_framework(framework=shipped_framework, format="case"))
    assert first == again
    # Every entity has its own identifier (links repeat the ones they point at).
    package = json.loads(export_framework(framework=shipped_framework, format="case"))
    own = [package["CFDocument"]["identifier"]] + [i["identifier"] for i in package["CFItems"]]
    own += [a["identifier"] for a in package["CFAssociations"]]
    assert len(own) == len(set(own))


def test_csv_export_is_stable_and_protects_formulas(shipped_framework):
    competency = shipped_framework.competencies.first()
    competency.title = "=SUM(1+2)"
    competency.why_it_matters = "＠SUM(A1)"
    competency.save(update_fields=["title", "why_it_matters"])
    text = export_framework(framework=shipped_framework, format="csv")
    assert text == export_framework(framework=shipped_framework, format="csv")
    assert ",'=SUM(1+2)," in text
    assert ",'＠SUM(A1)," in text
    result = import_framework(content=text.encode(), format="csv")
    imported = result.framework.competencies.get(code=competency.code)
    assert (imported.title, imported.why_it_matters) == (competency.title, "＠SUM(A1)")


@pytest.mark.parametrize("version", ["2026.1", "2026.2"])
def test_fixture_export_has_the_shape_of_the_shipped_fixture(shipped_framework, version):
    name = {"2026.1": "k12-it-leadership", "2026.2": "k12-it-leadership-2026-2"}[version]
    if version != shipped_framework.version:
        call_command("loaddata", name, verbosity=0)
    framework = Framework.objects.get_by_natural_key(shipped_framework.slug, version)
    shipped = json.loads(
        (Path(__file__).resolve().parents[2] / "fixtures" / f"{name}.json").read_text()
    )
    exported = json.loads(export_framework(framework=framework, format="fixture"))
    assert all("pk" not in entry for entry in exported)

    def key(entry):
        return json.dumps(entry, sort_keys=True)

    for entry in shipped:
        entry["fields"].pop("frozen_at", None)
        if entry["model"] == "frameworks.resource":
            entry["fields"].setdefault("year", None)  # 2026.1 predates the year field
    for entry in exported:
        entry["fields"].pop("frozen_at", None)
        # A framework the portal made has no CASE identity (the shipped file predates it).
        for name in ("case_identifier", "case_uri", "case_fields", "parent"):
            assert entry["fields"].pop(name, None) in ("", {}, None)
    assert sorted(map(key, shipped)) == sorted(map(key, exported))


def test_a_cycle_opens_on_an_imported_and_published_version(shipped_framework, a):
    """Export, dry run, import, publish, open a cycle: the way a new user would."""
    text = export_framework(framework=shipped_framework, format="case").encode()
    assert import_framework(content=text, format="case", dry_run=True).diff.unchanged
    imported = import_framework(content=text, format="case").framework
    publish_framework(framework=imported)
    cycle = open_cycle(a, imported, a.staff)
    assessment = cycle.assessments.get()
    assert assessment.role_profile.framework == imported
    assert assessment.role_profile.code == a.staff.job_role
    assert assessment.ratings.count() == imported.competencies.count() == 25
    imported.refresh_from_db()
    assert imported.is_frozen
