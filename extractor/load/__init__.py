"""Input → :class:`~extractor.models.Document`, dispatched on suffix or stdin.

``.txt``/``.md`` (or no suffix, or ``-`` for standard input) are decoded as
text; ``.docx``, ``.pdf``, ``.xlsx``, ``.xls`` and ``.doc``/``.wps`` are read
by their own modules, imported lazily so that the text path needs neither
python-docx, pdfplumber nor openpyxl at import time.
"""

from __future__ import annotations

import importlib
import pathlib
import sys

from extractor import errors, models, normalise
from extractor.load import txt

__all__ = ["MAX_BYTES", "SUFFIXES", "from_bytes", "from_path", "from_text", "load"]

MAX_BYTES = txt.MAX_BYTES
# Suffix → "module:function" returning (text, tables) or (text, tables,
# extras); tables may be empty; extras may give "cells" (spreadsheet cell
# addresses) and "doubtful" (OCR-read text of low confidence), see Document.
SUFFIXES = {
    ".docx": "extractor.load.docx:read",
    ".pdf": "extractor.load.pdf:read",
    ".xlsx": "extractor.load.xlsx:read",
    ".xlsm": "extractor.load.xlsx:read",
    ".xls": "extractor.load.xls:read",
    ".doc": "extractor.load.office:read",
    ".wps": "extractor.load.office:read",
}
# Readers that take options from the command line (``--ocr``).
_OPTIONS = {".pdf": ("ocr",)}
# Readers that can say where lines stand in the original (pages, paragraphs).
_PLACES = (".pdf", ".docx")


def from_text(text: str, source: str = "<text>", encoding: str = "utf-8") -> models.Document:
    """Build a document from already decoded text."""
    if not text.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    view = normalise.normalise_chars(normalise.view_of(text))
    return models.Document(source=source, raw=text, encoding=encoding, view=view)


def from_bytes(data: bytes, source: str = "<input>", suffix: str = "",
               ocr: bool = False) -> models.Document:
    """Build a document from bytes; ``suffix`` picks the reader (.docx, .pdf, .xlsx …).

    Args:
        ocr: read a PDF without a text layer by OCR (tesseract), see
            :mod:`extractor.load.ocr`.
    """
    suffix = suffix.lower()
    if suffix in SUFFIXES:
        module_name, func = SUFFIXES[suffix].split(":")
        reader = getattr(importlib.import_module(module_name), func)
        # Word and PDF files carry images and fonts: allow them more room.
        txt.check_size(len(data), source, limit=MAX_BYTES * 4)
        options = {k: v for k, v in {"ocr": ocr}.items() if k in _OPTIONS.get(suffix, ())}
        places: list[tuple[int, str, str, bool]] = []
        if suffix in _PLACES:
            options["places"] = places
        text, tables, *extras = reader(data, source, **options)
        doc = from_text(text, source, encoding=suffix.lstrip("."))
        doc.tables = tables
        doc.places = places
        extra = extras[0] if extras else {}
        doc.cells = list(extra.get("cells", ()))
        doc.doubtful = [models.Span(start=s, end=e) for s, e in extra.get("doubtful", ())]
        return doc
    text, encoding = txt.decode(data, source)
    return from_text(text, source, encoding)


def from_path(path: str | pathlib.Path, ocr: bool = False) -> models.Document:
    """Read a file; raises :class:`errors.LoadError` with a bilingual message."""
    p = pathlib.Path(path)
    if not p.exists():
        raise errors.LoadError(f"文件不存在：{p}", f"File not found: {p}")
    if p.is_dir():
        raise errors.LoadError(f"这是一个目录，不是文件：{p}", f"This is a directory, not a file: {p}")
    try:
        txt.check_size(p.stat().st_size, str(p),
                       limit=MAX_BYTES * 4 if p.suffix.lower() in SUFFIXES else MAX_BYTES)
        data = p.read_bytes()
    except PermissionError as e:
        raise errors.LoadError(f"没有读取权限：{p}", f"Permission denied: {p}") from e
    except OSError as e:
        raise errors.LoadError(f"无法读取文件：{p}（{e.strerror}）", f"Cannot read {p}: {e.strerror}") from e
    return from_bytes(data, str(p), p.suffix, ocr=ocr)


def load(source: str, ocr: bool = False) -> models.Document:
    """``-`` reads standard input; anything else is a path."""
    if source == "-":
        data = sys.stdin.buffer.read()
        return from_bytes(data, "<stdin>")
    return from_path(source, ocr=ocr)
