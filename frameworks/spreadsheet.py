"""
Text that a spreadsheet program would run as a formula, and how it is defused: the one rule
for every CSV and XLSX the portal writes (reports, exports, the framework's CSV format) and
for the roster files it reads. Plain Python, so that every app can use it; it lives in
``frameworks`` because that app is at the bottom of the imports (reports → assessments →
frameworks).

A cell is risky when its first character is one that starts a formula (OWASP, "CSV
Injection"): ``= + - @``, their fullwidth forms ``＝ ＋ － ＠`` (which spreadsheet programs
in East Asian locales read as the same operators), or a control character: tab and
carriage return (OWASP), NUL (OWASP ASVS 1.2.10) and every other one, which has no business
at the start of a name or a title. Writers neutralise a risky cell with a leading
apostrophe, which spreadsheet programs read as "this is text"; the roster import refuses
one instead.
"""

import unicodedata

FORMULA_STARTS = frozenset("=+-@＝＋－＠")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could take ``text`` for a formula."""
    if not text:
        return False
    first = text[0]
    return first in FORMULA_STARTS or unicodedata.category(first) == "Cc"


def neutralise(value):
    """``value`` as a cell that no spreadsheet program runs: risky text gets a leading ``'``.
    Anything but text (a number, ``None``) is returned as it is."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
