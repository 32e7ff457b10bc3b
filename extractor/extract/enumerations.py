"""A count of named units and the names listed with it.

Unit descriptions count what they list: "内设办公室、财务股、人事股3个股室",
"下设4个事业单位：甲站、乙站、丙中心和丁所", "项目涉及5个乡：A乡、B乡、C乡、D乡".
The count and the list stand in one statement and every name ends like the
counted noun (股 / 室 / 站 / 乡 …), so the names are the parts of the count;
a list with 等 is a sample and is left alone.
"""

from __future__ import annotations

import re

from extractor import models, quantities
from extractor.extract import context

__all__ = ["claims_of"]

_NOUN = (r"(?:职能科室|内设机构|事业单位|股室|科室|处室|乡镇|社区|中心|单位|部门|机构|站所|"
         r"乡|镇|村|站|所|科|股|处|室|队|院|馆)")
_COUNTED = re.compile(rf"(?P<n>\d{{1,3}}|[一二三四五六七八九十]{{1,3}})个(?P<noun>{_NOUN})")
# A list is names between 、: CJK and brackets only ("县防御中心", "办公室（党组）").
_LIST = re.compile(r"[\u4e00-\u9fa5（）()、]+")
_BEFORE_COUNT = re.compile(r"[，,]?(?:共|合计)?$")
_AFTER_COUNT = re.compile(r"[，,]?(?:分别为|分别是|包括|即|为)?[:：]")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def claims_of(doc: models.Document) -> list[models.Claim]:
    """A breakdown of each listed count into its names (one each)."""
    out: list[models.Claim] = []
    for s in context.prose_sentences(doc):
        if "、" not in s.text:
            continue
        for m in _COUNTED.finditer(s.text):
            for base, listed in _lists_beside(s.text, m):
                claim = _claim(s, m, base, listed)
                if claim is not None:
                    out.append(claim)
    return out


def _lists_beside(text: str, m: re.Match) -> list[tuple[int, str]]:
    """(start, text) of the list of names right before the count ("A、B和C3个股室",
    "A、B、C，共3个") or right after it ("3个乡：A、B、C")."""
    out = []
    gap = _BEFORE_COUNT.search(text, 0, m.start())
    end = gap.start() if gap else m.start()
    k = end
    while k > 0 and _LIST.fullmatch(text[k - 1]):
        k -= 1
    if "、" in text[k:end]:
        out.append((k, text[k:end]))
    after = _AFTER_COUNT.match(text, m.end())
    if after is not None:
        r = after.end()
        while r < len(text) and _LIST.fullmatch(text[r]):
            r += 1
        if "、" in text[after.end():r]:
            out.append((after.end(), text[after.end():r]))
    return out


def _claim(s: context.Sentence, m: re.Match, base: int, listed: str
           ) -> models.BreakdownClaim | None:
    if "等" in listed or "其他" in listed:
        return None
    noun = m.group("noun")
    names = _names(listed, noun)
    if names is None:
        return None
    total = _count(s, m)
    if total is None:
        return None
    parts, pos = [], 0
    for n in names:
        k = listed.index(n, pos)
        pos = k + len(n)
        span = s.view.raw_span(base + k, base + k + len(n))
        parts.append(models.Quantity(value=1, unit=total.unit, raw=n, span=span, exact=True))
    return models.BreakdownClaim(total=total, parts=tuple(parts), part_labels=tuple(names),
                                 label=f"所列{noun}个数", inferred=True,
                                 sentence=s.view.raw_span(0, len(s.text)))


# Counted nouns that name any kind of unit, and how such units' names end.
_ANY_UNIT = ("事业单位", "单位", "机构", "内设机构", "部门", "站所")
_UNIT_END = re.compile(r"(?:站|所|队|中心|院|馆|局|办|室|股|科|处|会|社|团|校|园)$")


def _names(listed: str, noun: str) -> list[str] | None:
    """The listed names, split at 、 and at a last 和/及 that joins two names; None
    unless every name names a unit of the counted kind ("财务股" for 股室)."""
    def fits(n: str) -> bool:
        if noun in _ANY_UNIT:
            return bool(_UNIT_END.search(n))
        return n[-1] in noun or n.endswith(noun)

    names = [n for n in listed.split("、") if n]
    last = names[-1] if names else ""
    for joint in ("以及", "和", "及"):
        k = last.rfind(joint)
        # "就业促进和失业保险股" is one name; "甲站和乙中心" are two.
        if k > 0 and fits(last[:k]) and fits(last[k + len(joint):]):
            names[-1:] = [last[:k], last[k + len(joint):]]
            break
    if len(names) < 2 or not all(fits(n) for n in names):
        return None
    return names


def _count(s: context.Sentence, m: re.Match) -> models.Quantity | None:
    """The count as a quantity at its printed place (digits or 一…十)."""
    text = m.group("n")
    value = int(text) if text.isdigit() else _cn(text)
    if value is None:
        return None
    start, end = m.start("n"), m.end("n") + 1  # with 个
    q = next((t.quantity for t in s.toks if t.start == start), None)
    if q is not None and q.value == value:
        return q.model_copy(update={"exact": True})
    return quantities.make_quantity(str(value), "个", s.text[start:end],
                                    s.view.raw_span(start, end)).model_copy(update={"exact": True})


def _cn(text: str) -> int | None:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN.get(text[1:], 0)
    if len(text) == 1:
        return _CN.get(text)
    if len(text) == 2 and text[1] == "十":
        return _CN.get(text[0], 0) * 10
    if len(text) == 3 and text[1] == "十":
        return _CN.get(text[0], 0) * 10 + _CN.get(text[2], 0)
    return None
