"""JSON for programs. The schema is documented in docs/json-schema.md.

Field names follow ruff's JSON output (``code``, ``message``, ``location``,
``end_location``, ``filename``, ``url``); jxcheck adds ``stated``,
``recomputed``, ``difference`` and a ``schema_version``. Decimals are written as
strings so that no precision is lost on the way through JSON.
"""

from __future__ import annotations

import json
from decimal import Decimal

from extractor import models
from extractor.render import locate

__all__ = ["SCHEMA_VERSION", "finding_dict", "render", "render_batch", "report_dict"]

SCHEMA_VERSION = "1.0"
RULE_URL = "https://github.com/jxcheck/jxcheck/blob/main/docs/rules/{code}.md"


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def finding_dict(doc: models.Document, f: models.Finding, lang: str = "zh") -> dict:
    spans = [
        {
            "start": s.start, "end": s.end, "text": doc.raw[s.start:s.end],
            "location": locate.location(doc, s),
            "end_location": {"row": doc.line_col(max(s.end - 1, s.start))[0],
                             "column": doc.line_col(max(s.end - 1, s.start))[1] + 1},
        }
        for s in f.spans
    ]
    if doc.cells:
        # A workbook's figures are named by their cell too (Sheet1!B3).
        for item, s in zip(spans, f.spans):
            item["cell"] = locate.cell_of(doc, s)
    first = spans[0] if spans else None
    return {
        "code": f.code,
        "name": f.name,
        "kind": f.kind,
        "severity": f.severity.value,
        "message": f.message.get(lang),
        "message_zh": f.message.zh,
        "message_en": f.message.en,
        "filename": doc.source,
        "location": first["location"] if first else None,
        "end_location": first["end_location"] if first else None,
        "spans": spans,
        "stated": _dec(f.stated),
        "recomputed": _dec(f.recomputed),
        "difference": _dec(f.difference),
        "tolerance": _dec(f.tolerance),
        "unit": f.unit,
        "formula": f.formula,
        "suggestion": f.suggestion.get(lang) if f.suggestion else None,
        "claim_ids": list(f.claim_ids),
        "backend": f.backend,
        "url": RULE_URL.format(code=f.code),
        # A reviewer's verdict and note, when exported from the HTML page.
        "verdict": f.verdict,
        "note": f.note or None,
    }


def report_dict(doc: models.Document, report: models.Report, lang: str = "zh") -> dict:
    counts = {s.value: 0 for s in models.Severity}
    for f in report.findings:
        counts[f.severity.value] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "jxcheck", "version": _version()},
        "filename": report.source,
        "encoding": report.encoding,
        "length": report.length,
        "backend": report.backend,
        "summary": counts,
        "stats": report.stats,
        "findings": [finding_dict(doc, f, lang) for f in report.findings],
        "claims": [c.model_dump(mode="json") for c in report.claims],
    }


def render(doc: models.Document, report: models.Report, lang: str = "zh") -> str:
    return json.dumps(report_dict(doc, report, lang), ensure_ascii=False, indent=2) + "\n"


def render_batch(results, lang: str = "zh") -> str:
    """Several files as one document: a summary and a list of reports.

    Args:
        results: :class:`extractor.batch.Result` objects in input order; one
            that could not be checked is a report with ``status``
            ``"unreadable"``, its ``error`` in both languages and no findings.
    """
    reports = []
    totals = {s.value: 0 for s in models.Severity}
    failed = 0
    for r in results:
        if r.error is not None:
            failed += 1
            reports.append({"filename": r.source, "status": "unreadable",
                            "error": {"zh": r.error[0], "en": r.error[1]},
                            "summary": None, "findings": [], "claims": []})
            continue
        item = report_dict(r.doc, r.report, lang)
        item["status"] = "checked"
        for key, n in item["summary"].items():
            totals[key] += n
        reports.append(item)
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "jxcheck", "version": _version()},
        "summary": {"files": len(reports), "unreadable": failed, **totals},
        "reports": reports,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _version() -> str:
    from extractor import __version__

    return __version__
