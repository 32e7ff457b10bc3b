"""Items named in one sentence and taken up by name in a later one.

Two phrasings of 决算说明 and 整体支出 narratives refer back to a figure by its
name instead of repeating it:

* "基本支出中，人员经费1,402.00万元…；公用经费240.00万元…" breaks down the
  基本支出 stated before (a sentence that opens with "<name>中，");
* "其中基本支出预算5,400.00万元、项目支出预算3,200.00万元。…其中：基本支出
  5,300.00万元，执行率98.15%" gives each item's execution rate over the budget
  the report stated for that item;
* "按功能分类：A支出…，B支出…" splits the year's 支出合计 stated before it.

The earlier figure is found by its name, in the same paragraph or the two
before it, and only when the name has one value there. The pairing crosses
sentences, so the claims are inferred (warnings).
"""

from __future__ import annotations

import re

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_OPENS_WITH_NAME = re.compile(r"^(?:\d{4}年度?)?(?P<name>[^\W\d_a-zA-Z]{2,10}?)中[，,：:]")
# "按功能分类：", "按经济性质分类：", "按支出内容划分，"
_CLASSIFIED = re.compile(r"^按[^\W\d_a-zA-Z]{1,8}?(?:分类|划分|分)[：:，,]")
_LEAD = re.compile(r"^(?:其中|包括|含)[:：]?")
_NOT_A_PART = re.compile(r"增加|减少|增长|下降|增收|减收|较上年|比上年|同比|上年|占")
_BUDGET_TAIL = re.compile(r"(?:年初|全年|调整后)?预算(?:数|安排)?(?:为|是)?$")
_RATE = re.compile(r"(?:预算)?执行率(?:为|是|达)?$")
_REACH = 2  # paragraphs before the referring one
_BACK = 40  # sentences before it, so that a run of thousands stays linear


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Breakdowns of a named total and execution rates over a named item's budget."""
    sents = context.prose_sentences(doc)
    budgets_of = _budgets_by_item(sents)
    out: list[models.Claim] = []
    for k, s in enumerate(sents):
        m = _OPENS_WITH_NAME.match(s.text)
        if m is not None:
            claim = _breakdown_of_named(sents, k, m)
            if claim is not None:
                out.append(claim)
        c = _CLASSIFIED.match(s.text)
        if c is not None:
            claim = _classification(sents, k, c)
            if claim is not None:
                out.append(claim)
        out.extend(_rates_of_named_budgets(sents, k, budgets_of))
    return out


def _earlier(sents: list[context.Sentence], k: int, name: str) -> list[quantities.Token]:
    """Money figures of the sentences before ``k``, in this paragraph and ``_REACH``
    before, whose label ends with ``name``."""
    para = sents[k].para
    found = []
    # Back from ``k`` to the first sentence out of reach, at most _BACK sentences.
    for s in reversed(sents[max(0, k - _BACK):k]):
        if s.para < para - _REACH:
            break
        for t in s.toks:
            if t.dim not in ("CNY", "USD") or t.quantity.approximate:
                continue
            label = _LEAD.sub("", metrics.label_before(s.text, t.start))
            if label.endswith(name):
                found.append(t)
    return found


def _breakdown_of_named(sents, k: int, m: re.Match) -> models.BreakdownClaim | None:
    s = sents[k]
    name = m.group("name")
    parts = []
    for t in s.toks:
        if t.start < m.end():
            continue
        if t.dim == "percent" or t.dim == "":
            continue
        label = metrics.label_before(s.text, t.start)
        if t.dim not in ("CNY", "USD") or t.quantity.approximate or _NOT_A_PART.search(label):
            return None  # another kind of figure: not a plain list of parts
        # One figure per clause group: a second in one clause is not another part.
        if parts and not re.search(r"[；;，,、]", s.text[parts[-1].end:t.start]):
            return None
        parts.append(t)
    if len(parts) < 2:
        return None
    totals = {t.quantity.value: t for t in _earlier(sents, k, name)}
    if len(totals) != 1:
        return None
    (total,) = totals.values()
    return models.BreakdownClaim(
        total=total.quantity, parts=tuple(p.quantity for p in parts),
        part_labels=tuple(metrics.label_before(s.text, p.start) for p in parts),
        label=f"{name}中", inferred=True, sentence=s.view.raw_span(0, len(s.text)))


def _budgets_by_item(sents: list[context.Sentence]) -> dict[str, list[tuple[int, quantities.Token]]]:
    """Each "<item>预算X" figure, by item name, with the index of its sentence: built
    once, so that looking an item up does not rescan the text (a long run-on
    sentence of many rates was quadratic otherwise)."""
    out: dict[str, list[tuple[int, quantities.Token]]] = {}
    for k, s in enumerate(sents):
        for t in s.toks:
            if t.dim not in ("CNY", "USD") or t.quantity.approximate:
                continue
            label = _LEAD.sub("", metrics.label_before(s.text, t.start)).strip()
            m = _BUDGET_TAIL.search(label)
            if m is not None and m.start() >= 2:
                out.setdefault(label[:m.start()], []).append((k, t))
    return out


def _classification(sents, k: int, m: re.Match) -> models.BreakdownClaim | None:
    """"按功能分类：A支出…，B支出…" splits the year's total spending (or income)
    stated before it: the one 支出合计 / 本年支出 figure within reach."""
    s = sents[k]
    parts = []
    for t in s.toks:
        if t.start < m.end() or t.dim in ("percent", ""):
            continue
        label = metrics.label_before(s.text, t.start)
        if t.dim not in ("CNY", "USD") or t.quantity.approximate or _NOT_A_PART.search(label):
            return None
        parts.append(t)
    if len(parts) < 2:
        return None
    labels = [metrics.label_before(s.text, p.start) for p in parts]
    kind = "支出" if all(lb.endswith("支出") for lb in labels) else (
        "收入" if all(lb.endswith("收入") for lb in labels) else None)
    if kind is not None:
        totals = {t.quantity.value: t for t in _earlier(sents, k, kind + "合计")}
        totals.update({t.quantity.value: t for t in _earlier(sents, k, kind + "总计")})
    else:
        # "全年预算2,820.00万元。按资金来源分，中央…、省级…、县级…": sources of the one
        # amount the sentence before states.
        prev = sents[k - 1] if k and sents[k - 1].para >= s.para - 1 else None
        money = [t for t in prev.toks if t.dim in ("CNY", "USD")] if prev else []
        totals = {t.quantity.value: t for t in money[-1:]} if len(money) == 1 else {}
    if len(totals) != 1:
        return None
    (total,) = totals.values()
    return models.BreakdownClaim(
        total=total.quantity, parts=tuple(p.quantity for p in parts), part_labels=tuple(labels),
        label=m.group(0).rstrip("：:，,"), inferred=True, sentence=s.view.raw_span(0, len(s.text)))


def _rates_of_named_budgets(sents, k: int, budgets_of: dict) -> list[models.RatioClaim]:
    s = sents[k]
    out = []
    for i, t in enumerate(s.toks):
        if t.dim != "percent" or t.quantity.approximate or i == 0:
            continue
        if not _RATE.search(metrics.label_before(s.text, t.start)):
            continue
        actual = s.toks[i - 1]
        if actual.dim not in ("CNY", "USD") or actual.quantity.approximate:
            continue
        if not re.fullmatch(r"[，,]\s*(?:预算)?执行率(?:为|是|达)?", s.text[actual.end:t.start]):
            continue
        name = _LEAD.sub("", metrics.label_before(s.text, actual.start)).strip()
        if len(name) < 2 or "预算" in name:
            continue
        # The item's budgets stated before its rate: earlier sentences of this
        # paragraph and the ``_REACH`` before it, or earlier in this sentence.
        budgets = {b.quantity.value: b for j, b in budgets_of.get(name, ())
                   if sents[j].para >= s.para - _REACH
                   and (j < k or (j == k and b.end <= actual.start))}
        if len(budgets) != 1:
            continue
        (budget,) = budgets.values()
        out.append(models.RatioClaim(
            stated=t.quantity, numerator=actual.quantity, denominator=budget.quantity,
            label=f"{name}执行率", inferred=True, sentence=s.view.raw_span(0, len(s.text))))
    return out
