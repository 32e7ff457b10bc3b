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
from typing import BinaryIO

from extractor import errors, models, normalise
from extractor.load import txt

__all__ = ["MAX_BYTES", "SUFFIXES", "from_bytes", "from_path", "from_text", "load", "read_bounded"]

MAX_BYTES = txt.MAX_BYTES
# Read size: small enough that an endless stream stops promptly at the limit.
_CHUNK = 1024 * 1024
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
    """Read a file; raises :class:`errors.LoadError` with a bilingual message.

    The size limit is applied while reading, not from the file's stated size
    alone: a FIFO, a character device (``/dev/zero``) or a file that grows
    reports size 0 and would otherwise be read until memory runs out.
    """
    p = pathlib.Path(path)
    if not p.exists():
        raise errors.LoadError(f"文件不存在：{p}", f"File not found: {p}")
    if p.is_dir():
        raise errors.LoadError(f"这是一个目录，不是文件：{p}", f"This is a directory, not a file: {p}")
    limit = MAX_BYTES * 4 if p.suffix.lower() in SUFFIXES else MAX_BYTES
    try:
        txt.check_size(p.stat().st_size, str(p), limit=limit)
        with p.open("rb") as f:
            data = read_bounded(f, str(p), limit)
    except PermissionError as e:
        raise errors.LoadError(f"没有读取权限：{p}", f"Permission denied: {p}") from e
    except OSError as e:
        raise errors.LoadError(f"无法读取文件：{p}（{e.strerror}）", f"Cannot read {p}: {e.strerror}") from e
    return from_bytes(data, str(p), p.suffix, ocr=ocr)


def read_bounded(stream: BinaryIO, source: str, limit: int = MAX_BYTES) -> bytes:
    """Read ``stream`` to its end, refusing it as soon as it passes ``limit`` bytes.

    Raises:
        errors.LoadError: over the limit (endless input such as ``/dev/zero``
            stops at ``limit`` + 1 bytes read), or the stream cannot be read.
    """
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as e:
        # A directory or a closed terminal given as stdin, a broken pipe.
        raise errors.LoadError(
            f"无法读取：{source}（{e.strerror or type(e).__name__}）。",
            f"Cannot read {source}: {e.strerror or type(e).__name__}.",
        ) from e
    if total > limit:
        raise errors.LoadError(
            f"输入过大：{source} 超过 {limit / 1024 / 1024:.0f} MB 上限（读到 "
            f"{limit / 1024 / 1024:.0f} MB 时仍未结束）。请只提交报告正文。",
            f"Input too large: {source} is over the {limit / 1024 / 1024:.0f} MB limit (it had "
            "not ended when the limit was reached). Submit the report text only.",
        )
    return b"".join(chunks)


def load(source: str, ocr: bool = False) -> models.Document:
    """``-`` reads standard input; anything else is a path."""
    if source == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise errors.LoadError("无法读取标准输入（已关闭）。", "Cannot read standard input: it is closed.")
        return from_bytes(read_bounded(stdin, "<stdin>"), "<stdin>")
    return from_path(source, ocr=ocr)
