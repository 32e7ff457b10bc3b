"""Where a span stands for people: line, column and a short quote."""

from __future__ import annotations

from extractor import models

__all__ = ["cell_of", "context", "line_of", "location"]


def location(doc: models.Document, span: models.Span) -> dict[str, int]:
    line, col = doc.line_col(span.start)
    return {"row": line, "column": col}


def cell_of(doc: models.Document, span: models.Span) -> str | None:
    """The spreadsheet cell (``Sheet1!B3``) holding ``span``, for documents read
    from a workbook; None for other documents or text outside any cell."""
    import bisect

    cells = getattr(doc, "cells", None)
    if not cells:
        return None
    i = bisect.bisect_right(cells, (span.start, float("inf"))) - 1
    if i >= 0 and cells[i][0] <= span.start < cells[i][1]:
        return cells[i][2]
    return None


def line_of(doc: models.Document, span: models.Span) -> int:
    return doc.line_col(span.start)[0]


def context(doc: models.Document, span: models.Span, width: int = 14) -> str:
    """The span with some text either side, line breaks and spaces squeezed out."""
    s = max(0, span.start - width)
    e = min(len(doc.raw), span.end + width)
    before = doc.raw[s:span.start]
    inner = doc.raw[span.start:span.end]
    after = doc.raw[span.end:e]
    return f"…{squeeze(before)}【{squeeze(inner)}】{squeeze(after)}…"


def squeeze(text: str) -> str:
    """Drop line wraps and spaces next to CJK text; keep one space between figures."""
    from extractor import normalise

    out = []
    for i, part in enumerate(text.split()):
        if i and out and not (normalise.is_cjk(out[-1][-1]) or normalise.is_cjk(part[0])):
            out.append(" ")
        out.append(part)
    return "".join(out)
