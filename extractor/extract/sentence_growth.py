"""Growth rates, with the base or the change their statement gives (S105).

"比上年6,102.50万元增长7.41%" (this year's and last year's figures),
"支出9.07万元，比上年减少0.71万元，下降7.83%" (the level and the change),
"同比增长6.92%，增收612万元" (the change after the rate). A rate also becomes a
mention, named for a cross-check against the same rate stated elsewhere. The
change-and-rate pattern (``growth_changes``) is shared with the growth of the
statement before (S106) and the 三公 reader (extract/concepts.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from extractor import metrics, models, patterns, quantities
from extractor.extract import context
from extractor.extract.sentence_common import (
    bracket_depth, clause_before, in_list, is_plan, nearest_before, subject_of, token_at,
    token_start)
from extractor.patterns import CHANGE_LABEL, COMPARISON_CUE, PREVIOUS_CUE

__all__ = ["claims_of", "clause_has_level", "growth_changes", "level_before"]


def claims_of(p: context.Passage) -> Iterator[models.Claim]:
    """A sentence's growth rates: growth claims where inputs are stated, and mentions."""
    yield from _find_growth(p.view, p.toks)


_GROWTH_DOWN = ("下降", "减少", "降幅")


def _find_growth(sent: models.TextView, toks: list[quantities.Token]) -> Iterator[models.Claim]:
    """Growth rates become mentions (for cross-checks) unless a base is stated."""
    text = sent.text
    for m in patterns.GROWTH.finditer(text):
        pct = token_at(toks, m.start("pct"))
        if pct is None or pct.quantity.approximate:
            continue
        q = pct.quantity
        down = any(w in m.group("verb") for w in _GROWTH_DOWN) or text[max(0, m.start() - 1):m.start()] == "负"
        if down and q.value > 0:
            q = q.model_copy(update={"value": -q.value})
        current, previous = _growth_inputs(text, toks, m.start(), m.end())
        near = current or nearest_before(toks, m.start())
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，,；;。") + 1
        if near is not None and near.end > clause_start - 8:
            label = metrics.label_before(text, near.start)
        else:
            label = text[clause_start:m.start()]
        # 环比 (on the previous period) and 同比 (on the same period last year) are
        # different metrics.
        suffix = "环比增速" if "环比" in text[max(0, m.start() - 3):m.start()] else "增速"
        # "较2021年决算数增加2954万元，增长14.27%": the words before the rate describe
        # the comparison, not what grew; such a rate is not named for a cross-check.
        key = None if COMPARISON_CUE.search(label) or CHANGE_LABEL.search(label) else \
            metrics.metric_key(label + suffix, subject_of(text, m.start()))
        if current is not None and previous is not None:
            yield models.GrowthClaim(stated=q, current=current.quantity, previous=previous.quantity,
                                     label=label, sentence=sent.raw_span(0, len(text)),
                                     inferred=True)
        elif previous is None:
            implied = _implied_base(text, toks, m.start(), q) or _change_after(text, toks, m, q)
            if implied is not None:
                current, change = implied
                yield models.GrowthClaim(stated=q, current=current.quantity,
                                         change=change.quantity, label=label, inferred=True,
                                         sentence=sent.raw_span(0, len(text)))
        elif previous is not None:
            # "较上年6,102.50万元增加434.78万元，增长7.41%": no current value, but the
            # rate is the stated change over last year's figure.
            change = _stated_change(text, toks, previous, m.start())
            if change is not None:
                yield models.RatioClaim(
                    stated=pct.quantity, numerator=change.quantity,
                    denominator=previous.quantity, label="增幅（变动额÷上年数）",
                    sentence=sent.raw_span(0, len(text)), inferred=True)
        if key:
            period = metrics.period_of(text, clause_before(text, m.start()))
            yield models.MentionClaim(metric=key, value=q, period=period, inferred=True,
                                      label=label, sentence=sent.raw_span(0, len(text)))


# A figure labelled as the plan itself ("任务目标为", "预算数"), not one whose
# name merely contains such a word ("一般公共预算收入").
_TARGET_ENDING = re.compile(r"(?:计划|任务|目标|预算数?)(?:数|为|是|达)?$")


def _implied_base(text: str, toks: list[quantities.Token], verb: int, rate: models.Quantity
                  ) -> tuple[quantities.Token, quantities.Token] | None:
    """(current, change) of "支出9.07万元，比上年减少0.71万元，下降7.83%".

    The change must be worded as a change against last year and in the rate's
    direction, in the rate's own statement, right before it; the current value
    is the level figure of that kind which the comparison follows.
    """
    floor = max(text.rfind(c, 0, verb) for c in "；;。") + 1
    before = [t for t in toks if floor <= t.start and t.end <= verb]
    if not before:
        return None
    change = before[-1]
    label = metrics.label_before(text, change.start)
    m = _CHANGE_AMOUNT.search(label)
    if m is None or change.dim in ("percent", "") or change.quantity.approximate:
        return None
    down = any(w in m.group(0) for w in ("减少", "下降", "降低", "减收", "减支", "少"))
    if down != (rate.value < 0):
        return None
    if not re.fullmatch(r"[，,]\s*负?", text[change.end:verb]):
        return None
    cue = COMPARISON_CUE.search(text, max(floor, change.start - 14), change.start)
    if cue is None:
        # "…完成80.18亿元，增加2.79亿元，增长3.6%": level, change and rate side by
        # side, each in its own clause, need no 比上年.
        m = re.search(r"[，,]\s*$", text[floor:change.start - len(label)])
        if m is None:
            return None
        cue = re.compile(r"[，,]").search(text, floor + m.start())
        if cue is None:
            return None
    level = level_before(text, before[:-1], floor, cue.start(), change.dim)
    if level is None:
        return None
    if not any(level.end <= t.start and t.end <= cue.start() for t in toks) and \
            not re.fullmatch(r"[，,]?\s*", text[level.end:cue.start()]):
        return None
    return level, change


def level_before(text: str, toks: list[quantities.Token], floor: int, pos: int, dim: str
                 ) -> quantities.Token | None:
    """The level a comparison at ``pos`` is about: the last figure of ``dim`` of its
    statement (from ``floor``) that is not a change, last year's, a plan, or in
    brackets; between it and ``pos`` only other comparisons of it may stand ("9.07万元，
    较年初预算数减少10.93万元，下降54.65%，较上年…") and its completion rate
    ("完成年初预算数6,400万元的49.7%": the plan there is the rate's base)."""
    levels = [t for t in toks if floor <= t.start and t.end <= pos and t.dim == dim
              and not t.quantity.approximate and not bracket_depth(text, floor, t.start)
              and not CHANGE_LABEL.search(metrics.label_before(text, t.start))
              and not PREVIOUS_CUE.search(metrics.label_before(text, t.start))
              and not _TARGET_ENDING.search(metrics.label_before(text, t.start))]
    if not levels:
        return None
    level = levels[-1]
    between = [t for t in toks if level.end <= t.start and t.end <= pos]
    if len(between) > 12:
        return None
    ratios = [(m.start(), m.end())
              for m in patterns.COMPLETION_RATIO.finditer(text, level.end, pos)]
    if any(t.dim != "percent" and not CHANGE_LABEL.search(metrics.label_before(text, t.start))
           and not bracket_depth(text, level.end, t.start)
           and not any(a <= t.start and t.end <= b for a, b in ratios) for t in between):
        return None
    return level


# "同比增长6.92%，增收612万元": the change stated right after its rate.
_CHANGE_AFTER = re.compile(r"[，,]\s*(?:同比|比上年|较上年)?(?P<verb>增收|减收|增支|减支|增加|减少)(?:了)?$")


def _change_after(text: str, toks: list[quantities.Token], rate_match: re.Match,
                  rate: models.Quantity) -> tuple[quantities.Token, quantities.Token] | None:
    """(current, change) of "收入完成9,460万元，占调整预算98.12%，同比增长6.92%，
    增收612万元": the rate compares with last year in its own words, the change
    follows it in the rate's direction, and the level is the one the rate follows."""
    change = next((t for t in toks if t.start >= rate_match.end()), None)
    if change is None or change.dim in ("percent", "") or change.quantity.approximate:
        return None
    c = _CHANGE_AFTER.search(text, rate_match.end(), change.start)
    if c is None or c.start() != rate_match.end():
        return None
    if (c.group("verb")[0] == "减") != (rate.value < 0):
        return None
    clause = max(text.rfind(ch, 0, rate_match.start()) for ch in "，,；;。") + 1
    if not COMPARISON_CUE.search(text, clause, rate_match.end()):
        return None
    floor = max(text.rfind(ch, 0, rate_match.start()) for ch in "；;。") + 1
    level = level_before(text, toks, floor, clause, change.dim)
    return (level, change) if level is not None else None


def growth_changes(text: str, toks: list[quantities.Token]
                   ) -> Iterator[tuple[models.Quantity, quantities.Token, str]]:
    """(signed rate, change, words) of each "较上年减少C，下降R%" of a sentence: a
    change against last year or the budget, in the rate's direction, right before it."""
    for m in patterns.GROWTH.finditer(text):
        pct = token_at(toks, m.start("pct"))
        if pct is None or pct.quantity.approximate:
            continue
        q = pct.quantity
        down_rate = any(w in m.group("verb") for w in _GROWTH_DOWN) or \
            text[max(0, m.start() - 1):m.start()] == "负"
        if down_rate and q.value > 0:
            q = q.model_copy(update={"value": -q.value})
        # The last figure ending before the rate (bisection, as in token_at).
        i = bisect.bisect_right(toks, m.start(), key=token_start) - 1
        while i >= 0 and toks[i].end > m.start():
            i -= 1
        if i < 0:
            continue
        change = toks[i]
        label = metrics.label_before(text, change.start)
        c = _CHANGE_AMOUNT.search(label)
        if c is None or change.dim in ("percent", "") or change.quantity.approximate:
            continue
        down = any(w in c.group(0) for w in ("减少", "下降", "降低", "减收", "减支", "少"))
        if down != (q.value < 0) or not re.fullmatch(r"[，,]\s*负?", text[change.end:m.start()]):
            continue
        if not COMPARISON_CUE.search(label):
            continue
        yield q, change, label


def clause_has_level(text: str, toks: list[quantities.Token], start: int,
                     change: quantities.Token) -> bool:
    """A figure of the change's kind stands between ``start`` and the change."""
    return any(start <= t.start and t.end <= change.start and t.dim == change.dim
               and not CHANGE_LABEL.search(metrics.label_before(text, t.start))
               for t in toks if t is not change)


_CHANGE_AMOUNT = re.compile(r"(?:增加|减少|增长|下降|降低|增收|减收|增支|减支|多|少)(?:了|支出|资金)?$")


def _stated_change(text: str, toks: list[quantities.Token], previous: quantities.Token,
                   verb: int) -> quantities.Token | None:
    """The change amount between last year's figure and the rate ("增加434.78万元")."""
    return next((t for t in toks if previous.end <= t.start and t.end <= verb
                 and t.dim == previous.dim and not t.quantity.approximate
                 and _CHANGE_AMOUNT.search(metrics.label_before(text, t.start))), None)


def _growth_inputs(text: str, toks: list[quantities.Token], verb: int, end: int
                   ) -> tuple[quantities.Token | None, quantities.Token | None]:
    """(current, previous) for the growth rate whose verb starts at ``verb``.

    Both come from the statement the rate closes (back to the last ；/。),
    differences ("减少0.15万吨") are skipped, the base is the figure the text
    marks as last year's (before the rate, or in brackets right after it:
    "同比增长6.67%（上年11.48万人）"), and the current value is the last
    other figure of the same kind before the rate.
    """
    floor = max(text.rfind(c, 0, verb) for c in "；;。") + 1
    close = text.find("）", end) if text[end:end + 1] == "（" else -1
    levels = [t for t in toks if floor <= t.start and (t.end <= verb or end < t.start < close)
              and t.dim not in ("percent", "") and not t.quantity.approximate
              and not CHANGE_LABEL.search(metrics.label_before(text, t.start))]
    previous = next((t for t in reversed(levels)
                     if PREVIOUS_CUE.search(text[floor if t.end <= verb else end:t.start])), None)
    if previous is None:
        return None, None
    def is_current(t: quantities.Token) -> bool:
        return (t is not previous and t.end <= verb and t.dim == previous.dim
                and not t.quantity.approximate
                and not is_plan(metrics.label_before(text, t.start))
                and not CHANGE_LABEL.search(metrics.label_before(text, t.start)))

    current = next((t for t in reversed(levels) if is_current(t)), None)
    if current is None:
        # "培训4.36万人次；比上年4.85万人次下降11.24%": the statement the
        # comparison continues, back to the sentence start.
        current = next((t for t in reversed(toks) if t.end <= floor and is_current(t)
                        and not in_list(text, t.start)), None)
    return current, previous
