"""Character-level normalisation that keeps a map back to the original text.

PDF and Word exports give us full-width digits (２０２３), non-breaking and
ideographic spaces, CRLF line ends and LaTeX fragments left by PDF-to-text
converters (``$\\geq 95\\%$``). Each function here takes and returns a
:class:`~extractor.models.TextView`, so every later regex match can be mapped
back to the raw offsets.
"""

from __future__ import annotations

import re

from extractor import models

__all__ = ["drop_whitespace", "is_cjk", "normalise_chars", "squeeze_whitespace", "view_of"]

# Full-width forms that carry numbers; CJK punctuation (，。；：（）) stays as is
# because patterns use it to find clause boundaries.
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({
    "％": "%", "．": ".", "＋": "+", "－": "-", "＜": "<", "＞": ">", "＝": "=",
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
    "\r": "\n", "∶": ":",
})
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_DROP = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"}

# Reports from Hong Kong-style sites and mirrors are printed in traditional
# characters (萬元, 增長, 決算); the budget vocabulary is mapped to simplified
# forms one character for one, so offsets are kept and every pattern applies.
# Only characters of that vocabulary are listed: a general converter would be
# a heavy dependency for the few words the checks read.
_TRADITIONAL = dict(zip(
    "萬億圓長減決預經費務車購運維護計總額較與數實際財撥項國內門單結餘轉增貸幣時間點統類別報表說"
    "據節約進場區縣鄉鎮級為於個業資產價應處場節數規劃費廳關發展現較",
    "万亿圆长减决预经费务车购运维护计总额较与数实际财拨项国内门单结余转增贷币时间点统类别报表说"
    "据节约进场区县乡镇级为于个业资产价应处场节数规划费厅关发展现较",
))
_TRADITIONAL.update(zip("壓縮執績評價協調對嚴開銷團組織鋪設營審會議備補貼標準",
                        "压缩执绩评价协调对严开销团组织铺设营审会议备补贴标准"))
_FULLWIDTH.update(_TRADITIONAL)

# LaTeX left in text by PDF converters, seen in the 附件 tables of real reports.
_LATEX = [
    (re.compile(r"\\leq?\b"), "≤"),
    (re.compile(r"\\geq?\b"), "≥"),
    (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$"), ""),
]


def view_of(raw: str) -> models.TextView:
    """The identity view of ``raw``."""
    return models.TextView(raw, list(range(len(raw) + 1)))


def normalise_chars(view: models.TextView) -> models.TextView:
    """Map full-width digits/letters/% to ASCII, unify spaces and line ends, drop BOMs."""
    out: list[str] = []
    offs: list[int] = []
    text, src = view.text, view.offsets
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 1
            continue
        if ch in _DROP:
            i += 1
            continue
        out.append(_FULLWIDTH.get(ch, ch))
        offs.append(src[i])
        i += 1
    offs.append(src[n])
    result = models.TextView("".join(out), offs)
    for pattern, repl in _LATEX:
        result = _substitute(result, pattern, repl)
    return result


def _substitute(view: models.TextView, pattern: re.Pattern[str], repl: str) -> models.TextView:
    """``re.sub`` on a view; replacement characters map to the match start."""
    out: list[str] = []
    offs: list[int] = []
    last = 0
    for m in pattern.finditer(view.text):
        out.append(view.text[last:m.start()])
        offs.extend(view.offsets[last:m.start()])
        out.append(repl)
        offs.extend([view.offsets[m.start()]] * len(repl))
        last = m.end()
    if last == 0 and not out:
        return view
    out.append(view.text[last:])
    offs.extend(view.offsets[last:])
    return models.TextView("".join(out), offs)


def is_cjk(ch: str) -> bool:
    """CJK ideographs and CJK/full-width punctuation."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’…—·")


def squeeze_whitespace(view: models.TextView) -> models.TextView:
    """Drop whitespace runs (line breaks included) that touch a CJK character.

    In Chinese text a space or a line break between ``内设 5 个股`` and ``室``
    carries no meaning: it is a PDF line wrap or a typesetting gap. Between two
    ASCII tokens (``66 66``, ``SKU 30``) one space is kept as a separator.
    """
    text = view.text
    out: list[str] = []
    offs: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = out[-1] if out else ""
            nxt = text[j] if j < n else ""
            if prev and nxt and not (is_cjk(prev) or is_cjk(nxt)):
                # A decimal point split from its digits ("9.3\n8") is a wrap too, and
                # so is a line break inside a figure of joined narrative lines
                # ("调整为3,4\n50.00万元"): reports never break a line between two figures.
                wrapped = "\n" in text[i:j] and (prev.isdigit() or prev == ",") and nxt.isdigit()
                if not (prev == "." or nxt == "." or wrapped or _split_group(out, text, j)):
                    out.append(" ")
                    offs.append(view.offsets[i])
            i = j
            continue
        out.append(ch)
        offs.append(view.offsets[i])
        i += 1
    offs.append(view.offsets[n])
    return models.TextView("".join(out), offs)


def _split_group(out: list[str], text: str, j: int) -> bool:
    """A space after a thousands comma inside one figure ("1, 537.4万元").

    Only a group of one to three digits before the comma and exactly three
    after it: a list of figures is never written that way.
    """
    if len(out) < 2 or out[-1] != "," or not out[-2].isdigit():
        return False
    lead = 0
    while lead < len(out) - 1 and out[-2 - lead].isdigit():
        lead += 1
    if lead > 3 or (len(out) > lead + 1 and out[-2 - lead] in ".,"):
        return False
    after = text[j + 3:j + 4]
    return text[j:j + 3].isdigit() and after != "" and after not in "0123456789,，、 \n"


def drop_whitespace(view: models.TextView) -> models.TextView:
    """Remove every whitespace character: a figure wrapped over two lines ("9.3" / "8")."""
    keep = [i for i, ch in enumerate(view.text) if not ch.isspace()]
    return models.TextView("".join(view.text[i] for i in keep),
                           [view.offsets[i] for i in keep] + [view.offsets[len(view.text)]])
