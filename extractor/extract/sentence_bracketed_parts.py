"""A total followed by its parts in brackets: "59人（行政编49人，…事业编9人）" (S102).

Only the brackets say that the inner figures split the outer one, so the
claim is inferred (its findings are warnings).
"""

from __future__ import annotations

from collections.abc import Iterator

from extractor import metrics, models, quantities
from extractor.extract import context

__all__ = ["claims_of"]


def claims_of(p: context.Passage) -> Iterator[models.BreakdownClaim]:
    """A paragraph's figures whose bracket holds two or more figures of their kind."""
    yield from _parenthetical(p.view, p.toks)


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
