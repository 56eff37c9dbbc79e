"""
CASE in, the same CASE out: identifiers, statements, codes, notes, order and every
association of every type survive an import and an export, of packages shaped like real
published ones (``case_packages``), and the export is valid CASE 1.1 and CASE 1.0.
"""

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.interchange.service import export_framework, import_framework, import_frameworks
from frameworks.models import Framework, Indicator
from frameworks.services import copy_framework

from .case_packages import PACKAGES, Builder, ccss_like, flat_codeless, ident, ngss_like
from .test_interchange_round_trip import EXPORTS, schema_errors

pytestmark = pytest.mark.django_db

DEPTHS = {"ccss-like": None, "ngss-like": 3, "flat-codeless": None}


def _import(package, **options):
    result = import_framework(content=json.dumps(package).encode(), format="case", **options)
    assert result.ok, result.errors
    return result


def _export(framework, format="case") -> dict:
    return json.loads(export_framework(framework=framework, format=format))


def identifiers(value) -> set[str]:
    """Every identifier in a package, links included."""
    if isinstance(value, dict):
        own = {value["identifier"]} if isinstance(value.get("identifier"), str) else set()
        return own.union(*(identifiers(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(identifiers(v) for v in value))
    return set()


def edges(package) -> set[tuple]:
    return {
        (
            a["identifier"],
            a["associationType"],
            a["originNodeURI"]["identifier"],
            a["destinationNodeURI"]["identifier"],
            a.get("sequenceNumber"),
        )
        for a in package.get("CFAssociations", [])
    }


def items(package) -> dict[str, tuple]:
    return {
        i["identifier"]: (
            i["uri"],
            i.get("humanCodingScheme"),
            i["fullStatement"],
            i.get("abbreviatedStatement"),
            i.get("notes"),
            i.get("CFItemType"),
        )
        for i in package["CFItems"]
    }


@pytest.mark.parametrize("name", PACKAGES)
def test_export_of_an_import_is_the_same_package(name):
    source = PACKAGES[name]()
    framework = _import(source, competency_depth=DEPTHS[name]).framework
    exported = _export(framework, "case" if "caseVersion" in source["CFDocument"] else "case-1.0")

    assert identifiers(exported) == identifiers(source)
    assert items(exported) == items(source)
    assert edges(exported) == edges(source)
    assert exported["CFDefinitions"] == source["CFDefinitions"]
    assert exported["CFRubrics"] == source.get("CFRubrics", [])
    document = {k: v for k, v in exported["CFDocument"].items() if k != "extensions"}
    assert document == source["CFDocument"]
    # Every source field of every item, e.g. educationLevel, language, extensions.
    exported_items = {i["identifier"]: i for i in exported["CFItems"]}
    for item in source["CFItems"]:
        mine = dict(exported_items[item["identifier"]])
        extensions = mine.pop("extensions", {})
        extensions.pop("skillsPortal", None)
        if extensions:
            mine["extensions"] = extensions
        assert mine == item


@pytest.mark.parametrize("name", PACKAGES)
@pytest.mark.parametrize("format", EXPORTS)
def test_export_of_an_import_is_valid_case(name, format):
    framework = _import(PACKAGES[name](), competency_depth=DEPTHS[name]).framework
    assert schema_errors(_export(framework, format), EXPORTS[format]) == []


def test_a_second_round_trip_changes_nothing():
    first = _import(ccss_like()).framework
    once = export_framework(framework=first, format="case")
    second = import_framework(content=once.encode(), format="case").framework
    again = export_framework(framework=second, format="case")
    assert json.loads(again)["CFItems"] == json.loads(once)["CFItems"]
    assert edges(json.loads(again)) == edges(json.loads(once))


def test_deep_items_are_kept_as_indicators_and_the_rubric_sets_the_depth():
    result = _import(ccss_like(), dry_run=True)
    assert result.counts["competencies"] == 16
    assert result.counts["indicators"] == 32
    assert result.counts["domains"] == 2 + 4 + 4  # grades, domains, clusters
    assert "the items at depth 4 of 5" in result.info[0]

    framework = _import(ccss_like()).framework
    standard = framework.competencies.get(code="CCSS.Math.Content.6.RP.A.3")
    assert len(standard.code) == 26
    assert standard.why_it_matters == "Note on standard 3."
    assert [(i.code, i.notes) for i in standard.indicators.all()] == [
        ("CCSS.Math.Content.6.RP.A.3.a", "Deep note a."),
        ("CCSS.Math.Content.6.RP.A.3.b", "Deep note b."),
    ]
    cluster = standard.domain
    assert (cluster.code, cluster.parent.code, cluster.parent.parent.code) == (
        "6.RP.A",
        "6.RP",
        "6",
    )
    # No sequenceNumber under a cluster: codes in natural order, not as text.
    assert [c.code.rsplit(".", 1)[1] for c in cluster.competencies.order_by("position")] == [
        "1", "2", "3", "10",
    ]  # fmt: skip
    assert standard.case_identifier == ident("CCSS.Math.Content.6.RP.A.3")
    assert framework.case_identifier == ident("ccss")
    assert framework.competencies.get(code="CCSS.Math.Content.6.RP.A.1").descriptors.count() == 3


def test_the_depth_can_be_chosen():
    result = _import(ccss_like(), competency_depth=2, dry_run=True)
    assert (result.counts["domains"], result.counts["competencies"]) == (2, 4)
    assert result.counts["indicators"] == 4 + 16 + 32
    assert "depth 2 of 5 (chosen)" in result.info[0]


def test_repeated_and_missing_codes_fractional_scores_and_a_japanese_title():
    result = _import(ngss_like(), competency_depth=3)
    warnings = "\n".join(result.warnings)
    framework = result.framework
    assert framework.slug == ident("ngss")
    assert (
        f"the slug is the document identifier {ident('ngss')}. Choose one with --slug" in warnings
    )
    codes = set(framework.competencies.values_list("code", flat=True))
    assert codes == {"K-PS2-1", "K-PS2-1 #2", "PS.2", "PS #2.2"}
    assert "The humanCodingScheme K-PS2-1 is used by 2 items" in warnings
    assert "1 exact duplicate CFAssociation object(s) dropped" in warnings
    assert "0.5 → 0, 1 → 1, 1.5 → 2, 2.25 → 3" in warnings
    assert [lv.name for lv in framework.levels.all()] == ["入門", "基礎", "発展", "熟達"]
    assert f"CFItem {ident('ngss-K-ps')} is not a competency" in warnings
    assert "1 association(s) of type isPeerOf are not used by the portal" in warnings
    assert Indicator.objects.filter(competency__framework=framework).count() == 2


def test_a_title_without_latin_letters_nor_identifier_names_the_slug_option():
    package = ngss_like()
    package["CFDocument"]["identifier"] = ""
    result = import_framework(content=json.dumps(package).encode(), format="case")
    assert any("gives no slug: choose one with --slug" in e for e in result.errors)


def test_code_less_top_level_items_get_distinct_codes_and_no_made_up_domain_is_exported():
    framework = _import(flat_codeless()).framework
    assert sorted(framework.competencies.values_list("code", flat=True)) == [
        "D.1", "D.2", "D.3", "D.4", "D.5",
    ]  # fmt: skip
    titles = list(framework.competencies.order_by("position").values_list("title", flat=True))
    assert titles == [f"Skill number {n}." for n in range(1, 6)]
    exported = _export(framework)
    assert len(exported["CFItems"]) == 5
    assert all("humanCodingScheme" not in i for i in exported["CFItems"])


def test_an_array_of_packages_imports_as_several_frameworks():
    content = json.dumps([ccss_like(), flat_codeless()]).encode()
    before = Framework.objects.count()
    dry = import_frameworks(content=content, format="case", dry_run=True)
    assert [(r.ok, r.title) for r in dry] == [
        (True, "Synthetic Mathematics Standards"),
        (True, "Flat Skills List"),
    ]
    assert Framework.objects.count() == before
    results = import_frameworks(content=content, format="case")
    assert {r.framework.slug for r in results} == {
        "synthetic-mathematics-standards",
        "flat-skills-list",
    }
    single = import_framework(content=content, format="case")
    assert "holds 2 CASE packages" in single.errors[0]


def test_the_command_takes_an_array_and_a_competency_depth(tmp_path):
    path = tmp_path / "two.json"
    path.write_text(json.dumps([ccss_like(), ngss_like()]), encoding="utf-8")
    before = Framework.objects.count()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_framework",
        str(path),
        "--dry-run",
        "--competency-depth",
        "3",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "== Synthetic Mathematics Standards ==" in text
    assert "== 理科の学習指導要領 ==" in text
    assert text.count("the items at depth 3 of") == 2
    assert "Dry run: nothing was written." in text
    assert Framework.objects.count() == before


def test_export_1_0_and_1_1_differ_only_where_the_versions_do():
    framework = _import(ngss_like(), competency_depth=3).framework
    v11, v10 = _export(framework, "case"), _export(framework, "case-1.0")
    assert v11["CFDocument"]["caseVersion"] == "1.1"
    assert "caseVersion" not in v10["CFDocument"]
    assert identifiers(v11) == identifiers(v10)
    assert all("CFDocumentURI" not in i for i in v11["CFItems"])


# ---------------------------------------------------------------------- property


@st.composite
def trees(draw):
    """A random isChildOf tree: (parent index or None, code or None, sequenceNumber or None)."""
    size = draw(st.integers(min_value=1, max_value=25))
    nodes = []
    for n in range(size):
        parent = draw(st.one_of(st.none(), st.integers(0, n - 1))) if n else None
        code = draw(
            st.one_of(st.none(), st.sampled_from(["A", "A.1", "B", "B.10", "B.2", f"X{n}"]))
        )
        seq = draw(st.one_of(st.none(), st.integers(0, 50)))
        nodes.append((parent, code, seq))
    return nodes


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees(), depth=st.one_of(st.none(), st.integers(1, 4)))
def test_any_accepted_package_exports_the_same_identifiers_edges_statements_and_codes(tree, depth):
    b = Builder("prop", "Property Framework")
    for n, (parent, code, seq) in enumerate(tree):
        b.item(
            f"n{n}", None if parent is None else f"n{parent}", f"Statement {n}.", code=code, seq=seq
        )
    source = b.package()
    result = import_framework(
        content=json.dumps(source).encode(), format="case", competency_depth=depth
    )
    assert result.ok, result.errors
    exported = _export(result.framework, "case-1.0")
    assert identifiers(exported) == identifiers(source)
    assert edges(exported) == edges(source)
    assert items(exported) == items(source)
    result.framework.delete()


def test_a_new_version_of_an_imported_framework_keeps_its_case_identity():
    original = _import(ngss_like(), competency_depth=3).framework
    copy = copy_framework(framework=original)
    assert Indicator.objects.filter(competency__framework=copy).count() == 2
    assert copy.domains.filter(parent__isnull=False).count() == 2
    before, after = _export(original), _export(copy)
    assert after["CFItems"] == before["CFItems"]
    assert edges(after) == edges(before)
    assert after["CFRubrics"] == before["CFRubrics"]


def test_the_package_beyond_the_tree_is_kept_apart_from_the_framework_row():
    """Pages that read the framework do not load the rubrics and associations."""
    framework = _import(ccss_like()).framework
    framework.refresh_from_db()
    assert set(framework.case_fields) == {"document"}
    kept = framework.case_source.fields
    assert {a["associationType"] for a in kept["CFAssociations"]} == {"exactMatchOf", "isRelatedTo"}
    assert kept["CFRubrics"] == ccss_like()["CFRubrics"]


def test_a_fixture_of_an_imported_framework_loads_back_the_same_case_package(tmp_path):
    framework = _import(ngss_like(), competency_depth=3).framework
    before = _export(framework)
    path = tmp_path / "ngss.json"
    path.write_text(export_framework(framework=framework, format="fixture"), encoding="utf-8")
    framework.delete()
    call_command("loaddata", str(path), verbosity=0)
    again = Framework.objects.get(case_identifier=ident("ngss"))
    after = _export(again)
    assert after["CFItems"] == before["CFItems"]
    assert edges(after) == edges(before)
    assert after["CFRubrics"] == before["CFRubrics"]


def test_rubrics_on_other_depths_are_kept_and_named():
    result = _import(ccss_like(), competency_depth=2)
    warnings = "\n".join(result.warnings)
    assert "No rubric describes a competency: the default 0–5 scale is used" in warnings
    assert _export(result.framework)["CFRubrics"] == ccss_like()["CFRubrics"]
