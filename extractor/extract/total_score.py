"""The sheet's 总分 restated in the narrative ("经综合评价，本项目自评得分98.01分").

A report with one score sheet states its total twice: the sheet's 总分 row
and the conclusion's 自评得分 / 综合得分 / 评价得分. They are one figure. This
reader takes the score-sheet totals other readers found; when the document
has exactly one (a report of several projects has one per sheet, and which
one a sentence means is unclear), each narrative statement of the total score
becomes a fact beside it, so that two different values are reported (JX401).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor import models
from extractor.extract import context

__all__ = ["claims_of"]

_SHEET_TOTAL = re.compile(r"^(?:总分|合计|总计|合计得分|得分合计|总得分|综合得分)$")
# The words before a figure that name the report's own total score, after
# generic subject words (经综合评价，本项目 / 该项目 / 2024年度部门整体).
_NARRATIVE_TOTAL = re.compile(
    r"(?:^|[，,：:。])(?:经)?(?:综合评价|综合评定|评价|自评)?[，,]?"
    r"(?:\d{4}年度?)?(?:本|该)?(?:项目|部门整体支出|部门整体|单位|部门)?(?:绩效)?"
    r"(?:自评|评价|综合)?(?:总得分|总分|得分|评分)(?:为|是|：|:)?$")
_METRIC = "concept:总分"
_THIRD_PARTY = re.compile(r"评价组|评价机构|第三方|受.{0,12}委托")


def claims_of(doc: models.Document, known: Iterable[models.Claim]) -> list[models.Claim]:
    """Mentions of the total score from the one sheet and from the narrative."""
    if _THIRD_PARTY.search(doc.view.text):
        # An evaluator's report scores the project and quotes the unit's own
        # self-evaluation beside it: two different totals, both right.
        return []
    known = list(known)
    # The 总分 row's score, not its weight: a total whose parts are awards.
    awarded = {c.awarded.span.start for c in known if c.type == "score"}
    totals = {c.total.value: c for c in known if c.type == "breakdown" and c.table
              and c.total.unit == "分" and _SHEET_TOTAL.match(c.label or "")
              and all(p.span.start in awarded for p in c.parts)}
    if len(totals) != 1:
        return []
    (sheet,) = totals.values()
    said = list(_narrative_totals(doc))
    if not said:
        return []
    out: list[models.Claim] = [models.MentionClaim(metric=_METRIC, value=sheet.total, label="总分",
                                                   table=sheet.table)]
    out.extend(said)
    return out


def _narrative_totals(doc: models.Document) -> Iterable[models.MentionClaim]:
    for s in context.prose_sentences(doc):
        sent, text = s.view, s.text
        for t in s.toks:
            if t.unit != "分" or t.quantity.approximate:
                continue
            clause = text[max(0, t.start - 30):t.start]
            if not _NARRATIVE_TOTAL.search(clause):
                continue
            floor = max(text.rfind(c, 0, t.start) for c in "；;。") + 1
            if re.search(r"指标|满分|分值|权重", text[floor:t.start]):
                continue  # "产出指标满分30分，评价得分28分": a group's, not the total
            yield models.MentionClaim(metric=_METRIC, value=t.quantity, label="自评总分",
                                      inferred=True, sentence=sent.raw_span(0, len(text)))
