""".pdf bytes → text and tables, page by page, top to bottom.

pdfplumber finds each page's ruled tables; the text outside them becomes
lines, and each table row becomes one line of tab-separated cell texts (the
same convention as Word's plain-text export, so tables are rebuilt the same
way as in a ``.txt`` report). Lines and tables are placed by their top edge.
Each page's caches are released as soon as it is read, so memory stays
bounded by one page, not the whole file.

Scanned PDFs (images, no text), encrypted PDFs and damaged or renamed files
are refused with a bilingual :class:`~extractor.errors.LoadError`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterator

from extractor import errors, limits, normalise
from extractor.load import txt

__all__ = ["read"]

# The PDF header may follow some junk (mail gateways, some scanners); Acrobat
# accepts it anywhere in the first 1024 bytes (PDF 1.7, Implementation note 13).
_HEADER_WINDOW = 1024
# Glyphs printed as "(cid:123)": fonts without a Unicode map. Above this share
# the text is unusable; below it a few symbols (ticks, bullets) are lost.
_MAX_CID_SHARE = 0.2
# Fewer columns than this is a frame or a box, not a table (see _read_page).
_MIN_COLUMNS = 2
_CID = re.compile(r"\(cid:\d+\)")
# Kangxi radicals (⼀ U+2F00), CJK radicals and compatibility ideographs stand
# in for ordinary ideographs in PDFs exported by some WPS and Founder versions,
# so "⼀般公共服务" would not match "一般公共服务". NFKC maps each to the
# ordinary ideograph; it is applied to these blocks only, since NFKC on the
# whole text would also turn "，" into "," and "（" into "(".
_COMPAT_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF))
_compat_table: dict[int, str] | None = None


def read(data: bytes, source: str, ocr: bool = False,
         places: list | None = None) -> tuple:
    """Read a PDF with a text layer.

    Args:
        data: the file's bytes.
        source: a name for messages.
        ocr: when the PDF has no text layer but has images (a scan), read it
            by OCR (:mod:`extractor.load.ocr`) instead of refusing it.
        places: if given, receives ``(first line, "第 N 页", "page N", True)``
            for each page, so that locations can name pages.

    Returns:
        ``(text, tables)``: the pages as lines, and each table as rows of cell
        strings ("" where a merged cell covers the position).

    Raises:
        errors.LoadError: not a PDF, damaged, encrypted, or without text.
    """
    if not data.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise _not_a_pdf(data, source)
    import pdfplumber
    from pdfminer import pdfdocument
    from pdfplumber.utils import exceptions as plumber_exceptions

    lines: list[str] = []
    tables: list[list[list[str]]] = []
    images = 0
    size = limits.TextSize(source)
    try:
        with _quiet_pdfminer(), pdfplumber.open(io.BytesIO(data)) as pdf:
            encrypted = getattr(pdf.doc, "encryption", None) is not None
            for number, page in enumerate(pdf.pages, 1):
                if limits.expired():
                    raise _too_slow(source, len(lines))
                if encrypted:
                    _repair_cid_system_info(page)
                try:
                    page_lines, page_tables = _read_page(page)
                    images += len(page.images)
                finally:
                    page.close()
                if places is not None and page_lines:
                    places.append((len(lines) + 1, f"第 {number} 页", f"page {number}", True))
                size.add(page_lines)
                lines.extend(page_lines)
                tables.extend(page_tables)
    except errors.LoadError:
        raise
    except plumber_exceptions.PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, pdfdocument.PDFEncryptionError):
            raise _encrypted(source) from e
        raise _damaged(source) from e
    except Exception as e:  # pdfminer fails in many ways on broken files
        # pdfminer raises whatever its parser hits (KeyError, TypeError,
        # struct.error, PSEOF …) on a damaged file; the user gets a message.
        raise _damaged(source) from e
    text = "\n".join(lines).translate(_compat())
    if ocr and not text.strip() and images:
        from extractor.load import ocr as ocr_reader

        return ocr_reader.read_pdf(data, source)
    _check_text(text, images, source)
    return text, [[[cell.translate(_compat()) for cell in row] for row in t] for t in tables]


def _read_page(page) -> tuple[list[str], list[list[list[str]]]]:
    """One page's lines, tables written as tab-separated lines, in top-to-bottom order."""
    found: list[tuple[tuple[float, float, float, float], list[list[str]]]] = []
    for table in page.find_tables():
        rows = [[_cell_text(cell) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        # A frame drawn around the page or a boxed paragraph is found as a
        # one-column "table"; its text reads better as ordinary lines.
        if rows and max(len(row) for row in rows) >= _MIN_COLUMNS:
            found.append((table.bbox, rows))
    boxes = [box for box, _ in found]
    # Characters inside a table are read with the table, not again as text.
    outside = page.filter(lambda obj: obj.get("object_type") != "char"
                          or not any(_centre_in(obj, box) for box in boxes))
    blocks: list[tuple[float, int, list[str]]] = [
        (ln["top"], 1, [ln["text"]])
        for ln in outside.extract_text_lines(strip=True, return_chars=False)
    ]
    tables: list[list[list[str]]] = []
    for box, rows in sorted(found, key=lambda t: t[0][1]):
        tables.append(rows)
        blocks.append((box[1], 0, ["\t".join(row) for row in rows]))
    blocks.sort(key=lambda b: (b[0], b[1]))
    return [line for _, _, block in blocks for line in block], tables


# The character collection a predefined CMap implies (PDF 1.7, 9.7.5.2,
# table 118): UniGB-UCS2-H → Adobe-GB1, and so on.
_CMAP_ORDERING = (("UniGB", b"GB1"), ("GB", b"GB1"), ("UniCNS", b"CNS1"), ("B5", b"CNS1"),
                  ("UniJIS", b"Japan1"), ("UniKS", b"Korea1"))


def _repair_cid_system_info(page) -> None:
    """Restore Registry/Ordering of CID fonts garbled by decryption.

    In a PDF with only an owner password (anyone may open it; copying is
    "restricted"), pdfminer returns the strings of a font's CIDSystemInfo
    still encrypted, so it finds no CID → Unicode map and every Chinese glyph
    comes out as "(cid:3206)": the reader was told "the fonts have no Unicode
    map". The font's predefined CMap name says which collection it uses.
    """
    from pdfminer.pdftypes import resolve1

    try:
        fonts = resolve1(resolve1(resolve1(page.page_obj.resources).get("Font")))
    except Exception:  # noqa: BLE001 - a page without readable resources
        return
    if not isinstance(fonts, dict):
        return
    for font in fonts.values():
        font = resolve1(font)
        if not isinstance(font, dict):
            continue
        encoding = resolve1(font.get("Encoding"))
        name = getattr(encoding, "name", "")
        ordering = next((o for prefix, o in _CMAP_ORDERING if str(name).startswith(prefix)), None)
        if ordering is None:
            continue
        for descendant in resolve1(font.get("DescendantFonts")) or ():
            descendant = resolve1(descendant)
            if not isinstance(descendant, dict):
                continue
            info = resolve1(descendant.get("CIDSystemInfo"))
            if not isinstance(info, dict):
                continue
            registry = resolve1(info.get("Registry"))
            if isinstance(registry, bytes) and registry.isascii() and registry.isalpha():
                continue  # readable: leave it
            info["Registry"], info["Ordering"] = b"Adobe", ordering


def _centre_in(obj: dict, box: tuple[float, float, float, float]) -> bool:
    """pdfplumber's own test for a character belonging to a table cell."""
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_text(cell: str | None) -> str:
    """A cell's text on one line. None (a position covered by a merge) is "".

    A line break inside a cell is a wrap of a too-narrow column: between two
    ideographs ("社会保障和就" / "业支出") it is dropped, elsewhere it is a space.
    """
    if not cell:
        return ""
    parts = [p.strip() for p in cell.replace("\t", " ").split("\n") if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        joiner = "" if normalise.is_cjk(out[-1]) and normalise.is_cjk(part[0]) else " "
        out += joiner + part
    return out


def _compat() -> dict[int, str]:
    global _compat_table
    if _compat_table is None:
        table = {}
        for lo, hi in _COMPAT_BLOCKS:
            for cp in range(lo, hi + 1):
                mapped = unicodedata.normalize("NFKC", chr(cp))
                if mapped != chr(cp) and len(mapped) == 1:
                    table[cp] = mapped
        _compat_table = table
    return _compat_table


@contextlib.contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs a warning for every odd object in real-world PDFs; those
    would end up on the user's terminal through logging's last-resort handler."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_text(text: str, images: int, source: str) -> None:
    """Refuse a PDF whose text layer is missing or unreadable."""
    cids = len(_CID.findall(text))
    glyphs = len("".join(_CID.sub("", text).split())) + cids
    if text.strip() and cids > _MAX_CID_SHARE * max(glyphs, 1):
        raise errors.LoadError(
            f"无法读取：{source} 的文字无法提取（字体缺少 Unicode 映射，提取出的是字形编号）。"
            "请提供原始 Word 文件，或从原文件重新导出 PDF。",
            f"Cannot read {source}: its text cannot be extracted (the fonts have no Unicode "
            "map; only glyph numbers come out). Provide the original Word file, or export the "
            "PDF again from it.",
        )
    if text.strip():
        return
    if images:
        raise errors.LoadError(
            f"无法核查：{source} 是扫描件（只有图片，没有文字层）。请提供原始 Word 文件或带文字层的 PDF；"
            "或加 --ocr 选项做文字识别（需安装 tesseract-ocr 与 tesseract-ocr-chi-sim；"
            "识别存疑的数字只报警告）。",
            f"Cannot check {source}: it is a scanned PDF (images only, no text layer). Provide the "
            "original Word file or a PDF with a text layer, or run again with --ocr (needs "
            "tesseract-ocr and tesseract-ocr-chi-sim; figures OCR is unsure of give warnings only).",
        )
    raise errors.LoadError(
        f"无法核查：{source} 没有可提取的文字（页面为空，或文字已转为曲线）。"
        "请提供原始 Word 文件。",
        f"Cannot check {source}: it has no extractable text (blank pages, or text converted "
        "to outlines). Provide the original Word file.",
    )


def _looks_like_text(data: bytes, source: str) -> bool:
    try:
        txt.decode(data, source)
    except errors.LoadError:
        return False
    return True


def _not_a_pdf(data: bytes, source: str) -> errors.LoadError:
    """Name what the file really is when it has no PDF header."""
    if data.startswith(b"PK") and b"word/" in data:
        return errors.LoadError(
            f"无法读取：{source} 是 Word 文档（.docx），不是 PDF。请把扩展名改为 .docx。",
            f"Cannot read {source}: it is a Word document (.docx), not a PDF. "
            "Rename it to .docx.",
        )
    if _looks_like_text(data, source):
        return errors.LoadError(
            f"无法读取：{source} 是纯文本，不是 PDF。请把扩展名改为 .txt。",
            f"Cannot read {source}: it is plain text, not a PDF. Rename it to .txt.",
        )
    return errors.LoadError(
        f"无法读取：{source} 不是 PDF 文件（缺少 PDF 文件头）。请确认文件完整，或提供原始 Word 文件。",
        f"Cannot read {source}: it is not a PDF file (no PDF header). Check that the file is "
        "complete, or provide the original Word file.",
    )


def _too_slow(source: str, lines: int) -> errors.LoadError:
    return errors.LoadError(
        f"无法核查：读取 {source} 超过了时间上限（--timeout），已读 {lines} 行。"
        "请提供原始 Word 文件，或放宽 --timeout。",
        f"Cannot check {source}: reading it took longer than the time limit (--timeout) "
        f"after {lines} lines. Provide the original Word file, or raise --timeout.",
    )


def _encrypted(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 已加密（需要密码才能打开）。请提供未加密的 PDF 或原始 Word 文件。",
        f"Cannot read {source}: it is encrypted (a password is needed to open it). Provide an "
        "unencrypted PDF or the original Word file.",
    )


def _damaged(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 已损坏或不完整，无法解析为 PDF。请重新下载或从原文件重新导出。",
        f"Cannot read {source}: it is damaged or incomplete and cannot be parsed as a PDF. "
        "Download it again or export it again from the original.",
    )
