"""Averages per head beside their total and their count: 户均 = total ÷ 户数.

"发放创业担保贷款3,200.00万元，扶持创业250户，户均贷款12.80万元",
"新建高标准农田4.0万亩，亩均财政投入1,500元，财政资金总投入6,000.00万元",
"受益农户800户，兑付补贴资金1,600.00万元。户均补贴2.00万元": an average
named by its head (户均 / 亩均 / 人均 / 次均) stands beside one count of
that head and one amount of its own kind, in its sentence or the one before.
Then amount = count × average, up to the average's rounding. Anything less
clear (two counts, two amounts) is left alone; the pairing is by position,
so the claim is inferred.
"""

from __future__ import annotations

import re

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_AVERAGE = re.compile(r"(?P<head>人次|户|亩|人|家|村|次|个|所|床)均[^\W\d_a-zA-Z]{0,8}(?:为|是|达)?$")
_WHOLE = re.compile(r"总|合计|共计|累计")
_NOT_A_TOTAL = re.compile(r"均|平均|标准|每|上年|同比|较|比|增加|减少|增长|下降|占")


def claims_of(doc: models.Document) -> list[models.Claim]:
    """A product claim for each average per head with one count and one amount beside it."""
    sents = context.prose_sentences(doc)
    out: list[models.Claim] = []
    for k, s in enumerate(sents):
        for t in s.toks:
            if t.quantity.approximate or t.dim in ("percent", ""):
                continue
            m = _AVERAGE.search(metrics.label_before(s.text, t.start))
            if m is None:
                continue
            claim = _claim(sents, k, t, m.group("head"))
            if claim is not None:
                out.append(claim)
    return out


def _claim(sents, k: int, avg: quantities.Token, head: str) -> models.ProductClaim | None:
    s = sents[k]
    near = [(sents[k - 1], sents[k - 1].toks)] if k and sents[k - 1].para == s.para else []
    # The amount may follow the average when it says it is the whole ("…总投入X").
    near.append((s, [t for t in s.toks if t.end <= avg.start or (
        t.start > avg.end and _WHOLE.search(metrics.label_before(s.text, t.start)))]))
    counts, totals = [], []
    for view, toks in near:
        for t in toks:
            if t.quantity.approximate or t is avg:
                continue
            label = metrics.label_before(view.text, t.start)
            if t.unit.removeprefix("万") == head:
                counts.append(t)
            elif t.dim == avg.dim and not _NOT_A_TOTAL.search(label):
                totals.append(t)
    if len(counts) != 1 or len(totals) != 1:
        return None
    (count,), (total,) = counts, totals
    return models.ProductClaim(stated=total.quantity, factors=(count.quantity, avg.quantity),
                               label=f"{head}均", inferred=True,
                               sentence=s.view.raw_span(0, len(s.text)))
