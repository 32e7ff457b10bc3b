"""Markdown: one table of findings, for issues, wikis and e-mail."""

from __future__ import annotations

from extractor import models
from extractor.render import labels, locate
from extractor.render.terminal import summary_counts

__all__ = ["render"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(doc: models.Document, report: models.Report, lang: str = "zh") -> str:
    out = [f"# {labels.t('title', lang)}", "", f"{labels.t('file', lang)}: `{doc.source}`", ""]
    out.append(labels.t("summary", lang, claims=len(report.claims), **summary_counts(report)))
    out.append("")
    if not report.findings:
        out.append(labels.t("clean", lang))
        return "\n".join(out) + "\n"
    cols = ["no", "severity", "code", "line", "message", "formula", "quote"]
    out.append("| " + " | ".join(labels.t(c, lang) for c in cols) + " |")
    out.append("|" + "---|" * len(cols))
    for i, f in enumerate(report.findings, 1):
        line = str(locate.line_of(doc, f.spans[0])) if f.spans else ""
        quote = locate.context(doc, f.spans[0]) if f.spans else ""
        row = [str(i), labels.SEVERITY[lang][f.severity.value], f"`{f.code}`", line,
               f.message.get(lang), f.formula, quote]
        out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(out) + "\n"
