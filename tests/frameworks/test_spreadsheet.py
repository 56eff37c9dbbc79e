"""The one rule for text that a spreadsheet program would run as a formula."""

from decimal import Decimal

import pytest

from frameworks.spreadsheet import is_formula_like, neutralise

RISKY = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",  # tab (OWASP)
    "\r=1",  # carriage return (OWASP)
    "\n=1",
    "\x00x",  # NUL (OWASP ASVS 1.2.10)
    "\x7f=1",
    "\x85=1",  # a C1 control character
    '＝HYPERLINK("http://evil")',  # fullwidth = + - @
    "＋1",
    "－1",
    "＠SUM(A1)",
]
SAFE = ["Pat Staff", " =1", "'=1", "1+1", "<script>alert(1)</script>", "{{ 7*7 }}", "", "é=1"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_is_neutralised(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", SAFE)
def test_other_text_is_left_alone(text):
    assert not is_formula_like(text)
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, Decimal("62.5"), None, 0])
def test_numbers_stay_numbers(value):
    assert neutralise(value) == value
