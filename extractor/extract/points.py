"""A rate that moved from one level to another, and the move in percentage points.

"普及率由上年的91.2%提高到93.6%，提高2.4个百分点" states two levels and their
difference in one clause chain: the difference is the later level minus the
earlier one, in points, not a relative growth (93.6 / 91.2 − 1 = 2.63 %).
The words 由 … 提高/下降到 … say which level is which, so the pairing is
structural.
"""

from __future__ import annotations

import re

from extractor import models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_UP = "提高|上升|增加|增长|提升|上涨"
_DOWN = "下降|降低|减少|回落|下滑"
_MOVE = re.compile(
    rf"由(?:上年|去年|上年度|上一年度?|\d{{4}}年度?)?的?(?P<a>\d+(?:\.\d+)?)\s*[%％]"
    rf"(?P<verb>{_UP}|{_DOWN})(?:到|至)(?P<b>\d+(?:\.\d+)?)\s*[%％]"
    rf"[，,]?\s*(?:同比|比上年|较上年)?(?P<verb2>{_UP}|{_DOWN})了?(?P<d>\d+(?:\.\d+)?)\s*个百分点")


def claims_of(doc: models.Document) -> list[models.Claim]:
    """A difference claim for each "由X%提高到Y%，提高Z个百分点" of the prose."""
    out: list[models.Claim] = []
    for s in context.prose_sentences(doc):
        sent, toks = s.view, s.toks
        for m in _MOVE.finditer(sent.text):
            a, b, d = (_token(toks, m.start(g)) for g in ("a", "b", "d"))
            if a is None or b is None or d is None:
                continue
            up = re.fullmatch(_UP, m.group("verb2")) is not None
            # "由X%提高到Y%，提高Z个百分点": Z = Y − X; the second verb gives the sign.
            out.append(models.DifferenceClaim(
                stated=d.quantity, a=b.quantity, b=a.quantity, sign=1 if up else -1,
                label=m.group("verb2") + "百分点",
                sentence=sent.raw_span(0, len(sent.text))))
    return out


def _token(toks: list[quantities.Token], pos: int) -> quantities.Token | None:
    return next((t for t in toks if t.start <= pos < t.end and not t.quantity.approximate), None)
