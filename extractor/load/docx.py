""".docx bytes → text and tables, body paragraphs and tables in document order.

Each paragraph becomes a line. Each table row becomes one line of
tab-separated cell texts, as Word's "save as plain text" writes it, so the
text goes through the same table reconstruction as a ``.txt`` report. A merged
cell is written once, at its first grid position; the other positions it
covers are empty strings, so the columns below a merged header stay aligned.

Files that are not Word 2007+ documents (old binary ``.doc``, encrypted
documents, PDF or text files renamed to ``.docx``, damaged zips) are refused
with a bilingual :class:`~extractor.errors.LoadError`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from extractor import errors, limits
from extractor.load import txt

__all__ = ["read"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": _W, "mc": _MC}
# OLE2 compound file: Word 97-2003 .doc, and also the envelope Office puts
# around a password-protected .docx.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Uncompressed size of all parts together. python-docx reads every part into
# memory; the largest real report unpacks to about 30 MB (mostly images), so
# this only stops zip bombs.
_MAX_UNPACKED = 512 * 1024 * 1024
# Uncompressed size of the XML parts (body, headers, notes): these are what
# python-docx and lxml turn into a tree of twenty times their size (measured:
# 20 MB of paragraph XML, 530 MB resident; 60 MB, 1.4 GB). A real 100-page
# report's word/document.xml is a few MB; a 1.4 MB .docx whose XML unpacks to
# hundreds of MB took 3.5 GB to load.
_MAX_XML = 32 * 1024 * 1024
# Grid columns a row or a merged cell may claim (Word's own limit is 63).
_MAX_GRID = 64
# Runs that are not part of the visible body text: text boxes float outside
# the reading order, and mc:Fallback repeats the mc:Choice content for old readers.
_RUNS = etree.XPath(".//w:r[not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)"
                    " and not(ancestor::w:del) and not(ancestor::w:moveFrom)]", namespaces=_NS)
_CELL_PARAGRAPHS = etree.XPath(
    ".//w:p[not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback)]", namespaces=_NS)
_GRID_COLS = etree.XPath("./w:tblGrid/w:gridCol", namespaces=_NS)
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr", namespaces=_NS)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc", namespaces=_NS)
_DELETED_ROW = etree.XPath("./w:trPr/w:del", namespaces=_NS)
_GRID_BEFORE = etree.XPath("./w:trPr/w:gridBefore/@w:val", namespaces=_NS)
_GRID_AFTER = etree.XPath("./w:trPr/w:gridAfter/@w:val", namespaces=_NS)
_GRID_SPAN = etree.XPath("./w:tcPr/w:gridSpan/@w:val", namespaces=_NS)


def read(data: bytes, source: str,
         places: list | None = None) -> tuple[str, list[list[list[str]]]]:
    """Read a Word 2007+ document.

    Args:
        data: the file's bytes.
        source: a name for messages.
        places: if given, receives ``(line, "第 N 段", "paragraph N", False)``
            for each paragraph and ``(line, "表 T 第 R 行", "table T, row R",
            False)`` for each table row, so that locations name them.

    Returns:
        ``(text, tables)``: the body as lines, and each table as rows of cell
        strings ("" where a merge covers the position).

    Raises:
        errors.LoadError: the bytes are not a readable .docx.
    """
    if not data.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    body = _open(data, source).element.body
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    paragraphs = 0
    size = limits.TextSize(source)
    for kind, element in _blocks(body):
        if kind == "p":
            paragraphs += 1
            if places is not None:
                places.append((len(lines) + 1, f"第 {paragraphs} 段", f"paragraph {paragraphs}",
                               False))
            lines.append(_paragraph_text(element))
            size.add(lines[-1])
        else:
            rows = _table_rows(element)
            tables.append(rows)
            if places is not None:
                t = len(tables)
                places.extend((len(lines) + 1 + r, f"表 {t} 第 {r + 1} 行",
                               f"table {t}, row {r + 1}", False) for r in range(len(rows)))
            lines.extend("\t".join(row) for row in rows)
            for row in rows:
                size.add(row)
    text = "\n".join(lines)
    if not text.strip():
        raise _no_text(data, source)
    return text, tables


def _open(data: bytes, source: str):
    """python-docx ``Document`` of ``data``, or a LoadError saying what the file is."""
    if not data.startswith(b"PK"):
        raise _not_a_zip(data, source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(info.file_size for info in z.infolist())
            xml = sum(info.file_size for info in z.infolist()
                      if info.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise _damaged(source) from e
    if unpacked > _MAX_UNPACKED:
        raise errors.LoadError(
            f"无法读取：{source} 解压后超过 {_MAX_UNPACKED // 1024 // 1024} MB，"
            "不像是一份报告（可能是损坏或恶意的文件）。",
            f"Cannot read {source}: it unpacks to more than {_MAX_UNPACKED // 1024 // 1024} MB, "
            "which is not a report (the file may be damaged or malicious).",
        )
    if xml > _MAX_XML:
        raise errors.LoadError(
            f"无法读取：{source} 的文字部分解压后超过 {_MAX_XML // 1024 // 1024} MB，"
            "远大于任何一份报告（可能是损坏或恶意的文件）。",
            f"Cannot read {source}: its text parts unpack to more than "
            f"{_MAX_XML // 1024 // 1024} MB, far more than any report (the file may be damaged "
            "or malicious).",
        )
    if not any(n.startswith("word/") for n in names):
        raise _other_zip(names, source)
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as e:
        # python-docx: "file … is not a Word file, content type is …" (.docm, .dotx).
        raise errors.LoadError(
            f"无法读取：{source} 不是普通的 Word 文档（可能是模板或启用宏的文档）。"
            "请在 Word 或 WPS 中另存为 .docx 后重试。",
            f"Cannot read {source}: it is not a plain Word document (perhaps a template or a "
            "macro-enabled document). Save it as .docx in Word or WPS and try again.",
        ) from e
    except Exception as e:
        # python-docx assumes a well-formed package and fails in many ways on
        # one that is not (PackageNotFoundError without _rels/.rels, KeyError for
        # a missing part, lxml's XMLSyntaxError for a truncated one); the user
        # gets a message, not a traceback.
        raise _damaged(source) from e


def _blocks(parent) -> Iterator[tuple[str, object]]:
    """Body-level paragraphs and tables in document order.

    Content controls (w:sdt) and custom XML wrap ordinary blocks; WPS and
    government templates use them for cover pages, so their content is read too.
    """
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{{{_W}}}p":
            yield "p", child
        elif tag == f"{{{_W}}}tbl":
            yield "tbl", child
        elif tag == f"{{{_W}}}sdt":
            for content in child.iterchildren(f"{{{_W}}}sdtContent"):
                yield from _blocks(content)
        elif tag == f"{{{_W}}}customXml":
            yield from _blocks(child)


def _paragraph_text(p) -> str:
    """Visible text of a paragraph: runs inside hyperlinks, fields and insertions too.

    python-docx's ``Paragraph.text`` skips runs inside w:ins (tracked
    insertions) and w:smartTag, which reviewers' copies of reports often have.
    """
    parts: list[str] = []
    for run in _RUNS(p):
        for el in run.iterchildren():
            name = el.tag.rpartition("}")[2]
            if name == "t":
                parts.append(el.text or "")
            elif name == "tab":
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A cell's paragraphs joined by spaces; tabs and breaks become spaces too,
    since a tab inside a cell would shift every column after it."""
    texts = []
    for p in _CELL_PARAGRAPHS(tc):
        t = " ".join(_paragraph_text(p).replace("\t", " ").split("\n")).strip()
        if t:
            texts.append(t)
    return " ".join(texts)


def _table_rows(tbl) -> list[list[str]]:
    """Rows of cell strings, one string per grid column.

    A horizontal merge (w:gridSpan, or the legacy w:hMerge) and the lower rows
    of a vertical merge (w:vMerge without "restart") contribute empty strings,
    so each value appears once, at the merge's first position.
    """
    width = len(_GRID_COLS(tbl))
    rows: list[list[str]] = []
    for tr in _ROWS(tbl):
        if _DELETED_ROW(tr):
            continue  # a row deleted with track changes on
        row = [""] * _grid_int(_GRID_BEFORE(tr))
        for tc in _CELLS(tr):
            span = max(_grid_int(_GRID_SPAN(tc)), 1)
            if _is_continuation(tc):
                row.extend([""] * span)
            else:
                row.append(_cell_text(tc))
                row.extend([""] * (span - 1))
        row.extend([""] * _grid_int(_GRID_AFTER(tr)))
        # Rows that stop short of the grid are padded so every line has the
        # same number of tabs; rows wider than tblGrid (a broken grid) are kept.
        row.extend([""] * (width - len(row)))
        rows.append(row)
    return rows


def _is_continuation(tc) -> bool:
    """Whether ``tc`` continues a vertical merge, or a legacy horizontal one."""
    for attr in ("vMerge", "hMerge"):
        el = tc.find(f"{{{_W}}}tcPr/{{{_W}}}{attr}")
        if el is not None and el.get(f"{{{_W}}}val", "continue") != "restart":
            return True
    return False


def _grid_int(values: list) -> int:
    """The integer of a w:val attribute found by one of the XPaths above, 0 if absent.

    Capped at :data:`_MAX_GRID`: a w:gridSpan of 10⁹ in a hostile file would
    otherwise become a row of 10⁹ empty cells.
    """
    try:
        return min(max(int(values[0]), 0), _MAX_GRID) if values else 0
    except ValueError:
        return 0


def _looks_like_text(data: bytes, source: str) -> bool:
    try:
        txt.decode(data, source)
    except errors.LoadError:
        return False
    return True


def _not_a_zip(data: bytes, source: str) -> errors.LoadError:
    """Name what the file really is: every .docx is a zip archive."""
    if data.startswith(_OLE2):
        if _ENCRYPTED_STREAM in data:
            return errors.LoadError(
                f"无法读取：{source} 设有打开密码（已加密）。请在 Word 或 WPS 中取消密码后另存为 .docx。",
                f"Cannot read {source}: it is password-protected (encrypted). Remove the password "
                "in Word or WPS and save it as .docx again.",
            )
        return errors.LoadError(
            f"无法读取：{source} 是旧版 Word 97-2003 文档（.doc），只是扩展名为 .docx。"
            "请在 Word 或 WPS 中“另存为” .docx 格式后重试。",
            f"Cannot read {source}: it is an old Word 97-2003 document (.doc) with a .docx "
            "extension. Open it in Word or WPS, use Save As .docx, and try again.",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        return errors.LoadError(
            f"无法读取：{source} 是 RTF 文件，不是 .docx。请在 Word 或 WPS 中另存为 .docx 后重试。",
            f"Cannot read {source}: it is an RTF file, not a .docx. Save it as .docx in Word or "
            "WPS and try again.",
        )
    if data.lstrip().startswith(b"%PDF"):
        return errors.LoadError(
            f"无法读取：{source} 是 PDF 文件，不是 Word 文档。请把扩展名改为 .pdf。",
            f"Cannot read {source}: it is a PDF file, not a Word document. Rename it to .pdf.",
        )
    if _looks_like_text(data, source):
        return errors.LoadError(
            f"无法读取：{source} 是纯文本，不是 Word 文档。请把扩展名改为 .txt。",
            f"Cannot read {source}: it is plain text, not a Word document. Rename it to .txt.",
        )
    return _damaged(source)


def _other_zip(names: set[str], source: str) -> errors.LoadError:
    """A zip archive that is not a Word document: say which kind it is."""
    if any(n.startswith("xl/") for n in names):
        kind_zh, kind_en = " Excel 工作簿", "an Excel workbook"
    elif any(n.startswith("ppt/") for n in names):
        kind_zh, kind_en = " PowerPoint 演示文稿", "a PowerPoint presentation"
    else:
        kind_zh, kind_en = "压缩包（缺少 word/document.xml）", "a zip archive (no word/document.xml)"
    return errors.LoadError(
        f"无法读取：{source} 是{kind_zh}，不是 Word 文档。请提交报告的 .docx、.pdf 或 .txt 文件。",
        f"Cannot read {source}: it is {kind_en}, not a Word document. Submit the report as "
        ".docx, .pdf or .txt.",
    )


def _damaged(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 不是有效的 .docx 文件（文件已损坏或不完整）。"
        "请在 Word 或 WPS 中打开并重新另存为 .docx。",
        f"Cannot read {source}: it is not a valid .docx file (damaged or incomplete). "
        "Open it in Word or WPS and save it as .docx again.",
    )


def _no_text(data: bytes, source: str) -> errors.LoadError:
    """An empty document, or one made of pasted page images (a scan)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        has_images = any(n.startswith("word/media/") for n in z.namelist())
    if has_images:
        return errors.LoadError(
            f"无法核查：{source} 只有图片、没有文字（可能是扫描件）。请提供可编辑的原始文档，或先做文字识别（OCR）。",
            f"Cannot check {source}: it holds images but no text (probably scanned pages). "
            "Provide the original editable document, or run OCR first.",
        )
    return errors.LoadError(
        f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
    )
