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
from collections.abc import Iterator

from extractor import metrics, models, quantities, segment

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


_BUDGET_STORY = re.compile(r"年初预算(?:数|安排)?(?:为|是)?$|(?:追加|调增|调减|调整|追减)(?:预算|资金)?(?:为|了)?$")


def mentions_in(sent: models.TextView, toks: list[quantities.Token]
                ) -> Iterator[models.MentionClaim]:
    """Money figures of a sentence that state a concept of the vocabulary."""
    text = sent.text
    for i, t in enumerate(toks):
        if t.dim not in ("CNY", "USD") or t.quantity.approximate:
            continue
        # A concept named after other figures of its sentence is an item's own
        # ("支出0万元，年初预算为0万元"): only a sentence that opens with it states
        # the report's figure.
        # "年初预算X，年中追加Y，全年预算Z": figures of the budget's own story may
        # stand before it.
        if any(u.dim not in ("", "percent") and not _BUDGET_STORY.search(
                metrics.label_before(text, u.start)) for u in toks[:i]):
            continue
        found = concept_of(metrics.label_before(text, t.start))
        if found is None:
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
    sentences = [(sent, quantities.scan(sent)) for para in segment.paragraphs(doc)
                 if para.kind == "prose" for sent in segment.sentences(para)]
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
    main = max(set(named), key=named.count)
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
    from extractor.extract import rules  # the change-and-rate patterns live there

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
        for g in rules.growth_changes(text, toks):
            rate, change, verb = g
            m = None
            for m in _SUBJECT.finditer(text, 0, change.start):
                pass
            if m is None or rules.clause_has_level(text, toks, m.end(), change):
                continue  # no named item, or its level is in this clause (the rules reader)
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
_ADDED = re.compile(r"(?:追加|调增)(?:预算|资金)?(?:为|了)?$")
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


_SHARE_OF = re.compile(r"占(?P<base>[\u4e00-\u9fa5]{2,12}?)的?(?:比重|比例)?(?:为|达)?$")


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
        if not re.fullmatch(r"[，,]?\s*", text[part.end:m.start()]):
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
