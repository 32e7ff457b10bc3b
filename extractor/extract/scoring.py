"""Printed scoring rules (评价标准) → :class:`~extractor.models.ScoringRule`.

The common-indicator sheets of 部门整体支出 and 项目支出 self-evaluations print
their rules in a handful of phrasing families; each family has one function
here. A rule that none of them reads is returned as ``None`` and reported by the
checks as unreadable, never guessed.

Families (synthetic examples; the tests hold one case per family):

* deduction below a target: "100%计满分，每低于5%扣2分，扣完为止"
* deduction above a ceiling: "100%以下(含)计满分，每超出1%扣1分，扣完为止",
  "≤100%，计5分；每超过一个百分点扣0.5分"
* deduction both ways: "100%计满分，每超过（降低）5%扣2分"
* bands: "=0,计5分；0-10%(含),计4分；…大于30%不得分",
  "90%（含）以上计6分；80%（含）-90%，计4分；低于70%计0分"
* levels: "效果较好的计6分；一般3分；无效果0分", checklists "①…，2分；②…，2分"
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from extractor import models

__all__ = ["parse_formula", "parse_rule"]

_NUM = r"-?\d+(?:\.\d+)?"


def _clean(text: str) -> str:
    table = str.maketrans({"（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "％": "%",
                           "＝": "=", "—": "-", "－": "-", "～": "-", "~": "-", "≦": "≤", "≧": "≥"})
    text = text.translate(table)
    text = re.sub(r"\\leq?", "≤", text)
    text = re.sub(r"\\geq?", "≥", text)
    text = text.replace("$", "").replace("\\%", "%")
    return re.sub(r"\s+", "", text)


def parse_rule(text: str, weight: Decimal,
               target: Decimal | None = None) -> models.ScoringRule | None:
    """Read a printed rule; ``None`` when no family matches.

    Args:
        text: the printed rule.
        weight: the indicator's 分值.
        target: the sheet's 年度指标值, for a deduction rule that does not print
            the value it deducts from ("每超过1个百分点扣0.5分，扣完为止").
    """
    if not text:
        return None
    t = _clean(text)
    for reader in (_proportional, _deduction, _bands, _checklist, _levels):
        rule = reader(t, weight, text, target) if reader is _deduction else reader(t, weight, text)
        if rule is not None:
            return rule
    return None


# ---------------------------------------------------------------- proportional

# "得分=预算执行率×分值", "按执行率×权重计分", "执行率*该指标分值": the score is the
# indicator value (a percent) times the weight.
_PROPORTIONAL = re.compile(
    r"(?:得分=|按)?[\u4e00-\u9fa5“”\"]{0,14}(?:率|比例)(?:\(%\))?[×x*]"
    r"(?:该项|该指标|本项|指标)?(?:分值|权重|满分)")


def _proportional(t: str, weight: Decimal, text: str) -> models.ScoringRule | None:
    if not _PROPORTIONAL.search(t):
        return None
    return models.ScoringRule(kind="proportional", weight=weight, text=text)


# ---------------------------------------------------------------- deduction

_DEDUCT = re.compile(
    rf"每(?P<dir>超过\(降低\)|超出\(降低\)|低于|降低|减少|少于|超过|超出|高于|增加|偏离|低|少|下降|超|高|多)"
    rf"(?:一个百分点|(?P<step>{_NUM})(?:%|个百分点)?)扣(?P<pen>{_NUM})分"
)
# "计满分", "得满分", "给满分", "记满分", "为满分" all award the weight.
_FULL = r"(?:计|得|给|记|为)满分"
_TARGET = [
    re.compile(rf"以(?P<t>{_NUM})%?为(?:标准|基准)"),
    re.compile(rf"(?P<t>{_NUM})%?(?:以下|及以下|以内|以上|及以上)?(?:\(含\))?(?:以下|以上)?,?{_FULL}"),
    re.compile(rf"(?:≤|<=|不超过|不高于|小于等于)(?P<t>{_NUM})%?(?:\(含\))?,?(?:计|得)(?:\d|满分)"),
    re.compile(rf"(?:≥|>=|不低于|大于等于)(?P<t>{_NUM})%?(?:\(含\))?,?(?:计|得)(?:\d|满分)"),
    re.compile(rf"达到(?P<t>{_NUM})%?(?:及以上|以上)?(?:\(含\))?,?{_FULL}"),
]
# What the rule says about a partial step: "不足1%按1%计" / "不足1个百分点的按1个
# 百分点扣分" counts it as a step; "不足1%不扣分" / "不足1个百分点的不计" does not.
_PARTIAL_STARTED = re.compile(r"不足(?:一|\d+(?:\.\d+)?)(?:个百分点|%)?的?(?:按|以)")
_PARTIAL_WHOLE = re.compile(r"不足(?:一|\d+(?:\.\d+)?)(?:个百分点|%)?的?(?:不扣|不计|不减)")


_PER_CASE = re.compile(rf"每出现一例(?:不符合要求的)?(?:扣|减)(?P<pen>{_NUM})分")


def _deduction(t: str, weight: Decimal, text: str,
               fallback_target: Decimal | None = None) -> models.ScoringRule | None:
    m = _DEDUCT.search(t)
    if not m:
        pc = _PER_CASE.search(t)
        if pc:
            # The indicator is a count of non-compliant cases, full marks at zero.
            return models.ScoringRule(kind="deduction", weight=weight, text=text,
                                      target=Decimal(0), direction="above", step=Decimal(1),
                                      penalty=Decimal(pc.group("pen")), unit="例")
        return None
    word = m.group("dir")
    if "(" in word or word == "偏离":
        direction = "both"
    elif word in ("低于", "降低", "减少", "少于", "低", "少", "下降"):
        direction = "below"
    else:
        direction = "above"
    target = None
    for pat in _TARGET:
        tm = pat.search(t)
        if tm:
            target = Decimal(tm.group("t"))
            break
    if target is None:
        target = fallback_target
    if target is None:
        return None
    counting = ("started" if _PARTIAL_STARTED.search(t)
                else "whole" if _PARTIAL_WHOLE.search(t) else "either")
    return models.ScoringRule(
        kind="deduction", weight=weight, text=text, target=target, direction=direction,
        step=Decimal(m.group("step") or 1), penalty=Decimal(m.group("pen")),
        full_marks_when_absent=_absent_full_marks(t), step_counting=counting,
    )


def _absent_full_marks(t: str) -> bool:
    """"没有楼堂馆所项目的部门按满分计算": no subject at all scores full marks."""
    return bool(re.search(r"没有.{0,12}(?:按满分|计满分|得满分)", t))


# ---------------------------------------------------------------- bands

_POINTS = re.compile(rf"(?:计|得|给)?(?P<p>{_NUM})分|(?P<zero>不得分|不计分|计0分)|(?P<full>{_FULL})")


def _band_of(cond: str) -> tuple[Decimal | None, bool, Decimal | None, bool] | None:
    """(lo, lo_inclusive, hi, hi_inclusive) of one printed condition."""
    c = re.sub(r"^[^\d=<>≤≥低高大小不超]*", "", cond)  # drop the indicator's name
    pats = [
        (rf"^(?:=|为|等于)(?P<a>{_NUM})%?$", "eq"),
        (rf"^(?P<a>{_NUM})%?\(含\)-(?P<b>{_NUM})%?(?:\(含\))?$", "lo_incl"),
        (rf"^(?P<a>{_NUM})%?-(?P<b>{_NUM})%?\(含\)$", "hi_incl"),
        (rf"^(?P<a>{_NUM})%?-(?P<b>{_NUM})%?$", "lo_incl"),
        (rf"^(?P<a>{_NUM})%?\(含\)以上$|^(?:≥|>=|大于等于|不低于)(?P<a2>{_NUM})%?$", "ge"),
        (rf"^(?P<a>{_NUM})%?以上$|^(?:>|大于|高于|超过)(?P<a2>{_NUM})%?$", "gt"),
        (rf"^(?P<a>{_NUM})%?\(含\)以下$|^(?:≤|<=|小于等于|不超过|不高于)(?P<a2>{_NUM})%?$", "le"),
        (rf"^(?P<a>{_NUM})%?以下$|^(?:<|小于|低于|不足)(?P<a2>{_NUM})%?$", "lt"),
    ]
    for pat, kind in pats:
        m = re.match(pat, c)
        if not m:
            continue
        a = m.groupdict().get("a") or m.groupdict().get("a2")
        b = m.groupdict().get("b")
        a = Decimal(a) if a is not None else None
        b = Decimal(b) if b is not None else None
        if kind == "eq":
            return a, True, a, True
        if kind == "lo_incl":
            return a, True, b, kind == "lo_incl" and "(含)" in c.split("-")[-1]
        if kind == "hi_incl":
            return a, False, b, True
        if kind == "ge":
            return a, True, None, True
        if kind == "gt":
            return a, False, None, True
        if kind == "le":
            return None, True, a, True
        if kind == "lt":
            return None, True, a, False
    return None


def _bands(t: str, weight: Decimal, text: str) -> models.ScoringRule | None:
    bands: list[models.Band] = []
    for clause in re.split(r"[;。]", t):
        if not clause:
            continue
        pm = None
        for pm in _POINTS.finditer(clause):
            pass
        if pm is None:
            continue
        points = (Decimal(0) if pm.group("zero") else weight if pm.group("full")
                  else Decimal(pm.group("p")))
        cond = clause[: pm.start()].rstrip(",:，")
        cond = re.sub(r"(?:的)?$", "", cond)
        band = _band_of(cond)
        if band is None:
            continue
        lo, lo_inc, hi, hi_inc = band
        bands.append(models.Band(lo=lo, lo_inclusive=lo_inc, hi=hi, hi_inclusive=hi_inc,
                                 points=points))
    if len(bands) < 2:
        return None
    return models.ScoringRule(kind="bands", weight=weight, text=text, bands=tuple(bands))


# ---------------------------------------------------------------- levels

_ITEM_MARK = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]")


def _checklist(t: str, weight: Decimal, text: str) -> models.ScoringRule | None:
    """"①有…制度，2分；②…，2分": any subset of the items may be met."""
    if len(_ITEM_MARK.findall(t)) < 2:
        return None
    items = [Decimal(m.group(1)) for m in re.finditer(rf"({_NUM})分(?=[;。]|$|[①-⑩])", t)]
    if len(items) < 2 or sum(items) != weight:
        return None
    sums = {sum(c, Decimal(0)) for n in range(len(items) + 1)
            for c in itertools.combinations(items, n)}
    return models.ScoringRule(kind="levels", weight=weight, text=text, levels=tuple(sorted(sums)))


def _levels(t: str, weight: Decimal, text: str) -> models.ScoringRule | None:
    """"效果较好的计6分;一般3分;无效果0分": qualitative grades, each a fixed score."""
    if re.search(rf"{_NUM}%", t) or "每" in t:
        return None
    points = [Decimal(m.group(1)) for m in re.finditer(rf"(?:计|得)?({_NUM})分", t)]
    distinct = sorted(set(points))
    if len(distinct) < 2 or max(distinct) != weight:
        return None
    return models.ScoringRule(kind="levels", weight=weight, text=text, levels=tuple(distinct))


# ---------------------------------------------------------------- formulas

_FORMULA = re.compile(r"(?P<name>[\u4e00-\u9fa5“”\"]{2,20}率)\s*[=＝-]\s*(?P<expr>[^。；;]*?)\s*[×x*]\s*100%")


def parse_formula(text: str) -> tuple[str, str] | None:
    """``(indicator, expression)`` from "预算控制率=(本年追加预算/年初预算)×100%".

    The expression keeps the printed term names; parentheses, + − / are normalised.
    """
    if not text:
        return None
    t = text.replace("\\times", "×").replace("（", "(").replace("）", ")").replace("$", "")
    m = _FORMULA.search(t)
    if not m:
        return None
    expr = re.sub(r"\s+", "", m.group("expr")).replace("－", "-").replace("＋", "+")
    if not re.search(r"[/÷]", expr):
        return None
    name = re.sub(r"[“”\"]", "", m.group("name"))
    return name, expr.replace("÷", "/")
