"""Breakdowns announced by a cue: 其中, a total's 中, 分别为, 主要为, 明细如下 (S101).

A cue splits the figure before it into the parts listed after it. The list
runs to its sentence end, a nested 其中 or the next numbered item; the total is
this year's figure of the parts' kind before the cue (not last year's, a change
or the figure compared with), or the figure the sentence before ends with.
After 其中 and 分别为 the parts are the whole; after 主要为 they need not be, so
that claim is inferred. A share stated beside an item (占59.2%) is a ratio of
the total the list breaks down.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from extractor import metrics, models, patterns, quantities
from extractor.extract import context
from extractor.extract.sentence_common import (
    CLOSE, MAX_SENTENCE, OPEN, bracket_depth, nearest_before, outside_brackets, token_at,
    token_start)
from extractor.patterns import CHANGE_LABEL, CHANGE_WORDS, FUND_NAME, PREVIOUS_CUE, SUMMARY_LABEL

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.Claim]:
    """A paragraph's cued lists of parts, each with the total it breaks down."""
    yield from _find_breakdowns(p.view, p.toks, p.before, p.following)


# A list item start: "1、", "(2)", "（3）" — used to pick one figure per item.
_ITEM = re.compile(r"(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])")


def _find_breakdowns(view: models.TextView, toks: list[quantities.Token],
                     prev: models.TextView | None,
                     following: models.TextView | None) -> Iterator[models.Claim]:
    text = view.text
    for m in patterns.BREAKDOWN_CUE.finditer(text):
        yield from _breakdown_at(view, toks, m.start(), m.end(), prev, exhaustive=True)
    # "支出合计2,734.48万元中，基本支出…、项目支出…": 中 right after the total's unit.
    ends = {t.end for t in toks if t.dim not in ("percent", "")}
    for m in patterns.TOTAL_THEN_PARTS_CUE.finditer(text):
        if m.start() in ends:
            yield from _breakdown_at(view, toks, m.start(), m.end(), prev, exhaustive=True)
    for m in patterns.DETAIL_LIST_CUE.finditer(text):
        exhaustive = not m.group(0).startswith("主要")
        if text[m.end():].strip() == "" and following is not None:
            yield from _list_breakdown(view, toks, m.start(), following)
        else:
            yield from _breakdown_at(view, toks, m.start(), m.end(), prev, exhaustive=exhaustive)


_PLAN_STAGE = re.compile(r"预算|计划|目标")

_DONE_STAGE = re.compile(r"完成|实际|决算|执行数|到位")


def _breakdown_at(view: models.TextView, toks: list[quantities.Token], cue: int, after: int,
                  prev: models.TextView | None, *, exhaustive: bool) -> Iterator[models.BreakdownClaim]:
    text = view.text
    stop = _part_stop(text, after)
    # An item's own breakdown in brackets ("A 30万元（其中B 10万元、C 20万元）") is a
    # child of that item, never more items of this list. The tokens are cut out
    # by bisection: a comprehension over all of them per cue was quadratic.
    inner = outside_brackets(text, toks[bisect.bisect_left(toks, after, key=token_start):
                                         bisect.bisect_left(toks, stop, key=token_start)], after)
    if _ITEM.match(text, after) or _ITEM.match(text, after + 1):
        parts = _first_per_item(text, inner, after, stop)
    else:
        parts = []
        first_firm: quantities.Token | None = None
        ended = False  # the list stopped before its sentence did
        resume = -1  # items described with their own change resume after "；"
        for t in inner:
            if t.start < resume:
                continue
            # An item's share of the total ("…113.68万元，占59.2%；") does not end the list.
            if t.dim == "percent" and parts and (
                    _SHARE_AFTER.fullmatch(text, parts[-1].end, t.start)
                    or _SHARE_NAMED.fullmatch(text, parts[-1].end, t.start)):
                continue
            if t.dim == "percent" or CHANGE_WORDS.search(metrics.label_before(text, t.start)):
                # "其中：A 40万元，较上年持平；B 242万元，较上年减少12万元，下降4.7%；C…":
                # each item carries its change, and the next item starts after "；".
                semi = re.search(r"[；;]", text[t.end:stop])
                if parts and semi and re.search(r"[；;]", text[after:t.start]) is not None \
                        or parts and semi and _items_with_changes(text, parts[-1], t):
                    resume = t.end + semi.end()
                    continue
                ended = True
                break
            # "…、B经费40万元，合计100万元": the list's own total ends it, and so do
            # last year's figure ("…，上年为19.52万元") and a new statement after
            # "；" ("其中行政42人、事业144人；退休97人").
            label = metrics.label_before(text, t.start)
            if (_TOTAL_WORD.search(label) or PREVIOUS_CUE.search(label)
                    or _LIST_TARGET_LABEL.search(label) or _TARGET_AFTER.match(text, t.end)
                    or _new_statement(text, parts, t)):
                ended = True
                break
            # "镇本级和15个村防汛工作经费46万元": a count inside an item's name.
            if parts and t.dim != parts[0].dim and _inside_label(text, t):
                continue
            # "其中A 12家，B 6家；与51个国家…": a figure of another kind
            # starts another statement, not one more part. Thresholds
            # ("2亿元以下项目11个") are approximate and never parts.
            # The first exact part, kept as parts grow: rebuilding the list of
            # exact parts for every token was quadratic (issue 11).
            if (first_firm is not None and t.dim and first_firm.dim
                    and t.dim != first_firm.dim and not t.quantity.approximate):
                ended = True
                break
            parts.append(t)
            if first_firm is None and not t.quantity.approximate:
                first_firm = t
        if (not ended and len(parts) >= 2 and stop < len(text)
                and text[stop:stop + 1] == "。"):
            parts.extend(_continued_items(text, toks, stop, parts))
    parts = _adopt_unit([p for p in parts if not p.quantity.approximate and p.dim != "percent"])
    if len(parts) < 2:
        return
    dims = {p.dim for p in parts}
    money = dims <= {"CNY"} or dims <= {"USD"}
    if len(dims) != 1 and not money:
        return
    dim = parts[0].dim
    # The total is this year's figure, not last year's printed beside it
    # ("支出17.16万元，较上年19.52万元，其中…").
    # Tokens from the cue backwards, found by bisection: reversed(toks) walked
    # the whole paragraph's tail for every cue (quadratic, issue 11).
    before_cue = bisect.bisect_left(toks, cue, key=token_start)
    total = next((toks[i] for i in range(before_cue - 1, -1, -1)
                  if toks[i].end <= cue and toks[i].dim == dim
                  and not PREVIOUS_CUE.search(metrics.label_before(text, toks[i].start))
                  and not PREVIOUS_CUE.search(text[max(0, toks[i].start - 8):toks[i].start])
                  # "较2024年的2190万元减少221万元，…；其中": neither the figure compared
                  # with nor the change is what the list breaks down.
                  and not _COMPARED.search(text[max(0, toks[i].start - 12):toks[i].start])
                  and not CHANGE_LABEL.search(metrics.label_before(text, toks[i].start))),
                 None)
    # "收入合计192.01万元，较上年减少27.31万元，主要原因是…经费29.01万元。其中：…": the
    # figure the sentence names as its total is what the list breaks down.
    named_total = False
    if total is not None and text.rfind("。", total.end, cue) != -1:
        sent_start = text.rfind("。", 0, total.start) + 1
        named = [t for t in toks[bisect.bisect_left(toks, sent_start, key=token_start):before_cue]
                 if t.end <= cue and t.dim == dim
                 and _TOTAL_NAME.search(metrics.label_before(text, t.start))]
        if len(named) == 1:
            total, named_total = named[0], True
    total_q = total.quantity if total else None
    if total is None and prev is not None and text[:cue].strip(" ：:") == "":
        # The sentence's level, not its change or last year's figure ("收入126.05亿元，
        # 同比增加2.25亿元，增长1.82%。其中：…").
        prev_toks = [t for t in quantities.scan(prev)
                     if not CHANGE_LABEL.search(metrics.label_before(prev.text, t.start))
                     and not PREVIOUS_CUE.search(metrics.label_before(prev.text, t.start))]
        t2 = nearest_before(prev_toks, len(prev.text), dim)
        if t2 is not None and _ambiguous(prev_toks, t2, len(prev.text)):
            return
        total_q = t2.quantity if t2 else None
        total_label = metrics.label_before(prev.text, t2.start) if t2 else ""
    else:
        total_label = metrics.label_before(text, total.start) if total else ""
    if total_q is None or total_q.approximate:
        return
    # "收入预算为480亿元。其中，税收收入完成389亿元…": a plan is not the sum of
    # what was done; one concept must keep its stage.
    if _PLAN_STAGE.search(FUND_NAME.sub("", total_label)) and all(
            _DONE_STAGE.search(metrics.label_before(text, p.start)) for p in parts):
        return
    # The total must come from the same sentence, or end the sentence right
    # before "。其中：…" (a list that starts a new sentence).
    if total is not None:
        stop = text.rfind("。", total.end, cue)
        # "…支出100万元。按支出内容划分，A、B分别为80万元、30万元": a classification
        # of the figure the sentence before ends with.
        if (stop != -1 and text[stop + 1:cue].strip() != ""
                and not _CLASSIFIED_LIST.fullmatch(text[stop + 1:cue].strip())):
            return
        if stop != -1 and not named_total:
            sent_start = text.rfind("。", 0, total.start) + 1
            # Only tokens up to ``stop`` count in _ambiguous, cut out by bisection
            # (quadratic otherwise, issue 11); a change is not a level.
            levels = [t for t in toks[bisect.bisect_left(toks, sent_start, key=token_start):
                                      bisect.bisect_right(toks, stop, key=token_start)]
                      if not CHANGE_LABEL.search(metrics.label_before(text, t.start))]
            if _ambiguous(levels, total, stop):
                return
    yield models.BreakdownClaim(
        total=total_q, parts=tuple(p.quantity for p in parts),
        part_labels=tuple(metrics.label_before(text, p.start) for p in parts),
        label="其中" if exhaustive else "主要为", exhaustive=exhaustive, inferred=not exhaustive,
        sentence=view.raw_span(0, len(text)),
    )
    # "其中：财政拨款收入113.68万元，占59.2%；事业收入78.3万元，占40.8%": each item's
    # share is of the total the list breaks down.
    for p in parts:
        m = _SHARE_AFTER.match(text, p.end)
        share = token_at(toks, m.end()) if m else None
        if share is None:
            # "…，占本年收入的5.83%": a share of the base it names, which must be
            # the list's total ("本年收入合计").
            nxt = next((t for t in toks if t.start >= p.end), None)
            n = _SHARE_NAMED.fullmatch(text, p.end, nxt.start) if nxt is not None else None
            core = re.sub(r"(?:合计|总计|总额|共计|总数)(?:为|是)?$", "", total_label)
            if n is not None and len(core) >= 2 and (n.group("base") in core
                                                     or n.group("base") in total_label):
                share = nxt
        if share is not None and share.dim == "percent" and not share.quantity.approximate:
            yield models.RatioClaim(stated=share.quantity, numerator=p.quantity,
                                    denominator=total_q, label="占比",
                                    inferred=not exhaustive, sentence=view.raw_span(0, len(text)))


# "超额完成300家的年度目标": a target or plan stated after a list is not one more item.
_TOTAL_NAME = re.compile(r"(?:合计|总计|共计|总额|总量)(?:为|是|达)?$")

_SHARE_AFTER = re.compile(r"[，,]?\s*占(?:比|比重)?(?:为|达)?\s*")

_SHARE_NAMED = re.compile(r"[，,]?\s*占(?P<base>[\u4e00-\u9fa5“”]{2,14}?)的?(?:比重|比例)?(?:为|达)?\s*")

_LIST_TARGET_LABEL = re.compile(r"(?:目标|计划|任务)[^，,、；;。\d]{0,6}$")

_TARGET_AFTER = re.compile(r"的?(?:年度|全年)?(?:目标|任务|计划)")

# "较上年的21.45万元", "上年支出3,350.62万元", "由上年同期的3.86万吨": the base.
_COMPARED = re.compile(r"(?:较|比|与|同)(?:\d{4}年度?|上年度?|去年|上期|同期)[^，,。；;\d]{0,6}$")


def _items_with_changes(text: str, last: quantities.Token, t: quantities.Token) -> bool:
    """The change follows the last item in its own clause ("B 242万元，较上年减少12万元")."""
    between = text[last.end:t.start]
    return bool(re.fullmatch(r"[，,]\s*(?:较|比|同比|与)?[^，,；;。\d]{0,12}", between)) \
        and CHANGE_WORDS.search(between) is not None


def _enclosing_close(text: str, pos: int) -> int | None:
    """End of the bracket group ``pos`` stands in, if it stands in one within its sentence."""
    depth = 0
    for i in range(pos - 1, max(-1, pos - 400), -1):
        ch = text[i]
        if ch in "。；;":
            return None
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            if depth == 0:
                # Searched only as far as a list runs: a text with no closing
                # bracket would otherwise be scanned to its end for every cue.
                end = min(len(text), pos + _MAX_LIST)
                close = min((j for j in (text.find("）", pos, end), text.find(")", pos, end))
                             if j != -1), default=-1)
                return close if close != -1 else None
            depth -= 1
    return None


def _inside_label(text: str, t: quantities.Token) -> bool:
    """A figure followed at once by more of a name ("15个村防汛经费"), not by punctuation."""
    nxt = text[t.end:t.end + 1]
    return bool(nxt) and "\u4e00" <= nxt <= "\u9fa5"


def _new_statement(text: str, parts: list[quantities.Token], t: quantities.Token) -> bool:
    """"其中行政42人、事业144人；退休97人": a list written with 、 that meets a
    "；" has ended (lists of described items use "；" throughout)."""
    if len(parts) < 2 or not re.search(r"[；;]", text[parts[-1].end:t.start]):
        return False
    return all("、" in text[a.end:b.start] and not re.search(r"[；;]", text[a.end:b.start])
               for a, b in zip(parts, parts[1:]))


_CLASSIFIED_LIST = re.compile(r"按[^\W\d_a-zA-Z]{1,12}(?:划分|分类|分)[，,：:]?[^\d。；;]{2,80}")

# "物资局安置人员经费51.52万元，主要用于…": a sentence that opens with a
# label and an amount continues the list of the sentence before it.
_ITEM_SENTENCE = re.compile(r"[\u4e00-\u9fa5“”（）()]{2,20}(?=[-−]?\d)")


def _continued_items(text: str, toks: list[quantities.Token], stop: int,
                     parts: list[quantities.Token]) -> list[quantities.Token]:
    """Later sentences of the paragraph that read as further items of the list."""
    out: list[quantities.Token] = []
    dim = parts[0].dim
    # Only a list of described items goes on in the next sentence ("…30万元，
    # 主要用于…。物资局安置人员经费51.52万元，主要用于…"); a plain list
    # ("甲1.85万人次、乙1.72万人次。") ends with its sentence.
    tail = text[parts[-1].end:stop]
    if len(re.findall(r"[^\W\d_a-zA-Z]", tail)) < 4:
        return out
    pos = stop + 1
    while pos < len(text):
        m = _ITEM_SENTENCE.match(text, pos)
        if not m:
            break
        nxt = next((t for t in toks if t.start == m.end()), None)
        if nxt is None or nxt.dim != dim or SUMMARY_LABEL.search(m.group(0)):
            break
        out.append(nxt)
        end = patterns.SENTENCE_END.search(text, nxt.end)
        if end is None:
            break
        pos = end.end()
    return out


def _ambiguous(toks: list[quantities.Token], total: quantities.Token, end: int) -> bool:
    """"核定行政编制14名，事业编制11名。其中：局长1名…": which figure the list breaks
    down is unclear when the sentence before holds several like figures."""
    like = [t for t in toks if t.dim == total.dim and t.end <= end and not t.quantity.approximate]
    return len({t.quantity.value for t in like}) > 1


def _adopt_unit(parts: list[quantities.Token]) -> list[quantities.Token]:
    """A bare figure in a list of 元 amounts ("会议费70,813培训费…") is in 元 too."""
    units = {p.unit for p in parts if p.unit}
    if len(units) != 1:
        return [p for p in parts if p.unit]
    (unit,) = units
    return [p if p.unit else quantities.Token(p.start, p.end, p.quantity.model_copy(
        update={"unit": unit, "exact": False})) for p in parts]


def _part_stop(text: str, after: int) -> int:
    """Where a list of parts ends: sentence end, a nested 其中, or the next numbered item."""
    # A list of parts is never longer than a sentence: the search for its
    # end stops MAX_SENTENCE characters on, instead of running to the end of
    # a paragraph without 。 for every cue (quadratic, issue 11).
    ends = [min(len(text), after + MAX_SENTENCE)]
    m = patterns.SENTENCE_END.search(text, after, ends[0])
    if m:
        ends.append(m.start())
    # The other searches stop a little past the sentence's end: searching a
    # copy of the whole rest of the paragraph for every cue was quadratic
    # (issue 11). None of the patterns can match across a sentence end.
    window = min(len(text), min(ends) + _STOP_SLACK)
    # A list inside brackets ends with them ("（其中A 1亿元、B 2亿元）、C 3亿元").
    close = _enclosing_close(text, after)
    if close is not None:
        ends.append(close)
    # A nested 其中 ends the list, unless it stands in brackets of its own.
    for m in patterns.BREAKDOWN_CUE.finditer(text, after, window):
        if not bracket_depth(text, after, m.start()):
            ends.append(m.start())
            break
    m = _NEXT_ITEM.search(text, after, window)
    if m and not (_ITEM.match(text, after) or _ITEM.match(text, after + 1)):
        ends.append(m.start())
    return min(ends)


# "；2、…", "；（3）…": the next numbered item of a list.
_NEXT_ITEM = re.compile(r"[；;]\s*(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])")

# Characters searched past a sentence end for a cue or an item that starts before it.
_STOP_SLACK = 64

# The longest list of parts read (the longest real one is about 600 characters).
_MAX_LIST = 2000


def _first_per_item(text: str, toks: list[quantities.Token], start: int,
                    stop: int) -> list[quantities.Token]:
    """The first figure after each top-level list marker between start and stop."""
    out: list[quantities.Token] = []
    for m in _ITEM.finditer(text, start, stop):
        nxt = [t for t in toks if t.start >= m.end()]
        if nxt:
            out.append(nxt[0])
    return list(dict.fromkeys(out))


def _list_breakdown(view: models.TextView, toks: list[quantities.Token], cue: int,
                    following: models.TextView) -> Iterator[models.BreakdownClaim]:
    """"…决算数X元。具体明细如下：" followed by a paragraph "1、A元…；2、B元…"."""
    total = nearest_before(toks, cue)
    if total is None:
        return
    ftext = following.text
    ftoks = quantities.scan(following)
    items: list[quantities.Token] = []
    expected = 1
    for m in re.finditer(r"(?:^|[；;。])\s*(\d{1,2})[、.．](?!\d)", ftext):
        number = int(m.group(1))
        if number < expected:
            break
        expected = number + 1
        nxt = [t for t in ftoks if t.start >= m.end() and t.dim == total.dim]
        if nxt:
            items.append(nxt[0])
    items = list(dict.fromkeys(items))
    if len(items) < 2:
        return
    yield models.BreakdownClaim(
        total=total.quantity, parts=tuple(t.quantity for t in items),
        part_labels=tuple(metrics.label_before(ftext, t.start) for t in items),
        label="明细", sentence=view.raw_span(0, len(view.text)),
    )


# "…、B经费40万元，合计100万元": the list's own total, which ends it.
_TOTAL_WORD = re.compile(r"^(?:合计|共计|总计|总共|合共)")
