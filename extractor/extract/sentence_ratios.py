"""Completion ratios and named rates, with the figures they are computed from (S104).

"完成年度目标任务23亿元的102.35%" names its base between 完成 and 的, or a plan
the sentence states; "执行率96.90%", "办结率98.9%" take part and whole from
the rate's own statement: 执行/决算 over 全年预算 for an execution rate, a
figure named like the rate over the first like figure otherwise. Pairings
that rest on word order alone are marked ``inferred``, so that checks report
them with less certainty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, patterns, quantities
from extractor.extract import context
from extractor.extract.sentence_common import nearest_before, sole_figure, token_at
from extractor.patterns import CHANGE_LABEL, PREVIOUS_CUE, TARGET_LABEL

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.RatioClaim]:
    """A sentence's completion ratios and named rates (the budget of an execution
    rate may be the one figure of the sentence before)."""
    yield from _find_ratios(p.view, p.toks, p.before)


_SHARE_SUBJECT = re.compile(r"[，,；;：:]\s*(?P<subject>[^\W\d_a-zA-Z]{2,12})$")


def _subject_figure(text: str, toks: list[quantities.Token], cue: int,
                    exclude: quantities.Token | None = None) -> quantities.Token | None:
    """The figure a share's subject names ("税收收入占…": the one labelled 税收收入)."""
    m = _SHARE_SUBJECT.search(text, max(0, cue - 16), cue)
    if m is None:
        return None
    subject = m.group("subject")
    like = [t for t in toks if t.end <= cue and t is not exclude and t.dim not in ("percent", "")
            and not t.quantity.approximate
            and re.sub(r"^(?:其中|包括)[:：]?", "", metrics.label_before(text, t.start))
            .rstrip("为是共达").endswith(subject)]
    return like[-1] if len({t.quantity.value for t in like}) == 1 else None


def _find_ratios(sent: models.TextView, toks: list[quantities.Token],
                 before: models.TextView | None = None) -> Iterator[models.RatioClaim]:
    text = sent.text
    done: set[int] = set()
    for m in patterns.COMPLETION_RATIO.finditer(text):
        pct = token_at(toks, m.start("pct"))
        if pct is None or pct.quantity.approximate:
            continue
        mid = [t for t in toks if m.start("mid") <= t.start < m.end("mid") and t.dim != "percent"]
        denominator = mid[-1] if mid else None
        inferred = denominator is None
        cue = m.start()
        if denominator is None:
            # "…，占受益人口的15.26%": the figure the sentence gave that name.
            denominator = _named_before(text, toks, cue, m.group("mid"))
        if denominator is None and not m.group(0).startswith("占"):
            # "完成…的96%" is of the plan the sentence states; "占“三公”经费的73.15%"
            # names its base, and a plan beside it is not that base.
            denominator = _target_before(text, toks, cue)
        if denominator is None:
            continue
        # Last year's figure beside this year's ("4,126人（上年3,987人），完成…的103.15%")
        # is an aside, not what was completed, and a change ("减收3.64亿元") is not
        # the part whose share is stated.
        current = [t for t in toks if not _is_aside(text, t, cue)
                   and not CHANGE_LABEL.search(metrics.label_before(text, t.start))]
        numerator = nearest_before(current, cue, denominator.dim, exclude=denominator)
        if m.group(0).startswith("占"):
            # "…，税收收入占一般公共预算收入的65.0%": the subject before 占 names the part.
            named = _subject_figure(text, current, cue, denominator)
            numerator = named if named is not None else numerator
        if numerator is None or numerator.quantity.approximate or denominator.quantity.approximate:
            continue
        done.add(pct.start)
        yield models.RatioClaim(
            stated=pct.quantity, numerator=numerator.quantity, denominator=denominator.quantity,
            label="完成率", inferred=inferred, sentence=sent.raw_span(0, len(text)),
        )
    for m in patterns.NAMED_RATE.finditer(text):
        pct = token_at(toks, m.start("pct"))
        if pct is None or pct.start in done or pct.quantity.approximate:
            continue
        # Inputs come from the rate's own statement: the item before "；" has its own,
        # unless the statement goes on with a subset of it ("…776份；其中满意的725份").
        floor = max(text.rfind(c, 0, m.start()) for c in "；;") + 1
        if text[floor:floor + 4].lstrip().startswith("其中"):
            floor = 0
        pair = _named_rate_inputs(text, [t for t in toks if t.start >= floor], m.start(),
                                  m.group("label"))
        if pair is None and before is not None:
            pair = _budget_from_before(text, toks, m.start(), m.group("label"), before)
        if pair is None:
            continue
        numerator, denominator = pair
        yield models.RatioClaim(
            stated=pct.quantity, numerator=numerator.quantity, denominator=denominator.quantity,
            label=m.group("label").strip("“”\""), inferred=True,
            sentence=sent.raw_span(0, len(text)),
        )


# For an execution rate the report usually names both inputs: 全年预算 (not 年初
# 预算, which the year's adjustments supersede) and 执行数/决算数/支出.
_BUDGET_LABEL = re.compile(r"全年预算|调整后预算|预算数|预算")

_ACTUAL_LABEL = re.compile(r"执行|决算|支出|使用|到位")


def _budget_from_before(text: str, toks: list[quantities.Token], pos: int, label: str,
                        before: models.TextView) -> tuple[quantities.Token, quantities.Token] | None:
    """"全年预算数为6,812.45万元。全年实际支出6,537.28万元，预算执行率为95.69%":
    an execution rate whose budget is the one figure of the sentence before."""
    if "执行率" not in label and "支出率" not in label:
        return None
    actual = [t for t in toks if t.end <= pos and t.dim in ("CNY", "USD")
              and not t.quantity.approximate
              and _ACTUAL_LABEL.search(metrics.label_before(text, t.start))]
    if len(actual) != 1 or metrics.label_before(text, actual[0].start).startswith("其中"):
        return None  # "其中培训支出…，执行率…": a part's rate of its own budget
    budget = sole_figure(before, actual[0].dim, _BUDGET_LABEL)
    return (actual[0], budget) if budget is not None else None


def _named_rate_inputs(text: str, toks: list[quantities.Token], pos: int,
                       label: str) -> tuple[quantities.Token, quantities.Token] | None:
    """(numerator, denominator) for "…执行率96.90%", "…注册率98.9%".

    Execution rates take the figures the sentence labels as 执行/决算 and 全年预算;
    other rates take the nearest figure as the part and the first like figure of
    the sentence as the whole ("项目354个…已注册项目350个，注册率98.9%").
    """
    # A stated change ("结余4.64万元", "较计划减少4天") is neither part nor whole,
    # and neither is last year's figure ("面积2.36平方米，上年2.18平方米；比例42.5%").
    before = [t for t in toks if t.end <= pos and t.dim not in ("percent", "")
              and not PREVIOUS_CUE.search(metrics.label_before(text, t.start))
              and not t.quantity.approximate
              and not CHANGE_LABEL.search(metrics.label_before(text, t.start))]
    if not before:
        return None
    if "执行率" in label or "支出率" in label:
        actual = [t for t in before if _ACTUAL_LABEL.search(metrics.label_before(text, t.start))]
        budget = [t for t in before if _BUDGET_LABEL.search(metrics.label_before(text, t.start))]
        whole = [t for t in budget if "全年" in metrics.label_before(text, t.start)] or budget
        if actual and whole and actual[-1] is not whole[-1]:
            return actual[-1], whole[-1]
    # A stated target is the whole: "受益人口8.65万人，目标8.5万人，完成率101.76%".
    targets = [t for t in before if TARGET_LABEL.search(metrics.label_before(text, t.start))]
    if targets:
        whole = targets[-1]
        part = next((t for t in reversed(before) if t is not whole and t.dim == whole.dim
                     and not TARGET_LABEL.search(metrics.label_before(text, t.start))), None)
        return (part, whole) if part is not None else None
    # Otherwise the part must be named like the rate ("办结56件，办结率…",
    # "已注册项目350个，注册率…"): "回收1,134份，满意度88.60%" is no ratio of them.
    stem = _rate_stem(label)
    named = [t for t in before if stem and _shares_stem(metrics.label_before(text, t.start), stem)]
    if stem and not named:
        return None
    if not stem:
        # "中央资金4,680万元，…，县级资金780万元，中央资金占比60.0%": a neutral rate
        # word after a name takes the figure of that name, not the last one.
        subject = _NEUTRAL_RATE.sub("", re.sub(r"[\W\d_a-zA-Z]", "", label))
        if len(subject) >= 2:
            own = [t for t in before if metrics.label_before(text, t.start).endswith(subject)]
            if len({t.quantity.value for t in own}) == 1:
                named = own
    numerator = named[-1] if named else before[-1]
    like = [t for t in before if t.end <= numerator.start and t.dim == numerator.dim]
    if not like:
        return None
    # "有效问卷482份，其中满意458份，满意度95.02%": the part of 其中 is a share
    # of the figure the 其中 breaks down, not of the first figure of the sentence.
    cue = text.rfind("其中", like[-1].end, numerator.start)
    if cue != -1:
        return numerator, like[-1]
    # "A 8,657万元，执行比例90.13%，B 1,377万元，执行比例97.66%": a list of items,
    # each with its own rate of the same name; B is not a share of A.
    if label.strip("“”\"") and label.strip("“”\"") in text[like[0].end:numerator.start]:
        return None
    return numerator, like[0]


# Rate words whose stem says nothing about which figure is the part.
_NEUTRAL_RATE = re.compile(r"(?:占比|比重|比例|完成率|完成比例|达成率)$")


def _rate_stem(label: str) -> str:
    """The characters that name the part of a rate: 办结率 → 办结, 资金到位率 → 到位."""
    if _NEUTRAL_RATE.search(label):
        return ""
    stem = re.sub(r"(?:率|度)$", "", re.sub(r"[\W\d_a-zA-Z]", "", label))
    return stem[-2:] if len(stem) >= 2 else ""


def _shares_stem(label: str, stem: str) -> bool:
    return stem in label or (len(stem) == 2 and all(ch in label for ch in stem))


def _is_aside(text: str, t: quantities.Token, pos: int) -> bool:
    """A figure in brackets closed before ``pos``, or one labelled as last year's."""
    if PREVIOUS_CUE.search(metrics.label_before(text, t.start)):
        return True
    floor = max(0, t.start - 60)
    opened = max(text.rfind("（", floor, t.start), text.rfind("(", floor, t.start))
    if opened == -1:
        return False
    closed = min((i for i in (text.find("）", t.end), text.find(")", t.end)) if i != -1),
                 default=-1)
    return closed != -1 and closed < pos and "，" not in text[opened:t.start] \
        and "。" not in text[opened:t.start]


def _named_before(text: str, toks: list[quantities.Token], pos: int,
                  name: str) -> quantities.Token | None:
    """The nearest figure before ``pos`` whose label ends with ``name``."""
    name = re.sub(r"[\W\d_a-zA-Z]", "", name)
    if len(name) < 2:
        return None
    return next((t for t in reversed(toks) if t.end <= pos and t.dim not in ("percent", "")
                 and _names(metrics.label_before(text, t.start), name)), None)


def _names(label: str, name: str) -> bool:
    label = label.rstrip("为是达共")
    return label.endswith(name) or _NAMED_TAIL.sub("", label).endswith(name)


# Verbs after a figure's name ("一般公共预算收入完成52,400万元"): the name is before them.
_NAMED_TAIL = re.compile(r"(?:累计)?(?:完成|实现)$")


def _target_before(text: str, toks: list[quantities.Token], pos: int) -> quantities.Token | None:
    """The nearest figure labelled as plan/target before ``pos`` ("计划投资86.8亿元")."""
    for t in reversed(toks):
        if t.end > pos or t.dim in ("percent", ""):
            continue
        if TARGET_LABEL.search(metrics.label_before(text, t.start)):
            return t
    return None
