"""A stated difference between two figures of one statement (S108).

"资金660,000.00元，实际支出60万元，结余6万元", "计划供餐200天，实际供餐196天，
减少4天", "上年支出A，本年支出B，增加C": the amount provided (planned) and the
amount spent (done), or last year's figure and this year's, and what is left,
saved, added or overspent. The 较上年 wording is S107's; the claim is inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, patterns, quantities
from extractor.extract import context
from extractor.extract.sentence_common import sole_figure, token_at
from extractor.patterns import CHANGE_LABEL, PREVIOUS_CUE, SPENT_LABEL

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.DifferenceClaim]:
    """A sentence's 结余/节约/超支/增加 amounts with the two figures they separate
    (the amount provided may be the one figure of the sentence before)."""
    yield from _find_balances(p.view, p.toks, p.before)


# "资金660,000.00元，实际支出60万元，结余6万元", "计划供餐200天，实际供餐196天，
# 减少4天", "上年支出A，本年支出B，增加C": a stated change between two figures of
# one statement that the 较上年 pattern does not cover. The cue sits right
# before the stated difference; the pair is either last year's figure and
# this year's, or the amount provided (planned) and the amount spent (done).
_CHANGE_CUE = re.compile(
    r"(?P<verb>结余|节余|节约|剩余|超支|超出|多出|增加|减少|增长|下降|降低|少|多)(?:资金|了|支出)?"
    r"(?=[-−]?\d)")

# Left over / less than the base: base − other = stated.
_CHANGE_DOWN = ("结余", "节余", "节约", "剩余", "减少", "下降", "降低", "少")

_PROVIDED_LABEL = re.compile(r"预算|安排|下达|拨付|到位|资金|经费|计划|目标|任务|投资|总额")

# Words that make a label an amount provided even when it says 实际 ("实际到位资金").
_RECEIVED_LABEL = re.compile(r"到位|下达|拨付|安排|预算|投资")

# A carried-over or closing balance: the words before the cue, or the label of
# a figure in the statement ("年初结转结余10万元").
_CLOSING = re.compile(r"结转|年末|期末|累计")

_CARRY_OVER = re.compile(r"结转|结余|期末|期初")

# "比上年增加", "同比减少": growth wording, handled by _find_differences.
_YEAR_CUE_BEFORE = re.compile(r"(?:较|比|与)(?:上年|去年|上一年|同期)|同比|环比")


def _find_balances(sent: models.TextView, toks: list[quantities.Token],
                   prior: models.TextView | None = None) -> Iterator[models.DifferenceClaim]:
    text = sent.text
    covered = {m.start("diff") for m in patterns.DIFFERENCE.finditer(text)}
    for m in _CHANGE_CUE.finditer(text):
        diff = token_at(toks, m.end())
        if (diff is None or diff.start in covered or diff.dim in ("percent", "")
                or diff.quantity.approximate):
            continue
        if _CLOSING.search(text[max(0, m.start() - 6):m.start()]):
            continue
        # Only figures of this statement ("；" or "。" ends it).
        floor = max(text.rfind(c, 0, m.start()) for c in "；;。") + 1
        # "较上年决算51.20万元减少2.84万元": a change against last year, however many
        # words stand between the comparison and the cue in its clause.
        clause = max(text.rfind(c, 0, m.start()) for c in "，,；;。") + 1
        if _YEAR_CUE_BEFORE.search(text, max(floor, min(clause, m.start() - 8)), m.start()):
            continue
        stated = [t for t in toks if floor <= t.start and t.end <= m.start()
                  and t.dim == diff.dim and not t.quantity.approximate]
        if any(_CARRY_OVER.search(metrics.label_before(text, t.start)) for t in stated):
            continue
        before = [t for t in stated
                  if not CHANGE_LABEL.search(metrics.label_before(text, t.start))]
        pair = _year_pair(text, before, floor) or _plan_pair(text, before)
        if pair is None and prior is not None and floor == 0:
            pair = _plan_pair_across(text, before, prior)
        if pair is None:
            continue
        base, other = pair
        # Written the way a reader recomputes it: base − other = what is left
        # or saved; other − base = what was added or overspent.
        a, b = (base, other) if m.group("verb") in _CHANGE_DOWN else (other, base)
        yield models.DifferenceClaim(stated=diff.quantity, a=a.quantity, b=b.quantity,
                                     sign=1, label=m.group("verb"), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))


def _year_pair(text: str, before: list[quantities.Token], floor: int
               ) -> tuple[quantities.Token, quantities.Token] | None:
    """(last year's figure, this year's) when the statement marks one as last year's."""
    previous = next((t for t in before if PREVIOUS_CUE.search(text[floor:t.start])), None)
    if previous is None:
        return None
    current = next((t for t in reversed(before) if t is not previous), None)
    return (previous, current) if current is not None else None


def _plan_pair_across(text: str, before: list[quantities.Token], prior: models.TextView
                      ) -> tuple[quantities.Token, quantities.Token] | None:
    """"预算860.00万元。支出812.46万元，节约45.54万元": the amount provided is the
    one like figure of the sentence before, and it must be labelled so."""
    spent = [t for t in before if SPENT_LABEL.search(metrics.label_before(text, t.start))]
    if len(spent) != 1 or len(before) != 1:
        return None
    provided = sole_figure(prior, spent[0].dim, _PROVIDED_LABEL, SPENT_LABEL)
    return (provided, spent[0]) if provided is not None else None


def _plan_pair(text: str, before: list[quantities.Token]
               ) -> tuple[quantities.Token, quantities.Token] | None:
    """(amount provided or planned, amount spent or done)."""
    spent = next((t for t in reversed(before)
                  if SPENT_LABEL.search(metrics.label_before(text, t.start))), None)
    if spent is None:
        return None
    def provided(label: str) -> bool:
        return bool(_PROVIDED_LABEL.search(label)) and (
            not SPENT_LABEL.search(label) or bool(_RECEIVED_LABEL.search(label)))

    base = next((t for t in reversed(before) if t.end <= spent.start
                 and provided(metrics.label_before(text, t.start))), None)
    return (base, spent) if base is not None else None
