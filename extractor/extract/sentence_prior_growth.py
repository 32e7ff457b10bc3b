"""A change and rate about the level of the statement before them (S106).

"支出决算为8.40万元，完成预算的100%；较上年增加1.20万元，增长16.7%": the
comparison opens its statement, so its level is the one the statement before
ends with (the clause group before "；", or the sentence before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context
from extractor.extract.sentence_common import bracket_depth
from extractor.extract.sentence_growth import clause_has_level, growth_changes, level_before
from extractor.patterns import COMPARISON_CUE

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.GrowthClaim]:
    """A sentence's changes and rates whose level stands in the statement before."""
    yield from _find_growth_of_prior(p.view, p.toks, p.before)


# The subject of a change stated for both sides of a balance ("收支较上年减少…",
# "收、支总计各增加…"): the change applies to the income and the spending alike.
_BOTH_SIDES = re.compile(r"^收[、]?支(?:总计|合计|总额)?各?$")

_LEADING_PERIOD = re.compile(r"^(?:\d{4}年度?|本年度?|当年|全年)")


def _find_growth_of_prior(sent: models.TextView, toks: list[quantities.Token],
                          before: models.TextView | None) -> Iterator[models.GrowthClaim]:
    """A change and rate whose statement opens with the comparison, about the level
    of the statement before it: "支出决算为8.40万元，完成预算的100%；较上年增加
    1.20万元，增长16.7%", or "收入总计356.80万元，支出总计356.80万元。收支较上年
    减少40.20万元，下降10.1%" (both sides of the balance).

    The statement before is the previous "；" clause group of the sentence, or the
    sentence before in the paragraph when the comparison opens its sentence. The
    level is found as for a change in one statement (not last year's, a plan or a
    change), and only a comparison with no subject of its own, or one naming both
    sides of a balance, is paired: any other subject may name another figure.
    """
    text = sent.text
    for rate, change, _words in growth_changes(text, toks):
        floor = max(text.rfind(c, 0, change.start) for c in "；;。") + 1
        cue = COMPARISON_CUE.search(text, floor, change.start)
        if cue is None or clause_has_level(text, toks, floor, change):
            continue
        subject = _LEADING_PERIOD.sub("", text[floor:cue.start()].strip(" ，,"))
        if subject and not _BOTH_SIDES.match(subject):
            continue
        if floor > 0:
            ptext, ptoks, pend = text, toks, floor - 1
        elif before is not None:
            ptext, ptoks = before.text, quantities.scan(before)
            pend = len(ptext.rstrip("。！？!? "))
        else:
            continue
        pfloor = max(ptext.rfind(c, 0, pend) for c in "；;。") + 1
        if subject:
            levels = [t for t in ptoks if pfloor <= t.start and t.end <= pend
                      and t.dim == change.dim and not t.quantity.approximate
                      and not bracket_depth(ptext, pfloor, t.start)]
            sides = [[t for t in levels if side in metrics.label_before(ptext, t.start)]
                     for side in ("收入", "支出")]
            if len(levels) != 2 or any(len(s) != 1 for s in sides):
                continue
            found = [s[0] for s in sides]
        else:
            level = level_before(ptext, ptoks, pfloor, pend, change.dim)
            if level is None:
                continue
            found = [level]
        for level in found:
            yield models.GrowthClaim(stated=rate, current=level.quantity, change=change.quantity,
                                     label=metrics.label_before(ptext, level.start), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))
