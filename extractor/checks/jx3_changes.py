"""JX3xx: growth rates and differences (增长率, 增减额, 超出/节约)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext

from extractor import models, quantities
from extractor.checks import base

__all__ = ["DifferenceMismatch", "GrowthMismatch"]


class GrowthMismatch(base.Check):
    """Stated growth rate differs from (current − previous) / previous.

    ## What it does
    Where the report gives both the current and the previous value next to a
    growth rate, recomputes the rate and compares.

    ## Why is this bad?
    Growth rates are the headline of most performance narratives; one that
    does not follow from the two values it describes misleads the reader.

    ## Example
    Fails: "上年支出100万元，本年120万元，同比增长25%" — (120 − 100) / 100 = 20%.

    Passes: "上年支出100万元，本年120万元，同比增长20%".
    """

    code = "JX301"
    name = "growth-mismatch"
    kind = "growth"
    needs = ("growth",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("growth"):
            if c.current is not None and c.previous is None and c.change is not None:
                yield from self._implied_base(c)
                continue
            if c.current is None or c.previous is None:
                continue
            unit = c.previous.unit
            cur = quantities.interval_of(c.current, unit)
            prev = quantities.interval_of(c.previous)
            # current ÷ previous − 1, not (current − previous) ÷ previous: the
            # previous figure must take one value in both places, or the
            # interval widens until a shifted figure still "holds".
            rng = cur / prev
            if rng is None:
                continue
            rng = quantities.Interval(rng.lo - 1, rng.hi - 1).scale(Decimal(100))
            if base.relation_holds(c.stated, rng) or quantities.is_truncation(c.stated, rng):
                continue
            curv = quantities.to_unit(c.current.value, c.current.unit, unit)
            point = (curv - c.previous.value) / c.previous.value * 100
            dec = max(c.stated.decimals, 2)
            yield self.finding(
                zh=(f"增长率不符：写为 {c.stated.raw}，但 ({c.current.raw} − {c.previous.raw}) ÷ "
                    f"{c.previous.raw} = {base.fmt(point, dec)}%"),
                en=(f"Growth mismatch: stated {c.stated.raw}, but ({c.current.raw} − "
                    f"{c.previous.raw}) / {c.previous.raw} = {base.fmt(point, dec)}%"),
                spans=(c.stated.span, c.current.span, c.previous.span),
                stated=c.stated.value, recomputed=quantities.round_to(point, dec), unit="%",
                tolerance=quantities.half_ulp(c.stated),
                formula=f"({c.current.raw} − {c.previous.raw}) ÷ {c.previous.raw} × 100%",
                claims=[c],
                fix_zh=f"将增长率改为 {base.fmt(point, c.stated.decimals)}% 或核对两期数值",
                fix_en=f"Correct the rate to {base.fmt(point, c.stated.decimals)}% or check both values",
            )


    def _implied_base(self, c: models.GrowthClaim) -> Iterator[models.Finding]:
        """Rate = change ÷ (current − change), last year's figure left implied."""
        unit = c.current.unit
        sign = Decimal(-1) if c.stated.value < 0 else Decimal(1)
        ch = quantities.interval_of(c.change, unit).scale(sign)
        cur = quantities.interval_of(c.current)
        if (cur - ch).lo <= 0 <= (cur - ch).hi:
            return
        # change ÷ (current − change) is monotone in each input, so its corners
        # bound it exactly; interval division would let the change take two
        # values at once and pass a shifted figure.
        with localcontext() as lc:
            lc.prec = 28
            corners = [a / (b - a) for a in (ch.lo, ch.hi) for b in (cur.lo, cur.hi)]
        rng = quantities.Interval(min(corners), max(corners)).scale(Decimal(100))
        if base.relation_holds(c.stated, rng) or quantities.is_truncation(c.stated, rng):
            return
        chv = quantities.to_unit(c.change.value, c.change.unit, unit) * sign
        prevv = c.current.value - chv
        if prevv == 0:
            return
        point = chv / prevv * 100
        dec = max(c.stated.decimals, 2)
        op = "+" if sign < 0 else "−"
        shown = f"{c.change.raw} ÷ ({c.current.raw} {op} {c.change.raw})"
        yield self.finding(
            zh=(f"增减率不符：写为 {c.stated.raw}，但比较基数为 {c.current.raw} {op} {c.change.raw}，"
                f"{shown} = {base.fmt(abs(point), dec)}%"),
            en=(f"Growth mismatch: stated {c.stated.raw}, but the base is {c.current.raw} "
                f"{op} {c.change.raw}, and {shown} = {base.fmt(abs(point), dec)}%"),
            spans=(c.stated.span, c.change.span, c.current.span),
            stated=c.stated.value, recomputed=quantities.round_to(point, dec), unit="%",
            tolerance=quantities.half_ulp(c.stated), formula=f"{shown} × 100%", claims=[c],
            fix_zh=f"将增减率改为 {base.fmt(abs(point), c.stated.decimals)}%，或核对变动额",
            fix_en=f"Correct the rate to {base.fmt(abs(point), c.stated.decimals)}% or check the change",
        )


class DifferenceMismatch(base.Check):
    """Stated difference (超出/增加/减少/节约 N) differs from a − b.

    ## What it does
    Recomputes a stated difference between two figures of the report,
    including its direction (增加 vs 减少).

    ## Why is this bad?
    A wrong difference, or one with the wrong sign, tells the reader the
    budget was exceeded when it was not (or the reverse).

    ## Example
    Fails: "决算数584.64万元，年初预算数492.73万元，超出年初预算91.19万元" — 584.64 − 492.73 = 91.91.

    Passes: "决算数584.64万元，年初预算数492.73万元，超出91.91万元".
    """

    code = "JX302"
    name = "difference-mismatch"
    kind = "difference"
    needs = ("difference",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("difference"):
            unit = c.stated.unit
            if quantities.dimension(c.a.unit) != quantities.dimension(unit):
                continue
            rng = (quantities.interval_of(c.a, unit) - quantities.interval_of(c.b, unit))
            rng = rng.scale(Decimal(c.sign))
            if base.relation_holds(c.stated, rng):
                continue
            point = (quantities.to_unit(c.a.value, c.a.unit, unit)
                     - quantities.to_unit(c.b.value, c.b.unit, unit)) * c.sign
            dec = max(c.stated.decimals, c.a.decimals, c.b.decimals)
            yield self.finding(
                zh=(f"差额不符：写为 {c.stated.raw}，但 {c.a.raw} − {c.b.raw} = "
                    f"{base.fmt(point * c.sign, dec)}{unit}"),
                en=(f"Difference mismatch: stated {c.stated.raw}, but {c.a.raw} − {c.b.raw} = "
                    f"{base.fmt(point * c.sign, dec)}{unit}"),
                spans=(c.stated.span, c.a.span, c.b.span),
                stated=c.stated.value, recomputed=point, unit=unit,
                tolerance=rng.hi - rng.mid + quantities.half_ulp(c.stated),
                formula=f"{c.a.raw} − {c.b.raw} = {base.fmt(point * c.sign, dec)}",
                claims=[c],
                fix_zh="核对差额及其方向（增加/减少）",
                fix_en="Check the difference and its direction (increase/decrease)",
            )


class PartsGrowthMismatch(base.Check):
    """A total's growth rate does not follow from its parts' own rates.

    ## What it does
    When a total and each of its parts carry a rate against the same base
    ("比上年下降1.8%。其中：A 120万元，比上年增长79.1%；…"), works last year's
    parts back (part ÷ (1 + rate)), adds them, and compares the total's rate
    with its growth over that sum.

    ## Why is this bad?
    Last year's total is the sum of last year's parts: a total rate that no
    set of parts can produce means one of the rates or amounts is wrong.

    ## Example
    Fails: "支出200万元，比上年增长10.0%。其中：A 120万元，增长20.0%；B 80万元，增长
    0.0%" — last year 100 + 80 = 180, and 200 ÷ 180 − 1 = 11.1%.

    Passes: the same with "比上年增长11.1%".

    ## Severity
    Always a warning: last year's figures are worked back, not printed, and a
    report may restate last year on another basis (同口径).
    """

    code = "JX303"
    name = "parts-growth-mismatch"
    kind = "growth"
    severity = models.Severity.WARNING
    needs = ("parts_growth",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("parts_growth"):
            unit = c.total.unit
            lo = hi = Decimal(0)
            point = Decimal(0)
            with localcontext() as lc:
                lc.prec = 28
                for part, rate in zip(c.parts, c.part_rates):
                    p = quantities.interval_of(part, unit)
                    r = quantities.interval_of(rate).scale(Decimal("0.01"))
                    if r.lo <= -1:
                        break  # a part that fell by 100 %: last year's amount is unknowable
                    # part ÷ (1 + rate) grows with the part and shrinks with the rate.
                    lo += p.lo / (1 + r.hi)
                    hi += p.hi / (1 + r.lo)
                    point += quantities.to_unit(part.value, part.unit, unit) / (1 + rate.value / 100)
                else:
                    if lo <= 0 or point <= 0:
                        continue
                    t = quantities.interval_of(c.total)
                    rng = quantities.Interval((t.lo / hi - 1) * 100, (t.hi / lo - 1) * 100)
                    if base.relation_holds(c.stated, rng):
                        continue
                    grown = (c.total.value / point - 1) * 100
                    dec = max(c.stated.decimals, 2)
                    yield self.finding(
                        zh=(f"增减率与分项不符：写为 {c.stated.raw}，但各分项按各自增减率折算的上年数"
                            f"之和为 {base.fmt(point, 2)}{unit}，{c.total.raw} 较之 "
                            f"{base.fmt(grown, dec)}%"),
                        en=(f"Growth does not follow from the parts: stated {c.stated.raw}, but the "
                            f"parts worked back by their own rates sum to {base.fmt(point, 2)}{unit} "
                            f"last year, and {c.total.raw} is {base.fmt(grown, dec)}% on that"),
                        spans=(c.stated.span, c.total.span, *(q.span for q in c.parts),
                               *(q.span for q in c.part_rates)),
                        stated=c.stated.value, recomputed=quantities.round_to(grown, dec), unit="%",
                        tolerance=quantities.half_ulp(c.stated),
                        formula=f"{c.total.raw} ÷ Σ(分项 ÷ (1 + 增减率)) − 1", claims=[c],
                        fix_zh="核对合计及各分项的增减率和金额",
                        fix_en="Check the rates and the amounts of the total and its parts",
                    )
