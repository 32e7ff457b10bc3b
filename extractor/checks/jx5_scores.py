"""JX5xx: score sheets — awarded vs weight, totals, execution-rate scoring."""

from __future__ import annotations

import re

from collections.abc import Iterator
from decimal import Decimal

from extractor import models, quantities
from extractor.checks import base
from extractor.checks.jx2_totals import footing

__all__ = [
    "ExecutionScoreMismatch",
    "IndicatorValueConflict",
    "IndicatorValueMissing",
    "RuleUnreadable",
    "ScoreBreaksRule",
    "ScoreExceedsWeight",
    "ScoreTotalMismatch",
]


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
    Fails: "自评总得分为98分。其中：决策指标得分12，过程指标18分，产出指标35分，
    效益指标20分，满意度指标8分" — 12 + 18 + 35 + 20 + 8 = 93.

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
            # Parts that may be a selection contradict the total only by exceeding it.
            if not c.exhaustive and rng.hi < quantities.interval_of(c.total).lo:
                continue
            parts = " + ".join(p.raw.rstrip("分") for p in c.parts)
            shown = base.fmt(point, base.sum_decimals([c.total, *c.parts]))
            # A sheet's 分值 column (weights) foots like its 得分 column.
            weights = c.label.startswith("分值")
            what_zh, what_en = ("分值合计", "weights") if weights else ("总分", "scores")
            yield self.finding(
                zh=f"{what_zh}不符：写为 {c.total.raw}，但各项{'分值' if weights else '得分'} "
                   f"{parts} = {shown}分",
                en=f"Score total mismatch: stated {c.total.raw}, but the {what_en} {parts} "
                   f"sum to {shown}",
                spans=(c.total.span, *(p.span for p in c.parts)),
                stated=c.total.value, recomputed=point, unit="分", claims=[c],
                formula=f"{parts} = {shown} ≠ {c.total.raw.rstrip('分')}",
                fix_zh=f"将总分改为 {shown} 或核对各项得分",
                fix_en=f"Correct the total to {shown} or check each score",
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


def _rule_text(c: models.ScoreClaim, width: int = 40) -> str:
    text = " ".join((c.rule or "").split())
    return text if len(text) <= width else text[:width] + "…"


def _value_text(c: models.ScoreClaim, lang: str) -> str:
    v = c.indicator_value
    if c.value_source == "absent":
        return "无此类项目（按满分）" if lang == "zh" else "no such project (full marks)"
    if v is None:
        return ""
    inputs = "、".join(q.raw for q in c.value_inputs)
    if c.value_source == "formula":
        return (f"{v.raw}（按公式 {c.formula} 由 {inputs} 算得）" if lang == "zh"
                else f"{v.raw} (from {c.formula} with {inputs})")
    if c.value_source == "mention":
        return f"{v.raw}（报告他处所述）" if lang == "zh" else f"{v.raw} (stated elsewhere in the report)"
    return f"{v.raw}（表中实际完成值）" if lang == "zh" else f"{v.raw} (the sheet's actual value)"


class ScoreBreaksRule(base.Check):
    """An awarded score is not what the printed scoring rule gives.

    ## What it does
    Reads the scoring rule printed beside an indicator (评价标准: full-marks
    band, fixed points per band, points off per step with "扣完为止", the value
    times the weight ("得分=预算执行率×分值", one decimal either way), or a
    list of allowed grades), finds the indicator's value — computed from the report's
    own figures when the indicator's formula is printed and its inputs can be
    found, else the sheet's 实际完成值, else the same metric stated elsewhere —
    and compares the score the rule allows with the score awarded.

    ## Why is this bad?
    The total score decides the grade (优/良/中/差) and what follows from it;
    a score the rule does not allow inflates or deflates it.

    ## Example
    Fails: 预算控制率 rule "=0计5分；0-10%(含)计4分；…大于30%不得分", 年初预算
    596.39 and 全年预算 1832 give (1832 − 596.39) / 596.39 = 207.18%, so the
    rule allows 0; the sheet awards 4.

    Passes: 公用经费控制率 rule "100%以下(含)计满分，每超出1%扣1分", value
    34.28 / 38.4 = 89.27%, awarded the full 8.

    ## Tolerance
    A partial step counts as the rule says: "不足1%按1%计" deducts for every
    started step, "不足1%不扣分" only for whole steps. Where the rule does not say
    ("每低于5%扣2分"), it is read both ways and any score between the two
    readings passes: 89.86% under "≥92%得满分，每低于1%扣0.5分" allows 8.5 (three
    started steps) to 9 (two whole steps). A deduction rule that prints no
    value to deduct from ("每超过1个百分点扣0.5分") deducts from the row's
    年度指标值.
    """

    code = "JX504"
    name = "score-breaks-printed-rule"
    kind = "score"
    needs = ("score",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("score"):
            rule = c.parsed_rule
            if rule is None:
                continue
            awarded = c.awarded.value
            if rule.kind == "levels":
                if awarded in rule.levels:
                    continue
                allowed_text = "、".join(base.fmt(v) for v in rule.levels)
                yield self._finding(c, None, allowed_text, awarded)
                continue
            if c.value_source == "absent":
                lo = hi = rule.weight
            elif c.indicator_value is None:
                continue
            else:
                allowed = rule.allowed_range(c.indicator_value.value)
                if allowed is None:  # no printed band covers the value
                    continue
                lo, hi = allowed
            if lo <= awarded <= hi:
                continue
            allowed_text = base.fmt(lo) if lo == hi else f"{base.fmt(lo)}–{base.fmt(hi)}"
            yield self._finding(c, lo if lo == hi else None, allowed_text, awarded)

    def _finding(self, c: models.ScoreClaim, allowed: Decimal | None, allowed_text: str,
                 awarded: Decimal) -> models.Finding:
        value_zh, value_en = _value_text(c, "zh"), _value_text(c, "en")
        spans = [c.awarded.span]
        if c.rule_span is not None:
            spans.append(c.rule_span)
        spans.extend(q.span for q in c.value_inputs)
        return self.finding(
            zh=(f"得分不符合评分标准：「{c.label}」" + (f"指标值 {value_zh}，" if value_zh else "")
                + f"按“{_rule_text(c)}”应得 {allowed_text} 分，实得 {c.awarded.raw} 分"),
            en=(f"Score breaks the printed rule: '{c.label}'" + (f" value {value_en};" if value_en else "")
                + f" the rule allows {allowed_text}, awarded {c.awarded.raw}"),
            spans=spans, stated=awarded, recomputed=allowed, unit="分", claims=[c],
            formula=f"{_rule_text(c, 80)} → {allowed_text}",
            fix_zh=f"按评分标准将得分改为 {allowed_text} 分，或说明依据",
            fix_en=f"Award {allowed_text} as the rule says, or explain the exception",
        )


class RuleUnreadable(base.Check):
    """A printed scoring rule that jxcheck cannot read, so the score is unchecked.

    ## What it does
    Notes every indicator whose printed 评价标准 matches none of the rule
    families jxcheck reads (bands, deductions, grades, checklists). With
    ``--backend hybrid`` the model is asked to read such a rule first
    (prompts/read_scoring_rule.md); its reading is used only when every figure
    of it is printed in the rule, so the note remains when the model's
    answer is rejected or says the rule has no numeric form.

    ## Why is this bad?
    Nothing is wrong yet; the note tells the reviewer which scores to check by
    hand instead of silently skipping them.

    ## Example
    Note: "根据绩效办考核分数折算，该项得分=(考核得分/该部分总分)×8" — the
    inputs are outside the report.

    Passes (no note): "100%计满分，每低于5%扣2分，扣完为止".
    """

    code = "JX505"
    name = "scoring-rule-unreadable"
    kind = "score"
    severity = models.Severity.INFO
    needs = ("score",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("score"):
            if not c.rule or c.parsed_rule is not None:
                continue
            yield self.finding(
                zh=f"评分标准无法识别：「{c.label}」“{_rule_text(c)}”，得分 {c.awarded.raw} 未核对",
                en=f"Scoring rule not understood for '{c.label}'; its score {c.awarded.raw} was not checked",
                spans=[c.rule_span or c.awarded.span, c.awarded.span], claims=[c],
                fix_zh="人工核对该项得分", fix_en="Check this score by hand",
            )


class IndicatorValueMissing(base.Check):
    """A score rule was read but the indicator's value could not be determined.

    ## What it does
    Notes indicators whose rule needs a value the report does not give (or
    gives twice with different figures), naming what is missing; no score
    finding is raised for them.

    ## Why is this bad?
    Nothing is wrong yet; the reviewer learns which input to ask for.

    ## Example
    Note: "“三公经费”变动率" needs 上年度“三公经费”预算数, which the report does not state.

    Passes (no note): 在职人员控制率 computed from 在职人员数 29 and 编制数 34.
    """

    code = "JX506"
    name = "indicator-value-missing"
    kind = "score"
    severity = models.Severity.INFO
    needs = ("score",)

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        for c in ctx.of("score"):
            if c.parsed_rule is None or c.parsed_rule.kind == "levels" or not c.value_missing:
                continue
            missing_zh, missing_en = _missing_words(c.label, c.value_missing)
            yield self.finding(
                zh=f"指标值无法确定：「{c.label}」缺少 {missing_zh}，得分 {c.awarded.raw} 未按评分标准核对",
                en=f"Indicator value unknown for '{c.label}': missing {missing_en}; score not checked against its rule",
                spans=[c.awarded.span] + ([c.rule_span] if c.rule_span else []), claims=[c],
                fix_zh="补充计算该指标所需的数据", fix_en="Provide the figures this indicator needs",
            )


# A missing term with a note in both languages in brackets (extract/indicators.py).
_BILINGUAL_NOTE = re.compile(r"^(.*?)（(.*?) / (.*?)）$")


def _missing_words(label: str, terms: tuple[str, ...]) -> tuple[str, str]:
    """What an indicator lacks, in each language: terms written "中文 / English"
    are split, and the indicator's own name means its actual value (a sheet
    that prints no 实际完成值 for 资金使用合规性 lacks that value, not itself)."""
    zh, en = [], []
    for term in dict.fromkeys(terms):
        if term == label:
            zh.append("实际完成值")
            en.append("its actual value")
            continue
        bracketed = _BILINGUAL_NOTE.match(term)
        if bracketed:
            # "label（报告中有 2 个不同数值 / stated with 2 different values）"
            name, note_zh, note_en = bracketed.groups()
            zh.append(f"{name}（{note_zh}）")
            en.append(f"{name} ({note_en})")
            continue
        head, sep, tail = term.partition(" / ")
        zh.append(head if sep else term)
        en.append(tail if sep else term)
    return "、".join(dict.fromkeys(zh)), ", ".join(dict.fromkeys(en))


class IndicatorValueConflict(base.Check):
    """An indicator's value computed from its printed formula differs from the value
    the report states for it elsewhere.

    ## What it does
    Where the indicator's formula is printed and its inputs are found in the
    report (控制率 = 实际 / 预算), compares the computed value with every other
    statement of the same metric (a sheet's 实际完成值, a base-data table, the
    narrative).

    ## Why is this bad?
    A sheet that states "在职人员控制率 100%" while 在职人员 29 / 编制 34 gives
    85.29% scores the department on a figure its own data contradict.

    ## Example
    Fails: formula "“三公经费”控制率=(实际支出数/预算安排数)×100%", 2.4 / 7.8 =
    30.77%, narrative "“三公”经费控制率为100%".

    Passes: the base-data table states 控制率 85% for 29 / 34 = 85.29%.
    """

    code = "JX507"
    name = "indicator-value-conflict"
    kind = "rate"
    needs = ("score", "mention")

    def run(self, ctx: base.CheckContext) -> Iterator[models.Finding]:
        by_metric: dict[str, list[models.MentionClaim]] = {}
        for m in ctx.of("mention"):
            by_metric.setdefault(m.metric, []).append(m)
        seen: set[int] = set()
        for c in ctx.of("score"):
            if c.value_source != "formula" or not c.metric or c.indicator_value is None:
                continue
            value = c.indicator_value.value
            for m in by_metric.get(c.metric, []):
                stated = m.value
                if stated.unit not in ("%", "") or stated.approximate or stated.span.start in seen:
                    continue
                if value in (stated.value,) or stated.value in (
                        quantities.round_to(value, stated.decimals),
                        quantities.truncate_to(value, stated.decimals)):
                    continue
                seen.add(stated.span.start)
                inputs = " ÷ ".join(q.raw for q in c.value_inputs)
                yield self.finding(
                    zh=(f"指标值与数据不符：「{c.label}」写为 {stated.raw}，但按公式 {c.formula} "
                        f"由 {inputs} 算得 {c.indicator_value.raw}"),
                    en=(f"Indicator value contradicts the data: '{c.label}' stated {stated.raw}, "
                        f"but {c.formula} with {inputs} gives {c.indicator_value.raw}"),
                    spans=(stated.span, *(q.span for q in c.value_inputs)),
                    stated=stated.value, recomputed=quantities.round_to(value, 2), unit="%",
                    formula=f"{c.formula}: {inputs} = {c.indicator_value.raw}", claims=[c, m],
                    fix_zh=f"将该指标值改为 {c.indicator_value.raw} 或说明口径",
                    fix_en=f"Correct the value to {c.indicator_value.raw} or explain the basis",
                )
