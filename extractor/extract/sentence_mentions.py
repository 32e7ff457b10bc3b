"""Labelled amounts, named counts and named rates, as mentions (S109).

A mention states one metric's value; a metric stated twice can be compared
(the extractor keeps only mentions with another statement or a scored
indicator of their metric). Changes, list items, budget concepts (the facts
of extract/concepts.py) and labels naming no subject are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context
from extractor.extract.sentence_common import clause_before, in_list, subject_of
from extractor.patterns import CHANGE_WORDS

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.MentionClaim]:
    """A sentence's labelled amounts, counts and rates."""
    yield from _find_mentions(p.view, p.toks)


_MENTION_DIMS = ("CNY", "USD")


def _qualified_rate(text: str, toks: list[quantities.Token], rate: quantities.Token,
                    key: str, subject: str) -> str:
    """"三公经费预算18.60万元，实际支出15.24万元，预算执行率81.94%" is the 三公
    rate, not the department's: a rate computed in its own statement is
    qualified by that statement's subject."""
    floor = max(text.rfind(c, 0, rate.start) for c in "；;。") + 1
    if not any(floor <= u.start and u.end <= rate.start and u.dim not in ("percent", "")
               for u in toks):
        return key
    subj = metrics.metric_key(subject) or ""
    if len(subj) < 2 or subj in key or key in subj:
        return key
    # "“三公”经费年初预算数为7.8万元，…“三公”经费控制率为100%": the statement
    # is about the rate's own subject.
    head = re.sub(r"(?:[^\W\d_a-zA-Z]{0,2}率|满意度|占比|比重|比例)$", "", key)
    if len(head) >= 3 and head in subj:
        return key
    return f"{subj}/{key}"


_COUNT_METRIC = re.compile(
    r"(?:人数|人次|户数|个数|家数|总数|数量|总量|人口|长度|里程|面积|产量)(?:为|达到|达|是|共|共计)?$")


def _find_mentions(sent: models.TextView, toks: list[quantities.Token]) -> Iterator[models.MentionClaim]:
    """Labelled amounts and named rates, so that repeated statements can be compared."""
    text = sent.text
    for t in toks:
        if t.quantity.approximate or in_list(text, t.start):
            continue
        subject = subject_of(text, t.start)
        period = metrics.period_of(text, clause_before(text, t.start))
        if t.dim in _MENTION_DIMS:
            label = metrics.label_before(text, t.start)
            if CHANGE_WORDS.search(label):
                continue
            # Budget and outturn concepts are facts of extract/concepts.py, which
            # knows whose budget a sentence states ("完成年初预算数60999万元的40.4%"
            # is one revenue line's, not the report's).
            if _BUDGET_CONCEPT.search(label):
                continue
        elif t.dim.startswith("count:"):
            # A named count ("受益学生人数为15,420人"), not any counted thing.
            label = metrics.label_before(text, t.start)
            if CHANGE_WORDS.search(label) or not _COUNT_METRIC.search(label):
                continue
        elif t.dim == "percent":
            if _FROM_LEVEL.search(text, max(0, t.start - 12), t.start):
                continue  # "由上年的91.2%提高到93.6%": last year's level, not this one
            m = re.search(r"([\u4e00-\u9fa5“”]{1,14}(?:率|满意度|占比|比例|比重))(?:为|达到|达|是)?$",
                          text[:t.start])
            if not m:
                continue
            label = m.group(1)
        else:
            continue
        if t.dim == "percent" and _MOVED_SINCE.match(text, t.end):
            # "比例达到68.5%，比上年提高5.4个百分点": this year's level beside its move;
            # an unqualified 63.1% elsewhere may well be last year's.
            period = f"{period}|比上年" if period else "比上年"
        key = metrics.metric_key(label, subject)
        if key and _STAGE_ONLY.fullmatch(key):
            # "支出决算为26.95万元" names no subject: under another heading the same
            # words state another item's figure.
            continue
        if key and t.dim == "percent" and "/" not in key:
            key = _qualified_rate(text, toks, t, key, subject)
        if key:
            claim = models.MentionClaim(metric=key, value=t.quantity, period=period, label=label,
                                        sentence=sent.raw_span(0, len(text)), inferred=True)
            claim._context = clause_before(text, t.start)
            yield claim


_MOVED_SINCE = re.compile(
    r"[，,]?\s*(?:比|较|与)(?:上年|去年|上年同期|上年末|\d{4}年)?(?:相比)?[，,]?"
    r"(?:提高|上升|增加|增长|提升|下降|降低|减少|回落)了?\d+(?:\.\d+)?个百分点")

_FROM_LEVEL = re.compile(r"由(?:上年|去年|上年度|上一年度?|\d{4}年度?)?(?:末|底)?的?$")

# A metric made of stage and payment words only (支出决算, 发放补助资金,
# 补助标准为每人每月) names no programme: under two headings it states two.
_STAGE_ONLY = re.compile(
    r"(?:本年|全年|年度|当年|支出|决算|预算|执行|实际|金额|数|额|合计|总计|补助|补贴|奖补|奖励|"
    r"资金|经费|标准|发放|兑付|拨付|每人|每户|每月|每年|为|共|计|月|人均|户均|次均|补差|保障)+")

_BUDGET_CONCEPT = re.compile(r"(?:年初|全年|调整后)预算数?(?:为|是|达)?$")
