"""The CSV format: problems are named by row and column, and nothing is written."""

import json

import pytest

from frameworks.interchange.csv_format import COLUMNS
from frameworks.interchange.service import export_framework, import_framework
from frameworks.models import Framework

from .case_packages import ccss_like

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    "framework,,tiny,1,,,Tiny framework,A small one,,Tests,",
    "level,,,,0,,Not yet,Not started,,,",
    "level,,,,1,,Doing,Does it,,,",
    "role,,tech,,,,Technician,,,,",
    "domain,,D,,,,Domain,,,,",
    "competency,D,D.1,,,,First,Does the first thing,,,",
    "descriptor,D.1,,,1,,,Does the first thing alone,,,",
    "target,tech,D.1,,1,essential,,,,,",
    "resource,D.1,,,,,A guide,,Read it,Publisher,https://example.org/guide",
    "crosswalk,D.1,CoSN-1,,,,Something related,,,cosn,",
]


def _csv(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode()


def _refused(content: bytes) -> str:
    before = Framework.objects.count()
    result = import_framework(content=content, format="csv")
    assert not result.ok, "expected the file to be refused"
    assert Framework.objects.count() == before
    return "\n".join(result.errors)


def test_a_complete_tiny_framework_imports_cleanly():
    result = import_framework(content=_csv(*GOOD), format="csv")
    assert result.ok, result.errors
    assert result.warnings == []
    competency = result.framework.competencies.get()
    assert competency.resources.get().url == "https://example.org/guide"
    assert competency.crosswalk.get().scheme == "cosn"
    assert competency.targets.get().target.value == 1


def test_excel_byte_order_mark_and_extra_columns_are_accepted():
    content = "\ufeff".encode() + _csv(*GOOD).replace(b"url", b"url,comment", 1)
    result = import_framework(content=content, format="csv")
    assert result.ok, result.errors
    assert result.warnings == ["Row 1: the unknown column 'comment' is ignored."]


def test_missing_columns():
    assert "lacks the column(s) url" in _refused(
        b"kind,parent,code,version,level,importance,title,text,note,source\n"
    )


def test_unknown_kind_names_row_and_column():
    assert "row 3, column kind: 'levle' is not one of" in _refused(
        _csv(GOOD[0], "levle,,,,0,,x,y,,,")
    )


def test_level_that_is_not_a_number():
    errors = _refused(_csv(*GOOD, "descriptor,D.1,,,two,,,Text,,,"))
    assert "row 12, column level: 'two' is not a whole number." in errors


def test_reference_to_a_missing_competency():
    errors = _refused(_csv(*GOOD, "descriptor,D.9,,,1,,,Text,,,"))
    assert "row 12, column parent: there is no competency with the code 'D.9'." in errors


def test_duplicate_codes_name_both_rows():
    errors = _refused(_csv(*GOOD, "competency,D,D.1,,,,Again,Again,,,"))
    assert (
        "row 12, column code: the competency code D.1 is used twice (first at row 7, column code)."
        in errors
    )


def test_target_outside_the_scale_and_bad_importance():
    errors = _refused(_csv(*GOOD[:7], "target,tech,D.1,,4,vital,,,,,", *GOOD[8:]))
    assert "row 9, column level: level 4 is not on the framework's scale." in errors


def test_bad_importance_is_named_by_the_model():
    errors = _refused(_csv(*GOOD[:7], "target,tech,D.1,,1,vital,,,,,", *GOOD[8:]))
    assert "row 9, column importance: importance:" in errors


def test_no_framework_row():
    assert "exactly one framework row; it has 0" in _refused(_csv(*GOOD[1:]))


def test_empty_framework():
    assert "The framework is empty" in _refused(_csv(*GOOD[:5]))


def test_wrong_encoding():
    assert "not UTF-8" in _refused(_csv(*GOOD).replace(b"Tiny", "Tíny".encode("latin-1")))


def test_file_over_five_megabytes():
    assert "up to 5 MB" in _refused(_csv(*GOOD) + b"\r\n" + b" " * (5 * 1024 * 1024))


def test_groups_go_out_and_come_back_through_csv():
    deep = import_framework(content=json.dumps(ccss_like()).encode(), format="case").framework
    text = export_framework(framework=deep, format="csv")
    assert "domain,6.RP,6.RP.A," in text
    again = import_framework(content=text.encode(), format="csv")
    assert again.ok, again.errors
    pairs = set(again.framework.domains.values_list("code", "parent__code"))
    assert ("6.RP.A", "6.RP") in pairs and ("6", None) in pairs


def test_a_group_before_its_domain_is_refused():
    content = _csv(*GOOD).replace(b"domain,,D,", b"domain,LATER,D,")
    assert "the domain 'LATER' that D belongs to must come before it" in _refused(content)
