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
import unicodedata

from extractor import models

__all__ = ["Located", "align_quote", "fold", "locate", "locate_all", "locate_number"]

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


def locate_number(number: str, view: models.TextView, start: int, end: int,
                  *, taken: frozenset[int] = frozenset()) -> int | None:
    """View offset where ``number`` (as a model copied it) starts inside ``[start, end)``.

    The match is folded (width, whitespace) and bounded: "23.5" is not found
    inside "123.54", nor "5" inside "15". Offsets in ``taken`` (figures
    already assigned to another field of the same claim) are skipped when a
    later occurrence exists.

    Returns:
        The view offset of the first character, or ``None``.
    """
    fn, _ = fold(number)
    if not fn:
        return None
    ft, index = fold(view.text[start:end])
    hits: list[int] = []
    pos = ft.find(fn)
    while pos != -1:
        before = ft[pos - 1] if pos > 0 else ""
        after_pos = pos + len(fn)
        after = ft[after_pos] if after_pos < len(ft) else ""
        ok_before = not before or not (before.isdigit() or (before == "." and fn[0].isdigit()))
        # A following "." only extends the figure when a digit comes after it.
        ok_after = not after or not (after.isdigit() or (
            after in ".," and fn[-1].isdigit() and after_pos + 1 < len(ft)
            and ft[after_pos + 1].isdigit()))
        if ok_before and ok_after:
            hits.append(start + index[pos])
        pos = ft.find(fn, pos + 1)
    if not hits:
        return None
    for h in hits:
        if h not in taken:
            return h
    return hits[0]
