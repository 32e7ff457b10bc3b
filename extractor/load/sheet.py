"""Spreadsheet cells → report text: shared by the .xlsx and .xls readers.

A 自评表 workbook is a set of tables. Each sheet becomes its name on a line,
then one line per non-empty row with the cells' displayed texts separated by
tabs (the same convention as the .docx reader, so the rows go through the
same table reconstruction), and each cell's text keeps its address
(``Sheet1!B3``) so a finding can name the cell.

Numbers are written as Excel displays them, from the cell's number format:
``0.00`` keeps two decimals (the printed precision the checks rely on),
``0.0%`` turns 0.9387 into ``93.9%``, and a unit written into the format
(``0.00"万元"``) follows the number. Floats never reach the checks: the
displayed text is parsed to Decimal like any other report text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

__all__ = ["Sheet", "cell_ref", "display", "text_of"]

# Excel shows at most this many significant digits for "General".
_GENERAL_DIGITS = 11
_QUOTED = re.compile(r'"([^"]*)"')
_BRACKETS = re.compile(r"\[[^\]]*\]")
# Characters of a format that are not digits placeholders or literals.
_LAYOUT = re.compile(r"[_*\\].|[?]")

Sheet = tuple[str, Sequence[Sequence[str]]]  # name, rows of displayed cell texts


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``Sheet1!B3`` for 0-based ``row``/``col``; names Excel would quote are quoted."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    name = sheet if re.fullmatch(r"[\w.]+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{letters}{row + 1}"


def display(value: object, number_format: str = "General") -> str:
    """A cell value as Excel shows it (without thousands separators).

    Args:
        value: what openpyxl or xlrd read (str, int, float, bool, date, None).
        number_format: the cell's format code.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        # A line break inside a cell would end the table row.
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return _number(value, number_format or "General")
    return str(value)


def _number(value: int | float | Decimal, number_format: str) -> str:
    section = number_format.split(";")[0]
    suffix = "".join(m.group(1) for m in _QUOTED.finditer(section.split("0")[-1]))
    plain = _LAYOUT.sub("", _BRACKETS.sub("", _QUOTED.sub("", section)))
    percent = "%" in plain
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if percent:
        number *= 100
    if plain.strip().lower() in ("general", "") or not re.search(r"[0#]", plain):
        text = _general(number)
    else:
        digits = re.search(r"\.([0#]+)", plain)
        decimals = len(digits.group(1)) if digits else 0
        text = f"{number.quantize(Decimal(10) ** -decimals, rounding='ROUND_HALF_UP'):f}"
    return text + ("%" if percent else "") + suffix


def _general(number: Decimal) -> str:
    """Excel's "General": the value's own digits, up to 11 significant ones."""
    if number == number.to_integral_value():
        return f"{number.to_integral_value():f}"
    rounded = round(number, max(0, _GENERAL_DIGITS - len(str(abs(int(number))))))
    text = f"{rounded.normalize():f}"
    return text


def text_of(sheets: Iterable[Sheet]) -> tuple[str, list[list[list[str]]], list[tuple[int, int, str]]]:
    """The report text, its tables and the cell map.

    Returns:
        ``(text, tables, cells)``: sheets in order, each its name then its
        non-empty rows as tab-separated lines; every sheet's rows as a table
        (trailing empty columns dropped); and ``(start, end, "Sheet!A1")`` for
        every non-empty cell, sorted by start.
    """
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    cells: list[tuple[int, int, str]] = []
    offset = 0

    def emit(line: str) -> None:
        nonlocal offset
        lines.append(line)
        offset += len(line) + 1

    for name, rows in sheets:
        kept = [(r, row) for r, row in enumerate(rows) if any(c.strip() for c in row)]
        if not kept:
            continue
        width = max(max((i + 1 for i, c in enumerate(row) if c.strip()), default=0)
                    for _, row in kept)
        if lines:
            emit("")
        emit(name)
        table = []
        for r, row in kept:
            row = [c.replace("\t", " ") for c in list(row[:width]) + [""] * (width - len(row))]
            pos = offset
            for c, text in enumerate(row):
                if text:
                    cells.append((pos, pos + len(text), cell_ref(name, r, c)))
                pos += len(text) + 1
            table.append(row)
            emit("\t".join(row))
        tables.append(table)
    return "\n".join(lines), tables, cells
