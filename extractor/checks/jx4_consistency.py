"""JX4xx: one figure stated twice, and units that contradict their neighbours."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from extractor import models, quantities
from extractor.checks import base
from extractor.checks.jx2_totals import is_unit_slip

__all__ = ["ConflictingValues", "UnitSlip"]


def _compatible_units(a: models.Quantity, b: models.Quantity) -> bool:
    da, db = quantities.dimension(a.unit), quantities.dimension(b.unit)
    # A bare table cell under a 率 header is a percent.
    return da == db or {da, db} == {"percent", ""}


def _agree(a: models.Quantity, b: models.Quantity) -> bool:
    """Two statements of one figure agree when the finer one, rounded or cut to the
    coarser one's decimals, gives the coarser one (9.9% and 9.8% do not agree)."""
    unit = a.unit or b.unit
    va = quantities.to_unit(a.value, a.unit, unit) if a.unit else a.value
    vb = quantities.to_unit(b.value, b.unit, unit) if b.unit else b.value
    coarse, fine = (va, vb) if a.decimals <= b.decimals else (vb, va)
    places = min(a.decimals, b.decimals)
    if quantities.dimension(unit) in ("CNY", "USD") and a.unit != b.unit:
        return abs(va - vb) <= max(quantities.half_ulp(a) * quantities.factor(a.unit),
                                   quantities.half_ulp(b) * quantities.factor(b.unit)) \
            / quantities.factor(unit)
    return coarse in (quantities.round_to(fine, places), quantities.truncate_to(fine, places))


def _comparable(a: models.MentionClaim, b: models.MentionClaim) -> bool:
    """Same scope (or one global), and not two generic names in one sentence."""
    if a.scope and b.scope and a.scope != b.scope:
        return False
    # Two statements in one sentence are parallel items ("争取资金5000万元…；争取资金3100万元"),
    # not a restatement.
    # Compared by offsets: pydantic's __eq__ on Span was the cost of this check.
    if (a.sentence is not None and b.sentence is not None
            and a.sentence.start == b.sentence.start and a.sentence.end == b.sentence.end):
        return False
    return True


# Statements this close (in characters) belong to one passage; a passage that
# repeats an earlier one word for word is compared with itself, not again with
# the original (report 002 prints its whole summary twice).
_PASSAGE = 300
# Earlier statements of one metric a statement is compared with. A real
# report states a metric a handful of times; without a bound, a text that
# states one metric 100,000 times costs 100,000² comparisons (issue 11).
_LOOKBACK = 50


def _conflicts(claims: list[models.MentionClaim]):
    """Pairs (earlier, later) of statements of one metric that disagree.

    A statement is compared with the nearest earlier comparable statement of its
    own passage; the first statement of a passage is compared with all earlier
    ones (at most :data:`_LOOKBACK` back) and reported only if it agrees
    with none of them.
    """
    reported: set[frozenset[str]] = set()
    for j, cur in enumerate(claims):
        earlier = [c for c in claims[max(0, j - _LOOKBACK):j] if _comparable(c, cur)
                   and _compatible_units(c.value, cur.value)]
        if not earlier:
            continue
        near = [c for c in earlier if cur.value.span.start - c.value.span.start < _PASSAGE]
        if near:
            prev = near[-1]
            if not _agree(prev.value, cur.value):
                yield prev, cur
            continue
        if any(_agree(c.value, cur.value) for c in earlier):
            continue
        pair = frozenset((earlier[-1].value.raw, cur.value.raw))
        if pair not in reported:
            reported.add(pair)
            yield earlier[-1], cur


def _unit_scale(a: models.Quantity, b: models.Quantity) -> str:
    """"10000" or "100000000" when one amount is the other times a unit's scale."""
    if quantities.dimension(a.unit) not in ("CNY", "USD") or a.unit != b.unit:
        return ""
    big, small = (a, b) if a.value > b.value else (b, a)
    for k in (10_000, 100_000_000):
        if small.value and quantities.interval_of(small).scale(Decimal(k)).overlaps(
                quantities.interval_of(big)):
            return f"{k:,}"
    return ""


def _shown_name(metric: str, claim: models.MentionClaim) -> str:
    """The metric as a reader knows it: a generic name qualified by its subject,
    "计划投资（实施全州三年行动计划重点产业）", in the report's own words."""
    if metric.startswith(("concept:", "amount:")):
        return metric.split(":", 1)[1]
    if "/" not in metric:
        return metric
    subject, name = metric.rsplit("/", 1)
    label = claim.label.strip("为是达：: ") if claim.label else ""
    if name not in label or len(label) > 12:
        label = name
    return f"{label}（{subject}）"


class ConflictingValues(base.Check):
    """The same metric is stated twice with different values.

    ## What it does
    Groups every named figure by its metric (after aliases such as 社零 →
    社会消费品零售总额, 外贸总额 → 进出口总额, 增长率 → 增速) and period, and
    reports a metric whose statements disagree beyond their precision.

    ## Why is this bad?
    Two values for one figure mean at least one is wrong, and the reader
    cannot tell which.

    ## Example
    Fails: "进出口总额增速6.4%" … "外贸总额86亿元，增速6.2%".

    Passes: "电商交易额12.08亿元" … "电子商务交易额12.08亿元".

    ## Known false positives
    Two different things with the same generic name in one sentence pattern
    (到位资金 of two programmes) are told apart by the sentence's subject;
    where the subject is missing, jxcheck does not compare them.
    """

    code = "JX401"
    name = "conflicting-values"
    kind = "cross_reference"
    needs = ("mention",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        groups: dict[tuple[str, str], list[models.MentionClaim]] = defaultdict(list)
        for c in ctx.of("mention"):
            groups[(c.metric, c.period)].append(c)
        for (metric, _period), claims in groups.items():
            claims.sort(key=lambda c: c.value.span.start)
            for first, other in _conflicts(claims):
                a, b = first.value, other.value
                shown = _shown_name(metric, first)
                slip = _unit_scale(a, b)
                hint_zh = f"，两者相差 {slip} 倍，疑为单位笔误（元/万元）" if slip else ""
                hint_en = f"; they differ {slip}-fold: a unit slip (元/万元)?" if slip else ""
                yield self.finding(
                    zh=(f"前后数据不一致：「{shown}」在第一处为 {a.raw}，另一处为 {b.raw}{hint_zh}"),
                    en=(f"Conflicting values: '{shown}' is {a.raw} in one place and "
                        f"{b.raw} in another{hint_en}"),
                    spans=(a.span, b.span), stated=b.value, recomputed=a.value,
                    unit=a.unit or b.unit, claims=[first, other],
                    formula=f"{a.raw} ≠ {b.raw}",
                    fix_zh="统一该指标的数值，或注明口径差异",
                    fix_en="Use one value for this metric, or state why the two differ",
                )


class UnitSlip(base.Check):
    """A total whose digits match its parts but whose unit does not (28元 vs 28万元).

    ## What it does
    Flags a stated total whose number equals the sum of its parts while its
    unit differs from theirs, so that the amount is off by a power of ten.

    ## Why is this bad?
    An amount in 元 among 万元 figures understates it ten-thousandfold; the
    reader of the published report takes the printed unit at its word.

    ## Example
    Fails: "“三公”经费支出为6.5元，其中：公务用车运行费6.5万元、公务接待费0万元".

    Passes: "“三公”经费支出为6.5万元，其中：公务用车运行费6.5万元".
    """

    code = "JX402"
    name = "unit-slip"
    kind = "unit"
    needs = ("breakdown",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("breakdown"):
            total = is_unit_slip(c)
            if total is None:
                continue
            punit = c.parts[0].unit
            shown = base.fmt(total, base.sum_decimals(c.parts))
            yield self.finding(
                zh=(f"单位有误：“{ctx.quote(c.total)}”，但各分项之和为 "
                    f"{shown}{punit}，应为 {shown}{punit}"),
                en=(f"Unit slip: stated {c.total.raw}, but its parts sum to "
                    f"{shown}{punit}"),
                spans=(c.total.span, *(p.span for p in c.parts)),
                stated=quantities.to_unit(c.total.value, c.total.unit, punit),
                recomputed=total, unit=punit, claims=[c],
                formula=f"{' + '.join(p.raw for p in c.parts)} = {shown}{punit}",
                fix_zh=f"将单位改为“{punit}”", fix_en=f"Change the unit to {punit}",
            )
