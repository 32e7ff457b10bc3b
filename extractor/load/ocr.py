"""A scanned PDF (pages that are images) → text by OCR, with doubtful digits marked.

Used only on request (``jxcheck check --ocr``) and only for a PDF without a
text layer. Pages are rendered with pypdfium2 (installed with pdfplumber)
and read by Tesseract with its Simplified Chinese model (Debian:
``apt-get install tesseract-ocr tesseract-ocr-chi-sim``). Tesseract gives a
confidence per word; a word holding a digit read with less than
:data:`DOUBTFUL_BELOW` is recorded as doubtful, and a finding that rests on
it is a warning rather than an error (see ``pipeline``): a misread 8 for a 3
must not be reported as the report's mistake.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile

from extractor import errors, normalise

__all__ = ["DOUBTFUL_BELOW", "available", "read_pdf"]

# Tesseract word confidence (0-100) below which a word with a digit is
# doubtful. Clean 300 dpi scans give 90+ for printed digits; smudged or
# low-resolution ones fall into the 60s and 70s.
DOUBTFUL_BELOW = 85
# Rendering resolution: Tesseract's documentation recommends at least 300 dpi.
_DPI = 300
_LANG = "chi_sim"
_TIMEOUT_S = 300
_INSTALL_ZH = ("请安装 Tesseract 及其简体中文模型（Debian/Ubuntu：sudo apt-get install tesseract-ocr "
               "tesseract-ocr-chi-sim），或提供带文字层的 PDF / 原始 Word 文件。")
_INSTALL_EN = ("Install Tesseract with its Simplified Chinese model (Debian/Ubuntu: sudo apt-get "
               "install tesseract-ocr tesseract-ocr-chi-sim), or provide a PDF with a text layer "
               "or the original Word file.")


def available() -> bool:
    """Whether tesseract and its chi_sim model are installed."""
    exe = shutil.which(os.environ.get("JXCHECK_TESSERACT", "tesseract"))
    if exe is None:
        return False
    try:
        proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return _LANG in (proc.stdout + proc.stderr).split()


def read_pdf(data: bytes, source: str) -> tuple[str, list, dict]:
    """OCR every page of a PDF.

    Returns:
        ``(text, [], {"doubtful": [(start, end), …]})``: the pages' lines,
        no native tables (the lines go through table reconstruction like a
        .txt report), and the character ranges of doubtful words.

    Raises:
        errors.LoadError: Tesseract or chi_sim missing, or nothing read.
    """
    if not available():
        raise errors.LoadError(
            f"无法对 {source} 做文字识别：未安装 Tesseract 或其简体中文模型 chi_sim。{_INSTALL_ZH}",
            f"Cannot OCR {source}: Tesseract or its Simplified Chinese model (chi_sim) is not "
            f"installed. {_INSTALL_EN}",
        )
    import pypdfium2

    exe = shutil.which(os.environ.get("JXCHECK_TESSERACT", "tesseract"))
    lines: list[str] = []
    doubtful: list[tuple[int, int]] = []
    offset = 0
    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception as e:  # pdfium raises its own PdfiumError on a broken file
        raise errors.LoadError(
            f"无法读取：{source} 已损坏，无法渲染页面做文字识别。",
            f"Cannot read {source}: it is damaged and its pages cannot be rendered for OCR.",
        ) from e
    with tempfile.TemporaryDirectory(prefix="jxcheck-ocr-") as tmp:
        for index in range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=_DPI / 72).to_pil()
            path = os.path.join(tmp, f"page{index + 1}.png")
            image.save(path)
            for words in _page_lines(exe, path, source):
                line, marks = _join(words)
                doubtful.extend((offset + s, offset + e) for s, e in marks)
                lines.append(line)
                offset += len(line) + 1
    pdf.close()
    text = "\n".join(lines)
    if not text.strip():
        raise errors.LoadError(
            f"无法核查：{source} 经文字识别后仍没有文字（页面可能是空白或图像太模糊）。",
            f"Cannot check {source}: OCR found no text in it (blank pages, or images too blurred).",
        )
    return text, [], {"doubtful": doubtful}


def _page_lines(exe: str, path: str, source: str) -> list[list[tuple[str, float]]]:
    """Tesseract's words of one page image, grouped into lines, with confidences."""
    try:
        proc = subprocess.run([exe, path, "stdout", "-l", _LANG, "tsv"], capture_output=True,
                              timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise errors.LoadError(
            f"无法对 {source} 做文字识别：Tesseract 运行失败（{e}）。",
            f"Cannot OCR {source}: Tesseract failed ({e}).",
        ) from e
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()[-200:]
        raise errors.LoadError(
            f"无法对 {source} 做文字识别：Tesseract 报错：{detail}",
            f"Cannot OCR {source}: Tesseract reported an error: {detail}",
        )
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    grouped: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for row in rows:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        grouped.setdefault(key, []).append((word, float(row.get("conf") or 0)))
    return list(grouped.values())


def _join(words: list[tuple[str, float]]) -> tuple[str, list[tuple[int, int]]]:
    """A line from its words, and the ranges of doubtful words with digits.

    Tesseract's chi_sim model returns Chinese a character or two per "word";
    a space is kept only between two Latin letters or digits, where the
    report had one.
    """
    out = ""
    marks: list[tuple[int, int]] = []
    for word, conf in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[0].isascii() \
                and word[0].isalnum() and not normalise.is_cjk(word[0]):
            out += " "
        start = len(out)
        out += word
        if conf < DOUBTFUL_BELOW and any(ch.isdigit() for ch in word):
            marks.append((start, len(out)))
    return out, marks
