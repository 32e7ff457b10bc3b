"""Quoted text → spans of ``Document.raw``: exact first, then folded.

A model quotes the text it was shown, but not always character for character:
it drops the line breaks and spaces that PDF exports put inside Chinese
sentences ("内设 5 个股\\n室"), writes ASCII digits and punctuation for
full-width ones (２０２３ → 2023, ，→ ,), or curly quotes for straight ones.
CJK text is where index-based aligners go wrong: one character is one code
point here, never a byte count, and a whitespace-insensitive match must map
every folded character back to its own source position.

Alignment therefore has two steps, as langextract's resolver does:

1. exact: ``str.find`` of the quote in the view;
2. folded: both sides folded character by character (NFKC width folding,
   quote and dash variants, ASCII case, whitespace dropped) with an index map,
   so that a match in the folded text maps back to the view and then, through
   :meth:`TextView.raw_span`, to raw offsets.

The status is :attr:`~extractor.models.Alignment.EXACT` only when the raw
text under the span equals the quote; anything found by folding, or found in
a normalised view whose raw text differs, is ``FUZZY``. A quote found neither
way is ``None``: the caller rejects it (the LLM validators re-ask).

When a quote occurs more than once, the first occurrence at or after
``prefer`` wins (``prefer`` defaults to the start of the searched range); the
LLM backend passes the start of a chunk's new text, so that a sentence
repeated in the overlap is attributed to the chunk that owns it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence

from extractor import models, patterns, quantities

__all__ = ["Located", "Wanted", "align_quote", "fold", "locate", "locate_all", "locate_figure",
           "locate_number", "read_wanted"]

# Characters folded beyond NFKC: typographic quotes and dashes a model swaps
# for ASCII (or the reverse), and the ideographic full stop some models write
# as "." after figures.
_EXTRA_FOLD = {
    "“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'",
    "—": "-", "–": "-", "−": "-", "－": "-", "―": "-",
    "～": "~", "〜": "~",
    "【": "[", "】": "]", "〔": "[", "〕": "]",
}
_ZERO_WIDTH = frozenset("\ufeff\u200b\u200c\u200d\u2060\u00ad")


@dataclasses.dataclass(frozen=True)
class Located:
    """Where a quote stands: ``[start, end)`` in the view and its raw span."""

    start: int
    end: int
    span: models.Span
    alignment: models.Alignment


def _fold_char(ch: str) -> str:
    if ch in _EXTRA_FOLD:
        return _EXTRA_FOLD[ch]
    if ch.isspace() or ch in _ZERO_WIDTH:
        return ""
    norm = unicodedata.normalize("NFKC", ch)
    if len(norm) != 1:
        # "…" → "...", "㎡" → "m2": keep the character so that offsets stay 1:1.
        norm = ch
    norm = _EXTRA_FOLD.get(norm, norm)
    return norm.lower() if norm.isascii() else norm


def fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for tolerant matching.

    Returns:
        ``(folded, index)`` where ``index[i]`` is the position in ``text`` of
        ``folded[i]``, plus one sentinel entry ``len(text)``.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        if f:
            out.append(f)
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def _status(raw: str | None, span: models.Span, quote: str, exact: bool) -> models.Alignment:
    if exact and (raw is None or raw[span.start:span.end] == quote):
        return models.Alignment.EXACT
    return models.Alignment.FUZZY


def locate_all(quote: str, view: models.TextView, *, start: int = 0, end: int | None = None,
               raw: str | None = None) -> list[Located]:
    """Every occurrence of ``quote`` in ``view.text[start:end]``: exact ones, or else folded ones."""
    quote = quote.strip()
    end = len(view.text) if end is None else end
    if not quote:
        return []
    text = view.text
    found: list[Located] = []
    pos = text.find(quote, start, end)
    while pos != -1:
        span = view.raw_span(pos, pos + len(quote))
        found.append(Located(pos, pos + len(quote), span, _status(raw, span, quote, True)))
        pos = text.find(quote, pos + 1, end)
    if found:
        return found
    fq, _ = fold(quote)
    if not fq:
        return []
    ft, index = fold(text[start:end])
    pos = ft.find(fq)
    while pos != -1:
        s = start + index[pos]
        e = start + index[pos + len(fq) - 1] + 1
        span = view.raw_span(s, e)
        found.append(Located(s, e, span, models.Alignment.FUZZY))
        pos = ft.find(fq, pos + 1)
    return found


def locate(quote: str, view: models.TextView, *, start: int = 0, end: int | None = None,
           prefer: int | None = None, raw: str | None = None) -> Located | None:
    """The occurrence of ``quote`` to use: the first at or after ``prefer``, else the first.

    Args:
        quote: the text a model quoted.
        view: the text it was shown (a chunk view or the document view).
        start, end: the range of ``view.text`` to search.
        prefer: view offset from which an occurrence is preferred.
        raw: ``Document.raw``; with it, ``EXACT`` means the raw text equals the quote.
    """
    hits = locate_all(quote, view, start=start, end=end, raw=raw)
    if not hits:
        return None
    if prefer is not None:
        for h in hits:
            if h.start >= prefer:
                return h
    return hits[0]


def align_quote(quote: str, raw: str, *, start: int = 0, end: int | None = None,
                prefer: int | None = None) -> tuple[models.Span, models.Alignment] | None:
    """Align ``quote`` directly against raw text (an identity view)."""
    view = models.TextView(raw, list(range(len(raw) + 1)))
    hit = locate(quote, view, start=start, end=end, prefer=prefer, raw=raw)
    return None if hit is None else (hit.span, hit.alignment)


def _is_figure_char(ch: str) -> bool:
    return ch.isdigit() or ch in ".,"


def locate_number(number: str, view: models.TextView, start: int, end: int,
                  *, taken: frozenset[int] = frozenset()) -> int | None:
    """View offset where ``number`` (as a model copied it) starts inside ``[start, end)``.

    The match is folded (width, and whitespace between the figure and its
    unit) and bounded: "23.5" is not found inside "123.54", nor "5" inside
    "15". Whitespace *between digits* is a cell boundary, never part of a
    figure: in a table row "合计122.87 122.87" the string "122.87122.87" is
    not found, and "9.38" is not found across "9.3" and "8" on two lines.
    Offsets in ``taken`` (figures already assigned to another field of the
    same claim) are skipped when a later occurrence exists.

    Returns:
        The view offset of the first character, or ``None``.
    """
    fn, _ = fold(number)
    if not fn:
        return None
    text = view.text
    ft, index = fold(text[start:end])
    hits: list[int] = []
    pos = ft.find(fn)
    while pos != -1:
        s = start + index[pos]
        e = start + index[pos + len(fn) - 1] + 1
        if _bounded(text, s, e, start, end) and not _digits_split(text, s, e):
            hits.append(s)
        pos = ft.find(fn, pos + 1)
    if not hits:
        return None
    for h in hits:
        if h not in taken:
            return h
    return hits[0]


def _bounded(text: str, s: int, e: int, lo: int, hi: int) -> bool:
    """No digit (or decimal point before a digit) touches ``text[s:e]`` in the source.

    Looked up in the source, not the folded text, so a space or line break
    next to the match is a boundary.
    """
    before = text[s - 1] if s > lo else ""
    after = text[e] if e < hi else ""
    first, last = text[s], text[e - 1]
    if before and (before.isdigit() or unicodedata.normalize("NFKC", before).isdigit()):
        return False
    if before and before in ".．" and _folds_to_digit(first):
        return False
    if after and (after.isdigit() or unicodedata.normalize("NFKC", after).isdigit()):
        return False
    if after and after in ".．,，" and _folds_to_digit(last) and e + 1 < hi and _folds_to_digit(text[e + 1]):
        return False
    return True


def _folds_to_digit(ch: str) -> bool:
    return unicodedata.normalize("NFKC", ch).isdigit()


def _digits_split(text: str, s: int, e: int) -> bool:
    """Whitespace inside ``text[s:e]`` with a figure character on both sides."""
    for i in range(s + 1, e - 1):
        if text[i].isspace() or text[i] in _ZERO_WIDTH:
            j = i
            while j < e and (text[j].isspace() or text[j] in _ZERO_WIDTH):
                j += 1
            k = i - 1
            if j < e and _folds_to_figure(text[k]) and _folds_to_figure(text[j]):
                return True
    return False


def _folds_to_figure(ch: str) -> bool:
    return _is_figure_char(unicodedata.normalize("NFKC", ch)) or ch in "．，"


# ------------------------------------------------------------------ figures
# A model names a figure by copying it ("122.87", "400余万元", "-8.7%"). The
# figure read is always a token of the source text as quantities.scan cuts it
# (the rules backend's own tokeniser), never a string match: whitespace
# between cells is a boundary, the decimals, sign, unit and 余/约/近 are those
# printed, and a bare table cell takes a unit only when the model names one
# that the chunk prints before it (a caption "单位：万元", a header "(%)").

# 余/多 between a number and its unit ("400余万元").
_APPROX_INFIX = re.compile(r"^(?:余|多)")


@dataclasses.dataclass(frozen=True)
class Wanted:
    """What a model's figure string asks for: digits (no commas), sign, unit."""

    digits: str
    negative: bool
    unit: str
    cn_value: object = None  # Decimal of a Chinese numeral ("三千万元"), else None


def read_wanted(text: str) -> Wanted | None:
    """Parse a model's figure string; ``None`` when it holds no number at all."""
    folded, _ = fold(text)
    m = patterns.NUMBER.search(folded)
    if m is not None:
        num = m.group(0)
        rest = folded[m.end():]
        if patterns.NUMBER.search(rest) or patterns.NUMBER.search(folded[:m.start()]):
            # "15-8.7", "122.87 122.87": two figures in one field name no single cell.
            return None
        infix = _APPROX_INFIX.match(rest)
        if infix:
            rest = rest[infix.end():]
        um = patterns.UNIT.match(rest)
        negative = num[0] in "-−"
        return Wanted(num.lstrip("+-−").replace(",", ""), negative, um.group(0) if um else "")
    cm = patterns.CN_NUMBER.search(text)
    if cm is None:
        return None
    try:
        value = quantities.parse_cn_number(cm.group(0))
    except (ValueError, KeyError):
        return None
    um = patterns.UNIT.match(text, cm.end())
    unit = "%" if cm.group(0).startswith("百分之") else (um.group(0) if um else "")
    return Wanted("", False, unit, value)


def _printed_number(q: models.Quantity) -> str | None:
    folded, _ = fold(q.raw)
    m = patterns.NUMBER.search(folded)
    return m.group(0) if m else None


def _printed_unit(q: models.Quantity) -> str:
    """The token's unit when its own characters print it (not one inferred from context)."""
    return q.unit if q.unit and q.unit in fold(q.raw)[0] else ""


def _matches(want: Wanted, tok: quantities.Token) -> bool:
    q = tok.quantity
    if want.cn_value is not None:
        return _printed_number(q) is None and q.value == want.cn_value and (
            not want.unit or want.unit == q.unit)
    num = _printed_number(q)
    if num is None:
        return False
    if num.lstrip("+-−").replace(",", "") != want.digits:
        return False
    if want.negative and num[0] not in "-−":
        return False
    printed = _printed_unit(q)
    return not (printed and want.unit and printed != want.unit)


def locate_figure(text: str, tokens: Sequence[quantities.Token], start: int, end: int,
                  *, taken: frozenset[int] = frozenset(), view_text: str = ""
                  ) -> quantities.Token | None:
    """The source token inside ``[start, end)`` that the model's figure ``text`` names.

    Args:
        text: the figure as the model copied it.
        tokens: ``quantities.scan`` of the view the offsets refer to.
        start, end: the quote's range in that view.
        taken: token starts already assigned to another field of the claim;
            skipped when another occurrence exists.
        view_text: the view's text; with it, a bare cell takes the model's
            unit when that unit is printed earlier in the view.

    Returns:
        The token (its quantity carries the source's value, precision, sign,
        unit and approximation), or ``None`` when no token matches.
    """
    want = read_wanted(text)
    if want is None:
        return None
    hits = [t for t in tokens if start <= t.start and t.end <= end and _matches(want, t)]
    if not hits:
        return None
    tok = next((t for t in hits if t.start not in taken), hits[0])
    return _with_unit(tok, want, view_text)


def _with_unit(tok: quantities.Token, want: Wanted, view_text: str) -> quantities.Token:
    """Settle the unit of a token the source prints without one."""
    q = tok.quantity
    if want.cn_value is not None or _printed_unit(q):
        return tok
    unit = ""
    if want.unit and view_text and _unit_printed_before(want.unit, view_text, tok.start):
        unit = want.unit
    if unit == q.unit:
        return tok
    num = _printed_number(q)
    assert num is not None
    new = quantities.make_quantity(num, unit, q.raw, q.span, approximate=q.approximate)
    return dataclasses.replace(tok, quantity=new)


def _unit_printed_before(unit: str, text: str, pos: int) -> bool:
    folded, _ = fold(text[:pos])
    return fold(unit)[0] in folded
