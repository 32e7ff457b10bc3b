"""A readable table for the terminal (rich), Chinese by default, as wide as the terminal.

The caller passes the width (the real terminal's, or a default when the
output is a pipe or a file). Below :data:`NARROW` columns the quote moves
under the message instead of taking a column of its own, so that the message
keeps enough room; no column is ever cut with "…": long Chinese text, which
has no spaces to wrap at, folds onto the next line instead.
"""

from __future__ import annotations

import io

from extractor import models
from extractor.render import labels, locate

__all__ = ["DEFAULT_WIDTH", "NARROW", "render", "render_summary", "summary_counts"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# Width used when there is no terminal to ask (a pipe, a file): the old fixed width.
DEFAULT_WIDTH = 140
# Below this many columns the quote column would squeeze the message into a
# few characters a line; it goes under the message instead.
NARROW = 100


def summary_counts(report: models.Report) -> dict[str, int]:
    counts = {s.value: 0 for s in models.Severity}
    for f in report.findings:
        counts[f.severity.value] += 1
    return counts


def _console(buf: io.StringIO, color: bool, width: int):
    from rich.console import Console

    return Console(file=buf, force_terminal=color, no_color=not color, width=max(width, 40),
                   highlight=False, soft_wrap=False)


def _text(value: str):
    """Report text as rich Text: never parsed as markup, whatever brackets it holds."""
    from rich.text import Text

    return Text(value)


def render(doc: models.Document, report: models.Report, lang: str = "zh",
           color: bool = False, width: int = DEFAULT_WIDTH, quiet: bool = False) -> str:
    """The findings of one report as a table.

    Args:
        doc, report: the checked document and its report.
        lang: ``zh`` or ``en``.
        color: ANSI colours (only when writing to a terminal).
        width: the terminal's width in columns.
        quiet: findings only: no title, no "nothing found" and no summary line.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    if not quiet:
        title = Text(f"{labels.t('title', lang)}  ", style="bold")
        title.append(f"{labels.t('file', lang)}: {doc.source}", style="")
        console.print(title)
    narrow = width < NARROW
    if report.findings:
        table = Table(box=box.SIMPLE_HEAVY, show_lines=False, expand=True,
                      pad_edge=not narrow, padding=(0, 1))
        if not narrow:
            table.add_column(labels.t("no", lang), justify="right", no_wrap=True)
        table.add_column(labels.t("severity", lang), no_wrap=True)
        table.add_column(labels.t("code", lang), no_wrap=True)
        table.add_column(labels.t("cell" if doc.cells else "line", lang), justify="right",
                         no_wrap=True)
        table.add_column(labels.t("message", lang), ratio=3, overflow="fold")
        if not narrow:
            table.add_column(labels.t("quote", lang), ratio=2, overflow="fold")
        for i, f in enumerate(report.findings, 1):
            sev = f.severity.value
            line = _where(doc, f)
            quote = locate.context(doc, f.spans[0]) if f.spans else ""
            msg = Text(f.message.get(lang))
            if f.formula:
                msg.append(f"\n{labels.t('formula', lang)}: {f.formula}", style="dim")
            if narrow and quote:
                msg.append(f"\n{labels.t('quote', lang)}: {quote}", style="dim")
            cells: list = [Text(labels.SEVERITY[lang][sev], style=_STYLE[sev]), f.code, line, msg]
            if not narrow:
                cells = [str(i), *cells, _text(quote)]
            table.add_row(*cells)
        console.print(table)
    elif not quiet:
        console.print(labels.t("clean", lang))
    if not quiet:
        console.print(labels.t("summary", lang, claims=len(report.claims), **summary_counts(report)))
    return buf.getvalue()


def _where(doc: models.Document, f: models.Finding) -> str:
    """The line, or the spreadsheet cell (Sheet1!B3) where the report is a workbook."""
    if not f.spans:
        return "—"
    return locate.cell_of(doc, f.spans[0]) or str(locate.line_of(doc, f.spans[0]))


def render_summary(results, lang: str = "zh", color: bool = False,
                   width: int = DEFAULT_WIDTH) -> str:
    """One row per file of a batch: counts, or the reason it could not be checked.

    Args:
        results: :class:`extractor.batch.Result` objects, in input order.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, color, width)
    table = Table(box=box.SIMPLE_HEAVY, expand=width < NARROW,
                  title=labels.t("batch_title", lang), title_justify="left")
    table.add_column(labels.t("file", lang), overflow="fold", ratio=2)
    for key in ("error", "warning", "info"):
        table.add_column(labels.SEVERITY[lang][key], justify="right", no_wrap=True)
    table.add_column(labels.t("claims", lang), justify="right", no_wrap=True)
    table.add_column(labels.t("status", lang), overflow="fold", ratio=3)
    totals = {"error": 0, "warning": 0, "info": 0, "claims": 0}
    failed = 0
    for r in results:
        if r.error is not None:
            failed += 1
            table.add_row(_text(r.source), "—", "—", "—", "—",
                          Text(r.reason(lang), style=_STYLE["error"]))
            continue
        counts = summary_counts(r.report)
        for key in ("error", "warning", "info"):
            totals[key] += counts[key]
        totals["claims"] += len(r.report.claims)
        status = labels.t("status_findings" if any(counts.values()) else "status_clean", lang)
        table.add_row(_text(r.source), *(Text(str(counts[k]), style=_STYLE[k] if counts[k] else "")
                                         for k in ("error", "warning", "info")),
                      str(len(r.report.claims)), status)
    console.print(table)
    results = list(results)
    console.print(labels.t("batch_summary", lang, files=len(results), failed=failed, **totals))
    return buf.getvalue()
