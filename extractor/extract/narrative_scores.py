"""Scores stated in prose with their weight: "可持续影响（5分）得分4.50分".

Evaluation narratives restate the score sheet indicator by indicator, each
with its weight in brackets or after 满分 / 分值, then what it was awarded:
"决策指标满分20分，评价得分17.00分", "预算完成率（5分），该项指标得分为2分",
"绩效目标合理性（4分），…，扣1分，得3分". The weight and the first award after
it in the same statement (up to ；/。 or the next weight) belong to one
indicator; the score checks then hold the award to its weight. A narrative
restates a sheet, and the words between weight and award may name a
sub-indicator, so a contradiction here is a warning.
"""

from __future__ import annotations

import re

from extractor import models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_WEIGHT = re.compile(
    r"(?P<name>[\u4e00-\u9fa5“”]{2,16}?)\s*"
    r"(?:[（(](?:分值|满分|权重)?[:：]?\s*(?P<w1>\d+(?:\.\d+)?)\s*分[)）]"
    r"|[，,]?(?:满分|分值为?|权重为?|要值|应得分?|总分值为?)\s*(?P<w2>\d+(?:\.\d+)?)\s*分)")
_AWARD = re.compile(r"(?<!扣)(?<!减)(?:实际|评价|该项指标|该指标|自评)?得分?(?:为|是|[:：])?\s*"
                    r"(?P<a>\d+(?:\.\d+)?)\s*分?")
# Words before an indicator's name that are not part of it ("其中社会效益").
_NAME_LEAD = re.compile(r"^.*(?:其中|为|是|对|的)(?=[\u4e00-\u9fa5“]{2})")
_STATEMENT_END = re.compile(r"[；;。]")


def claims_of(doc: models.Document) -> list[models.Claim]:
    """A score claim for each prose indicator stated with its weight and award."""
    out: list[models.Claim] = []
    for s in context.prose_sentences(doc):
        out.extend(_scores_in(s.view, s.toks))
    return out


def _scores_in(sent: models.TextView, toks: list[quantities.Token]) -> list[models.ScoreClaim]:
    text = sent.text
    weights = list(_WEIGHT.finditer(text))
    out = []
    for k, w in enumerate(weights):
        end = _STATEMENT_END.search(text, w.end())
        stop = min(end.start() if end else len(text),
                   weights[k + 1].start() if k + 1 < len(weights) else len(text))
        a = _AWARD.search(text, w.end(), stop)
        if a is None:
            continue
        wg = "w1" if w.group("w1") else "w2"
        weight, award = _token(toks, w.start(wg)), _token(toks, a.start("a"))
        if weight is None or award is None:
            continue
        out.append(models.ScoreClaim(
            awarded=_as_points(award.quantity), weight=_as_points(weight.quantity),
            label=_NAME_LEAD.sub("", w.group("name")).strip("“”，,"), inferred=True, sentence=sent.raw_span(0, len(text))))
    return out


def _as_points(q: models.Quantity) -> models.Quantity:
    """A score printed without 分 ("得3") is still in points."""
    return q if q.unit == "分" else q.model_copy(update={"unit": "分"})


def _token(toks: list[quantities.Token], pos: int) -> quantities.Token | None:
    return next((t for t in toks if t.start <= pos < t.end and not t.quantity.approximate), None)
