"""Score findings and claims against quote-located gold by nearness (40 characters).

The corpora of ``../shared/corpus`` and ``../shared/real`` locate each relation
by a quote, not by the span of one figure, so a finding is credited when it
lands near the quote (DESIGN.md, "Evaluation"). Distances are counted in
characters of the text findings index (``Document.raw``): two spans that
overlap or touch are 0 apart, otherwise the distance is the number of
characters between them. "Near" is at most :data:`NEAR_CHARS`.

Per report (and summed per gold kind and per corpus):

* **discrepancy recall**: a DISCREPANCY item is found when an error or warning
  has any of its spans near the item's quote; split into ``hard`` and
  ``soft`` (the item's ``strength``, root discrepancies only), ``derived``
  (``derived_from`` set) and ``all``;
* **precision of errors and of warnings**, separately: a finding is right when
  any of its spans is near a DISCREPANCY or ROUNDING item;
* **false errors on CONSISTENT items**: a CONSISTENT item near an error that
  is itself near no DISCREPANCY or ROUNDING item (count and share);
* **claims touched**: an item (any verdict) near the span of any figure
  (``Quantity``) of any extracted claim;
* counts of errors, warnings and infos (info findings are notes: they never
  count as detections).
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable, Sequence
from fractions import Fraction

import pydantic

from extractor import models
from extractor.evaluation import metrics
from extractor.evaluation.quotegold import QuoteItem

__all__ = [
    "BUCKETS",
    "NEAR_CHARS",
    "FileScore",
    "Tally",
    "claim_spans",
    "corpus_block",
    "distance",
    "is_near",
    "score_file",
    "summary",
]

# DESIGN.md ("Evaluation") and issue 10: "within 40 characters".
NEAR_CHARS = 40
# Discrepancy buckets in print order; "all" is every DISCREPANCY item.
BUCKETS = ("hard", "soft", "derived", "all")
_WRONG_VERDICTS = frozenset({"DISCREPANCY", "ROUNDING"})
# The longest quote or message kept in the per-item lists (misses.md).
_SHOW_CHARS = 120

Span = tuple[int, int]


def distance(a: Span, b: Span) -> int:
    """Characters between two half-open spans; 0 when they overlap or touch."""
    return max(0, b[0] - a[1], a[0] - b[1])


def is_near(spans: Iterable[Span], target: Span, limit: int = NEAR_CHARS) -> bool:
    """True when any of ``spans`` is at most ``limit`` characters from ``target``."""
    return any(distance(s, target) <= limit for s in spans)


def claim_spans(claims: Sequence[models.Claim]) -> list[Span]:
    """The span of every figure (``Quantity``) of every claim: key, inputs, parts.

    Sentence and rule spans are left out: a claim touches a gold item through
    the numbers it read, not through the sentence it read them in.
    """
    out: list[Span] = []

    def walk(value: object) -> None:
        if isinstance(value, models.Quantity):
            out.append((value.span.start, value.span.end))
        elif isinstance(value, pydantic.BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (tuple, list)):
            for element in value:
                walk(element)

    for claim in claims:
        walk(claim)
    return out


class Tally(collections.Counter):
    """Integer counts by name; :func:`summary` turns one into rates.

    Keys: ``gold.<bucket>`` / ``found.<bucket>`` (discrepancies), ``errors``,
    ``errors_right``, ``warnings``, ``warnings_right``, ``infos``,
    ``consistent``, ``consistent_false_errors``, ``rounding``, ``items``,
    ``touched``.
    """

    def __add__(self, other: Tally) -> Tally:  # keep zero counts (Counter drops them)
        out = Tally(self)
        out.update(other)
        return out


def summary(tally: Tally) -> dict:
    """The metrics of one tally, as written to ``scoreboard.json``."""
    def rate(part: int, whole: int) -> float | None:
        return metrics.as_number(Fraction(part, whole)) if whole else None

    return {
        "discrepancies": {
            b: {"gold": tally[f"gold.{b}"], "found": tally[f"found.{b}"],
                "recall": rate(tally[f"found.{b}"], tally[f"gold.{b}"])}
            for b in BUCKETS
        },
        "errors": {"predicted": tally["errors"], "right": tally["errors_right"],
                   "precision": rate(tally["errors_right"], tally["errors"])},
        "warnings": {"predicted": tally["warnings"], "right": tally["warnings_right"],
                     "precision": rate(tally["warnings_right"], tally["warnings"])},
        "infos": tally["infos"],
        "consistent": {"gold": tally["consistent"],
                       "false_errors": tally["consistent_false_errors"],
                       "share": rate(tally["consistent_false_errors"], tally["consistent"])},
        "rounding": tally["rounding"],
        "touched": {"gold": tally["items"], "touched": tally["touched"],
                    "share": rate(tally["touched"], tally["items"])},
    }


@dataclasses.dataclass(frozen=True)
class FileScore:
    """One report scored: its tallies and the lists developers read (misses.md)."""

    file: str
    tally: Tally
    by_kind: dict[str, Tally]
    by_code: dict[str, Tally]
    missed: tuple[dict, ...] = ()
    false_errors: tuple[dict, ...] = ()
    false_warnings: tuple[dict, ...] = ()
    flagged_consistent: tuple[dict, ...] = ()


def score_file(file: str, text: str | None, items: Sequence[QuoteItem],
               report: models.Report | None) -> FileScore:
    """Score one report's claims and findings against its gold items.

    Args:
        file: the report's name, for the lists.
        text: the text the spans index (``Document.raw``), for line numbers and
            quotes; ``None`` when the report is absent.
        items: the report's gold items, spans located in ``text``.
        report: the run's output, or ``None`` when the run failed: every
            discrepancy then counts as missed and nothing as predicted.
    """
    findings = list(report.findings) if report else []
    spans_of = [[(s.start, s.end) for s in f.spans] for f in findings]
    wrong_items = [it for it in items if it.verdict in _WRONG_VERDICTS]
    # Right = near a DISCREPANCY or ROUNDING item (issue 10, "precision").
    right = [any(is_near(spans, it.span) for it in wrong_items) for spans in spans_of]
    touched_spans = claim_spans(report.claims) if report else []

    tally = Tally()
    by_kind: dict[str, Tally] = {}
    by_code: dict[str, Tally] = {}
    missed, false_errors, false_warnings, flagged = [], [], [], []
    for i, f in enumerate(findings):
        code_tally = by_code.setdefault(f.code, Tally())
        if f.severity is models.Severity.INFO:
            tally["infos"] += 1
            code_tally["infos"] += 1
            continue
        key = "errors" if f.severity is models.Severity.ERROR else "warnings"
        for t in (tally, code_tally):
            t[key] += 1
            t[f"{key}_right"] += right[i]
        if not right[i]:
            (false_errors if key == "errors" else false_warnings).append(
                _finding_entry(file, text, f))
    for it in items:
        t = Tally()
        t["items"] += 1
        t["touched"] += is_near(touched_spans, it.span)
        near = [i for i, spans in enumerate(spans_of)
                if findings[i].severity is not models.Severity.INFO
                and is_near(spans, it.span)]
        if it.verdict == "DISCREPANCY":
            found = bool(near)
            buckets = ["all"] + ([it.bucket] if it.bucket in BUCKETS else [])
            for b in buckets:
                t[f"gold.{b}"] += 1
                t[f"found.{b}"] += found
            if not found:
                missed.append(_item_entry(it))
        elif it.verdict == "ROUNDING":
            t["rounding"] += 1
        else:
            t["consistent"] += 1
            bad = [i for i in near
                   if findings[i].severity is models.Severity.ERROR and not right[i]]
            if bad:
                t["consistent_false_errors"] += 1
                flagged.append({**_item_entry(it),
                                "codes": sorted({findings[i].code for i in bad})})
        tally.update(t)
        by_kind.setdefault(it.kind, Tally()).update(t)
    return FileScore(file, tally, by_kind, by_code, tuple(missed), tuple(false_errors),
                     tuple(false_warnings), tuple(flagged))


def corpus_block(scores: Sequence[FileScore], runs: dict[str, dict]) -> dict:
    """One backend on one corpus: totals, per report, per gold kind, per rule code, lists.

    Args:
        scores: every report of the corpus, scored (failed runs included).
        runs: per report name, what to show beside its metrics (status,
            detail, wall_s).
    """
    total = Tally()
    kinds: dict[str, Tally] = {}
    codes: dict[str, Tally] = {}
    per_file: dict[str, dict] = {}
    details: dict[str, list] = {"missed": [], "false_errors": [], "false_warnings": [],
                                "flagged_consistent": []}
    for s in scores:
        total = total + s.tally
        for kind, t in s.by_kind.items():
            kinds[kind] = kinds.get(kind, Tally()) + t
        for code, t in s.by_code.items():
            codes[code] = codes.get(code, Tally()) + t
        per_file[s.file] = {**runs.get(s.file, {}), "metrics": summary(s.tally)}
        details["missed"] += s.missed
        details["false_errors"] += s.false_errors
        details["false_warnings"] += s.false_warnings
        details["flagged_consistent"] += s.flagged_consistent
    by_code = {}
    for code in sorted(codes):
        full = summary(codes[code])
        by_code[code] = {"errors": full["errors"], "warnings": full["warnings"],
                         "infos": full["infos"]}
    return {
        "summary": summary(total),
        "per_file": per_file,
        "per_kind": {kind: summary(kinds[kind]) for kind in sorted(kinds)},
        "by_code": by_code,
        "details": details,
    }


def _item_entry(it: QuoteItem) -> dict:
    return {"id": it.id, "file": it.file, "line": it.line, "kind": it.kind,
            "bucket": it.bucket or "", "quote": _short(it.quote), "stated": it.stated,
            "note": _short(it.note)}


def _finding_entry(file: str, text: str | None, f: models.Finding) -> dict:
    first = f.spans[0] if f.spans else None
    line = text.count("\n", 0, first.start) + 1 if (text is not None and first) else None
    return {"file": file, "line": line, "code": f.code, "kind": f.kind,
            "severity": f.severity.value,
            "span": [first.start, first.end] if first else None,
            "text": _short(text[first.start:first.end]) if (text is not None and first) else "",
            "message": _short(f.message.zh)}


def _short(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= _SHOW_CHARS else flat[:_SHOW_CHARS - 1] + "…"
