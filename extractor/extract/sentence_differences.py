"""A change against last year or the budget with both figures stated (S107).

"本年支出120万元，上年100万元，较上年增加20万元": this year's figure − last
year's = the stated change; "决算数比预算节约4.14万元" against the statement's
one budget figure. The pairing rests on word order, so the claim is inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, patterns, quantities
from extractor.extract import context
from extractor.extract.sentence_common import is_plan, token_at
from extractor.patterns import CHANGE_LABEL, SPENT_LABEL

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.DifferenceClaim]:
    """A sentence's 较上年/比预算 changes whose two figures the statement gives."""
    yield from _find_differences(p.view, p.toks)


_DOWN = ("减少", "下降", "少", "节约")


def _find_differences(sent: models.TextView, toks: list[quantities.Token]
                      ) -> Iterator[models.DifferenceClaim]:
    """"本年支出120万元，上年100万元，较上年增加20万元": current − previous = stated."""
    text = sent.text
    for m in patterns.DIFFERENCE.finditer(text):
        diff = token_at(toks, m.start("diff"))
        if diff is None or diff.dim in ("percent", "") or diff.quantity.approximate:
            continue
        previous = token_at(toks, m.start("prev")) if m.group("prev") else None
        # Both figures belong to the statement the change closes: an earlier
        # item's change ("A 32万元，比上年减少8万元；B 64.45万元，比上年减少3.75万元")
        # is neither B's last-year figure nor B itself.
        floor = max(text.rfind(c, 0, m.start()) for c in "；;。") + 1
        against_budget = re.match(r"(?:较|比)(?:年初|全年|调整后)?预算", m.group(0)) is not None
        if previous is None and against_budget:
            # "年初预算28.50万元，决算24.36万元，…决算数比预算节约4.14万元": the base
            # is the statement's one budget figure.
            budgets = [t for t in toks if floor <= t.start and t.end <= m.start()
                       and t.dim == diff.dim and not t.quantity.approximate
                       and re.search(r"预算(?:数|安排)?(?:为|是)?$",
                                     metrics.label_before(text, t.start))]
            previous = budgets[0] if len(budgets) == 1 else None
        if previous is None:
            previous = next((t for t in toks if floor <= t.start and t.end <= m.start()
                             and t.dim == diff.dim
                             and not CHANGE_LABEL.search(metrics.label_before(text, t.start))
                             and re.search(r"(?:上年|去年|上一年|同期)[^，,；;。\d]{0,8}$",
                                           text[:t.start])), None)
        if previous is None:
            continue
        # A target printed beside the outturn is not this year's figure, unless the
        # comparison is of two years' figures of one kind ("2025年预算为860万元，
        # 较2024年的930万元减少70万元": budget against budget).
        of_year = re.match(r"(?:较|比)\d{4}年", m.group(0)) is not None
        current = next((t for t in reversed(toks) if floor <= t.start and t.end <= m.start()
                        and t.dim == diff.dim
                        and t is not previous and not t.quantity.approximate
                        and (of_year or not is_plan(metrics.label_before(text, t.start)))
                        and (not against_budget
                             or SPENT_LABEL.search(metrics.label_before(text, t.start)))),
                       None)
        if current is None:
            continue
        sign = -1 if m.group("verb") in _DOWN else 1
        yield models.DifferenceClaim(stated=diff.quantity, a=current.quantity, b=previous.quantity,
                                     sign=sign, label=m.group("verb"), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))
