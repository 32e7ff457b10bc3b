"""One finding per line, ``file:line:col: CODE severity message``, as ruff's concise output.

Editors (Vim's quickfix, VS Code problem matchers, Emacs compilation mode)
and scripts (grep, awk) read this shape without any configuration. A finding
in a workbook adds its cell (``[Sheet1!B3]``) after the severity.
"""

from __future__ import annotations

from extractor import models
from extractor.render import labels, locate

__all__ = ["line_of", "render", "render_summary"]


def line_of(doc: models.Document, f: models.Finding, lang: str = "zh") -> str:
    """One finding as one line; line and column are 1-based, 1:1 for a finding
    about the whole file."""
    line, col = doc.line_col(min(f.spans[0].start, len(doc.raw))) if f.spans else (1, 1)
    cell = locate.cell_of(doc, f.spans[0]) if f.spans else None
    where = f" [{cell}]" if cell else ""
    # A message never spans lines here: one line is one finding for grep and editors.
    message = " ".join(f.message.get(lang).split())
    severity = labels.SEVERITY[lang][f.severity.value]
    return f"{doc.source}:{line}:{col}: {f.code} {severity}{where} {message}"


def render(doc: models.Document, report: models.Report, lang: str = "zh") -> str:
    return "".join(line_of(doc, f, lang) + "\n" for f in report.findings)


def render_summary(results, lang: str = "zh", many: bool = False) -> str:
    """The closing line: counts over all files (and files not checked, for a batch).

    Args:
        results: :class:`extractor.batch.Result` objects.
        many: a batch (folders or several files) rather than one file.
    """
    counts = {"error": 0, "warning": 0, "info": 0, "claims": 0}
    failed = 0
    for r in results:
        if r.report is None:
            failed += 1
            continue
        counts["claims"] += len(r.report.claims)
        for f in r.report.findings:
            counts[f.severity.value] += 1
    if many:
        return labels.t("batch_summary", lang, files=len(results), failed=failed, **counts) + "\n"
    return labels.t("summary", lang, **counts) + "\n"
