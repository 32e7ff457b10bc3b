"""Rule documentation pages, generated from each check's docstring (as ruff does)."""

from __future__ import annotations

import inspect

from extractor import errors
from extractor.checks import registry

__all__ = ["REQUIRED_HEADINGS", "page", "pseudo_pages"]

REQUIRED_HEADINGS = ("## What it does", "## Why is this bad?", "## Example")

# Codes the pipeline emits itself; documented here rather than in a class.
_PSEUDO = {
    registry.RULE_ERROR_CODE: (
        "rule-error",
        "A rule raised on odd input; the run went on without it.\n\n"
        "## What it does\nReports, as an info finding, that a rule could not run "
        "(for example on a table of an unexpected shape).\n\n"
        "## Why is this bad?\nThe figures that rule covers were not checked; a reviewer "
        "should look at them by hand.\n\n"
        "## Example\n`JX001 rule JX202 could not run: InvalidOperation` — every other rule ran.",
    ),
    registry.TABLE_UNREADABLE_CODE: (
        "table-unreadable",
        "A table could not be rebuilt with confidence, so its figures were not checked.\n\n"
        "## What it does\nReports a flattened table whose rows have different numbers of "
        "cells, a non-numeric cell where figures are expected, or no recognisable header.\n\n"
        "## Why is this bad?\nGuessing the layout would produce false alarms; saying so "
        "tells the reviewer which table to check by hand.\n\n"
        "## Example\n`JX002 table '三公经费' rows 3-5 have 4, 5 and 4 figures`.",
    ),
    registry.MODEL_UNREAD_CODE: (
        "model-chunk-failed",
        "With `--backend llm` or `hybrid`, a part of the report got no answer from the model.\n\n"
        "## What it does\nReports, as an info finding on that part of the text, a chunk whose "
        "model calls all failed (connection errors, timeouts, rate limits or server errors "
        "after every retry). The claims of every other chunk are kept and checked.\n\n"
        "## Why is this bad?\nStatements in that part were not extracted by the model, so "
        "a discrepancy there can be missed; run again (answers of the other chunks are "
        "cached) or check that part by hand.\n\n"
        "## Example\n`JX003 lines 40-52 were not read by the model: HTTP 503` — the rest "
        "of the report was.",
    ),
}


def page(code: str) -> str:
    """The Markdown page of one rule."""
    if code in _PSEUDO:
        name, doc = _PSEUDO[code]
        return f"# {code} {name}\n\nSeverity: info\n\n{doc}\n"
    cls = registry.CHECKS.get(code)
    if cls is None:
        raise errors.JxError(f"未知的规则代码：{code}", f"Unknown rule code: {code}")
    doc = inspect.cleandoc(cls.__doc__ or "")
    return (f"# {code} {cls.name}\n\nSeverity: {cls.severity_text()} · kind: {cls.kind} · "
            f"group: {cls.group}\n\n{doc}\n")


def pseudo_pages() -> dict[str, str]:
    return {code: page(code) for code in _PSEUDO}
