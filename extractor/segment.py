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
# Word and PDF exports often keep an outline number and the first sentence on
# one line ("3.预算100万元，实际支出95万元，执行率为96%。"). Such a line is
# narrative, not a heading: after its marker it has a clause break and a
# figure. True headings ("（二）项目支出", "（一）预算执行率（权重10分）") have
# no clause break, so they stay headings.
_CLAUSE_BREAK = re.compile(r"[，。；,;！？!?]")
_FIGURE = re.compile(r"\d|[零〇一二两三四五六七八九十百千]+(?:万|亿)?[元人个项家户%]")
# The heading phrase in front of the narrative ("1.资金执行。预算…"): short,
# no figure, closed by 。 or a colon.
_HEAD_PHRASE = re.compile(r"^[^，。；：:,;\d]{1,20}?(?=[。：:])")


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
        """A short line under an outline marker that does not carry narrative figures."""
        return self.opens_block and not self.carries_narrative

    @property
    def opens_block(self) -> bool:
        """A short line under an outline marker: the previous line never runs on into it."""
        return bool(patterns.HEADING.match(self.text)) and len(self.stripped) <= 40

    @property
    def carries_narrative(self) -> bool:
        """An outline marker followed by a clause break and a figure (see _CLAUSE_BREAK)."""
        m = patterns.HEADING.match(self.text)
        if not m:
            return False
        body = self.text[m.end():]
        return bool(_CLAUSE_BREAK.search(body)) and bool(_FIGURE.search(body))

    @property
    def head_phrase(self) -> str:
        """The section name in front of the narrative of a numbered line, or ""."""
        m = patterns.HEADING.match(self.text)
        if not m:
            return ""
        h = _HEAD_PHRASE.match(self.text[m.end():].strip())
        return self.text[:m.end()].strip() + h.group(0) if h else ""

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
    # Where the first sentence starts in ``view`` (after an outline marker
    # that is not part of it); see _narrative_starts.
    narrative_start: int = 0

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
    """Group lines into paragraphs (see module docstring for the joining rule).

    Computed once per document: every reader walks the paragraphs, and joining
    and squeezing them is the costliest step of reading a long report."""
    cached = doc.derived.get("paragraphs")
    if cached is None:
        cached = doc.derived["paragraphs"] = _paragraphs(doc)
    return list(cached)


def _paragraphs(doc: models.Document) -> list[Paragraph]:
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
                # A numbered narrative line starts a paragraph of its own, as a
                # heading does: items "1、…" / "2、…" stay apart.
                if cur.stripped[-1:] in _TERMINAL or nxt.opens_block or nxt.is_table_like:
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
        elif kind == "prose" and ln.carries_narrative and ln.head_phrase:
            # "1.资金执行。预算…": the narrative is read as prose, and its
            # heading phrase still names the section it opens.
            section = ln.head_phrase
        result.append(Paragraph(view, kind, group[0].number, section))
        i += 1
    return _narrative_starts(result)


def _marker_style(text: str) -> str | None:
    """The shape of a paragraph's outline marker: "3." → "N.", "（一）" → "（C）"."""
    m = patterns.HEADING.match(text)
    if not m:
        return None
    return re.sub(r"[一二三四五六七八九十]+", "C", re.sub(r"\d+", "N", m.group(0).strip()))


def _narrative_starts(paras: list[Paragraph]) -> list[Paragraph]:
    """Let the first sentence of a lone numbered prose paragraph start after its marker.

    "3.预算执行率为96.63%。" states the 预算执行率; the "3." is the outline, not
    part of the sentence (left in, the sentence reads as a list item). A run of
    sibling items ("1、A经费 51.52 万元，…" / "2、B经费 …"), and a paragraph that is
    a list in itself ("1、A 5万元；2、B 3万元。"), keep their markers: their figures
    are the parts of a total stated before them, read as list items.
    """
    styles = [_marker_style(p.text) for p in paras]
    out: list[Paragraph] = []
    for k, p in enumerate(paras):
        style = styles[k]
        # Only numbered prose is a sibling item; a numbered heading ("2.资金到位。")
        # next to the paragraph is the outline, not a list.
        siblings = {styles[j] for j in (k - 1, k + 1)
                    if 0 <= j < len(paras) and paras[j].kind == "prose"}
        m = patterns.HEADING.match(p.text)
        if (p.kind != "prose" or style is None or style in siblings
                or patterns.LIST_MARKER.search(p.text, m.end())):
            out.append(p)
            continue
        out.append(dataclasses.replace(p, narrative_start=m.end()))
    return out


def sentences(paragraph: Paragraph) -> list[models.TextView]:
    """Split a paragraph at 。！？ (keeping the mark with its sentence)."""
    text = paragraph.view.text
    out: list[models.TextView] = []
    start = paragraph.narrative_start
    for m in patterns.SENTENCE_END.finditer(text, start):
        out.append(paragraph.view.slice(start, m.end()))
        start = m.end()
    if start < len(text):
        out.append(paragraph.view.slice(start, len(text)))
    return [s for s in out if s.text.strip()]
