"""Indicator values for scored rows: from the printed formula, the sheet, or elsewhere.

A common-indicator sheet prints, for each indicator, its weight, a scoring rule
and often its formula ("预算控制率=(本年追加预算/年初预算)×100%") but not the
value. The value is computed from the report's own figures where the formula's
terms can be found in its tables, else taken from the sheet's 实际完成值, else
from the same metric stated elsewhere in the report. What cannot be found is
listed, so that the check reports it instead of guessing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation, localcontext

from extractor import metrics, models, quantities, tables
from extractor.extract import scoring

__all__ = ["Fact", "enrich", "facts_of"]

# Formula terms of the standard 共性指标 (部门整体支出绩效评价共性指标体系) →
# (row label pattern, column header pattern) in the 基础数据表 / 自评表. The
# latest year's column wins when several match (2023年决算数 over 2022年决算数).
TERMS: dict[str, tuple[str, str]] = {
    "年初预算": ("年度资金总额", "年初预算"),
    "全年预算": ("年度资金总额", "全年预算"),
    "全年执行数": ("年度资金总额", "全年执行|执行数"),
    "在职人员数": ("", "在职"),
    "编制数": ("", "编制数"),
    "三公经费实际支出数": ("三公经费", "决算"),
    "三公经费预算安排数": ("三公经费", "预算"),
    "本年度三公经费预算数": ("三公经费", "预算"),
    "实际支出公用经费总额": ("公用经费", "决算"),
    "预算安排公用经费总额": ("公用经费", "预算"),
    "实际建设面积": ("", "实际规模"),
    "批准建设面积": ("", "批复规模"),
    "实际投资金额": ("", "实际投资"),
    "批准投资金额": ("", "预算投资"),
    "实际政府采购金额": ("政府采购金额", "决算"),
    "政府采购预算数": ("政府采购金额", "预算"),
}
# Terms defined by other terms.
DERIVED: dict[str, str] = {
    "本年追加预算": "全年预算-年初预算",
}


@dataclasses.dataclass(frozen=True)
class Fact:
    """One labelled figure of a rebuilt table."""

    row: str
    column: str
    quantity: models.Quantity


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"()（）:：、]", "", text)


def facts_of(tables_: Iterable[tables.Table]) -> list[Fact]:
    """Every figure of a table whose column the header names unambiguously."""
    out: list[Fact] = []
    for t in tables_:
        for r in t.rows:
            if not r.header or len(r.header) != len(r.cells):
                continue
            for head, cell in zip(r.header, r.cells):
                if cell.quantity is not None:
                    out.append(Fact(_norm(r.label), _norm(head), cell.quantity))
    return out


def _lookup(term: str, facts: list[Fact]) -> models.Quantity | None:
    spec = TERMS.get(_norm(term))
    if spec is None:
        return None
    row_pat, col_pat = spec
    hits = [f for f in facts if re.search(col_pat, f.column)
            and (not row_pat or re.search(row_pat, f.row))]
    if not hits:
        return None

    def year(f: Fact) -> int:
        m = re.search(r"(20\d\d)", f.column)
        return int(m.group(1)) if m else 0

    latest = max(year(f) for f in hits)
    return [f for f in hits if year(f) == latest][0].quantity


class _Missing(Exception):
    def __init__(self, terms: list[str]) -> None:
        super().__init__(", ".join(terms))
        self.terms = terms


def _evaluate(expr: str, facts: list[Fact], used: list[models.Quantity]) -> Decimal:
    """Evaluate a printed formula over resolved terms (+ − / × and parentheses).

    Raises:
        _Missing: terms that the report does not state.
        ZeroDivisionError: a zero denominator.
    """
    expr = expr.replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")")
    tokens = re.findall(r"[()+\-/×*]|[^()+\-/×*]+", expr)
    missing: list[str] = []
    values: list[str | Decimal] = []
    for tok in tokens:
        if tok in "()+-/×*":
            values.append(tok)
            continue
        name = _norm(tok)
        if re.fullmatch(r"\d+(?:\.\d+)?", name):
            values.append(Decimal(name))
            continue
        if name in DERIVED:
            values.append(_evaluate(DERIVED[name], facts, used))
            continue
        q = _lookup(name, facts)
        if q is None:
            missing.append(tok)
            continue
        used.append(q)
        # Base units, so that a ratio of 万元 over 元 figures comes out right.
        values.append(q.value * quantities.factor(q.unit))
    if missing:
        raise _Missing(missing)
    pos = 0

    def expr_() -> Decimal:
        nonlocal pos
        v = term_()
        while pos < len(values) and values[pos] in ("+", "-"):
            op = values[pos]
            pos += 1
            w = term_()
            v = v + w if op == "+" else v - w
        return v

    def term_() -> Decimal:
        nonlocal pos
        v = atom_()
        while pos < len(values) and values[pos] in ("/", "×", "*"):
            op = values[pos]
            pos += 1
            w = atom_()
            if op == "/" and w == 0:
                raise ZeroDivisionError(expr)
            v = v / w if op == "/" else v * w
        return v

    def atom_() -> Decimal:
        nonlocal pos
        tok = values[pos]
        pos += 1
        if tok == "(":
            v = expr_()
            pos += 1  # ")"
            return v
        if isinstance(tok, Decimal):
            return tok
        raise InvalidOperation(f"unexpected {tok!r}")

    with localcontext() as ctx:
        ctx.prec = 28
        return expr_()


# (rule text, weight, indicator) → the rule, for texts the parser cannot read.
RuleReader = Callable[[str, Decimal, str], "models.ScoringRule | None"]


def enrich(claims: list[models.Claim], tables_: list[tables.Table],
           rule_reader: RuleReader | None = None) -> list[models.Claim]:
    """Parse each score row's printed rule and find its indicator value."""
    facts = facts_of(tables_)
    mentions: dict[str, list[models.MentionClaim]] = {}
    for c in claims:
        if c.type == "mention":
            mentions.setdefault(c.metric, []).append(c)
    out: list[models.Claim] = []
    for c in claims:
        if c.type == "score" and c.rule and c.weight is not None:
            c = _with_rule(c, facts, mentions, rule_reader)
        out.append(c)
    return out


def _with_rule(c: models.ScoreClaim, facts: list[Fact],
               mentions: dict[str, list[models.MentionClaim]],
               rule_reader: RuleReader | None = None) -> models.ScoreClaim:
    target = c.indicator_target.value if c.indicator_target is not None else None
    rule = scoring.parse_rule(c.rule, c.weight.value, target)
    if rule is None and rule_reader is not None:
        rule = rule_reader(c.rule, c.weight.value, c.label)
    update: dict = {"parsed_rule": rule, "metric": metrics.metric_key(c.label) or ""}
    if rule is None or rule.kind == "levels":
        return c.model_copy(update=update)
    formula = scoring.parse_formula(c.formula or "") or scoring.parse_formula(c.rule)
    missing: list[str] = []
    if formula is not None:
        name, expr = formula
        used: list[models.Quantity] = []
        try:
            value = _evaluate(expr, facts, used) * 100
        except _Missing as e:
            missing = e.terms
        except ZeroDivisionError:
            if rule.full_marks_when_absent:
                update.update(value_source="absent", value_inputs=tuple(used))
                return c.model_copy(update=update)
            missing = ["非零分母 / non-zero denominator"]
        except (InvalidOperation, IndexError):
            missing = [expr]
        else:
            q = _computed(value, used)
            used = list({u.span: u for u in used}.values())
            update.update(indicator_value=q, value_source="formula", value_inputs=tuple(used),
                          formula=f"{name}={expr}×100%")
            return c.model_copy(update=update)
    if c.indicator_value is not None:
        update.update(value_source="stated")
        return c.model_copy(update=update)
    key = metrics.metric_key(c.label)
    stated = [m for m in mentions.get(key or "", []) if m.value.unit in ("%", "")]
    values = {m.value.value for m in stated}
    if len(values) == 1:
        update.update(indicator_value=stated[0].value, value_source="mention")
        return c.model_copy(update=update)
    if len(values) > 1:
        missing.append(f"{c.label}（报告中有 {len(values)} 个不同数值 / stated with "
                       f"{len(values)} different values）")
    elif not missing:
        missing.append(c.label or "指标值 / indicator value")
    update.update(value_missing=tuple(missing))
    return c.model_copy(update=update)


def _computed(value: Decimal, inputs: list[models.Quantity]) -> models.Quantity:
    """A Quantity for a recomputed value, spanning its first input (for display)."""
    span = inputs[0].span if inputs else models.Span(start=0, end=0)
    shown = quantities.format_decimal(value, 2)
    return models.Quantity(value=value, unit="%", raw=f"{shown}%", span=span, decimals=2)
