"""A reviewer's verdicts on findings: keys, words, and applying a review to a report.

The HTML page lets a reviewer mark each finding 确认 / 误报 / 待核 and add a
note; the page keeps them in the browser (localStorage, keyed by
:func:`doc_hash`) and sends them with a download as JSON
``{finding key: {"verdict": …, "note": …}}``. :func:`apply` writes them onto
the findings (``Finding.verdict`` / ``Finding.note``) so that every renderer
exports them. A finding's key is its number, code and first offset: the same
input checked the same way gives the same findings in the same order, so a
review made on one run's page fits the next run's download.
"""

from __future__ import annotations

import hashlib
import json

from extractor import errors, models

__all__ = ["MAX_NOTE", "VERDICTS", "apply", "doc_hash", "finding_key", "keep", "parse",
           "verdict_label"]

# Verdict value → (Chinese, English), in the order the page offers them.
VERDICTS = {
    "confirmed": ("确认", "confirmed"),
    "false_positive": ("误报", "false positive"),
    "pending": ("待核", "to check"),
}
# A note is a remark, not a document; longer text is cut so that a pasted
# report cannot ride along in every exported row.
MAX_NOTE = 2000
# The verdicts field of a download form; a page of 1,000 findings with full
# notes stays well under it.
_MAX_FIELD = 4 * 1024 * 1024


def doc_hash(doc: models.Document) -> str:
    """A short digest of the input text: the page's storage key for its review."""
    return hashlib.sha256(doc.raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def finding_key(i: int, f: models.Finding) -> str:
    """``"<number>-<code>-<first offset>"`` for the finding at 0-based position ``i``."""
    start = f.spans[0].start if f.spans else "x"
    return f"{i + 1}-{f.code}-{start}"


def verdict_label(verdict: str | None, lang: str) -> str:
    if verdict not in VERDICTS:
        return ""
    zh, en = VERDICTS[verdict]
    return en if lang == "en" else zh


def parse(text: str) -> dict[str, tuple[str | None, str]]:
    """The verdicts JSON of a download form → ``{key: (verdict or None, note)}``.

    Unknown verdict values are dropped and notes cut to :data:`MAX_NOTE`.

    Raises:
        errors.JxError: the field is not a JSON object of objects.
    """
    if not text.strip():
        return {}
    bad = errors.JxError("审核结论数据无法读取，请刷新页面后重试。",
                         "The review data could not be read; reload the page and try again.")
    if len(text) > _MAX_FIELD:
        raise bad
    try:
        data = json.loads(text)
    except ValueError:
        raise bad from None
    if not isinstance(data, dict):
        raise bad
    out: dict[str, tuple[str | None, str]] = {}
    for key, value in data.items():
        if not isinstance(value, dict):
            raise bad
        verdict = value.get("verdict")
        note = value.get("note") or ""
        if not isinstance(note, str):
            raise bad
        out[str(key)] = (verdict if verdict in VERDICTS else None, note.strip()[:MAX_NOTE])
    return out


def apply(report: models.Report, verdicts: dict[str, tuple[str | None, str]]) -> models.Report:
    """The report with each finding's verdict and note set from ``verdicts``."""
    if not verdicts:
        return report
    findings = []
    for i, f in enumerate(report.findings):
        verdict, note = verdicts.get(finding_key(i, f), (None, ""))
        if verdict is not None or note:
            f = f.model_copy(update={"verdict": verdict, "note": note})
        findings.append(f)
    return report.model_copy(update={"findings": findings})


def keep(report: models.Report, hidden_severities: set[str] = frozenset(),
         hidden_kinds: set[str] = frozenset(),
         hidden_codes: set[str] = frozenset()) -> models.Report:
    """The report with only the findings the page's filters show.

    Renderers never filter; the local page calls this so that a download
    holds what the reviewer sees. Verdicts are applied before, so keys keep
    the numbers of the full list.
    """
    if not (hidden_severities or hidden_kinds or hidden_codes):
        return report
    shown = [f for f in report.findings
             if f.severity.value not in hidden_severities and f.kind not in hidden_kinds
             and f.code not in hidden_codes]
    return report.model_copy(update={"findings": shown})
