"""One amount printed twice, ten thousand times apart: a 元 / 万元 slip.

"临时救助资金全年支出4,863,200.00元" in one section and "临时救助年内支出486.32元"
in another are one amount whose unit was slipped (486.32万元). Two money
figures of the prose whose subject is the same (the words that open their
labels, without generic words such as 全年 / 资金 / 支出) and whose values are
exactly 10⁴ or 10⁸ apart within their printed precision become two facts of
one metric; the consistency check then reports them. Anything else is left
alone: equal digits with different subjects are a coincidence.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

# Generic words around a subject ("资金全年支出", "年内支出", "共计").
_GENERIC = re.compile(r"(?:资金|经费|全年|年内|本年|年度|累计|实际|共计|合计|共|支出|发放|金额|为|达|计|了)+$")
_SCALES = (Decimal(10) ** 4, Decimal(10) ** 8)


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Mention pairs of one subject whose amounts differ by a unit's scale."""
    by_subject: dict[str, list[tuple[quantities.Token, models.TextView]]] = {}
    for s in context.prose_sentences(doc):
        sent = s.view
        for t in s.toks:
            if t.dim != "CNY" or t.quantity.approximate or t.quantity.value <= 0:
                continue
            subject = _subject(metrics.label_before(sent.text, t.start))
            if subject:
                by_subject.setdefault(subject, []).append((t, sent))
    out: list[models.Claim] = []
    for subject, figs in by_subject.items():
        if len(figs) > 6:
            continue  # a word that names many amounts names no one amount
        for i, (a, sa) in enumerate(figs):
            for b, sb in figs[i + 1:]:
                if _scaled(a.quantity, b.quantity):
                    for t, s in ((a, sa), (b, sb)):
                        out.append(models.MentionClaim(
                            metric=f"amount:{subject}", value=t.quantity, label=subject,
                            inferred=True, sentence=s.raw_span(0, len(s.text))))
    return out


def _subject(label: str) -> str:
    label = re.sub(r"^[\W\d_a-zA-Z]+", "", label)
    core = _GENERIC.sub("", label)
    return core if 3 <= len(core) <= 10 and re.fullmatch(r"[^\W\d_a-zA-Z]+", core) else ""


def _scaled(a: models.Quantity, b: models.Quantity) -> bool:
    """True when one amount is the other times 10⁴ or 10⁸, within printed precision."""
    va = a.value * quantities.factor(a.unit)
    vb = b.value * quantities.factor(b.unit)
    lo, hi = (a, b) if va < vb else (b, a)
    small = quantities.interval_of(lo)
    big = quantities.interval_of(hi, lo.unit)
    return any(small.scale(k).overlaps(big) for k in _SCALES)
