"""JX1xx: rates stated as numerator / denominator (执行率, 完成…的X%)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from extractor import models, quantities
from extractor.checks import base

__all__ = ["RateMismatch", "RateTruncated", "ratio_interval"]

_HUNDRED = quantities.Interval(Decimal(100), Decimal(100))


def ratio_interval(claim: models.RatioClaim) -> quantities.Interval | None:
    """Interval of numerator/denominator×100 from the printed precision of both."""
    num, den = claim.numerator, claim.denominator
    if num is None or den is None:
        return None
    if quantities.dimension(num.unit) != quantities.dimension(den.unit):
        return None
    q = _input_interval(num, den.unit) / _input_interval(den, den.unit)
    return None if q is None else q * _HUNDRED


def _input_interval(q: models.Quantity, unit: str) -> quantities.Interval:
    """Inputs printed without decimals (a target of 6亿元, a plan of 460万美元) are
    taken as exact; inputs with decimals stand for their rounding interval."""
    if q.decimals == 0:
        v = quantities.to_unit(q.value, q.unit, unit) if q.unit else q.value
        return quantities.Interval(v, v)
    return quantities.interval_of(q, unit if q.unit else None)


def _point(claim: models.RatioClaim) -> Decimal:
    num = quantities.to_unit(claim.numerator.value, claim.numerator.unit, claim.denominator.unit)
    return num / claim.denominator.value * 100


def _is_truncated(claim: models.RatioClaim, rng: quantities.Interval) -> bool:
    """Whether the stated rate reads as the recomputed one cut off, not rounded.

    Two ways: the stated interval misses the recomputed one but a cut-off
    reading meets it; or the inputs' own precision lets the stated rate pass,
    yet their printed values give a rate that rounds to another figure and
    cuts to the stated one (4.47亿元 / 3.2亿元 = 139.69%, printed "139%": 3.2
    stands for 3.15-3.25, so 139% is within tolerance, but a reviewer dividing
    the printed figures gets 140%).
    """
    if not base.relation_holds(claim.stated, rng):
        return quantities.is_truncation(claim.stated, rng)
    point = _point(claim)
    decimals = claim.stated.decimals
    return (quantities.round_to(point, decimals) != claim.stated.value
            and quantities.truncate_to(point, decimals) == claim.stated.value)


class RateMismatch(base.Check):
    """Stated percent differs from numerator / denominator.

    ## What it does
    Recomputes every stated rate whose numerator and denominator the report
    gives (完成年度任务X的Y%, 执行率, 到位率, 注册率, 开工率 …) and compares it
    with the printed percent, allowing for the precision of all three figures.

    ## Why is this bad?
    A completion or execution rate that does not follow from its own inputs
    misstates performance, and execution rates often drive the score.

    ## Example
    Fails: "引进资金8.25亿元，完成目标任务（5亿元）的160.50%" — 8.25 / 5 = 165.00%.

    Passes: "引进资金18.62亿元，完成年度目标18亿元的103.44%" — 18.62 / 18 = 103.444%.

    ## Tolerance
    The stated rate stands for ±0.5 in its last printed place, and so does each
    input printed with decimals (an input printed as a whole number — a target
    of 5亿元 — is taken as exact); the rate is consistent when the recomputed
    interval overlaps the stated one.

    ## Severity
    Error when the report itself pairs the rate with its inputs: a table's
    预算/执行数/执行率 columns, or "完成年度任务23亿元的102.35%". Warning when
    jxcheck paired them by word order alone: a named rate (注册率, 完成率)
    whose denominator is not printed beside it is divided by the first like
    figure of the sentence, which may not be the figure the report meant.

    ## Known false positives
    When the denominator is not printed next to the rate, jxcheck takes the
    first like figure of the sentence (a plan or total); such pairings are
    reported as warnings (see Severity).
    """

    code = "JX101"
    name = "rate-mismatch"
    kind = "rate"
    inferred_severity = models.Severity.WARNING
    needs = ("ratio",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("ratio"):
            rng = ratio_interval(c)
            if rng is None:
                continue
            if base.relation_holds(c.stated, rng) or quantities.is_truncation(c.stated, rng):
                continue
            point = _point(c)
            dec = max(c.stated.decimals, 2)
            name = f"「{c.label}」" if c.label else ""
            yield self.finding(
                zh=(f"比率不符：{name}写为 {c.stated.raw}，"
                    f"但 {c.numerator.raw} ÷ {c.denominator.raw} = {base.fmt(point, dec)}%"),
                en=(f"Rate mismatch: {c.label + ' ' if c.label else ''}stated {c.stated.raw}, "
                    f"but {c.numerator.raw} / {c.denominator.raw} = {base.fmt(point, dec)}%"),
                spans=(c.stated.span, c.numerator.span, c.denominator.span),
                stated=c.stated.value, recomputed=quantities.round_to(point, dec),
                tolerance=quantities.half_ulp(c.stated), unit="%",
                formula=f"{c.numerator.raw} ÷ {c.denominator.raw} × 100% = {base.fmt(point, dec)}%",
                severity=self.inferred_severity if c.inferred else None,
                claims=[c],
                fix_zh=f"核对分子、分母或将比率改为 {base.fmt(point, c.stated.decimals)}%",
                fix_en=f"Check the inputs or correct the rate to {base.fmt(point, c.stated.decimals)}%",
            )


class RateTruncated(base.Check):
    """Stated percent is the recomputed rate cut off, not rounded.

    ## What it does
    Notes rates such as 4.47 / 3.2 = 139.69% printed as "139%": the figure is
    truncated rather than rounded to the printed precision.

    ## Why is this bad?
    It is not an error, but a reviewer comparing figures by hand will see a
    one-unit difference; the note explains it.

    ## Example
    Note: "交易额5.18亿元，完成目标3.6亿元的143%" — 143.89% truncated to 143%.

    Passes without note: "交易额28.4亿元，完成目标21.0亿元的135%" — 135.24% rounds to 135%.
    """

    code = "JX102"
    name = "rate-truncated"
    kind = "rate"
    severity = models.Severity.INFO
    needs = ("ratio",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("ratio"):
            rng = ratio_interval(c)
            if rng is None or not _is_truncated(c, rng):
                continue
            point = _point(c)
            dec = max(c.stated.decimals, 2)
            yield self.finding(
                zh=(f"舍入说明：{c.stated.raw} 为 {c.numerator.raw} ÷ {c.denominator.raw} = "
                    f"{base.fmt(point, dec)}% 截尾所得，非四舍五入，不属错误"),
                en=(f"Rounding note: {c.stated.raw} is {base.fmt(point, dec)}% "
                    f"({c.numerator.raw} / {c.denominator.raw}) truncated, not rounded; not an error"),
                spans=(c.stated.span, c.numerator.span, c.denominator.span),
                stated=c.stated.value, recomputed=quantities.round_to(point, dec), unit="%",
                formula=f"{c.numerator.raw} ÷ {c.denominator.raw} × 100% = {base.fmt(point, dec)}%",
                claims=[c],
            )
