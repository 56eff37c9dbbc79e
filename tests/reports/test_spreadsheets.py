"""The CSV and XLSX writers: numbers stay numbers, risky text is neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.spreadsheets import csv_bytes, neutralise, xlsx_bytes

LONG_WORD = "x" * 2000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("\x00x", "'\x00x"),
        ("＠SUM(A1)", "'＠SUM(A1)"),  # the full list: tests/frameworks/test_spreadsheet.py
        ("Pat Staff", "Pat Staff"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("", ""),
        (-3, -3),  # numbers are numbers, negative ones too
        (Decimal("62.5"), Decimal("62.5")),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


ROWS = [
    ["Person", "Readiness %", "Gap"],
    ["=cmd|' /C calc'!A0", Decimal("62.5"), 2],
    ["@SUM(1+1)", Decimal("0.0"), 0],
    ["\tTab\x01", None, -1],
    [LONG_WORD, Decimal("100.0"), 0],
]


def test_csv_is_quoted_utf8_with_a_bom_and_neutralised():
    content = csv_bytes(ROWS)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "62.5", "2"]
    assert rows[2][0] == "'@SUM(1+1)"
    assert rows[3] == ["'\tTab\x01", "", "-1"]
    assert rows[4][0] == LONG_WORD


def test_xlsx_keeps_numbers_and_never_writes_a_formula():
    book = load_workbook(io.BytesIO(xlsx_bytes([("Heat map", ROWS), ("Bad: [sheet]?*", ROWS)])))
    assert book.sheetnames == ["Heat map", "Bad sheet"]
    sheet = book["Heat map"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1] == ("'=cmd|' /C calc'!A0", 62.5, 2)
    assert values[2][0] == "'@SUM(1+1)"
    assert values[3] == ("'\tTab", None, -1)  # a character XML cannot hold is dropped
    assert values[4][0] == LONG_WORD
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"
