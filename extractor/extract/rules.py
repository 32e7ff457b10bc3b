"""The deterministic backend: patterns over narrative, structure over tables.

Each ``_find_*`` function reads one sentence (or paragraph) view and yields
claims; none of them decides whether numbers agree — that is the checks' job.
Pairings that rest on word order alone (a named rate whose denominator is
inferred as the first like quantity of the sentence) are marked ``inferred``
in the claim label so that checks can report them with less certainty.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Iterator

from extractor import limits, metrics, models, patterns, quantities, segment, tables
from extractor.extract import indicators, readers

__all__ = ["RulesExtractor", "clause_has_level", "growth_changes"]

# Labels before a figure that mark it as a plan/target (the implied denominator
# of "完成年度目标任务的96.48%").
_TARGET_LABEL = re.compile(r"(?:计划|任务|目标|预算)")
# The names of the budget funds hold 预算 without naming a plan: "一般公共预算卫生经费
# 8,250万元比上年的7,600万元增长8.6%" states an outturn.
_FUND_NAME = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")


def _is_plan(label: str) -> bool:
    """A label that marks its figure as a plan or target, fund names aside."""
    return _TARGET_LABEL.search(_FUND_NAME.sub("", label)) is not None


# A list item start: "1、", "(2)", "（3）" — used to pick one figure per item.
_ITEM = re.compile(r"(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])")
_GROWTH_DOWN = ("下降", "减少", "降幅")


class RulesExtractor:
    """Offline, fast, deterministic claim extraction."""

    name = "rules"

    def __init__(self, rule_reader: indicators.RuleReader | None = None) -> None:
        # Reads a printed scoring rule the parser cannot read (the hybrid
        # backend passes the model's reader); without one such a rule stays unread.
        self._rule_reader = rule_reader

    def extract(self, doc: models.Document) -> list[models.Claim]:
        claims: list[models.Claim] = []
        paras = segment.paragraphs(doc)
        prev_sentence: models.TextView | None = None
        budget = limits.current()
        for idx, para in enumerate(paras):
            if para.kind != "prose":
                continue
            if budget is not None and budget.expired():
                # Out of time (--timeout): what was read so far is checked.
                budget.stop(para.view.offsets[0], "rules")
                break
            claims.extend(_find_breakdowns(para.view, prev_sentence,
                                           _next_prose(paras, idx)))
            before: models.TextView | None = None  # the sentence before, same paragraph
            for sent in _bounded(segment.sentences(para)):
                if budget is not None and budget.expired():
                    budget.stop(sent.offsets[0], "rules")
                    break
                toks = quantities.scan(sent)
                claims.extend(_find_ratios(sent, toks, before))
                claims.extend(_find_growth(sent, toks))
                claims.extend(_find_growth_of_prior(sent, toks, before))
                claims.extend(_find_differences(sent, toks))
                claims.extend(_find_balances(sent, toks, before))
                claims.extend(_find_mentions(sent, toks))
                prev_sentence = before = sent
        claims = _unify_restated(claims)
        rebuilt = []
        if budget is None or not budget.expired():
            claims.extend(_find_narrative_tables(paras))
            rebuilt = tables.rebuild(doc, paras)
            claims.extend(tables.claims_from(rebuilt))
            claims.extend(readers.read_all(doc, claims))
        elif not budget.stopped_at:
            budget.stop(None, "tables")
        claims = _one_subject(claims)
        return _with_ids(_checkable_mentions(indicators.enrich(claims, rebuilt,
                                                               self._rule_reader)))


def _one_subject(claims: list[models.Claim]) -> list[models.Claim]:
    """Keep a sheet's budget facts only where the report has one such sheet.

    A report with several project sheets has several 年度资金总额 rows, one per
    project, and the narrative's 实际支出 is none of them in particular.
    """
    sheet_facts: dict[str, int] = {}
    for c in claims:
        if c.type == "mention" and c.metric.startswith("concept:") and c.table:
            sheet_facts[c.metric] = sheet_facts.get(c.metric, 0) + 1
    return [c for c in claims if not (c.type == "mention" and c.metric.startswith("concept:")
                                      and c.table and sheet_facts[c.metric] > 1)]


# The longest sentence of the field reports and corpora is 846 characters. A
# "sentence" far longer is a text without 。 (a flattened page, generated
# input): the sentence-level readers look back over every figure before each
# rate or growth, so one sentence of n figures cost n² (a 240 KB line: 57 s).
# Such a sentence is read in pieces of at most this many characters, cut
# after the last clause mark (；，) before the limit.
_MAX_SENTENCE = 4000
_CLAUSE_MARKS = "；;，,"


def _bounded(sentences: list[models.TextView]) -> Iterator[models.TextView]:
    for sent in sentences:
        start, n = 0, len(sent.text)
        while n - start > _MAX_SENTENCE:
            cut = max(sent.text.rfind(c, start, start + _MAX_SENTENCE) for c in _CLAUSE_MARKS)
            cut = cut + 1 if cut > start else start + _MAX_SENTENCE
            yield sent.slice(start, cut)
            start = cut
        yield sent if start == 0 else sent.slice(start, n)


def _checkable_mentions(claims: list[models.Claim]) -> list[models.Claim]:
    """Keep a mention only if something can be checked against it: another statement
    of its metric, or a scored indicator of that metric (whose value is computed)."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.type == "mention":
            counts[c.metric] = counts.get(c.metric, 0) + 1
    scored = {c.metric for c in claims if c.type == "score" and c.metric}
    return [c for c in claims
            if c.type != "mention" or counts[c.metric] >= 2 or c.metric in scored]


# A generic metric (计划投资, 完成投资 …) restated in another sentence keeps
# its identity through a counted subject: "商贸物流项目建设34个，计划投资…" and
# "全州34个商贸物流建设项目计划投资…" are one metric when both count the same
# number of the same things and share a distinctive name of at least
# _SHARED_NAME characters.
_COUNTED = re.compile(r"(?<![\d.])(\d+)(个|项|家|所|座|条|处|批)")
_SHARED_NAME = 4
_NAME_NOISE = re.compile(
    r"[^\u4e00-\u9fa5]|全州|全市|全县|全省|全区|全年|我州|我市|我县|项目|建设|工作|方面|其中|实施|完成|已")


def _counted(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in _COUNTED.finditer(text)}


def _shares_name(a: str, b: str, metric: str) -> bool:
    a = _NAME_NOISE.sub("", a.replace(metric, ""))
    b = _NAME_NOISE.sub("", b.replace(metric, ""))
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= _SHARED_NAME


_GENERIC_BY_LENGTH = sorted(metrics.GENERIC, key=len, reverse=True)


def _generic_name(metric: str) -> str | None:
    """The generic name a metric key ends with ("…/计划投资", "…项目计划投资")."""
    if "/" in metric:
        return metric.rsplit("/", 1)[1]
    return next((g for g in _GENERIC_BY_LENGTH if len(g) >= 2 and metric.endswith(g)
                 and len(metric) > len(g)), None)


# A real report restates a generic metric a few times; hundreds of distinct
# first statements of one name is generated text, not worth n² comparisons.
_MAX_FIRSTS = 200


def _unify_restated(claims: list[models.Claim]) -> list[models.Claim]:
    """Give a restated generic metric the key of its first statement."""
    # First statements by (generic name, period), at most _MAX_FIRSTS each: a
    # scan of every first statement per mention was quadratic (issue 11).
    # Each first statement is kept with its counted items, computed once.
    firsts: dict[tuple[str, str], list[tuple[models.MentionClaim, set]]] = {}
    out: list[models.Claim] = []
    for c in claims:
        name = _generic_name(c.metric) if c.type == "mention" else None
        if name is None or not c._context:
            out.append(c)
            continue
        counted = _counted(c._context)
        group = firsts.setdefault((name, c.period), [])
        same = next((f for f, f_counted in group if f.metric != c.metric
                     and counted & f_counted
                     and f.sentence != c.sentence
                     and _shares_name(f._context, c._context, name)), None)
        if same is not None:
            ctx = c._context
            c = c.model_copy(update={"metric": same.metric})
            c._context = ctx
        elif len(group) < _MAX_FIRSTS:
            group.append((c, counted))
        out.append(c)
    return out


def _next_prose(paras: list[segment.Paragraph], idx: int) -> models.TextView | None:
    for p in paras[idx + 1: idx + 2]:
        if p.kind in ("prose", "heading"):
            return p.view
    return None


def _with_ids(claims: list[models.Claim]) -> list[models.Claim]:
    seen: set[tuple] = set()
    out: list[models.Claim] = []
    for c in claims:
        # A rate stated for both sides of a balance is two claims, one per side.
        current = getattr(c, "current", None)
        key = (c.type, c.key.span.start, c.key.span.end, c.key.value,
               tuple(p.span.start for p in getattr(c, "parts", ())),
               current.span.start if current is not None else -1)
        if key in seen:
            continue
        seen.add(key)
        out.append(c.model_copy(update={"id": f"{c.type[0]}{len(out) + 1}"}))
    return out


# ---------------------------------------------------------------- narrative tables

# Column words of the 收支 narrative: "…支出年初预算数120.5万元，全年预算数180.2万元，
# 决算数175.6万元" repeated for each category is a table written as prose.
_COLUMN_WORD = re.compile(r"(年初预算|全年预算|调整后预算|预算|决算|执行|上年|本年)")
# How far back (characters) the total clause of a prose table may stand.
_TOTAL_LOOKBACK = 800


def _clauses(paras: list[segment.Paragraph]):
    """(view, start, end) of each 。/；-separated clause of the prose paragraphs."""
    for para in paras:
        if para.kind != "prose":
            continue
        text = para.view.text
        start = 0
        for m in re.finditer(r"[。；;]", text + "。"):
            if m.start() > start:
                yield para.view, start, m.start()
            start = m.end()


def _signature(view: models.TextView, start: int, end: int):
    """Column words of a clause's money figures, and the figures: ((words), [tokens])."""
    sub = view.slice(start, end)
    toks = [t for t in quantities.scan(sub) if t.dim in ("CNY", "USD")
            and not t.quantity.approximate]
    words = []
    for t in toks:
        found = _COLUMN_WORD.findall(metrics.label_before(sub.text, t.start))
        if not found:
            return (), []
        words.append(found[-1])
    return tuple(words), toks


# "按功能分类分，…", "按支出性质和经济分类分，…": the rows of a prose table start here.
_CLASSIFY_CUE = re.compile(r"按[\u4e00-\u9fa5]{1,12}分")


def _find_narrative_tables(paras: list[segment.Paragraph]) -> Iterator[models.BreakdownClaim]:
    """A total clause, then "按…分" and one clause per category with the same columns."""
    clauses = [(v, s, e, *_signature(v, s, e)) for v, s, e in _clauses(paras)]
    in_group = [False] * len(clauses)
    i = 0
    while i < len(clauses):
        view, s, e, sig, _ = clauses[i]
        if len(sig) < 2 or len(set(sig)) != len(sig) or not _CLASSIFY_CUE.search(view.text, s, e):
            i += 1
            continue
        j = i
        while j + 1 < len(clauses) and clauses[j + 1][3] == sig \
                and not _CLASSIFY_CUE.search(clauses[j + 1][0].text, clauses[j + 1][1], clauses[j + 1][2]):
            j += 1
        for k in range(i, j + 1):
            in_group[k] = True
        total = _total_clause(clauses, in_group, i, sig)
        if total is not None and j > i:
            for col in range(len(sig)):
                yield models.BreakdownClaim(
                    total=total[col].quantity,
                    parts=tuple(c[4][col].quantity for c in clauses[i:j + 1]),
                    part_labels=tuple(metrics.label_before(c[0].text, c[4][col].start + c[1])
                                      for c in clauses[i:j + 1]),
                    label=sig[col], inferred=True,
                )
        i = j + 1


def _total_clause(clauses, in_group: list[bool], i: int, sig: tuple[str, ...]):
    """The nearest earlier clause, outside any category group, with the same column
    words ("年初预算收入240万元，全年预算收入310.4万元，决算收入为310.4万元")."""
    first = clauses[i]
    first_raw = first[0].raw_span(first[1], first[2]).start
    for k in range(i - 1, -1, -1):
        view, s, e, words, toks = clauses[k]
        if first_raw - view.raw_span(s, e).start > _TOTAL_LOOKBACK:
            return None
        if words == sig and not in_group[k]:
            return toks
    return None


# ---------------------------------------------------------------- ratios


def _find_ratios(sent: models.TextView, toks: list[quantities.Token],
                 before: models.TextView | None = None) -> Iterator[models.RatioClaim]:
    text = sent.text
    done: set[int] = set()
    for m in patterns.COMPLETION_RATIO.finditer(text):
        pct = _token_at(toks, m.start("pct"))
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
                   and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))]
        numerator = _nearest_before(current, cue, denominator.dim, exclude=denominator)
        if numerator is None or numerator.quantity.approximate or denominator.quantity.approximate:
            continue
        done.add(pct.start)
        yield models.RatioClaim(
            stated=pct.quantity, numerator=numerator.quantity, denominator=denominator.quantity,
            label="完成率", inferred=inferred, sentence=sent.raw_span(0, len(text)),
        )
    for m in patterns.NAMED_RATE.finditer(text):
        pct = _token_at(toks, m.start("pct"))
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
    budget = _sole_figure(before, actual[0].dim, _BUDGET_LABEL)
    return (actual[0], budget) if budget is not None else None


def _sole_figure(view: models.TextView, dim: str, wanted: re.Pattern[str],
                 unwanted: re.Pattern[str] | None = None) -> quantities.Token | None:
    """The one firm figure of ``dim`` in ``view`` (the sentence before), if its
    label says what is wanted: a base taken across a sentence end must be unambiguous."""
    like = [t for t in quantities.scan(view) if t.dim == dim and not t.quantity.approximate]
    if len(like) != 1:
        return None
    label = metrics.label_before(view.text, like[0].start)
    if not wanted.search(label) or (unwanted is not None and unwanted.search(label)):
        return None
    return like[0]


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
              and not _PREVIOUS_CUE.search(metrics.label_before(text, t.start))
              and not t.quantity.approximate
              and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))]
    if not before:
        return None
    if "执行率" in label or "支出率" in label:
        actual = [t for t in before if _ACTUAL_LABEL.search(metrics.label_before(text, t.start))]
        budget = [t for t in before if _BUDGET_LABEL.search(metrics.label_before(text, t.start))]
        whole = [t for t in budget if "全年" in metrics.label_before(text, t.start)] or budget
        if actual and whole and actual[-1] is not whole[-1]:
            return actual[-1], whole[-1]
    # A stated target is the whole: "受益人口8.65万人，目标8.5万人，完成率101.76%".
    targets = [t for t in before if _TARGET_LABEL.search(metrics.label_before(text, t.start))]
    if targets:
        whole = targets[-1]
        part = next((t for t in reversed(before) if t is not whole and t.dim == whole.dim
                     and not _TARGET_LABEL.search(metrics.label_before(text, t.start))), None)
        return (part, whole) if part is not None else None
    # Otherwise the part must be named like the rate ("办结56件，办结率…",
    # "已注册项目350个，注册率…"): "回收1,134份，满意度88.60%" is no ratio of them.
    stem = _rate_stem(label)
    named = [t for t in before if stem and _shares_stem(metrics.label_before(text, t.start), stem)]
    if stem and not named:
        return None
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
    stem = re.sub(r"(?:率|度)$", "", re.sub(r"[^\u4e00-\u9fa5]", "", label))
    return stem[-2:] if len(stem) >= 2 else ""


def _shares_stem(label: str, stem: str) -> bool:
    return stem in label or (len(stem) == 2 and all(ch in label for ch in stem))


def _token_at(toks: list[quantities.Token], start: int) -> quantities.Token | None:
    # Tokens are in text order and never overlap: the one holding ``start`` is the
    # last that starts at or before it (bisection: a scan per rate was quadratic).
    i = bisect.bisect_right(toks, start, key=_start) - 1
    if i >= 0 and toks[i].start <= start < toks[i].end:
        return toks[i]
    return None


def _items_with_changes(text: str, last: quantities.Token, t: quantities.Token) -> bool:
    """The change follows the last item in its own clause ("B 242万元，较上年减少12万元")."""
    between = text[last.end:t.start]
    return bool(re.fullmatch(r"[，,]\s*(?:较|比|同比|与)?[^，,；;。\d]{0,12}", between)) \
        and _CHANGE_WORDS.search(between) is not None


def _is_aside(text: str, t: quantities.Token, pos: int) -> bool:
    """A figure in brackets closed before ``pos``, or one labelled as last year's."""
    if _PREVIOUS_CUE.search(metrics.label_before(text, t.start)):
        return True
    floor = max(0, t.start - 60)
    opened = max(text.rfind("（", floor, t.start), text.rfind("(", floor, t.start))
    if opened == -1:
        return False
    closed = min((i for i in (text.find("）", t.end), text.find(")", t.end)) if i != -1),
                 default=-1)
    return closed != -1 and closed < pos and "，" not in text[opened:t.start] \
        and "。" not in text[opened:t.start]


def _nearest_before(toks: list[quantities.Token], pos: int, dim: str | None = None,
                    exclude: quantities.Token | None = None) -> quantities.Token | None:
    for t in reversed(toks):
        if t.end > pos or t is exclude or t.dim in ("percent", ""):
            continue
        if dim is None or t.dim == dim:
            return t
    return None


def _named_before(text: str, toks: list[quantities.Token], pos: int,
                  name: str) -> quantities.Token | None:
    """The nearest figure before ``pos`` whose label ends with ``name``."""
    name = re.sub(r"[^\u4e00-\u9fa5]", "", name)
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
        if _TARGET_LABEL.search(metrics.label_before(text, t.start)):
            return t
    return None


# ---------------------------------------------------------------- growth


def _find_growth(sent: models.TextView, toks: list[quantities.Token]) -> Iterator[models.Claim]:
    """Growth rates become mentions (for cross-checks) unless a base is stated."""
    text = sent.text
    for m in patterns.GROWTH.finditer(text):
        pct = _token_at(toks, m.start("pct"))
        if pct is None or pct.quantity.approximate:
            continue
        q = pct.quantity
        down = any(w in m.group("verb") for w in _GROWTH_DOWN) or text[max(0, m.start() - 1):m.start()] == "负"
        if down and q.value > 0:
            q = q.model_copy(update={"value": -q.value})
        current, previous = _growth_inputs(text, toks, m.start(), m.end())
        near = current or _nearest_before(toks, m.start())
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
        key = None if _COMPARISON_CUE.search(label) or _CHANGE_LABEL.search(label) else \
            metrics.metric_key(label + suffix, _subject(text, m.start()))
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
            period = metrics.period_of(text, _clause_before(text, m.start()))
            yield models.MentionClaim(metric=key, value=q, period=period, inferred=True,
                                      label=label, sentence=sent.raw_span(0, len(text)))


# "较上年的21.45万元", "上年支出3,350.62万元", "由上年同期的3.86万吨": the base.
_COMPARED = re.compile(r"(?:较|比|与|同)(?:\d{4}年度?|上年度?|去年|上期|同期)[^，,。；;\d]{0,6}$")
_PREVIOUS_CUE = re.compile(r"(?:上年|去年|上一年|上年度|上期|同期)(?!结转|结余)(?:同期)?[^，,；;。\d]{0,8}$"
                           r"|(?:较|比|与)\d{4}年度?的$")
# A figure after these words is a change, never a level ("增加10万元").
# ("下降至3.71万吨" is a level: the change word must end the label.)
_CHANGE_LABEL = re.compile(
    r"(?:增加|减少|增长|下降|降低|节约|节省|超出|超支|结余|节余|剩余|差额|增收|减收|增支|减支|多|少)"
    r"(?:了|为|达|共|约)?(?:支出|资金|经费|金额)?$")


# What a change is measured against: last year, or the budget ("较年初预算数减少10.93万元，
# 下降54.65%": the base is then the budget, equally current − change).
# A figure labelled as the plan itself ("任务目标为", "预算数"), not one whose
# name merely contains such a word ("一般公共预算收入").
_TARGET_ENDING = re.compile(r"(?:计划|任务|目标|预算数?)(?:数|为|是|达)?$")
_COMPARISON_CUE = re.compile(
    r"(?:比|较|与)(?:\d{4}年度?|上年度?|去年|上年同期|同期|年初预算数?|全年预算数?|预算数?)|同比")


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
    cue = _COMPARISON_CUE.search(text, max(floor, change.start - 14), change.start)
    if cue is None:
        # "…完成80.18亿元，增加2.79亿元，增长3.6%": level, change and rate side by
        # side, each in its own clause, need no 比上年.
        m = re.search(r"[，,]\s*$", text[floor:change.start - len(label)])
        if m is None:
            return None
        cue = re.compile(r"[，,]").search(text, floor + m.start())
        if cue is None:
            return None
    level = _level_before(text, before[:-1], floor, cue.start(), change.dim)
    if level is None:
        return None
    if not any(level.end <= t.start and t.end <= cue.start() for t in toks) and \
            not re.fullmatch(r"[，,]?\s*", text[level.end:cue.start()]):
        return None
    return level, change


def _level_before(text: str, toks: list[quantities.Token], floor: int, pos: int, dim: str
                  ) -> quantities.Token | None:
    """The level a comparison at ``pos`` is about: the last figure of ``dim`` of its
    statement (from ``floor``) that is not a change, last year's, a plan, or in
    brackets; between it and ``pos`` only other comparisons of it may stand ("9.07万元，
    较年初预算数减少10.93万元，下降54.65%，较上年…") and its completion rate
    ("完成年初预算数6,400万元的49.7%": the plan there is the rate's base)."""
    levels = [t for t in toks if floor <= t.start and t.end <= pos and t.dim == dim
              and not t.quantity.approximate and not _bracket_depth(text, floor, t.start)
              and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))
              and not _PREVIOUS_CUE.search(metrics.label_before(text, t.start))
              and not _TARGET_ENDING.search(metrics.label_before(text, t.start))]
    if not levels:
        return None
    level = levels[-1]
    between = [t for t in toks if level.end <= t.start and t.end <= pos]
    if len(between) > 12:
        return None
    ratios = [(m.start(), m.end())
              for m in patterns.COMPLETION_RATIO.finditer(text, level.end, pos)]
    if any(t.dim != "percent" and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))
           and not _bracket_depth(text, level.end, t.start)
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
    if not _COMPARISON_CUE.search(text, clause, rate_match.end()):
        return None
    floor = max(text.rfind(ch, 0, rate_match.start()) for ch in "；;。") + 1
    level = _level_before(text, toks, floor, clause, change.dim)
    return (level, change) if level is not None else None


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
        cue = _COMPARISON_CUE.search(text, floor, change.start)
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
                      and not _bracket_depth(ptext, pfloor, t.start)]
            sides = [[t for t in levels if side in metrics.label_before(ptext, t.start)]
                     for side in ("收入", "支出")]
            if len(levels) != 2 or any(len(s) != 1 for s in sides):
                continue
            found = [s[0] for s in sides]
        else:
            level = _level_before(ptext, ptoks, pfloor, pend, change.dim)
            if level is None:
                continue
            found = [level]
        for level in found:
            yield models.GrowthClaim(stated=rate, current=level.quantity, change=change.quantity,
                                     label=metrics.label_before(ptext, level.start), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))


def growth_changes(text: str, toks: list[quantities.Token]
                   ) -> Iterator[tuple[models.Quantity, quantities.Token, str]]:
    """(signed rate, change, words) of each "较上年减少C，下降R%" of a sentence: a
    change against last year or the budget, in the rate's direction, right before it."""
    for m in patterns.GROWTH.finditer(text):
        pct = _token_at(toks, m.start("pct"))
        if pct is None or pct.quantity.approximate:
            continue
        q = pct.quantity
        down_rate = any(w in m.group("verb") for w in _GROWTH_DOWN) or \
            text[max(0, m.start() - 1):m.start()] == "负"
        if down_rate and q.value > 0:
            q = q.model_copy(update={"value": -q.value})
        # The last figure ending before the rate (bisection, as in _token_at).
        i = bisect.bisect_right(toks, m.start(), key=_start) - 1
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
        if not _COMPARISON_CUE.search(label):
            continue
        yield q, change, label


def clause_has_level(text: str, toks: list[quantities.Token], start: int,
                     change: quantities.Token) -> bool:
    """A figure of the change's kind stands between ``start`` and the change."""
    return any(start <= t.start and t.end <= change.start and t.dim == change.dim
               and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))
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
              and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))]
    previous = next((t for t in reversed(levels)
                     if _PREVIOUS_CUE.search(text[floor if t.end <= verb else end:t.start])), None)
    if previous is None:
        return None, None
    def is_current(t: quantities.Token) -> bool:
        return (t is not previous and t.end <= verb and t.dim == previous.dim
                and not t.quantity.approximate
                and not _is_plan(metrics.label_before(text, t.start))
                and not _CHANGE_LABEL.search(metrics.label_before(text, t.start)))

    current = next((t for t in reversed(levels) if is_current(t)), None)
    if current is None:
        # "培训4.36万人次；比上年4.85万人次下降11.24%": the statement the
        # comparison continues, back to the sentence start.
        current = next((t for t in reversed(toks) if t.end <= floor and is_current(t)
                        and not _in_list(text, t.start)), None)
    return current, previous


def _clause_before(text: str, pos: int) -> str:
    """From the start of the clause group (after ；/。) to ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in "；;。") + 1
    return text[start:pos]


def _subject(text: str, pos: int = 0) -> str:
    """The first clause of the clause group holding ``pos``: qualifies generic names.

    "衡阳中欧班列共开行62列，总计货值21.69亿元；湘粤非班列开行79列，总计货值5.12亿元":
    the two 货值 get the subjects 衡阳中欧班列共开行 and 湘粤非班列开行.
    """
    start = max(text.rfind(c, 0, pos) for c in "；;。") + 1 if pos else 0
    return _subject_from(text, start)


@functools.lru_cache(maxsize=256)
def _subject_from(text: str, start: int) -> str:
    # Cached: every figure of a clause group has the same subject, and a group
    # of n figures recomputed it n times over the whole group (issue 11).
    m = re.search(r"[，,；;。]", text[start:])
    first = text[start: start + m.start()] if m else text[start:]
    # Figures go with their units: "到位资金2.01亿元" and "到位资金20,300万元"
    # have one subject.
    first = re.sub(r"[-−]?\d[\d,.]*(?:\.\d+)?\s*(?:" + patterns.UNIT.pattern + ")?", "", first)
    return first[:16]


# ---------------------------------------------------------------- differences

_DOWN = ("减少", "下降", "少", "节约")


def _find_differences(sent: models.TextView, toks: list[quantities.Token]
                      ) -> Iterator[models.DifferenceClaim]:
    """"本年支出120万元，上年100万元，较上年增加20万元": current − previous = stated."""
    text = sent.text
    for m in patterns.DIFFERENCE.finditer(text):
        diff = _token_at(toks, m.start("diff"))
        if diff is None or diff.dim in ("percent", "") or diff.quantity.approximate:
            continue
        previous = _token_at(toks, m.start("prev")) if m.group("prev") else None
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
                             and not _CHANGE_LABEL.search(metrics.label_before(text, t.start))
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
                        and (of_year or not _is_plan(metrics.label_before(text, t.start)))
                        and (not against_budget
                             or _SPENT_LABEL.search(metrics.label_before(text, t.start)))),
                       None)
        if current is None:
            continue
        sign = -1 if m.group("verb") in _DOWN else 1
        yield models.DifferenceClaim(stated=diff.quantity, a=current.quantity, b=previous.quantity,
                                     sign=sign, label=m.group("verb"), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))


# "资金660,000.00元，实际支出60万元，结余6万元", "计划供餐200天，实际供餐196天，
# 减少4天", "上年支出A，本年支出B，增加C": a stated change between two figures of
# one statement that the 较上年 pattern does not cover. The cue sits right
# before the stated difference; the pair is either last year's figure and
# this year's, or the amount provided (planned) and the amount spent (done).
_CHANGE_CUE = re.compile(
    r"(?P<verb>结余|节余|节约|剩余|超支|超出|多出|增加|减少|增长|下降|降低|少|多)(?:资金|了|支出)?"
    r"(?=[-−]?\d)")
# Left over / less than the base: base − other = stated.
_CHANGE_DOWN = ("结余", "节余", "节约", "剩余", "减少", "下降", "降低", "少")
_SPENT_LABEL = re.compile(r"支出|决算|执行|使用|实际|花费|完成")
_PROVIDED_LABEL = re.compile(r"预算|安排|下达|拨付|到位|资金|经费|计划|目标|任务|投资|总额")
# Words that make a label an amount provided even when it says 实际 ("实际到位资金").
_RECEIVED_LABEL = re.compile(r"到位|下达|拨付|安排|预算|投资")
# A carried-over or closing balance: the words before the cue, or the label of
# a figure in the statement ("年初结转结余10万元").
_CLOSING = re.compile(r"结转|年末|期末|累计")
_CARRY_OVER = re.compile(r"结转|结余|期末|期初")
# "比上年增加", "同比减少": growth wording, handled by _find_differences.
_YEAR_CUE_BEFORE = re.compile(r"(?:较|比|与)(?:上年|去年|上一年|同期)|同比|环比")


def _find_balances(sent: models.TextView, toks: list[quantities.Token],
                   prior: models.TextView | None = None) -> Iterator[models.DifferenceClaim]:
    text = sent.text
    covered = {m.start("diff") for m in patterns.DIFFERENCE.finditer(text)}
    for m in _CHANGE_CUE.finditer(text):
        diff = _token_at(toks, m.end())
        if (diff is None or diff.start in covered or diff.dim in ("percent", "")
                or diff.quantity.approximate):
            continue
        if _CLOSING.search(text[max(0, m.start() - 6):m.start()]):
            continue
        # Only figures of this statement ("；" or "。" ends it).
        floor = max(text.rfind(c, 0, m.start()) for c in "；;。") + 1
        if _YEAR_CUE_BEFORE.search(text, max(floor, m.start() - 8), m.start()):
            continue
        stated = [t for t in toks if floor <= t.start and t.end <= m.start()
                  and t.dim == diff.dim and not t.quantity.approximate]
        if any(_CARRY_OVER.search(metrics.label_before(text, t.start)) for t in stated):
            continue
        before = [t for t in stated
                  if not _CHANGE_LABEL.search(metrics.label_before(text, t.start))]
        pair = _year_pair(text, before, floor) or _plan_pair(text, before)
        if pair is None and prior is not None and floor == 0:
            pair = _plan_pair_across(text, before, prior)
        if pair is None:
            continue
        base, other = pair
        # Written the way a reader recomputes it: base − other = what is left
        # or saved; other − base = what was added or overspent.
        a, b = (base, other) if m.group("verb") in _CHANGE_DOWN else (other, base)
        yield models.DifferenceClaim(stated=diff.quantity, a=a.quantity, b=b.quantity,
                                     sign=1, label=m.group("verb"), inferred=True,
                                     sentence=sent.raw_span(0, len(text)))


def _year_pair(text: str, before: list[quantities.Token], floor: int
               ) -> tuple[quantities.Token, quantities.Token] | None:
    """(last year's figure, this year's) when the statement marks one as last year's."""
    previous = next((t for t in before if _PREVIOUS_CUE.search(text[floor:t.start])), None)
    if previous is None:
        return None
    current = next((t for t in reversed(before) if t is not previous), None)
    return (previous, current) if current is not None else None


def _plan_pair_across(text: str, before: list[quantities.Token], prior: models.TextView
                      ) -> tuple[quantities.Token, quantities.Token] | None:
    """"预算860.00万元。支出812.46万元，节约45.54万元": the amount provided is the
    one like figure of the sentence before, and it must be labelled so."""
    spent = [t for t in before if _SPENT_LABEL.search(metrics.label_before(text, t.start))]
    if len(spent) != 1 or len(before) != 1:
        return None
    provided = _sole_figure(prior, spent[0].dim, _PROVIDED_LABEL, _SPENT_LABEL)
    return (provided, spent[0]) if provided is not None else None


def _plan_pair(text: str, before: list[quantities.Token]
               ) -> tuple[quantities.Token, quantities.Token] | None:
    """(amount provided or planned, amount spent or done)."""
    spent = next((t for t in reversed(before)
                  if _SPENT_LABEL.search(metrics.label_before(text, t.start))), None)
    if spent is None:
        return None
    def provided(label: str) -> bool:
        return bool(_PROVIDED_LABEL.search(label)) and (
            not _SPENT_LABEL.search(label) or bool(_RECEIVED_LABEL.search(label)))

    base = next((t for t in reversed(before) if t.end <= spent.start
                 and provided(metrics.label_before(text, t.start))), None)
    return (base, spent) if base is not None else None


# ---------------------------------------------------------------- mentions


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
    head = re.sub(r"(?:[\u4e00-\u9fa5]{0,2}率|满意度|占比|比重|比例)$", "", key)
    if len(head) >= 3 and head in subj:
        return key
    return f"{subj}/{key}"
_COUNT_METRIC = re.compile(
    r"(?:人数|人次|户数|个数|家数|总数|数量|总量|人口|长度|里程|面积|产量)(?:为|达到|达|是|共|共计)?$")


def _find_mentions(sent: models.TextView, toks: list[quantities.Token]) -> Iterator[models.MentionClaim]:
    """Labelled amounts and named rates, so that repeated statements can be compared."""
    text = sent.text
    for t in toks:
        if t.quantity.approximate or _in_list(text, t.start):
            continue
        subject = _subject(text, t.start)
        period = metrics.period_of(text, _clause_before(text, t.start))
        if t.dim in _MENTION_DIMS:
            label = metrics.label_before(text, t.start)
            if _CHANGE_WORDS.search(label):
                continue
            # Budget and outturn concepts are facts of extract/concepts.py, which
            # knows whose budget a sentence states ("完成年初预算数60999万元的40.4%"
            # is one revenue line's, not the report's).
            if _BUDGET_CONCEPT.search(label):
                continue
        elif t.dim.startswith("count:"):
            # A named count ("受益学生人数为15,420人"), not any counted thing.
            label = metrics.label_before(text, t.start)
            if _CHANGE_WORDS.search(label) or not _COUNT_METRIC.search(label):
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
            claim._context = _clause_before(text, t.start)
            yield claim


_MOVED_SINCE = re.compile(
    r"[，,]?\s*(?:比|较|与)(?:上年|去年|上年同期|上年末|\d{4}年)?(?:相比)?[，,]?"
    r"(?:提高|上升|增加|增长|提升|下降|降低|减少|回落)了?\d+(?:\.\d+)?个百分点")
_FROM_LEVEL = re.compile(r"由(?:上年|去年|上年度|上一年度?|\d{4}年度?)?(?:末|底)?的?$")
# A metric made of stage and payment words only (支出决算, 发放补助资金,
# 补助标准为每人每月) names no programme: under two headings it states two.
_STAGE_ONLY = re.compile(
    r"(?:本年|全年|年度|当年|支出|决算|预算|执行|实际|金额|数|额|合计|总计|补助|补贴|奖补|奖励|"
    r"资金|经费|标准|发放|兑付|拨付|每人|每户|每月|每年|为|共|计)+")
# A figure after these words is a change, not a level: never a mention.
_CHANGE_WORDS = re.compile(r"超出|节约|减少|增加|增长|下降|增收|减收|较上年|比上年|同比|结余|差额")
# A figure after these cues (within its sentence) is one item of a list.
_LIST_CUES = re.compile(r"其中|分别|使用内容为|主要为|主要是|包括|明细如下")


def _in_list(text: str, pos: int) -> bool:
    """True when the figure at ``pos`` is one item of a 其中/分别为 list."""
    start = max(text.rfind(c, 0, pos) for c in "。") + 1
    return bool(_LIST_CUES.search(text, start, pos)) or bool(
        re.search(r"(?:^|[；;，,：:])\s*(?:\d{1,2}[、.．]|[（(]\d{1,2}[）)])[^；;，,]*$", text[start:pos]))


# ---------------------------------------------------------------- breakdowns


def _find_breakdowns(view: models.TextView, prev: models.TextView | None,
                     following: models.TextView | None) -> Iterator[models.BreakdownClaim]:
    text = view.text
    toks = quantities.scan(view)
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
    yield from _parenthetical(view, toks)
    yield from _parts_then_total(view, toks)


def _start(t: quantities.Token) -> int:
    return t.start


_FUND_NAME = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")
_PLAN_STAGE = re.compile(r"预算|计划|目标")
_DONE_STAGE = re.compile(r"完成|实际|决算|执行数|到位")


def _breakdown_at(view: models.TextView, toks: list[quantities.Token], cue: int, after: int,
                  prev: models.TextView | None, *, exhaustive: bool) -> Iterator[models.BreakdownClaim]:
    text = view.text
    stop = _part_stop(text, after)
    # An item's own breakdown in brackets ("A 30万元（其中B 10万元、C 20万元）") is a
    # child of that item, never more items of this list. The tokens are cut out
    # by bisection: a comprehension over all of them per cue was quadratic.
    inner = _outside_brackets(text, toks[bisect.bisect_left(toks, after, key=_start):
                                         bisect.bisect_left(toks, stop, key=_start)], after)
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
            if t.dim == "percent" or _CHANGE_WORDS.search(metrics.label_before(text, t.start)):
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
            if (_TOTAL_WORD.search(label) or _PREVIOUS_CUE.search(label)
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
    before_cue = bisect.bisect_left(toks, cue, key=_start)
    total = next((toks[i] for i in range(before_cue - 1, -1, -1)
                  if toks[i].end <= cue and toks[i].dim == dim
                  and not _PREVIOUS_CUE.search(metrics.label_before(text, toks[i].start))
                  and not _PREVIOUS_CUE.search(text[max(0, toks[i].start - 8):toks[i].start])
                  # "较2024年的2190万元减少221万元，…；其中": neither the figure compared
                  # with nor the change is what the list breaks down.
                  and not _COMPARED.search(text[max(0, toks[i].start - 12):toks[i].start])
                  and not _CHANGE_LABEL.search(metrics.label_before(text, toks[i].start))),
                 None)
    # "收入合计192.01万元，较上年减少27.31万元，主要原因是…经费29.01万元。其中：…": the
    # figure the sentence names as its total is what the list breaks down.
    named_total = False
    if total is not None and text.rfind("。", total.end, cue) != -1:
        sent_start = text.rfind("。", 0, total.start) + 1
        named = [t for t in toks[bisect.bisect_left(toks, sent_start, key=_start):before_cue]
                 if t.end <= cue and t.dim == dim
                 and _TOTAL_NAME.search(metrics.label_before(text, t.start))]
        if len(named) == 1:
            total, named_total = named[0], True
    total_q = total.quantity if total else None
    if total is None and prev is not None and text[:cue].strip(" ：:") == "":
        # The sentence's level, not its change or last year's figure ("收入126.05亿元，
        # 同比增加2.25亿元，增长1.82%。其中：…").
        prev_toks = [t for t in quantities.scan(prev)
                     if not _CHANGE_LABEL.search(metrics.label_before(prev.text, t.start))
                     and not _PREVIOUS_CUE.search(metrics.label_before(prev.text, t.start))]
        t2 = _nearest_before(prev_toks, len(prev.text), dim)
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
    if _PLAN_STAGE.search(_FUND_NAME.sub("", total_label)) and all(
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
            levels = [t for t in toks[bisect.bisect_left(toks, sent_start, key=_start):
                                      bisect.bisect_right(toks, stop, key=_start)]
                      if not _CHANGE_LABEL.search(metrics.label_before(text, t.start))]
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
        share = _token_at(toks, m.end()) if m else None
        if share is None:
            # "…，占本年收入的5.83%": a share of the base it names, which must be
            # the list's total ("本年收入合计").
            nxt = next((t for t in toks if t.start >= p.end), None)
            n = _SHARE_NAMED.fullmatch(text, p.end, nxt.start) if nxt is not None else None
            core = re.sub(r"(?:合计|总计|总额|共计|总数)(?:为|是)?$", "", total_label)
            if n is not None and len(core) >= 2 and n.group("base") in core:
                share = nxt
        if share is not None and share.dim == "percent" and not share.quantity.approximate:
            yield models.RatioClaim(stated=share.quantity, numerator=p.quantity,
                                    denominator=total_q, label="占比",
                                    inferred=not exhaustive, sentence=view.raw_span(0, len(text)))


# "超额完成300家的年度目标": a target or plan stated after a list is not one more item.
_TOTAL_NAME = re.compile(r"(?:合计|总计|共计|总额|总量)(?:为|是|达)?$")
_BUDGET_CONCEPT = re.compile(r"(?:年初|全年|调整后)预算数?(?:为|是|达)?$")
_SHARE_AFTER = re.compile(r"[，,]?\s*占(?:比|比重)?(?:为|达)?\s*")
_SHARE_NAMED = re.compile(r"[，,]?\s*占(?P<base>[\u4e00-\u9fa5“”]{2,14}?)的?(?:比重|比例)?(?:为|达)?\s*")
_LIST_TARGET_LABEL = re.compile(r"(?:目标|计划|任务)[^，,、；;。\d]{0,6}$")
_TARGET_AFTER = re.compile(r"的?(?:年度|全年)?(?:目标|任务|计划)")
_OPEN, _CLOSE = "（(", "）)"


def _bracket_depth(text: str, start: int, pos: int) -> int:
    """How many brackets opened between ``start`` and ``pos`` are still open at ``pos``."""
    depth = 0
    for ch in text[start:pos]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth


def _outside_brackets(text: str, toks: list[quantities.Token], start: int
                      ) -> list[quantities.Token]:
    """The tokens (in order, at or after ``start``) that stand outside any bracket
    opened after ``start``; one pass over the text, so long lists stay linear."""
    out: list[quantities.Token] = []
    depth, pos = 0, start
    for t in toks:
        for ch in text[pos:t.start]:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE and depth:
                depth -= 1
        pos = t.start
        if not depth:
            out.append(t)
    return out


def _enclosing_close(text: str, pos: int) -> int | None:
    """End of the bracket group ``pos`` stands in, if it stands in one within its sentence."""
    depth = 0
    for i in range(pos - 1, max(-1, pos - 400), -1):
        ch = text[i]
        if ch in "。；;":
            return None
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
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


_CLASSIFIED_LIST = re.compile(r"按[\u4e00-\u9fa5]{1,12}(?:划分|分类|分)[，,：:]?[^\d。；;]{2,80}")


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
    if len(re.findall(r"[\u4e00-\u9fa5]", tail)) < 4:
        return out
    pos = stop + 1
    while pos < len(text):
        m = _ITEM_SENTENCE.match(text, pos)
        if not m:
            break
        nxt = next((t for t in toks if t.start == m.end()), None)
        if nxt is None or nxt.dim != dim or _SUMMARY_LABEL.search(m.group(0)):
            break
        out.append(nxt)
        end = patterns.SENTENCE_END.search(text, nxt.end)
        if end is None:
            break
        pos = end.end()
    return out


# A sentence about a total or a comparison is never one more item of a list.
_SUMMARY_LABEL = re.compile(
    r"合计|总计|决算|预算|超出|共计|累计|整体|规模|总额|上年|去年|同期|上期|本年|全年|年初")


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
    # end stops _MAX_SENTENCE characters on, instead of running to the end of
    # a paragraph without 。 for every cue (quadratic, issue 11).
    ends = [min(len(text), after + _MAX_SENTENCE)]
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
        if not _bracket_depth(text, after, m.start()):
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
    total = _nearest_before(toks, cue)
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


# "大气专项100万元、水专项200万元，合计310万元": the parts first, then the total.
_TOTAL_WORD = re.compile(r"^(?:合计|共计|总计|总共|合共)")
_TOTAL_AFTER = re.compile(r"[，,、]\s*(?:合计|共计|总计|总共|合共)(?:为|是|达|达到|：|:)?(?=[-−]?\d)")


def _parts_then_total(view: models.TextView, toks: list[quantities.Token]
                      ) -> Iterator[models.BreakdownClaim]:
    text = view.text
    for m in _TOTAL_AFTER.finditer(text):
        total = _token_at(toks, m.end())
        if total is None or total.dim in ("percent", "") or total.quantity.approximate:
            continue
        floor = max(text.rfind(c, 0, m.start()) for c in "；;。：:") + 1
        # After a 其中 the parts are of the figure before it, not of this total.
        qizhong = text.rfind("其中", floor, m.start())
        if qizhong != -1:
            floor = qizhong + 2
        parts = [t for t in toks if floor <= t.start and t.end <= m.start()]
        if len(parts) < 2 or any(
                t.quantity.approximate or t.dim in ("percent", "")
                or quantities.dimension(t.unit) != quantities.dimension(total.unit)
                or _CHANGE_LABEL.search(metrics.label_before(text, t.start))
                or _SUMMARY_LABEL.search(metrics.label_before(text, t.start)) for t in parts):
            continue
        # Each part is its own item: only 、，, between them (no sentence inside).
        if any(not re.fullmatch(r"\s*[、，,]\s*[^，,、；;。\d]{0,20}", text[a.end:b.start])
               for a, b in zip(parts, parts[1:])):
            continue
        yield models.BreakdownClaim(
            total=total.quantity, parts=tuple(p.quantity for p in parts),
            part_labels=tuple(metrics.label_before(text, p.start) for p in parts),
            label="合计", sentence=view.raw_span(0, len(text)),
        )


def _parenthetical(view: models.TextView, toks: list[quantities.Token]) -> Iterator[models.BreakdownClaim]:
    """"59人（行政编49人，…事业编9人）": a total followed by its parts in brackets."""
    text = view.text
    for t in toks:
        if text[t.end:t.end + 1] not in ("（", "("):
            continue
        close = min((i for i in (text.find("）", t.end), text.find(")", t.end)) if i != -1),
                    default=-1)
        if close == -1:
            continue
        inner = [u for u in toks if t.end < u.start < close]
        if len(inner) < 2 or any(u.dim != t.dim or u.quantity.approximate for u in inner):
            continue
        yield models.BreakdownClaim(
            total=t.quantity, parts=tuple(u.quantity for u in inner),
            part_labels=tuple(metrics.label_before(text, u.start) for u in inner),
            label="括注", sentence=view.raw_span(0, len(text)), inferred=True,
        )

