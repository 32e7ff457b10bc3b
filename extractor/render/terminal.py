"""A readable table for the terminal (rich), Chinese by default."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extractor import models
from extractor.render import labels, locate

__all__ = ["render"]

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def summary_counts(report: models.Report) -> dict[str, int]:
    counts = {s.value: 0 for s in models.Severity}
    for f in report.findings:
        counts[f.severity.value] += 1
    return counts


def render(doc: models.Document, report: models.Report, lang: str = "zh",
           color: bool = False, width: int = 140) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                      highlight=False)
    console.print(f"[bold]{labels.t('title', lang)}[/bold]  "
                  f"{labels.t('file', lang)}: {escape(doc.source)}")
    if report.findings:
        table = Table(box=box.SIMPLE_HEAVY, show_lines=False, expand=True)
        table.add_column(labels.t("no", lang), justify="right", no_wrap=True)
        table.add_column(labels.t("severity", lang), no_wrap=True)
        table.add_column(labels.t("code", lang), no_wrap=True)
        table.add_column(labels.t("line", lang), justify="right", no_wrap=True)
        table.add_column(labels.t("message", lang), ratio=3)
        table.add_column(labels.t("quote", lang), ratio=2)
        for i, f in enumerate(report.findings, 1):
            sev = f.severity.value
            line = str(locate.line_of(doc, f.spans[0])) if f.spans else "—"
            # Report text and file names are data: "[/]" or "[b]" in them is
            # not rich markup (a MarkupError crash, or a silently changed quote).
            quote = escape(locate.context(doc, f.spans[0])) if f.spans else ""
            msg = escape(f.message.get(lang))
            if f.formula:
                msg += f"\n[dim]{labels.t('formula', lang)}: {escape(f.formula)}[/dim]"
            table.add_row(str(i), f"[{_STYLE[sev]}]{labels.SEVERITY[lang][sev]}[/]", f.code, line,
                          msg, quote)
        console.print(table)
    else:
        console.print(labels.t("clean", lang))
    console.print(labels.t("summary", lang, claims=len(report.claims), **summary_counts(report)))
    return buf.getvalue()
