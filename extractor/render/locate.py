"""Where a span stands for people: line, column and a short quote."""

from __future__ import annotations

from extractor import models

__all__ = ["context", "line_of", "location"]


def location(doc: models.Document, span: models.Span) -> dict[str, int]:
    line, col = doc.line_col(span.start)
    return {"row": line, "column": col}


def line_of(doc: models.Document, span: models.Span) -> int:
    return doc.line_col(span.start)[0]


def context(doc: models.Document, span: models.Span, width: int = 14) -> str:
    """The span with some text either side, line breaks and spaces squeezed out."""
    s = max(0, span.start - width)
    e = min(len(doc.raw), span.end + width)
    before = doc.raw[s:span.start]
    inner = doc.raw[span.start:span.end]
    after = doc.raw[span.end:e]
    squeeze = lambda t: "".join(t.split())  # noqa: E731
    return f"…{squeeze(before)}【{squeeze(inner)}】{squeeze(after)}…"
