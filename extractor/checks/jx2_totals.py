"""JX2xx: totals that must equal the sum of their parts (合计 = Σ 明细)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from extractor import models, quantities
from extractor.checks import base

__all__ = ["FootingMismatch", "StandardTimesCount", "TableFootingMismatch", "footing", "is_unit_slip"]


def footing(claim: models.BreakdownClaim) -> tuple[quantities.Interval, Decimal] | None:
    """(interval, point value) of Σ parts in the total's unit; None if units differ in kind."""
    unit = claim.total.unit
    dim = quantities.dimension(unit)
    if any(quantities.dimension(p.unit) != dim and p.unit for p in claim.parts):
        return None
    acc = quantities.Interval(Decimal(0), Decimal(0))
    point = Decimal(0)
    for p in claim.parts:
        acc = acc + quantities.interval_of(p, unit if p.unit else None)
        point += quantities.to_unit(p.value, p.unit, unit) if p.unit else p.value
    return acc, point


def is_unit_slip(claim: models.BreakdownClaim) -> Decimal | None:
    """If the total's digits equal Σ parts in the parts' own unit, return that sum.

    "支出为6.5元，其中：公务用车运行费6.5万元…" — the digits agree, the unit does not.
    """
    units = {p.unit for p in claim.parts}
    if len(units) != 1:
        return None
    (punit,) = units
    if not punit or punit == claim.total.unit:
        return None
    if quantities.dimension(punit) != quantities.dimension(claim.total.unit):
        return None
    total = sum((p.value for p in claim.parts), Decimal(0))
    return total if total == claim.total.value else None


def _parts_text(claim: models.BreakdownClaim, limit: int = 8) -> str:
    raws = [p.raw for p in claim.parts]
    shown = " + ".join(raws[:limit])
    return shown + (f" + …（共{len(raws)}项）" if len(raws) > limit else "")


class FootingMismatch(base.Check):
    """Parts stated in the narrative do not add up to their total.

    ## What it does
    For every total followed by its parts (其中…、…; 具体明细如下：1、…2、…;
    a figure with its parts in brackets), adds the parts in the total's unit and
    compares the sum with the stated total.

    ## Why is this bad?
    A total that is not the sum of its parts means one of the figures is wrong,
    or a part is missing from the list.

    ## Example
    Fails: "全年项目支出84.60万元，其中：设备购置费52.30万元、培训费18.15万元、
    差旅费13.25万元" — 52.30 + 18.15 + 13.25 = 83.70.

    Passes: "在编职工42人，其中专业技术人员25人，工勤人员17人".

    ## Tolerance
    Each part and the total stand for ±0.5 in their last printed place. With
    100 parts or more that interval can hide a whole unit of the total's last
    place; a difference that large is then an info note (too many parts to
    tell an error from rounding), never silence.

    ## Severity
    Error when the parts of an explicit 其中 / 分别为 list add up to more than
    their total or fall short of it by less than 5 %. Warning when they fall
    short by more (a 其中 list may name a selection of the total's items), and
    for every pairing inferred from word order or across sentences.

    ## Known false positives
    Lists introduced by "主要为" may be incomplete on purpose: for them only a
    sum above the total is reported.
    """

    code = "JX201"
    name = "parts-do-not-sum-to-total"
    kind = "footing"
    needs = ("breakdown",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("breakdown"):
            if c.table is not None or c.total.unit == "分" or is_unit_slip(c) is not None:
                continue
            yield from check_footing(self, ctx, c)


class TableFootingMismatch(base.Check):
    """A table's 合计/小计/汇总 row or column is not the sum of its rows or columns.

    ## What it does
    Foots every rebuilt table: each column against its 合计/汇总 row (nested 其中
    rows against their parent) and, where the header says so, each row's total
    column against its component columns (cross-casting).

    ## Why is this bad?
    Flattened tables are where transcription and formula errors hide; a total
    that does not foot misstates the whole table.

    ## Example
    Fails: a 汇总 row of 3867 over unit rows 2764, 129, 69, 189, 700.

    Passes: 汇总 3867 over 2764 + 129 + 69 + 189 + 716.

    ## Severity
    Error when the table's labels say what totals what (a 合计/汇总 row, a
    header whose first column is 合计). Warning for a row total found from the
    data alone (a column that equals the sum of later columns in every row but
    one), since the header does not say so. Info when a table of 100 rows or
    more is off by a whole printed unit or more but within the rounding of
    that many rows: too big to tell an error from rounding.
    """

    code = "JX202"
    name = "table-does-not-foot"
    kind = "footing"
    inferred_severity = models.Severity.WARNING
    needs = ("breakdown",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("breakdown"):
            if c.table is None or c.total.unit == "分" or is_unit_slip(c) is not None:
                continue
            yield from check_footing(self, ctx, c)


def check_footing(check: base.Check, ctx: base.CheckContext,
                  c: models.BreakdownClaim) -> Iterator[models.Finding]:
    res = footing(c)
    if res is None:
        return
    rng, point = res
    if base.relation_holds(c.total, rng):
        note = _too_many_parts(check, ctx, c, rng, point)
        if note is not None:
            yield note
        return
    if not c.exhaustive and rng.hi <= quantities.interval_of(c.total).hi:
        return  # a selection of the parts may sum to less than the total
    dec = max([c.total.decimals] + [p.decimals for p in c.parts])
    where = f"（{c.table}" + (f"，{c.label}" if c.table and c.label else "") + (
        f"，{c.column}" if c.column else "") + "）" if c.table else ""
    cause = _failing_part(ctx, c, c.total.value - point)
    because_zh = because_en = ""
    severity = check.inferred_severity if c.inferred else None
    if c.table is None and c.label == "其中" and point < c.total.value * _SELECTION_SHARE:
        # "民生支出483.14亿元。其中：教育…、社保…、卫生…" often names a selection:
        # parts well short of the total may be a list left incomplete on
        # purpose; a near miss or parts above the total are a contradiction.
        severity = models.Severity.WARNING
    if cause is not None:
        # 300 + 150 + 80.50 = 530.50 printed 503.50 above a 合计 that is right for
        # 530.50: the part that fails its own row is the one to correct; the
        # total is reported too, as a consequence, at lower severity.
        because_zh = f"；分项“{cause.raw}”本身与其明细不符，改正该分项即可消除此差异"
        because_en = (f"; the part {cause.raw} does not foot its own rows, and correcting it "
                      "removes this difference")
        severity = models.Severity.WARNING
    yield check.finding(
        zh=(f"合计不符{where}：“{ctx.quote(c.total)}”，"
            f"但各分项之和 {_parts_text(c)} = {base.fmt(point, dec)}{c.total.unit}{because_zh}"),
        en=(f"Total does not foot{' (' + c.table + ')' if c.table else ''}: stated {c.total.raw}, "
            f"but the parts {_parts_text(c)} sum to {base.fmt(point, dec)}{c.total.unit}"
            f"{because_en}"),
        spans=(c.total.span, *(p.span for p in c.parts)),
        stated=c.total.value, recomputed=point,
        tolerance=rng.hi - rng.mid + quantities.half_ulp(c.total), unit=c.total.unit,
        formula=f"{_parts_text(c, 50)} = {base.fmt(point, dec)} ≠ {c.total.raw}",
        claims=[c],
        severity=severity,
        fix_zh="核对合计数与各分项，或补列遗漏的分项",
        fix_en="Check the total and each part, or add the missing part",
    )


# Parts summing to less than this share of a 其中 total may be a selection.
_SELECTION_SHARE = Decimal("0.95")


def _failing_part(ctx: base.CheckContext, c: models.BreakdownClaim,
                  gap: Decimal) -> models.Quantity | None:
    """A part of ``c`` that is itself a total failing by the opposite amount.

    If part p is printed as Σ(its rows) − gap, replacing it with Σ(its rows)
    makes ``c`` foot: p is the figure to blame, ``c`` only inherits the error.
    """
    for p in c.parts:
        for other in ctx.breakdowns_of(p.span):
            if other is c:
                continue
            res = footing(other)
            if res is None or base.relation_holds(other.total, res[0]):
                continue
            own_gap = other.total.value - res[1]
            if own_gap != 0 and abs(own_gap + gap) <= quantities.half_ulp(c.total) * 2 + \
                    sum((quantities.half_ulp(q) for q in c.parts), Decimal(0)):
                return p
    return None


# From this many parts on, the rounding interval of their sum (±0.5 in the
# last place, per part) can hide a whole unit of the total's last place: 200
# rows printed to 0.01 sum to ±1.00, so a 合计 one unit off still "foots".
_MANY_PARTS = 100


def _too_many_parts(check: base.Check, ctx: base.CheckContext, c: models.BreakdownClaim,
                    rng: quantities.Interval, point: Decimal) -> models.Finding | None:
    """An info note where a difference is hidden only by the size of the table.

    Issue 11: a 合计 of 208+ rows with a planted error was silently accepted.
    Rounding can only explain a difference of a whole printed unit by adding
    up the rounding of very many rows; that is possible, so it is not an
    error, but the reader is told that the table was too big to decide.
    """
    if len(c.parts) < _MANY_PARTS:
        return None
    step = Decimal(10) ** -c.total.decimals
    gap = abs(c.total.value - point)
    if gap < step:
        return None
    spread = rng.hi - rng.mid
    dec = max([c.total.decimals] + [p.decimals for p in c.parts])
    return check.finding(
        zh=(f"无法判定：“{ctx.quote(c.total)}”有 {len(c.parts)} 个分项，各分项之和为 "
            f"{base.fmt(point, dec)}{c.total.unit}，相差 {base.fmt(gap, dec)}；按印出的精度，"
            f"这么多分项的舍入误差可达 ±{base.fmt(spread, dec)}，表格太大，无法区分差错与舍入"),
        en=(f"Cannot decide: the total {c.total.raw} has {len(c.parts)} parts summing to "
            f"{base.fmt(point, dec)}{c.total.unit}, {base.fmt(gap, dec)} apart; at the printed "
            f"precision the rounding of so many parts can reach ±{base.fmt(spread, dec)}, so the "
            "table is too big to tell an error from rounding"),
        spans=(c.total.span, *(p.span for p in c.parts)),
        stated=c.total.value, recomputed=point, tolerance=spread, unit=c.total.unit,
        severity=models.Severity.INFO, claims=[c],
        fix_zh="人工核对这一合计，或以更高精度列示各分项",
        fix_en="Check this total by hand, or print the parts with more decimals",
    )


class StandardTimesCount(base.Check):
    """An amount paid at a standard is not the count times the standard.

    ## What it does
    For "对象412人，按每人2,000元标准发放82.40万元" (a count, the standard per
    head, the amount paid, in one statement), multiplies the count by the
    standard (and by twelve for a monthly standard paid for the whole year)
    and compares the result with the amount; an average per head beside its
    count and amount (户均 / 亩均 / 人均) is checked the same way.

    ## Why is this bad?
    A subsidy total that is not count × standard misstates either the number of
    people paid, the standard, or the money; a unit slip (3,000万元 for 3,000元
    per household) shows up here as a product ten thousand times too large.

    ## Example
    Fails: "补贴对象240户，按每户3,000元的标准发放62.00万元" — 240 × 3,000元 = 72.00万元.

    Passes: "补贴对象240户，按每户3,000元的标准发放72.00万元".

    ## Severity
    Error when count, standard and amount stand in one statement and the
    standard is per head and per year (or once); warning when the number of
    months was read from 全年 beside a monthly standard.
    """

    code = "JX203"
    name = "standard-times-count"
    kind = "footing"
    inferred_severity = models.Severity.WARNING
    needs = ("product",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("product"):
            unit = c.stated.unit
            acc = quantities.Interval(c.multiplier, c.multiplier)
            point = c.multiplier
            money = None
            for f in c.factors:
                if quantities.dimension(f.unit) in ("CNY", "USD"):
                    if money is not None:
                        break
                    money = f
                    acc = acc * quantities.interval_of(f, unit)
                    point *= quantities.to_unit(f.value, f.unit, unit)
                else:
                    # A count in 万 (128.46万亩) is 10⁴ heads for the standard per head.
                    scale = quantities.factor(f.unit)
                    acc = acc * quantities.interval_of(f).scale(scale)
                    point *= f.value * scale
            else:
                if money is None or base.relation_holds(c.stated, acc):
                    continue
                shown = " × ".join(f.raw for f in c.factors) + (
                    f" × {c.multiplier}" if c.multiplier != 1 else "")
                dec = max(c.stated.decimals, 2)
                slip_zh = slip_en = ""
                if money.unit != "元" and quantities.dimension(money.unit) == "CNY":
                    # "按每户5,000万元的标准": the same digits in 元 may be what was meant.
                    scale = quantities.to_unit(Decimal(1), money.unit, "元")
                    if base.relation_holds(c.stated, acc.scale(1 / scale)):
                        slip_zh = "；若标准单位为“元”则相符，疑为单位笔误"
                        slip_en = "; with the standard in 元 it holds: a unit slip?"
                yield self.finding(
                    zh=(f"标准与数量之积不符：“{ctx.quote(c.stated)}”，但 {shown} = "
                        f"{base.fmt(point, dec)}{unit}{slip_zh}"),
                    en=(f"Amount is not count times standard: stated {c.stated.raw}, but "
                        f"{shown} = {base.fmt(point, dec)}{unit}{slip_en}"),
                    spans=(c.stated.span, *(f.span for f in c.factors)),
                    stated=c.stated.value, recomputed=point, unit=unit,
                    tolerance=acc.hi - acc.mid + quantities.half_ulp(c.stated),
                    formula=f"{shown} = {base.fmt(point, dec)}{unit}", claims=[c],
                    severity=self.inferred_severity if c.inferred else None,
                    fix_zh="核对人数（户数）、补助标准和发放金额，以及金额的单位",
                    fix_en="Check the count, the standard and the amount, and the amount's unit",
                )
