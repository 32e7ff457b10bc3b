"""A table written as prose: one clause per category with the same columns (S110).

"…支出年初预算数120.5万元，全年预算数180.2万元，决算数175.6万元" repeated for
each category after "按…分", below a total clause with the same column words:
each column's categories add up to the total's figure in that column. Read
across the prose paragraphs; the pairing is inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, quantities, segment

__all__ = ["claims_of"]


def claims_of(paras: list[segment.Paragraph]) -> Iterator[models.BreakdownClaim]:
    """The column breakdowns of the prose tables of a document's paragraphs."""
    yield from _find_narrative_tables(paras)


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
_CLASSIFY_CUE = re.compile(r"按[^\W\d_a-zA-Z]{1,12}分")


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
