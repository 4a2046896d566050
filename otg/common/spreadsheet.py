"""Exports that people open in a spreadsheet: CSV and .xlsx whose cells can never be read as a formula.

A spreadsheet runs a cell that starts with "=", "+", "-", "@" (or a tab or CR before one) as a
formula. Quoting is not enough: a reader that splits on another separator than the writer's (Swedish
Excel splits on ";", others on "," or tab) cuts a quoted cell such as ``x;=1+2;`` into pieces, and the
piece after the separator starts with "=". So every cell is written quoted, tab and CR become spaces,
and any trigger character that starts the cell or follows a character that is not a letter or a
digit (any possible separator, a quote, a space) gets an apostrophe before it, which makes the
spreadsheet read the rest as text.
"""

import csv
import io
import re
from collections.abc import Iterable

from otg.common.text import clean_text

# The ASCII triggers and their full-width forms, which some spreadsheets read as the same.
TRIGGERS = "=+\\-@\uff1d\uff0b\uff0d\uff20"
FORMULA_START = re.compile(rf"(?<![^\W_])([{TRIGGERS}])")


def safe_cell(value) -> str:
    """One cell's text, safe to open in any spreadsheet with any separator."""
    text = clean_text("" if value is None else str(value)).replace("\t", " ").replace("\r", " ")
    return FORMULA_START.sub(r"'\1", text)


def csv_writer(stream):
    """A csv.writer that quotes every cell; write rows through ``write_row``."""
    return csv.writer(stream, quoting=csv.QUOTE_ALL)


def write_row(writer, cells) -> None:
    writer.writerow([safe_cell(cell) for cell in cells])


def xlsx_bytes(rows: Iterable[Iterable], *, title: str) -> bytes:
    """The rows as an .xlsx workbook (openpyxl), every cell stored as text.

    In .xlsx a cell's type is stored apart from its text, so a text cell is never a formula and needs
    no apostrophe; openpyxl would make a value starting with "=" a formula, so the type is set here.
    Control characters, which XML cannot carry, are removed as in every other output.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=clean_text(title)[:31] or "-")
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=clean_text("" if value is None else str(value)))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
