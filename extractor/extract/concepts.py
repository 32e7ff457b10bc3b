"""The budget concepts a report states once and may restate: a vocabulary kept as data.

The national templates and the narrative name the same few amounts in many
ways (全年预算数 = 调整后预算 = 预算数; 全年执行数 = 实际支出 = 决算数). A figure
whose label, once stripped of its generic subject (2024年, 部门, 专项资金, 本项目),
is exactly one of these names is a fact about that concept; the 自评表's
年度资金总额 row states the same concepts by column. Two facts of one concept
and one scope with different values are then one figure stated twice (JX401).

Only whole labels are matched: "临时救助年内支出" is a programme's spending, not
the report's 实际支出, and is left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context, sentence_growth

__all__ = ["CONCEPTS", "claims_of", "concept_of", "mentions_in"]

# concept key → the names reports give it (longest first within a concept).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "年初预算数": ("年初预算数", "年初预算", "年初预算安排", "年初安排"),
    "全年预算数": ("全年预算数", "全年预算", "调整后预算数", "调整后预算", "调整后全年预算"),
    "全年执行数": ("全年执行数", "全年执行", "全年实际支出", "实际支出", "全年支出", "决算数",
                  "实际使用资金", "支出总计", "支出合计", "全年支出总计", "全年支出合计", "总支出"),
    "到位资金": ("到位资金", "实际到位资金", "资金到位"),
}
_NAMES = {name: key for key, names in CONCEPTS.items() for name in names}
# Words before a concept that name the report's own subject, not another one.
_GENERIC = re.compile(
    r"(?:\d{4}\s*年度?|年度?|本年度?|当年|全年度?|本|该|我局|我单位|我院|项目|专项资金|专项|资金|部门|"
    r"单位|整体|共|累计|的|为|是|达|合计|总计|\s)*")
_SCOPE = re.compile(r"部门|单位")


def concept_of(label: str) -> tuple[str, str] | None:
    """(concept key, scope) of a label, or None when it names something narrower."""
    label = re.sub(r"(?:为|是|达|共)$", "", label.strip(" ：:，,"))
    # The longest name that ends the label after generic words only ("年部门年初预算":
    # 年 + 部门 + 年初预算, where a greedy strip would also eat the 年 of 年初).
    for k in range(len(label)):
        rest = label[k:]
        if rest in _NAMES and _GENERIC.fullmatch(label[:k]):
            # 部门 figures and a project's figures are different facts in one report.
            scope = "部门" if _SCOPE.search(label[:k]) else ""
            return _NAMES[rest], scope
    return None


_BUDGET_STORY = re.compile(r"年初预算(?:数|安排)?(?:为|是)?$|(?:追加|调增|调减|调整|追减|调整增加)(?:预算|资金)?(?:为|了)?$")


_ADJUSTED = re.compile(r"(?:追加|调增|调减|追减|追加调整|调整增加)(?:预算|资金)?(?:为|了)?$")


def mentions_in(sent: models.TextView, toks: list[quantities.Token]
                ) -> Iterator[models.MentionClaim]:
    """Money figures of a sentence that state a concept of the vocabulary."""
    text = sent.text
    labels = [metrics.label_before(text, t.start) for t in toks]
    names = [concept_of(lb) for lb in labels]
    # "A支出年初预算数…，全年预算数…；B支出年初预算数…，全年预算数…": a concept
    # named twice in one sentence is each category's, never the report's.
    counts = Counter(f[0] for f in names if f is not None)
    # A concept named after other figures of its sentence is an item's own
    # ("支出0万元，年初预算为0万元"): only a sentence that opens with it states the
    # report's figure, or one telling the budget's own story ("年初预算X，年中追加Y，
    # 全年预算Z"). Running flags keep this linear in the sentence's figures.
    earlier, story, adjusted = False, True, False
    for t, label, found in zip(toks, labels, names):
        if t.dim in ("", "percent"):
            continue
        was_earlier, was_story = earlier, story and adjusted
        earlier = True
        story = story and bool(_BUDGET_STORY.search(label))
        adjusted = adjusted or bool(_ADJUSTED.search(label))
        if t.dim not in ("CNY", "USD") or t.quantity.approximate or found is None:
            continue
        if counts[found[0]] > 1 or (was_earlier and not was_story):
            continue
        key, scope = found
        yield models.MentionClaim(metric=f"concept:{key}", value=t.quantity, label=key,
                                  scope=scope, inferred=True,
                                  sentence=sent.raw_span(0, len(text)))


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Concept facts of every prose sentence of ``doc``, and the shares stated of them.

    "教育支出520.00万元，占全年支出的52.00%" names its base by a concept the
    report states elsewhere ("全年支出总计1,000.00万元"); when the
    report gives that concept one value only, the share is a rate of it (a
    pairing across sentences, so a warning at most).
    """
    sentences = [(s.view, s.toks) for s in context.prose_sentences(doc)]
    out: list[models.Claim] = []
    for sent, toks in sentences:
        out.extend(mentions_in(sent, toks))
    out = _other_years_apart(out, doc)
    values: dict[str, dict] = {}
    for m in out:
        values.setdefault(m.metric, {})[m.value.value * quantities.factor(m.value.unit)] = m.value
    for sent, toks in sentences:
        out.extend(_shares_of_concepts(sent, toks, values))
        out.extend(_execution_of_budget(sent, toks, values))
        out.extend(_budget_story(sent, toks))
    out.extend(_shares_of_named(sentences))
    out.extend(_subject_changes(sentences))
    return out


_YEAR = re.compile(r"(?<![较比与])((?:19|20)\d\d)\s*年")


def _other_years_apart(mentions: list[models.MentionClaim], doc: models.Document
                       ) -> list[models.MentionClaim]:
    """A concept stated for another year than the report's is another fact.

    "2023年度全年预算12,486.35万元" and, for comparison, "2022年度全年预算为
    11,862.40万元" are two budgets; the report's year is the one its concept
    statements name most often.
    """
    years = []
    for m in mentions:
        text = doc.raw[m.sentence.start:m.value.span.start]
        found = _YEAR.findall(text)
        years.append(found[-1] if found else "")
    named = [y for y in years if y]
    if not named:
        return mentions
    # The most frequent year, the first named on a tie (set order would vary per run).
    main = max(dict.fromkeys(named), key=named.count)
    return [m.model_copy(update={"period": y}) if y and y != main else m
            for m, y in zip(mentions, years)]


# The items of a 三公经费 statement, the same in every province's 决算说明:
# "“三公”经费较上年决算减少1,897.9万元，下降39.38%" states a change of a figure
# given in another sentence ("开支“三公”经费2,921.7万元").
_SUBJECT = re.compile(
    r"[“\"]?三公[”\"]?经费|因公出国[（(]境[)）]费用?|公务接待费|"
    r"公务用车购置及运(?:行(?:维护)?|维)费|公务用车运(?:行(?:维护)?|维)费|公务用车购置费")
# Words between a subject and its amount that keep it an outturn ("支出合计").
_LEVEL_TAIL = re.compile(r"^(?:支出|决算|决算数|实际支出|合计|支出合计|共计|总额|为|是|共|)*$")


def _subject_key(text: str) -> str:
    key = re.sub(r"[“”\"]", "", text).replace("（", "(").replace("）", ")")
    return key.replace("费用", "费").replace("运行维护费", "运行费").replace("运维费", "运行费")


def _subject_changes(sentences) -> Iterator[models.GrowthClaim]:
    """Changes of a 三公 item whose level is stated once, in another sentence."""
    levels: dict[str, dict] = {}
    for sent, toks in sentences:
        text = sent.text
        for t in toks:
            if t.dim not in ("CNY", "USD") or t.quantity.approximate:
                continue
            label = metrics.label_before(text, t.start)
            m = None
            for m in _SUBJECT.finditer(label):
                pass
            if m is not None and _LEVEL_TAIL.match(label[m.end():]):
                key = _subject_key(m.group(0))
                levels.setdefault(key, {})[t.quantity.value * quantities.factor(t.unit)] = t
    for sent, toks in sentences:
        text = sent.text
        for g in sentence_growth.growth_changes(text, toks):
            rate, change, verb = g
            m = None
            for m in _SUBJECT.finditer(text, 0, change.start):
                pass
            if m is None or sentence_growth.clause_has_level(text, toks, m.end(), change):
                continue  # no named item, or its level is in this clause (the growth reader, S105)
            known = levels.get(_subject_key(m.group(0)), {})
            if len(known) != 1:
                continue
            (level,) = known.values()
            if level.dim != change.dim:
                continue
            yield models.GrowthClaim(stated=rate, current=level.quantity, change=change.quantity,
                                     label=verb, inferred=True,
                                     sentence=sent.raw_span(0, len(text)))


_OUTTURN_END = re.compile(r"(?:支出|实际支出|执行数|决算数|执行|使用资金)(?:为|是|达|共)?$")
_EXECUTION_RATE = re.compile(r"(?:预算)?(?:执行率|支出率)(?:为|是|达|达到)?$|完成(?:全年)?预算的?$")


def _execution_of_budget(sent: models.TextView, toks: list[quantities.Token],
                         values: dict[str, dict]) -> Iterator[models.RatioClaim]:
    """"全年支出2,734.48万元，预算执行率96.97%" over the one 全年预算数 the
    report states, sections away ("全年预算2,820.00万元"): the national
    template's 执行率 = 全年执行数 ÷ 全年预算数."""
    text = sent.text
    known = values.get("concept:全年预算数", {})
    if len(known) != 1:
        return
    (budget,) = known.values()
    for i, t in enumerate(toks):
        if t.dim != "percent" or t.quantity.approximate or i == 0:
            continue
        if not _EXECUTION_RATE.search(metrics.label_before(text, t.start)):
            continue
        actual = toks[i - 1]
        if actual.dim != budget.unit and quantities.dimension(actual.unit) != \
                quantities.dimension(budget.unit):
            continue
        label = metrics.label_before(text, actual.start)
        found = concept_of(label)
        if actual.quantity.approximate or label.startswith("其中") or not (
                (found is not None and found[0] == "全年执行数") or _OUTTURN_END.search(label)):
            continue
        # A programme's own budget may stand elsewhere: a rate far from actual ÷
        # the report's budget is about something else, not a wrong figure.
        whole = quantities.to_unit(budget.value, budget.unit, actual.unit)
        if whole <= 0 or abs(actual.quantity.value / whole * 100 - t.quantity.value) > 20:
            continue
        if not re.fullmatch(r"[，,]\s*", text[actual.end:t.start - len(
                metrics.label_before(text, t.start))]):
            continue
        yield models.RatioClaim(stated=t.quantity, numerator=actual.quantity,
                                denominator=budget, label="预算执行率", inferred=True,
                                sentence=sent.raw_span(0, len(text)))


_OPENING_END = re.compile(r"年初预算(?:数|安排)?(?:为|是)?$")
_YEAR_BUDGET_END = re.compile(r"(?:全年|调整后(?:全年)?)预算(?:数)?(?:为|是|共)?$")
_ADDED = re.compile(r"(?:追加|调增|追加调整|调整增加)(?:预算|资金)?(?:为|了)?$")
_CUT = re.compile(r"(?:调减|追减|核减)(?:预算|资金)?(?:为|了)?$")


def _budget_story(sent: models.TextView, toks: list[quantities.Token]
                  ) -> Iterator[models.BreakdownClaim]:
    """"年初预算2,360.00万元，年中追加460.00万元，全年预算2,820.00万元": the
    year's budget is the opening budget plus what was added, less what was cut."""
    text = sent.text
    opening = total = None
    moves: list[models.Quantity] = []
    for t in toks:
        if t.dim not in ("CNY", "USD") or t.quantity.approximate:
            continue
        label = metrics.label_before(text, t.start)
        found = concept_of(label)
        if opening is None and (found is not None and found[0] == "年初预算数"
                                or _OPENING_END.search(label)):
            opening = t.quantity
        elif opening is not None and _ADDED.search(label):
            moves.append(t.quantity)
        elif opening is not None and _CUT.search(label):
            q = t.quantity
            moves.append(q.model_copy(update={"value": -q.value, "raw": "−" + q.raw}))
        elif opening is not None and moves and (
                (found is not None and found[0] == "全年预算数") or _YEAR_BUDGET_END.search(label)):
            total = t.quantity
            break
    if opening is None or total is None or not moves:
        return
    yield models.BreakdownClaim(total=total, parts=(opening, *moves), label="全年预算数",
                                part_labels=("年初预算数",) + ("调整",) * len(moves),
                                inferred=True, sentence=sent.raw_span(0, len(text)))


_SHARE_OF = re.compile(r"占(?P<base>[^\W\d_a-zA-Z]{2,12}?)的?(?:比重|比例)?(?:为|达)?$")


def _shares_of_concepts(sent: models.TextView, toks: list[quantities.Token],
                        values: dict[str, dict]) -> Iterator[models.RatioClaim]:
    text = sent.text
    for i, t in enumerate(toks):
        if t.dim != "percent" or t.quantity.approximate or i == 0:
            continue
        m = _SHARE_OF.search(text, max(0, t.start - 16), t.start)
        if m is None:
            continue
        found = concept_of(m.group("base"))
        part = toks[i - 1]
        if found is None or part.dim not in ("CNY", "USD") or part.quantity.approximate:
            continue
        # "四季度支出500.00万元，四季度支出占全年支出的25.00%": the part's own name
        # may be restated before 占.
        gap = re.sub(r"^[，,]?\s*", "", text[part.end:m.start()])
        if gap and not (len(gap) >= 2 and metrics.label_before(text, part.start).endswith(gap)):
            continue
        known = values.get(f"concept:{found[0]}", {})
        if len(known) != 1:
            continue  # the base has no value, or two: which one is meant is unclear
        (base,) = known.values()
        if base.span.start == part.quantity.span.start:
            continue
        yield models.RatioClaim(stated=t.quantity, numerator=part.quantity, denominator=base,
                                label=f"占{m.group('base')}比重", inferred=True,
                                sentence=sent.raw_span(0, len(text)))


# ---------------------------------------------------------------- shares of a named total

# "税收收入完成4,200万元，占调整预算96.1%，占一般公共预算收入的35.00%": the base
# is named by the label of a figure the report stated before.
_SHARE_NAMED = re.compile(r"占(?P<base>[\u4e00-\u9fa5“”\"]{2,30}?)的(?:比重|比例)?(?:为|达)?$")
# "会议费支出决算中，A会议支出决算2.40万元，占30.00%": a sentence that
# opens with the name of a total, then its parts with bare shares.
_NAMED_THEN_PARTS = re.compile(r"^(?P<base>[^，,；;。:：]{4,60}?)(?<![\d元%])中[，,:：]")
_BARE_SHARE = re.compile(r"[，,]\s*占(?:比)?(?:为|达)?$")
# Words that end a figure's label without naming it ("收入完成12,000万元").
_VERB_TAIL = re.compile(r"(?:累计|共|合计|总计)?(?:完成|实现|为|是|达到|达|共|计)*$")
# Words before a name that qualify where or when, not what.
_QUALIFIER = re.compile(
    r"(?:\d{4}\s*年度?|年度?|本年度?|当年|全年度?|本级|地方|全县|全市|全省|全区|全州|全镇|本县|本市|"
    r"县级|市级|省级|我县|我市|本部门|本单位|部门|单位|\s)*")
_MIN_NAME = 4


def _name(label: str) -> str:
    """A label without its leading qualifiers and trailing verbs: "地方一般公共预算收入完成"
    → "一般公共预算收入"; quotes are dropped ("“三公”经费" = "三公经费")."""
    label = re.sub(r"[“”\"]", "", label)
    label = _VERB_TAIL.sub("", label)
    return label[_QUALIFIER.match(label).end():]


def _names_match(base: str, label: str, strict: bool = True) -> bool:
    """The base names the figure: one name ends the other, and (``strict``) what
    the figure's label adds in front is only a qualifier ("地方" + 一般公共预算收入),
    or the label is the whole subject of the base (…“三公”经费支出决算 / 支出决算).
    Loosely, any label ending in the base may name it ("省本级一般公共预算收入")."""
    if len(base) < _MIN_NAME or len(label) < _MIN_NAME:
        return False
    if label.endswith(base):
        return not strict or _QUALIFIER.fullmatch(label[:-len(base)]) is not None
    return base.endswith(label)


def _shares_of_named(sentences) -> Iterator[models.RatioClaim]:
    """Shares of a total the report named and stated once before.

    The base is named in the share ("占一般公共预算收入的35.00%") or, for bare
    shares ("占30.00%"), by the words opening the sentence ("…支出决算中，");
    the figures stated before whose labels name it must all have one value
    (two values: which one is meant is unclear). The part is the amount of the
    share's statement, with only other rates between. A pairing across
    sentences, so ``inferred``.
    """
    seen: list[tuple[str, quantities.Token, int]] = []  # (name, figure, sentence index)
    for k, (sent, toks) in enumerate(sentences):
        text = sent.text
        opening = _NAMED_THEN_PARTS.match(text)
        opening_name = _name(opening.group("base")) if opening else ""
        for i, t in enumerate(toks):
            if t.dim != "percent" or t.quantity.approximate:
                continue
            m = _SHARE_NAMED.search(text, max(0, t.start - 34), t.start)
            if m is not None:
                base_name = _name(m.group("base"))
                cue = m.start()
            elif opening_name and _BARE_SHARE.search(text, max(0, t.start - 6), t.start):
                base_name = opening_name
                cue = _BARE_SHARE.search(text, max(0, t.start - 6), t.start).start()
            else:
                continue
            part = _part_before(text, toks, cue)
            if part is None:
                continue
            # Every figure the base may name must have one value ("全县…收入" and
            # "省本级…收入" are two), and one of them must be named by it exactly.
            named = [(f, _names_match(base_name, name)) for name, f, j in seen
                     if j < k and _names_match(base_name, name, strict=False)]
            values = {f.quantity.value * quantities.factor(f.unit) for f, _ in named}
            total = next((f for f, exact in named if exact), None)
            if len(values) != 1 or total is None:
                continue
            if total.dim != part.dim:
                continue
            yield models.RatioClaim(stated=t.quantity, numerator=part.quantity,
                                    denominator=total.quantity, label=f"占{base_name}比重",
                                    inferred=True, sentence=sent.raw_span(0, len(text)))
        for t in toks:
            if t.dim in ("CNY", "USD") and not t.quantity.approximate \
                    and not _in_brackets(text, t.start):
                seen.append((_name(metrics.label_before(text, t.start)), t, k))


_CHANGE_WORDS = re.compile(r"(?:增加|减少|增长|下降|增收|减收|增支|减支|节约|超支)(?:了)?$")
# "…，税收收入占一般公共预算收入的65.0%": the share's subject, right before 占.
_SUBJECT_OF_SHARE = re.compile(r"[，,；;：:]\s*(?P<subject>[^\W\d_a-zA-Z]{2,12})$")


def _part_before(text: str, toks: list[quantities.Token], cue: int) -> quantities.Token | None:
    """The amount a share at ``cue`` is of: the figure its subject names
    ("…，税收收入占…的65.0%": the one labelled 税收收入), else the last money figure
    of its statement (back to "；"/"。"), with only rates between ("4,200万元，占调整
    预算96.1%，占…")."""
    floor = max(text.rfind(c, 0, cue) for c in "；;。") + 1
    named = _SUBJECT_OF_SHARE.search(text, max(floor, cue - 16), cue)
    if named is not None:
        subject = named.group("subject")
        like = [t for t in toks if t.end <= cue and t.dim in ("CNY", "USD")
                and not t.quantity.approximate
                and re.sub(r"^(?:其中|包括)[:：]?", "", metrics.label_before(text, t.start))
                .rstrip("为是共达") .endswith(subject)]
        return like[-1] if len({t.quantity.value for t in like}) == 1 else None
    before = [t for t in toks if floor <= t.start and t.end <= cue]
    # A change ("…，减收3.64亿元，占…的63.53%") is not the amount the share is of.
    money = [t for t in before if t.dim in ("CNY", "USD")
             and not _CHANGE_WORDS.search(metrics.label_before(text, t.start))]
    if not money or money[-1].quantity.approximate:
        return None
    part = money[-1]
    if any(t.dim != "percent" and not _CHANGE_WORDS.search(metrics.label_before(text, t.start))
           for t in before if t.start > part.start):
        return None
    if _in_brackets(text, part.start):
        return None
    return part


# Brackets that qualify a figure close within a clause or two: the scan back is
# bounded, or a text without 。 would be read from its start for every figure.
_BRACKET_REACH = 200


def _in_brackets(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[max(text.rfind("。", 0, pos), pos - _BRACKET_REACH, 0):pos]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth > 0
