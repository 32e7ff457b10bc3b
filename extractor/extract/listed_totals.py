"""A list of amounts closed by its total in the same sentence: "A…；B…；支出合计X".

财政决算 and 预算执行 reports state the balance of a budget as a run of items,
each its own clause, and close it with the total they add up to:
"本年收入50.2亿元；上年结转3.1亿元；调入资金0.7亿元；收入合计54亿元", or
"…收入30亿元；加上补助收入12亿元、调入资金2亿元，收入总量为44亿元".

The parts are the amounts of the clauses before the closing figure (one per
clause, back to the sentence start or a colon); the total is the amount whose
label ends in 合计/总计/总量/共计. What is not an item is left out:
amounts in brackets (an item's own split: "县本级…", "不含…"), rates, counts,
an item's change ("增收…") and a unit price ("按每家20万元"). A list that
holds anything else it cannot place (a nested 其中, a subtraction, a second
amount in one clause, last year's or a planned figure) is not read at all.

The closing word makes the pairing explicit, so a sum that fails is an error;
when figures had to be left out of the clauses to find the items, the
reading rests on their wording and the claim is ``inferred`` (a warning).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_MONEY = ("CNY", "USD")
# The label of the closing figure: "收入合计", "支出总量为", "两档合计".
_CLOSING = re.compile(r"(?:合计|总计|总量|共计)(?:为|是|达|达到)?$")
_YEAR_CLOSING = re.compile(r"^全年(?:累计)?[^\W\d_a-zA-Z]{0,4}$")
_PERIOD_ITEM = re.compile(r"^(?:第?[一二三四1-4]季度|[上下]半年|\d{1,2}月(?:份)?)")
# Marks that separate the items of a list (outside brackets).
_ITEM_MARKS = "；;，,、"
_OPEN, _CLOSE = "（(", "）)"
# An amount that is a change of the item before it, not an item.
_CHANGE = re.compile(r"(?:增加|减少|增长|下降|降低|增收|减收|增支|减支|多|少|节约|超支)"
                     r"(?:了|为|达)?$")
# A unit price or standard ("按每处每年2.5万元标准"): the item is the amount after it.
_RATE_OF = re.compile(r"每")
# Words that make the list something other than a plain sum.
_NOT_A_SUM = re.compile(r"其中|减去|扣除|减除|剔除|不含|扣减")
# A figure of another year or a plan: the list is not one of this year's items
# (what is carried over from last year, 上年结转/结余, is one of them).
_OTHER_FIGURE = re.compile(r"(?:上年|去年)(?!结转|结余)|同期|上期|预算数|年初预算|计划|目标|任务|的$")


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Breakdowns of every prose sentence whose items are closed by a 合计/总量 figure.

    "上年结转3.1亿元；本年收入50.2亿元；收入合计53.3亿元" gives 53.3 = 3.1 + 50.2.
    """
    out: list[models.Claim] = []
    for s in context.prose_sentences(doc):
        out.extend(_closed_lists(s.view, s.toks))
    return out


def _closed_lists(sent: models.TextView, toks: list[quantities.Token]
                  ) -> Iterator[models.BreakdownClaim]:
    text = sent.text
    for t in toks:
        if t.dim not in _MONEY or t.quantity.approximate:
            continue
        label = metrics.label_before(text, t.start)
        # "一季度执行A，…，四季度执行D，全年累计执行S": the year closes its quarters.
        by_period = not _CLOSING.search(label) and _YEAR_CLOSING.search(label) is not None
        if not _CLOSING.search(label) and not by_period:
            continue
        clause = t.start - len(label)
        # The closing clause follows the last item ("…；收入合计", "…，收入总量为").
        if clause == 0 or text[clause - 1] not in _ITEM_MARKS:
            continue
        floor = max(text.rfind(c, 0, clause) for c in "。：:") + 1
        found = _items(text, toks, floor, clause - 1, t, commas=by_period)
        if found is None:
            continue
        items, skipped = found
        if len(items) < 2:
            continue
        if by_period and not _whole_year([metrics.label_before(text, i.start) for i in items]):
            continue
        yield models.BreakdownClaim(
            total=t.quantity, parts=tuple(i.quantity for i in items),
            part_labels=tuple(metrics.label_before(text, i.start) for i in items),
            label="列举合计", inferred=skipped, sentence=sent.raw_span(0, len(text)))


def _whole_year(labels: list[str]) -> bool:
    """The items are the year's four quarters, two halves or twelve months."""
    found = [_PERIOD_ITEM.match(lb) for lb in labels]
    if not all(found):
        return False
    periods = {m.group(0).lstrip("第").replace("份", "") for m in found}
    return len(periods) == len(labels) and len(labels) in (2, 4, 12) and (
        len(labels) != 2 or periods == {"上半年", "下半年"})


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each clause between start and end, split at the item marks
    that stand outside brackets."""
    out: list[tuple[int, int]] = []
    depth, begin = 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in _ITEM_MARKS and not depth and not _thousands(text, i):
            out.append((begin, i))
            begin = i + 1
    out.append((begin, end))
    return out


def _items(text: str, toks: list[quantities.Token], start: int, end: int,
           total: quantities.Token, commas: bool = False
           ) -> tuple[list[quantities.Token], bool] | None:
    """(items, whether figures were left out) of the list in [start, end), or None
    when the clauses do not read as a plain list of amounts."""
    items: list[quantities.Token] = []
    skipped = False
    for begin, stop in _clauses(text, start, end):
        body = _outside(text, begin, stop)
        if _NOT_A_SUM.search(body):
            return None
        amounts = [t for t in toks if begin <= t.start and t.end <= stop
                   and t.dim in _MONEY and not _in_brackets(text, begin, t.start)]
        if not amounts:
            continue
        if len(amounts) > 1 or amounts[0].quantity.approximate:
            return None
        (amount,) = amounts
        if quantities.dimension(amount.unit) != quantities.dimension(total.unit):
            return None
        label = metrics.label_before(text, amount.start)
        if _CHANGE.search(label) or _RATE_OF.search(label):
            skipped = True
            continue
        if _OTHER_FIGURE.search(label) or _CLOSING.search(label):
            return None
        items.append(amount)
    # Items follow one another as a list does: with "；" or "、" between them
    # (a run of "，" clauses is a sentence of separate statements).
    # Periods ("一季度…，二季度…") are a list whatever the mark between them.
    if not commas and any(not re.search(r"[；;、]", _outside(text, a.end, b.start))
                          for a, b in zip(items, items[1:])):
        return None
    return items, skipped


def _thousands(text: str, i: int) -> bool:
    """The comma of "3,720.00" separates digits, not clauses."""
    return text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() \
        and text[i + 1].isdigit()


def _in_brackets(text: str, start: int, pos: int) -> bool:
    depth = 0
    for ch in text[start:pos]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth > 0


def _outside(text: str, start: int, stop: int) -> str:
    """The text of [start, stop) without what stands in brackets."""
    out, depth = [], 0
    for ch in text[start:stop]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)
