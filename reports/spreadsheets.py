"""
CSV and XLSX writers for the report downloads.

People's names, titles and notes are user text: every text cell that a spreadsheet
program could run as a formula is neutralised with a leading apostrophe
(``frameworks.spreadsheet``, the one rule). Numbers stay numbers.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from frameworks.spreadsheet import neutralise

# Sheet titles may not hold these characters (and at most 31 characters).
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

Rows = Iterable[Sequence]


def csv_bytes(rows: Rows) -> bytes:
    """UTF-8 with a byte order mark (so that Excel reads the accents), every cell quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Iterable[tuple[str, Rows]]) -> bytes:
    """A workbook with one sheet per (title, rows); the first row of each is its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(SHEET_TITLE_BAD.sub("", title)[:31] or "Sheet")
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        # Neutralise first (a leading control character counts), then drop what XML
        # cannot hold at all.
        value = ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
    return value
