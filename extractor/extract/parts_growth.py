"""A total's rate of change read beside the rates of its parts.

Budget statements give each figure of a breakdown its own change against last
year: "支出300万元，比上年下降2.0%。其中：A 100万元，比上年增长25.0%；B 200万元，
比上年下降12.0%". Last year's figures are not printed, but each is its part
over (1 + its rate), and last year's total is their sum: the total's rate
follows. This reader takes the breakdowns other readers found (an explicit
其中 list, a 合计 row, the 三公 items) and looks right after the total and
each part for a rate against last year (上年, 同比) or against last year's
budget (上年预算): where the total and every part carry one against the same
base, that is a claim. A part printed without a rate leaves it unread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor import models
from extractor.extract import context

__all__ = ["claims_of"]

# "，比上年增长79.1%", "，与上年下降7.6%", "，同比增长2.8%", "，比上年预算数字下降18.42%".
_RATE_AFTER = re.compile(
    r"[，,]?\s*(?:(?:比|较|与)(?P<base>上年|去年|上一年|上年同期)?(?P<kind>[^，,；;。\d%]{0,8}?)|"
    r"(?P<yoy>同比|同口径))(?P<verb>增长|下降|增加|减少|上升|降低|提高)了?\s*$")
_DOWN = ("下降", "减少", "降低")
_GAP = 24  # characters between a figure and its rate


def claims_of(doc: models.Document, known: Iterable[models.Claim]) -> list[models.Claim]:
    """A parts-growth claim for each breakdown whose figures all carry a rate on one base."""
    breakdowns = [c for c in known if c.type == "breakdown" and c.table is None
                  and len(c.parts) >= 2 and all(p.value > 0 for p in c.parts)
                  and c.total.value > 0]
    if not breakdowns:
        return []
    rates = _rates_by_figure(doc)
    out: list[models.Claim] = []
    for b in breakdowns:
        total_rates = rates.get(b.total.span.start, {})
        for base, stated in total_rates.items():
            part_rates = [rates.get(p.span.start, {}).get(base) for p in b.parts]
            if any(r is None for r in part_rates):
                continue
            out.append(models.PartsGrowthClaim(
                stated=stated, total=b.total, parts=b.parts, part_rates=tuple(part_rates),
                label=b.label, inferred=True, sentence=b.sentence))
    return out


def _rates_by_figure(doc: models.Document) -> dict[int, dict[str, models.Quantity]]:
    """For each money figure (by its start in the raw text): base → the signed rate after it."""
    out: dict[int, dict[str, models.Quantity]] = {}
    for s in context.prose_sentences(doc):
        text, toks = s.text, s.toks
        for k, t in enumerate(toks):
            if t.dim not in ("CNY", "USD"):
                continue
            found: dict[str, models.Quantity] = {}
            # The rates right after the figure, up to the next money figure.
            for u in toks[k + 1:]:
                if u.dim in ("CNY", "USD") or u.start - t.end > _GAP * 3:
                    break
                if u.dim != "percent" or u.quantity.approximate:
                    continue
                m = _RATE_AFTER.search(text, max(t.end, u.start - _GAP), u.start)
                if m is None:
                    continue
                base = "budget" if "预算" in (m.group("kind") or "") else "prev"
                q = u.quantity
                if m.group("verb") in _DOWN and q.value > 0:
                    q = q.model_copy(update={"value": -q.value})
                found.setdefault(base, q)
            if found:
                out[t.quantity.span.start] = found
    return out
