"""The 三公经费 statement: one total and its three items, however the prose spreads them.

Every 部门决算 / 预算 disclosure in China states the same breakdown, fixed by the
Ministry of Finance: "三公"经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行
（维护）费, and 公务用车购置及运行费 = 公务用车购置费 + 公务用车运行（维护）费. Reports
give the total in one sentence and the items in the next ones, or a paragraph
later ("分项情况是：…", "其中：…。公务用车购置费…。公务接待费…"), often with a
change against last year or the budget for each.

So each money figure of the prose is read as a fact: its subject (the total or
one item, from the national names), its measure (a level, or a change against
last year / the budget, signed by its verb), and its qualifiers (the year and
the stage 预算 / 决算 named before it). A total is then checked against the
one item fact of each subject that follows it with the same measure and no
conflicting qualifier, before the next total of the same kind. The pairing
crosses sentences, so every claim here is inferred: a warning, never an error.
A subject stated twice with two values in that stretch is left alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from extractor import models, quantities
from extractor.extract import context

__all__ = ["claims_of", "facts_of"]

# The national names, longest first; the key is what the breakdown adds up.
_NAMES = (
    ("car", r"公务用车购置(?:及|和|与)?运(?:行(?:维护)?|维|行维修)(?:费用?|经费|支出)?"),
    ("car_buy", r"公务用车购置(?:费用?|经费|支出)?"),
    ("car_run", r"公务用车运(?:行(?:维护)?|维|行维修)(?:费用?|经费|支出)?"),
    ("abroad", r"因公出国(?:[（(]?境[)）]?)?(?:费用?|经费|支出)?"),
    ("reception", r"公务接待(?:费用?|经费|支出)?"),
    ("total", r"[“\"「『]?三公[”\"」』]?经费"),
)
_SUBJECT = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _NAMES))
_ITEMS = ("abroad", "reception", "car")
# A label naming all three items at once names the total ("因公出国（境）费、公务用车
# 购置及运行费和公务接待费的预算数").
# 预算 as a stage, not the fund (一般公共预算, 政府性基金预算) or a rate (预算执行率).
_STAGE_BUDGET = re.compile(r"(?<!一般公共)(?<!基金)(?<!资本经营)预算(?!执行|拨款|财政|内|外|单位|管理|法)")
_STAGE_ACTUAL = re.compile(r"决算|支出|执行数|实际")
_YEAR = re.compile(r"(?<![较比与和及])(?P<y>(?:19|20)\d\d)\s*年")
# Words between a subject and its figure that keep the figure a level of it.
_LEVEL_WORDS = re.compile(
    r"^(?:[)）”\"」』]|年度?|财政拨款|一般公共预算|拨款|安排的?|年初|全年|调整后|预算数?|决算数?|支出|"
    r"执行数|实际|总额|合计|共计|总计|累计|数|额|为|是|共|达|中|的|了|\s)*$")
# A change: against last year or against the budget, and its direction.
_CHANGE = re.compile(
    r"(?:较|比|与)(?P<base>[^，,；;。\d]{0,12}?)(?:相比)?[，,]?"
    r"(?P<verb>增加|减少|增长|下降|降低|节约|压减|减|增|多|少)(?:了)?(?:支出|开支)?$")
# "预算执行比例为90.13%", "完成预算的98%": the item's outturn over its own budget.
_EXECUTION = re.compile(r"(?:预算执行(?:比例|率)|执行率|完成(?:年初|全年)?预算的?)(?:为|是|达)?$")
# "（较2010年压缩2%）", "比上年下降7.6%": a rate of change against a named year.
_GROWTH_SINCE = re.compile(
    r"(?:较|比|与)(?P<base>上年|去年|上一年|(?:19|20)\d\d年)(?:度)?(?:同期)?(?:相比)?[，,]?"
    r"(?P<verb>增长|下降|压缩|压减|减少|增加|降低|上升|提高)了?$")
_DOWN = ("减少", "下降", "降低", "节约", "压减", "压缩", "减", "少")
# "无因公出国（境）费", "因公出国（境）费为零 / 未发生": an item stated as nil.
_NIL_BEFORE = re.compile(r"(?:无|未发生|未安排|没有)$")
_NIL_AFTER = re.compile(r"^(?:支出)?(?:为零|为0(?![.\d])|未发生|无|均无|零支出)")


@dataclasses.dataclass(frozen=True)
class Fact:
    """One money figure of a 三公 statement with what it is about."""

    subject: str
    measure: str  # "level", "change:prev", "change:budget"
    year: str | None
    stage: str | None
    token: quantities.Token
    quantity: models.Quantity  # signed for changes
    sentence: models.TextView
    para: int
    sidx: int = -1  # the sentence's index among the prose sentences


def facts_of(doc: models.Document) -> list[Fact]:
    """Every 三公 fact of the prose, in document order."""
    out: list[Fact] = []
    for k, s in enumerate(context.prose_sentences(doc)):
        out.extend(dataclasses.replace(f, sidx=k) for f in _facts_in(s.view, s.para, s.toks))
    return out


def _facts_in(sent: models.TextView, para: int, toks: list[quantities.Token]) -> Iterator[Fact]:
    text = sent.text
    prev: Fact | None = None
    for t in toks:
        if t.dim == "percent" and prev is not None and prev.measure == "level" \
                and not t.quantity.approximate and _EXECUTION.search(_label(text, t.start)):
            yield Fact(prev.subject, "rate:execution", prev.year, prev.stage, t, t.quantity,
                       sent, para)
            continue
        if t.dim == "percent" and prev is not None and prev.measure == "level" \
                and not t.quantity.approximate:
            g = _GROWTH_SINCE.search(_clause(text, t.start))
            if g is not None:
                q = t.quantity
                if any(g.group("verb").startswith(w) for w in _DOWN) and q.value > 0:
                    q = q.model_copy(update={"value": -q.value})
                yield Fact(prev.subject, "rate:growth:" + _base_year(g.group("base"), prev.year),
                           prev.year, prev.stage, t, q, sent, para)
                continue
        if t.dim not in ("CNY", "USD") or t.quantity.approximate:
            prev = None if t.dim not in ("percent", "") else prev
            continue
        label = _label(text, t.start)
        # The subject: the last national name in the label, or the subject of the
        # previous figure of the sentence when the label holds qualifiers only
        # ("预算数2711.65万元、决算数2488.79万元").
        subject, tail = _subject(label)
        if subject is None:
            # What follows the previous figure's unit and its 、 is this one's label.
            label = label.rsplit("、", 1)[-1]
            head, change = _strip_change(label)
            if change is None and _BARE_VERB.fullmatch(label):
                # "较2024年的2190万元减少221万元": the comparison stands before the base.
                head, change = _strip_change(_FIGURE.sub("", _clause(text, t.start)))
                label = _FIGURE.sub("", _clause(text, t.start))
            named = _statement_subject(text, toks, t) if change is not None else None
            if named is not None and (prev is None or prev.token.end < named[1]):
                # "公务接待费支出决算比预算无增减变化，比去年增加0.5万元": the change's
                # subject opens its statement, clauses before it.
                subject, tail = named[0], label
            elif prev is None or not label.strip() or (change is None and not _LEVEL_WORDS.match(head)):
                prev = None
                continue
            else:
                subject, tail = prev.subject, label
        tail, change = _strip_change(tail)
        if change is None and not _LEVEL_WORDS.match(tail):
            prev = None
            continue
        year = _year(text, t.start)
        if change is None and _COMPARED.search(_clause(text, t.start)):
            # "较2024年的2190万元", "上年同口径…决算为18.78万元": last year's level,
            # a statement of its own that this year's items do not add up to.
            year = "上年"
            if _VERB_AFTER.match(text, t.end):
                continue  # "较2024年的101万元减少5万元": only the base of a change
        measure, q = "level", t.quantity
        if change is not None:
            base = change.group("base")
            measure = "change:budget" if "预算" in base else "change:prev"
            if any(change.group("verb").startswith(w) for w in _DOWN):
                q = q.model_copy(update={"value": -q.value, "raw": "−" + q.raw})
        fact = Fact(subject, measure, year, _stage(text, label, t.start),
                    t, q, sent, para)
        prev = fact
        yield fact


def _statement_subject(text: str, toks: list[quantities.Token], t: quantities.Token
                       ) -> tuple[str, int] | None:
    """(subject, end) of the last national name of the figure's statement (back to
    ；/。), when no other money figure stands between it and the figure."""
    floor = max(text.rfind(c, 0, t.start) for c in "；;。") + 1
    found = list(_SUBJECT.finditer(text, floor, t.start))
    if not found:
        return None
    last = found[-1]
    if any(last.end() <= u.start < t.start and u.dim in ("CNY", "USD") for u in toks):
        return None
    return last.lastgroup, last.end()


_CLAUSE_STOP = frozenset("，,；;。：:！？!?\n")


def _label(text: str, pos: int) -> str:
    """The words before a figure back to the clause mark or figure before them.

    Unlike the generic label, brackets and 、 do not stop it: the national names
    carry a bracket ("因公出国（境）费") and a label may list all three items.
    """
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_STOP and not text[i - 1].isdigit():
        i -= 1
    return text[i:pos]


_VERB_AFTER = re.compile(r"[^，,；;。\d]{0,3}?(?:增加|减少|增长|下降|降低|持平|增|减|多|少)")
_BARE_VERB = re.compile(r"(?:万元|亿元|元)?(?:增加|减少|增长|下降|降低|减|增|多|少)了?")
_FIGURE = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)?")
_COMPARED = re.compile(r"(?:较|比|与|同比|上年|去年|上一年)[^，,；;。]*$")


def _clause(text: str, pos: int) -> str:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_STOP:
        i -= 1
    return text[i:pos]


def _subject(label: str) -> tuple[str | None, str]:
    """(subject key, words after it) of a label; three item names together are the total."""
    found = list(_SUBJECT.finditer(label))
    if not found:
        return None, label
    keys = {m.lastgroup for m in found}
    last = found[-1]
    if {"abroad", "reception"} <= keys and keys & {"car", "car_buy"} and "total" not in keys:
        return "total", label[last.end():]
    return last.lastgroup, label[last.end():]


def _strip_change(tail: str) -> tuple[str, re.Match | None]:
    m = _CHANGE.search(tail)
    if m is None:
        return tail, None
    return tail[:m.start()], m


def _year(text: str, pos: int) -> str | None:
    found = [m.group("y") for m in _YEAR.finditer(text, 0, pos)]
    return found[-1] if found else None


# "比预算增加0万元": the budget is what the figure is compared with, not its stage.
_COMPARISON = re.compile(r"(?:比|较|与)(?:年初|全年|调整后)?预算数?")


def _stage(text: str, label: str, pos: int) -> str | None:
    """预算 or 决算 named in the figure's label, else before it in its sentence."""
    for scope in (_COMPARISON.sub("", label), _COMPARISON.sub("", text[:pos])):
        b = [m.end() for m in _STAGE_BUDGET.finditer(scope)]
        a = [m.end() for m in _STAGE_ACTUAL.finditer(scope)]
        if b or a:
            return "budget" if (max(b, default=-1) > max(a, default=-1)) else "actual"
    return None


def _base_year(base: str, year: str | None) -> str:
    """The year a change is measured from: a printed year, or the one before ``year``."""
    if base[:4].isdigit():
        return base[:4]
    return str(int(year) - 1) if year and year.isdigit() else "上年"


# A subject stated more often than this is a repeated table or list, where which
# level a rate means cannot be told: such subjects are not paired across sentences.
_MAX_LEVELS = 12


def _levels_by_subject(facts: list[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if f.measure == "level":
            out.setdefault(f.subject, []).append(f)
    return {k: v for k, v in out.items() if len(v) <= _MAX_LEVELS}


def _level_before(facts: list[Fact], k: int) -> Fact | None:
    """The level fact of the rate at ``k``'s subject just before it in its sentence."""
    rate = facts[k]
    for j in range(k - 1, -1, -1):
        f = facts[j]
        if f.sentence is not rate.sentence:
            return None
        if f.measure == "level" and f.subject == rate.subject and f.token.end <= rate.token.start:
            return f
    return None


def _growth_rates(facts: list[Fact]) -> Iterator[models.GrowthClaim]:
    """An item's rate of change against the same item's level of the base year,
    stated in another statement ("2010年…公务用车购置及运行费1229.65万元" …
    "2011年…公务用车购置及运行费1205.06万元（较2010年压缩2%）")."""
    levels = _levels_by_subject(facts)
    for k, rate in enumerate(facts):
        if not rate.measure.startswith("rate:growth:"):
            continue
        base = rate.measure.removeprefix("rate:growth:")
        current = _level_before(facts, k)
        if current is None:
            continue
        olds = {f.quantity.value: f for f in levels.get(rate.subject, ())
                if f.year == base and f is not current
                and (f.stage is None or current.stage is None or f.stage == current.stage)}
        if len(olds) != 1:
            continue
        (old,) = olds.values()
        yield models.GrowthClaim(stated=rate.quantity, current=current.quantity,
                                 previous=old.quantity, label=_LABELS[rate.subject] + "增减率",
                                 inferred=True,
                                 sentence=rate.sentence.raw_span(0, len(rate.sentence.text)))


def _compatible(a: Fact, b: Fact) -> bool:
    return (a.year is None or b.year is None or a.year == b.year) and \
        (a.stage is None or b.stage is None or a.stage == b.stage)


def _statement_end(text: str, pos: int) -> int:
    ends = [k for k in (text.find(c, pos) for c in "；;。") if k != -1]
    return min(ends, default=len(text))


# "因公出国支出决算比去年无增减变化": a change of nil, in the words of its base.
_NIL_CHANGE = {
    "change:prev": re.compile(r"(?:比|较|与)(?:上年|去年|上一年|同期)[^，,；;。]{0,4}(?:无增减|持平|无变化)"),
    "change:budget": re.compile(r"(?:比|较|与)(?:年初)?预算数?[^，,；;。]{0,4}(?:无增减|持平|无变化)"),
}


def _nil(text: str, subject: str, measure: str = "level") -> bool:
    """An item the stretch after a total states as nil ("无因公出国（境）费")."""
    pattern = dict(_NAMES)[subject]
    for m in re.finditer(pattern, text):
        # "无因公出国（境）费" is nil in both years, so its change is nil too.
        if (_NIL_BEFORE.search(text[max(0, m.start() - 4):m.start()])
                or _NIL_AFTER.match(text[m.end():m.end() + 6])):
            return True
        if measure.startswith("change") and _NIL_CHANGE[measure].search(
                text, m.end(), _statement_end(text, m.end())):
            return True
    return False


# Sentences after a total searched for an item stated as nil.
_STRETCH = 15
# How far after its total an item may stand: the total's paragraph and the next two.
_WINDOW = 3


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Breakdowns of 三公 totals (levels and changes) into their items."""
    facts = facts_of(doc)
    sents = context.prose_sentences(doc)
    out: list[models.Claim] = [*_execution_rates(facts), *_growth_rates(facts)]
    for i, total in enumerate(facts):
        if total.subject not in ("total", "car") or total.measure.startswith("rate"):
            continue
        members = ("car_buy", "car_run") if total.subject == "car" else _ITEMS
        window = range(total.para, total.para + _WINDOW)
        found: dict[str, set] = {}
        picked: dict[str, Fact] = {}
        for f in facts[i + 1:]:
            if f.para not in window:
                break
            if f.measure != total.measure:
                continue
            if f.subject == total.subject and f.sentence is not total.sentence:
                break  # the next statement of this total, whatever its year: a new block
            if f.subject == total.subject or not _compatible(total, f):
                continue  # "预算数…、决算数…": one sentence lists the totals
            found.setdefault(f.subject, set()).add(f.quantity.value)
            picked.setdefault(f.subject, f)
        stretch = "".join(sents[j].text for j in range(total.sidx, min(len(sents), total.sidx + _STRETCH))
                          if sents[j].para in window)
        parts = _parts(members, found, picked, stretch, total.measure)
        if parts is None:
            continue
        sent = total.sentence
        out.append(models.BreakdownClaim(
            total=total.quantity, parts=tuple(f.quantity for f in parts),
            part_labels=tuple(_LABELS[f.subject] for f in parts), label=_LABELS[total.subject],
            inferred=True, sentence=sent.raw_span(0, len(sent.text))))
    return out


def _execution_rates(facts: list[Fact]) -> Iterator[models.RatioClaim]:
    """An item's execution rate over the one budget the report gives that item.

    "公务接待费8.27万元，预算执行比例为2.69%" takes its budget from wherever the
    report states the 公务接待费 budget of that year ("…预算…，其中：…公务接待费
    307.70万元").
    """
    levels = _levels_by_subject(facts)
    for k, rate in enumerate(facts):
        if rate.measure != "rate:execution":
            continue
        actual = _level_before(facts, k)
        if actual is None or actual.stage == "budget":
            continue
        budgets = {f.quantity.value: f for f in levels.get(rate.subject, ())
                   if f.stage == "budget" and f is not actual and _compatible(f, rate)}
        if len(budgets) != 1:
            continue
        (budget,) = budgets.values()
        yield models.RatioClaim(stated=rate.quantity, numerator=actual.quantity,
                                denominator=budget.quantity, label=_LABELS[rate.subject] + "预算执行率",
                                inferred=True,
                                sentence=rate.sentence.raw_span(0, len(rate.sentence.text)))


_LABELS = {"total": "“三公”经费", "abroad": "因公出国（境）费", "reception": "公务接待费",
           "car": "公务用车购置及运行费", "car_buy": "公务用车购置费", "car_run": "公务用车运行费"}


def _parts(members: tuple[str, ...], found: dict[str, set], picked: dict[str, Fact],
           stretch: str, measure: str = "level",
           least: int = 2) -> list[Fact] | None:
    """The one fact of each member, or None when one is missing or stated twice."""
    parts: list[Fact] = []
    for key in members:
        values = found.get(key, set())
        if key == "car" and not values:
            # No figure for the car item as a whole: its two halves stand for it.
            halves = _parts(("car_buy", "car_run"), found, picked, stretch, measure, 1)
            if halves is None:
                return None
            parts.extend(halves)
            continue
        if len(values) > 1:
            return None
        if not values:
            if _nil(stretch, key, measure):
                continue
            return None
        parts.append(picked[key])
    return parts if len(parts) >= least else None
