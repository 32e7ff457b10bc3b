"""JX5xx: score sheets — awarded vs weight, totals, execution-rate scoring."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from extractor import models, quantities
from extractor.checks import base
from extractor.checks.jx2_totals import footing

__all__ = ["ExecutionScoreMismatch", "ScoreExceedsWeight", "ScoreTotalMismatch"]


class ScoreExceedsWeight(base.Check):
    """An indicator is awarded more points than its weight (得分 > 分值).

    ## What it does
    Compares every awarded score with the weight printed on the same row.

    ## Why is this bad?
    No scoring rule can award more than the weight; the grade that follows
    from the total is inflated.

    ## Example
    Fails: a row "办公用品购置及时率 100 100 20 25" (分值 20, 得分 25).

    Passes: "办公用品购置及时率 100 100 20 20".
    """

    code = "JX501"
    name = "score-exceeds-weight"
    kind = "score"
    needs = ("score",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("score"):
            if c.weight is None or c.awarded.value <= c.weight.value:
                continue
            yield self.finding(
                zh=f"得分超过分值：「{c.label}」分值 {c.weight.raw}，得分 {c.awarded.raw}",
                en=f"Score exceeds weight: '{c.label}' weight {c.weight.raw}, awarded {c.awarded.raw}",
                spans=(c.awarded.span, c.weight.span), stated=c.awarded.value,
                recomputed=c.weight.value, unit="分", claims=[c],
                formula=f"{c.awarded.raw} > {c.weight.raw}",
                fix_zh="得分不得超过该指标分值", fix_en="Award at most the indicator's weight",
            )


class ScoreTotalMismatch(base.Check):
    """Awarded scores do not add up to the stated total score.

    ## What it does
    Adds the scores of the indicators (in a score sheet, or listed after 其中 in
    the narrative) and compares the sum with the stated total (总分, 得分为…分).

    ## Why is this bad?
    The total decides the grade (优/良/中/差) and what follows from it.

    ## Example
    Fails: "绩效评价得分为100分。其中：执行率评价得分5，成本指标10分，产出指标30分，
    效益指标40分，满意度指标10分" — 5 + 10 + 30 + 40 + 10 = 95.

    Passes: a sheet whose 得分 column 9.38 + 10 + 15 + 20 + 11.5 + 15 + 10 = 90.88 shows 总分 90.88.
    """

    code = "JX502"
    name = "score-total-mismatch"
    kind = "score"
    needs = ("breakdown",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("breakdown"):
            if c.total.unit != "分":
                continue
            res = footing(c)
            if res is None:
                continue
            rng, point = res
            if base.relation_holds(c.total, rng):
                continue
            parts = " + ".join(p.raw.rstrip("分") for p in c.parts)
            yield self.finding(
                zh=f"总分不符：写为 {c.total.raw}，但各项得分 {parts} = {base.fmt(point)}分",
                en=f"Score total mismatch: stated {c.total.raw}, but the scores {parts} sum to {base.fmt(point)}",
                spans=(c.total.span, *(p.span for p in c.parts)),
                stated=c.total.value, recomputed=point, unit="分", claims=[c],
                formula=f"{parts} = {base.fmt(point)} ≠ {c.total.raw.rstrip('分')}",
                fix_zh=f"将总分改为 {base.fmt(point)} 或核对各项得分",
                fix_en=f"Correct the total to {base.fmt(point)} or check each score",
            )


class ExecutionScoreMismatch(base.Check):
    """Execution-rate score differs from 执行率 × 分值.

    ## What it does
    Where a sheet scores budget execution as 执行率 × 分值 (the usual rule for
    the 预算执行率 row of 部门/项目自评表), recomputes the score from the stated
    rate and weight.

    ## Why is this bad?
    The execution score is mechanical; a different figure means the rate or
    the score was copied wrongly.

    ## Example
    Fails: "年度资金总额 10 64.53 60.26 10 93.00% 9.00" — 93.00% × 10 = 9.30.

    Passes: "年度资金总额 1374.58 3666.39 3439.59 10 93.81% 9.38".
    """

    code = "JX503"
    name = "execution-score-mismatch"
    kind = "score"
    needs = ("score",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("score"):
            rate, weight = c.execution_rate, c.weight
            if rate is None or weight is None:
                continue
            ri = quantities.interval_of(rate)
            rng = ri.scale(weight.value / Decimal(100))
            # Full marks at or above 100%: the usual rule caps the score at the weight.
            if rng.lo >= weight.value:
                rng = quantities.Interval(weight.value, weight.value)
            elif rng.hi > weight.value:
                rng = quantities.Interval(rng.lo, weight.value)
            if base.relation_holds(c.awarded, rng):
                continue
            point = min(rate.value * weight.value / 100, weight.value)
            yield self.finding(
                zh=(f"执行率得分不符：执行率 {rate.raw} × 分值 {weight.raw} = "
                    f"{base.fmt(point, max(2, c.awarded.decimals))}，但得分为 {c.awarded.raw}"),
                en=(f"Execution score mismatch: rate {rate.raw} × weight {weight.raw} = "
                    f"{base.fmt(point, max(2, c.awarded.decimals))}, but awarded {c.awarded.raw}"),
                spans=(c.awarded.span, rate.span, weight.span), stated=c.awarded.value,
                recomputed=point, unit="分", claims=[c],
                formula=f"{rate.raw} × {weight.raw} = {base.fmt(point, 2)}",
                fix_zh="按执行率×分值重新计算得分", fix_en="Recompute the score as rate × weight",
            )
