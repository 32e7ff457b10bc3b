""".xlsx bytes → text, tables and cell addresses, one table per sheet (openpyxl).

Formulas are read as the values Excel last computed and saved (a 合计 cell is
checked as the report shows it); a workbook saved by a program that never
computed its formulas has empty cells there. Hidden sheets are read too: a
reviewer's question is about the figures, wherever they sit. Files that are
not Excel 2007+ workbooks are refused with a bilingual
:class:`~extractor.errors.LoadError` saying what they are.
"""

from __future__ import annotations

import io
import zipfile

from extractor import errors
from extractor.load import sheet

__all__ = ["read"]

# OLE2 compound file: an Excel 97-2003 .xls, or the envelope of an encrypted .xlsx.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# openpyxl holds the whole workbook in memory; a 自评表 unpacks to a few MB,
# so this only stops zip bombs (the .docx reader uses the same bound).
_MAX_UNPACKED = 512 * 1024 * 1024


def read(data: bytes, source: str) -> tuple[str, list[list[list[str]]], dict]:
    """Read an Excel 2007+ workbook.

    Returns:
        ``(text, tables, {"cells": cells})`` as :func:`extractor.load.sheet.text_of`.

    Raises:
        errors.LoadError: not a readable .xlsx, or no text in any sheet.
    """
    if data.startswith(_OLE2):
        if _ENCRYPTED_STREAM in data:
            raise errors.LoadError(
                f"无法读取：{source} 设有打开密码（已加密）。请在 Excel 或 WPS 中取消密码后另存为 .xlsx。",
                f"Cannot read {source}: it is password-protected. Remove the password in Excel "
                "or WPS and save it as .xlsx again.",
            )
        raise errors.LoadError(
            f"无法读取：{source} 是旧版 Excel 97-2003 工作簿（.xls），只是扩展名为 .xlsx。"
            "请把扩展名改为 .xls。",
            f"Cannot read {source}: it is an old Excel 97-2003 workbook (.xls) with an .xlsx "
            "extension. Rename it to .xls.",
        )
    if not data.startswith(b"PK"):
        raise _damaged(source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise _damaged(source) from e
    if unpacked > _MAX_UNPACKED:
        raise errors.LoadError(
            f"无法读取：{source} 解压后超过 {_MAX_UNPACKED // 2**20} MB，不像是一份自评表（可能是损坏或恶意的文件）。",
            f"Cannot read {source}: it unpacks to more than {_MAX_UNPACKED // 2**20} MB, which is "
            "not a 自评表 workbook (the file may be damaged or malicious).",
        )
    if not any(n.startswith("xl/") for n in names):
        raise errors.LoadError(
            f"无法读取：{source} 不是 Excel 工作簿（可能是 Word 文档或其他压缩包）。",
            f"Cannot read {source}: it is not an Excel workbook (perhaps a Word document or "
            "another zip archive).",
        )
    import openpyxl

    try:
        # Not read_only: merged ranges are only known in the normal mode, and
        # a 自评表 is small.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl fails in many ways on a damaged package
        raise _damaged(source) from e
    sheets = []
    for ws in wb.worksheets:
        rows = [[sheet.display(c.value, c.number_format) for c in row]
                for row in ws.iter_rows()]
        sheets.append((ws.title, rows))
    text, tables, cells = sheet.text_of(sheets)
    if not text.strip():
        raise errors.LoadError(
            f"输入为空：{source} 的工作表中没有任何内容。", f"Empty input: {source} has no cell values."
        )
    return text, tables, {"cells": cells}


def _damaged(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 不是有效的 .xlsx 文件（文件已损坏或不完整）。"
        "请在 Excel 或 WPS 中打开并重新另存为 .xlsx。",
        f"Cannot read {source}: it is not a valid .xlsx file (damaged or incomplete). Open it "
        "in Excel or WPS and save it as .xlsx again.",
    )
