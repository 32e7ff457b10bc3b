"""Amounts paid at a standard: count × standard per head (× months) = amount.

Subsidy reports state who was paid, at what standard, and how much, in one
statement: "见习补贴对象230人，按每人1,500元标准发放34.50万元",
"对村级站点40处，按每处每年0.6万元标准补助，计24.00万元",
"护林员累计1,800人月，按每人每月800元标准发放144.00万元".
The count is the nearest count before 按每 whose unit is the standard's head
(人, 户, 处…) or that head per month (人月); the amount is the first money
figure after the standard in the same statement. A monthly standard paid to
heads (not head-months) needs a number of months: twelve when the statement
says 全年, N when it says N个月; the claim is then inferred.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_STANDARD = re.compile(
    r"(?:按(?:照)?|标准(?:为|是|[:：])?|(?<=[，,]))每(?P<head>人|户|家|处|名|个|所|村|辆|次|人次|人月|亩|座|套|台|件|项|眼|口|床|头|只|吨)"
    r"(?:每(?P<per>月|年))?(?:补助|补贴|发放|奖补|奖励)?")
_MONTHS = re.compile(r"(?P<n>\d{1,2}|十二|十一|十|[一二三四五六七八九])个月")
_CN_MONTHS = {"十二": 12, "十一": 11, "十": 10, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def claims_of(doc: models.Document) -> list[models.Claim]:
    """A product claim for each "N<head>，按每<head>X元标准…Y元" of the prose."""
    out: list[models.Claim] = []
    before: list[tuple[models.TextView, list]] = []
    para = -1
    for s in context.prose_sentences(doc):
        if s.para != para:
            before, para = [], s.para
        out.extend(_products_in(s.view, s.toks, before[-2:]))
        before.append((s.view, s.toks))
    return out


def _products_in(sent: models.TextView, toks: list[quantities.Token],
                 before: list[tuple[models.TextView, list]] = ()) -> list[models.ProductClaim]:
    text = sent.text
    out = []
    for m in _STANDARD.finditer(text):
        floor = max(text.rfind(c, 0, m.start()) for c in "；;。") + 1
        ends = [k for k in (text.find(c, m.end()) for c in "；;。") if k != -1]
        stop = min(ends, default=len(text))
        nxt = _STANDARD.search(text, m.end())
        if nxt is not None:
            stop = min(stop, nxt.start())
        head, per = m.group("head"), m.group("per")
        count = next((t for t in reversed(toks) if floor <= t.start and t.end <= m.start()
                      and _counts(t, head)), None)
        after = [t for t in toks if m.end() <= t.start and t.end <= stop]
        inferred = False
        if count is None:
            # "…其中首次认定186家…。首次认定企业按每家20万元给予奖补，共…": the group the
            # clause names, counted in a sentence before.
            count = _named_count(text[floor:m.start()], head, before)
            inferred = count is not None
        if count is None or len(after) < 2:
            continue
        price, amount = after[0], next((t for t in after[1:] if _money(t)), None)
        if not _money(price) or amount is None or price.quantity.approximate \
                or amount.quantity.approximate or count.quantity.approximate:
            continue
        # The standard, then what was paid at it: "标准发放34.50万元", "标准补助，计24.00万元".
        gap = text[price.end:amount.start]
        if not re.fullmatch(r"(?:的?标准)?[^\d，,；;。]{0,10}[，,]?\s*(?:计|共|合计|共计|累计)?"
                            r"[^\d，,；;。]{0,10}", gap) or not re.search(r"标准|共|计|发放|补助|奖补|奖励|支出|兑付|拨付|全年|资金", gap):
            continue
        months = Decimal(1)
        head_months = text[count.end:count.end + 1] == "月"  # "1,800人月"
        if per == "月" and not head_months:
            months = _months(text[floor:stop])
            if months is None:
                continue
            inferred = True
        out.append(models.ProductClaim(
            stated=amount.quantity, factors=(count.quantity, price.quantity), multiplier=months,
            label=f"每{head}{'每' + per if per else ''}标准", inferred=inferred,
            sentence=sent.raw_span(0, len(text))))
    return out


def _named_count(clause: str, head: str, before) -> quantities.Token | None:
    """The one count of ``head`` in the sentences before whose name the clause repeats."""
    found = []
    for view, toks in before:
        for t in toks:
            if not _counts(t, head) or t.quantity.approximate:
                continue
            name = re.sub(r"^(?:其中|包括|含)[:：]?", "", metrics.label_before(view.text, t.start))
            if len(name) >= 2 and name in clause:
                found.append(t)
    return found[0] if len(found) == 1 else None


def _counts(t: quantities.Token, head: str) -> bool:
    """A count of the standard's heads (or head-months)."""
    unit = t.unit.removeprefix("万")
    return t.dim not in ("CNY", "USD", "percent", "") and unit in (head, head + "月", head + "次")


def _money(t: quantities.Token) -> bool:
    return t.dim in ("CNY", "USD")


def _months(statement: str) -> Decimal | None:
    m = _MONTHS.search(statement)
    if m is not None:
        n = m.group("n")
        return Decimal(int(n) if n.isdigit() else _CN_MONTHS[n])
    if "全年" in statement:
        return Decimal(12)
    return None
