"""Sections, paragraphs and sentences as views over ``Document.view``.

PDF exports wrap narrative lines at a fixed width and often put a blank line
between wrapped lines (report 000 does both), while tables arrive one cell or
one row per line. A line therefore joins the next one only when it reads as
unfinished narrative: long enough to be prose, not ending a sentence, and not
followed by a heading or a table row.
"""

from __future__ import annotations

import dataclasses
import re

from extractor import models, normalise, patterns

__all__ = ["Line", "Paragraph", "lines_of", "paragraphs", "sentences"]

# Prose lines in the shared reports are 25-40 characters wide when wrapped;
# table cells and labels are shorter.
_MIN_PROSE_CHARS = 15
_TERMINAL = "。！？!?"
# A line ending in a colon or semicolon closes a block of its own (a caption
# such as "一是本级专项资金情况:" or the last item of a list), unless it is the
# "其中：" that announces the parts on the next line.
_BLOCK_END = "：:；;"
_NUMERIC_LINE = re.compile(r"^[\s\d.,%\-−+]+$")
# A row that ends in two or more space-separated figures: "招商引资 22.5 64.53 60.26"
_TRAILING_FIGURES = re.compile(r"(?:^|\s)[-−]?\d[\d.,%]*(?:\s+[-−]?\d[\d.,%]*)+\s*$")
_CJK_PUNCT = re.compile(r"[，。；：、,;:]")


@dataclasses.dataclass(frozen=True)
class Line:
    """One physical line of the normalised text."""

    number: int  # 1-based
    start: int  # offset in Document.view
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_table_like(self) -> bool:
        s = self.stripped
        if "\t" in s or _NUMERIC_LINE.match(s):
            return True
        return bool(_TRAILING_FIGURES.search(s)) and "。" not in s

    @property
    def is_heading(self) -> bool:
        return bool(patterns.HEADING.match(self.text)) and len(self.stripped) <= 40

    @property
    def is_title(self) -> bool:
        """A heading that stands alone ("1、项目单位基本情况"), not a numbered sentence."""
        s = self.stripped
        return self.is_heading and len(s) <= 25 and not re.search(r"[，。；,;]", s)

    @property
    def is_prose(self) -> bool:
        s = self.stripped
        return not self.is_table_like and (
            len(s) >= _MIN_PROSE_CHARS or bool(_CJK_PUNCT.search(s))
        )


@dataclasses.dataclass(frozen=True)
class Paragraph:
    """Joined lines with whitespace around CJK removed; ``kind`` is prose/table/heading."""

    view: models.TextView
    kind: str
    first_line: int
    section: str

    @property
    def text(self) -> str:
        return self.view.text


def lines_of(doc: models.Document) -> list[Line]:
    """Split the normalised view into physical lines."""
    out: list[Line] = []
    text = doc.view.text
    start = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        out.append(Line(number, start, start + len(chunk), chunk))
        start += len(chunk) + 1
    return out


def paragraphs(doc: models.Document) -> list[Paragraph]:
    """Group lines into paragraphs (see module docstring for the joining rule)."""
    lines = [ln for ln in lines_of(doc) if not ln.is_blank]
    result: list[Paragraph] = []
    section = ""
    i = 0
    while i < len(lines):
        ln = lines[i]
        group = [ln]
        kind = "table" if ln.is_table_like else ("heading" if ln.is_heading else "prose")
        if kind == "prose" and not ln.is_prose:
            kind = "cell"
        if kind in ("prose", "heading"):
            while i + 1 < len(lines):
                cur, nxt = group[-1], lines[i + 1]
                if cur.stripped[-1:] in _TERMINAL or nxt.is_heading or nxt.is_table_like:
                    break
                if cur.stripped[-1:] in _BLOCK_END and not cur.stripped.rstrip("：:").endswith("其中"):
                    break
                if not cur.is_prose or cur.is_title:
                    break
                group.append(nxt)
                i += 1
            if kind == "heading" and len(group) > 1:
                kind = "prose"
        start, end = group[0].start, group[-1].end
        view = normalise.squeeze_whitespace(doc.view.slice(start, end))
        if kind == "heading":
            section = view.text[:40]
        result.append(Paragraph(view, kind, group[0].number, section))
        i += 1
    return result


def sentences(paragraph: Paragraph) -> list[models.TextView]:
    """Split a paragraph at 。！？ (keeping the mark with its sentence)."""
    text = paragraph.view.text
    out: list[models.TextView] = []
    start = 0
    for m in patterns.SENTENCE_END.finditer(text):
        out.append(paragraph.view.slice(start, m.end()))
        start = m.end()
    if start < len(text):
        out.append(paragraph.view.slice(start, len(text)))
    return [s for s in out if s.text.strip()]
