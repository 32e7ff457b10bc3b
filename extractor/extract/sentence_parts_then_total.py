"""Parts listed first, then their total: "A 100万元、B 200万元，合计310万元" (S103).

Only a plain list counts: items separated by 、，, all of the total's kind,
none a change, a summary or last year's figure. After a 其中 the parts belong
to the figure before it, not to this total.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context
from extractor.extract.sentence_common import token_at
from extractor.patterns import CHANGE_LABEL, SUMMARY_LABEL

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.BreakdownClaim]:
    """A paragraph's lists closed by 合计/共计/总计 and a figure."""
    yield from _parts_then_total(p.view, p.toks)


# "大气专项100万元、水专项200万元，合计310万元": the parts first, then the total.
_TOTAL_AFTER = re.compile(r"[，,、]\s*(?:合计|共计|总计|总共|合共)(?:为|是|达|达到|：|:)?(?=[-−]?\d)")


def _parts_then_total(view: models.TextView, toks: list[quantities.Token]
                      ) -> Iterator[models.BreakdownClaim]:
    text = view.text
    for m in _TOTAL_AFTER.finditer(text):
        total = token_at(toks, m.end())
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
                or CHANGE_LABEL.search(metrics.label_before(text, t.start))
                or SUMMARY_LABEL.search(metrics.label_before(text, t.start)) for t in parts):
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
