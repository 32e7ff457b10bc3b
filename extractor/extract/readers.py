"""The registered readers: table and phrasing families read from the whole document.

A reader turns one family of structure into claims: the self-evaluation sheet
of the national templates in any layout, a data table with its 合计 row, the
budget concepts a report states and restates. Like the checks, each reader
has a stable code, a name, a module with a docstring saying what it reads and
why, and a case file ``tests/readers/cases/<name>.yml`` whose cases state the
claims expected from texts written for the purpose (a test fails when a
reader breaks, not only when a finding goes missing). Adding a family is one
module, one case file and one line here.

The sentence readers of :mod:`extractor.extract.sentences` (S1xx, run by
:mod:`extractor.extract.rules`) run first; a reader's claim whose key figure an
earlier claim of the same type already holds is dropped, so that two readers
of one table never state it twice.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import re
from collections.abc import Callable, Iterable
from types import MappingProxyType

from extractor import models

__all__ = ["READERS", "Reader", "read_all"]

_log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Reader:
    code: str
    name: str
    summary: str
    target: str  # "module:function" taking a Document, returning claims
    # A reader of what other claims leave out ("…，比上年增长R%" after each figure of
    # a breakdown) also takes the claims read before it.
    takes_claims: bool = False
    # Words without which the reader has nothing to read: a document without
    # them never imports the reader (a cold start pays for what it reads).
    needs: str = ""

    def load(self) -> Callable[[models.Document], list[models.Claim]]:
        module, func = self.target.split(":")
        return getattr(importlib.import_module(module), func)


# One line per reader, in the order they run (instructor's provider specs are
# kept the same way: one read-only table, the single source of truth).
READERS = MappingProxyType({r.code: r for r in (
    Reader("R101", "budget-concepts", "年初预算数 / 全年预算数 / 全年执行数 / 到位资金 stated in "
           "narrative, as facts to compare", "extractor.extract.concepts:claims_of"),
    Reader("R102", "three-public-expenses", "“三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车"
           "购置及运行费 across sentences, levels and changes", "extractor.extract.sangong:claims_of",
           needs="三公|因公出国|公务接待|公务用车"),
    Reader("R103", "percentage-points", "由X%提高到Y%，提高Z个百分点: Z = Y − X in points",
           "extractor.extract.points:claims_of",
           needs="百分点"),
    Reader("R104", "narrative-scores", "指标（5分）得分4.5分, 满分20分，评价得分17分: an award "
           "held to its weight", "extractor.extract.narrative_scores:claims_of",
           needs="分"),
    Reader("R105", "listed-total", "a list of amounts closed by its total in one sentence: "
           "A；B；…；收入合计 / 收入总量为", "extractor.extract.listed_totals:claims_of",
           needs="合计|总计|总量|共计|全年"),
    Reader("R106", "paid-at-a-standard", "N人，按每人X元标准发放Y元: count × standard (× months) "
           "= amount", "extractor.extract.standards:claims_of",
           needs="每"),
    Reader("R107", "unit-slip-pairs", "one subject's amount printed twice, 10⁴ apart "
           "(4,863,200.00元 and 486.32元)", "extractor.extract.unit_slips:claims_of"),
    Reader("R108", "named-items", "基本支出中，人员经费…；公用经费…, and an item's 执行率 over the "
           "budget stated for it by name", "extractor.extract.named_items:claims_of",
           needs="中[，,：:]|分类|划分|分[，,：:]|执行率"),
    Reader("R109", "listed-count", "内设A、B、C3个股室: a count of named units against the names "
           "listed", "extractor.extract.enumerations:claims_of",
           needs="个"),
    Reader("R110", "per-head-average", "户均 / 亩均 / 人均 beside one count and one amount: "
           "amount = count × average", "extractor.extract.averages:claims_of",
           needs="均"),
    Reader("R201", "self-evaluation-sheet", "自评表 / 评分表 in any layout: funding block, "
           "indicator rows, group weights, 总分", "extractor.extract.sheets:claims_of"),
    Reader("R202", "data-table", "data tables from a stream of cells: 合计 rows, 执行率 columns, "
           "全年 = Σ quarters", "extractor.extract.grids:claims_of"),
    Reader("R203", "flattened-statement", "收入支出决算总表 exported as labels then values: "
           "item amounts vs 本年收入合计 / 本年支出合计", "extractor.extract.statements:claims_of",
           needs="合计|总计"),
    Reader("R301", "growth-of-parts", "a total's rate and its parts' own rates against one base: "
           "last year = Σ part ÷ (1 + rate)", "extractor.extract.parts_growth:claims_of",
           takes_claims=True),
    Reader("R302", "total-score-restated", "the one score sheet's 总分 and the narrative's "
           "自评得分 as one figure", "extractor.extract.total_score:claims_of", takes_claims=True,
           needs="得分|总分|评分"),
)})


def read_all(doc: models.Document, known: Iterable[models.Claim]) -> list[models.Claim]:
    """Claims of every registered reader that no known claim already holds."""
    known = list(known)
    held = {_key(c) for c in known}
    out: list[models.Claim] = []
    text = doc.view.text
    for reader in READERS.values():
        if reader.needs and re.search(reader.needs, text) is None:
            continue
        fn = reader.load()
        try:
            found = fn(doc, [*known, *out]) if reader.takes_claims else fn(doc)
        except Exception as e:  # noqa: BLE001 - one reader must never cost the report
            _log.exception("reader %s failed", reader.code)
            doc.notes.append(("JX001", models.Span(start=0, end=0),
                              f"读取器 {reader.code} 无法运行：{type(e).__name__}；其余内容照常核查",
                              f"Reader {reader.code} could not run: {type(e).__name__}; "
                              "the rest was checked"))
            continue
        for claim in found:
            key = _key(claim)
            if key not in held:
                held.add(key)
                out.append(claim)
    return out


def _key(claim: models.Claim) -> tuple:
    """What makes two claims one: their type and key figure (and a mention's metric,
    since one figure may state two metrics: 实际支出 and the concept 全年执行数; and
    a breakdown's parts, since one total may be split twice: its items listed
    before it and its 县本级/高新区 split in brackets after it; the same parts in
    another order are the same split)."""
    parts = frozenset(p.span.start for p in claim.parts) if claim.type == "breakdown" else None
    return (claim.type, claim.key.span.start, getattr(claim, "metric", ""), parts)
