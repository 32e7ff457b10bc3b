"""The sentence readers: phrasing families read from prose, in the order they run.

A sentence reader turns one family of phrasing into claims: a total and the
parts a 其中 lists, a rate and the figures it is computed from, a change and
the two levels it separates. Like the registered readers of
:mod:`extractor.extract.readers` (which run after them) and the checks, each
has a stable code, a name, a module with a docstring saying what it reads and
why, and a case file ``tests/readers/cases/<module>.yml`` whose cases state the
claims expected from texts written for the purpose.

A reader's ``scope`` says what its ``claims_of`` takes. The rules backend
(:mod:`extractor.extract.rules`) walks the prose once: for each paragraph it
runs the "paragraph" readers on a :class:`~extractor.extract.context.Passage`
of the paragraph, then for each sentence the "sentence" readers on a Passage
of the sentence (its figures scanned once for all of them); the "document"
readers take the list of paragraphs afterwards. Within a scope they run in
the order of this table, which is the order their claims keep.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Iterable
from types import MappingProxyType

from extractor import models

__all__ = ["SCOPES", "SENTENCE_READERS", "SentenceReader", "of_scope"]

SCOPES = ("paragraph", "sentence", "document")


@dataclasses.dataclass(frozen=True)
class SentenceReader:
    code: str
    name: str
    summary: str
    target: str  # "module:function" taking a context.Passage (or the paragraphs), yielding claims
    scope: str

    def load(self) -> Callable[..., Iterable[models.Claim]]:
        module, func = self.target.split(":")
        return getattr(importlib.import_module(module), func)


# One line per reader, in the order they run (one read-only table, the single
# source of truth, as readers.READERS).
SENTENCE_READERS = MappingProxyType({r.code: r for r in (
    SentenceReader("S101", "breakdown-lists", "其中 / 合计X中 / 分别为 / 主要为 / 明细如下: a total "
                   "and the parts listed after the cue, with each part's 占X%",
                   "extractor.extract.sentence_breakdowns:claims_of", "paragraph"),
    SentenceReader("S102", "bracketed-parts", "59人（行政编49人，事业编10人）: a total and its parts "
                   "in brackets", "extractor.extract.sentence_bracketed_parts:claims_of",
                   "paragraph"),
    SentenceReader("S103", "parts-then-total", "A 10万元、B 20万元，合计30万元: the parts, then "
                   "their total", "extractor.extract.sentence_parts_then_total:claims_of",
                   "paragraph"),
    SentenceReader("S104", "rates", "完成…X的Y%, 执行率 / 办结率 / 占比: a rate and the part and "
                   "whole it is computed from", "extractor.extract.sentence_ratios:claims_of",
                   "sentence"),
    SentenceReader("S105", "growth-rates", "比上年增长R% with last year's figure or the change "
                   "stated, and the rate as a mention",
                   "extractor.extract.sentence_growth:claims_of", "sentence"),
    SentenceReader("S106", "growth-of-prior-level", "…X万元；较上年增加C，增长R%: a change and rate "
                   "about the level of the statement before",
                   "extractor.extract.sentence_prior_growth:claims_of", "sentence"),
    SentenceReader("S107", "year-differences", "本年A，上年B，较上年增加C: A − B = C (also against "
                   "the budget)", "extractor.extract.sentence_differences:claims_of", "sentence"),
    SentenceReader("S108", "balances", "预算A，实际支出B，结余C / 计划A天，实际B天，减少C天: "
                   "provided − spent = left", "extractor.extract.sentence_balances:claims_of",
                   "sentence"),
    SentenceReader("S109", "mentions", "labelled amounts, named counts and named rates, for "
                   "comparison with their restatements",
                   "extractor.extract.sentence_mentions:claims_of", "sentence"),
    SentenceReader("S110", "prose-tables", "按…分 and one clause per category with the total's "
                   "column words (年初预算数, 全年预算数, 决算数)",
                   "extractor.extract.narrative_tables:claims_of", "document"),
)})


@functools.cache
def of_scope(scope: str) -> tuple[Callable[..., Iterable[models.Claim]], ...]:
    """The ``claims_of`` of every reader of ``scope``, in the order they run."""
    return tuple(r.load() for r in SENTENCE_READERS.values() if r.scope == scope)
