""".xls (Excel 97-2003) bytes → text, tables and cell addresses (xlrd).

Old 自评表 templates still circulate as .xls. xlrd reads the binary format
with each cell's number format, so figures are written as Excel shows them
(see :mod:`extractor.load.sheet`).
"""

from __future__ import annotations

import datetime

from extractor import errors
from extractor.load import sheet

__all__ = ["read"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(data: bytes, source: str) -> tuple[str, list[list[list[str]]], dict]:
    """Read an Excel 97-2003 workbook.

    Returns:
        ``(text, tables, {"cells": cells})`` as :func:`extractor.load.sheet.text_of`.

    Raises:
        errors.LoadError: not a readable .xls, or no text in any sheet.
    """
    if data.startswith(b"PK"):
        raise errors.LoadError(
            f"无法读取：{source} 是新版 Excel 工作簿（.xlsx），只是扩展名为 .xls。请把扩展名改为 .xlsx。",
            f"Cannot read {source}: it is an Excel 2007+ workbook (.xlsx) with an .xls extension. "
            "Rename it to .xlsx.",
        )
    if not data.startswith(_OLE2):
        raise _damaged(source)
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except xlrd.biffh.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise errors.LoadError(
                f"无法读取：{source} 设有打开密码（已加密）。请取消密码后另存。",
                f"Cannot read {source}: it is password-protected. Remove the password and save "
                "it again.",
            ) from e
        raise _damaged(source) from e
    except Exception as e:  # xlrd raises struct/index errors on truncated files
        raise _damaged(source) from e
    sheets = []
    for ws in book.sheets():
        covered = {(r, c) for rlo, rhi, clo, chi in ws.merged_cells
                   for r in range(rlo, rhi) for c in range(clo, chi) if (r, c) != (rlo, clo)}
        rows = []
        for r in range(ws.nrows):
            row = []
            for c in range(ws.ncols):
                row.append("" if (r, c) in covered else _display(book, ws.cell(r, c)))
            rows.append(row)
        sheets.append((ws.name, rows))
    text, tables, cells = sheet.text_of(sheets)
    if not text.strip():
        raise errors.LoadError(
            f"输入为空：{source} 的工作表中没有任何内容。", f"Empty input: {source} has no cell values."
        )
    return text, tables, {"cells": cells}


def _display(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return sheet.display(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return sheet.display(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError):
            return sheet.display(cell.value)
        return sheet.display(value if value.time() != datetime.time() else value)
    fmt = "General"
    try:
        xf = book.xf_list[cell.xf_index]
        fmt = book.format_map[xf.format_key].format_str
    except (IndexError, KeyError, TypeError):
        pass
    return sheet.display(cell.value, fmt)


def _damaged(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 不是有效的 .xls 文件（文件已损坏或不完整）。请在 Excel 或 WPS 中另存为 .xlsx。",
        f"Cannot read {source}: it is not a valid .xls file (damaged or incomplete). Save it as "
        ".xlsx in Excel or WPS.",
    )
