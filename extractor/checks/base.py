"""The ``Check`` base class and the context every check reads.

A check is a class with a stable code, a name, a default severity, a lifecycle
group and one method, ``run(ctx)``, that yields findings. Its docstring is its
documentation page (``## What it does`` / ``## Why is this bad?`` /
``## Example``), rendered to ``docs/rules/<code>.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import ClassVar

from extractor import models, quantities

__all__ = ["Check", "CheckContext", "relation_holds"]


class CheckContext:
    """Claims indexed by type, plus the document for quoting."""

    def __init__(self, doc: models.Document, claims: Iterable[models.Claim]) -> None:
        self.doc = doc
        self.claims = list(claims)
        self._by_type: dict[str, list[models.Claim]] = defaultdict(list)
        self._by_total: dict[tuple[int, int], list[models.BreakdownClaim]] | None = None
        for c in self.claims:
            self._by_type[c.type].append(c)

    def of(self, claim_type: str) -> list:
        return self._by_type.get(claim_type, [])

    def breakdowns_of(self, total: models.Span) -> list[models.BreakdownClaim]:
        """Breakdowns whose total is the figure at ``total`` (built once, on first use)."""
        if self._by_total is None:
            self._by_total = defaultdict(list)
            for c in self.of("breakdown"):
                self._by_total[(c.total.span.start, c.total.span.end)].append(c)
        return self._by_total.get((total.start, total.end), [])

    def quote(self, q: models.Quantity, width: int = 12) -> str:
        """The stated figure with a little context, for messages."""
        raw = self.doc.raw
        s = max(0, q.span.start - width)
        # Never start inside a figure ("3年度…" from "2023年度…").
        floor = max(0, s - 12)
        while s > floor and (raw[s - 1].isdigit() or raw[s - 1] in ".,") and (
                raw[s].isdigit() or raw[s] in ".,"):
            s -= 1
        before = raw[s:q.span.start]
        # Keep only the text of the figure's own line (tables: the row), and
        # start at a clause mark when one is close enough to leave a label.
        before = before.rsplit("\n", 1)[-1]
        # (a comma between digits is a thousands separator, not a clause mark)
        cut = max((i for i, ch in enumerate(before) if ch in "，。；：,;" and not (
            ch == "," and 0 < i < len(before) - 1 and before[i - 1].isdigit()
            and before[i + 1].isdigit())), default=-1)
        if cut != -1 and len(before) - cut - 1 >= 4:
            before = before[cut + 1:]
        return " ".join((before + self.doc.raw[q.span.start:q.span.end]).split())


class Check:
    """Base class; subclasses set the class attributes and implement ``run``."""

    code: ClassVar[str]
    name: ClassVar[str]
    kind: ClassVar[str]  # rate / growth / footing / difference / score / cross_reference / unit / input
    severity: ClassVar[models.Severity] = models.Severity.ERROR
    # The severity of a finding whose relation jxcheck inferred (inputs paired by
    # word order, a total column found from the data) rather than read from the
    # report's structure. Every error-level check downgrades such findings.
    inferred_severity: ClassVar[models.Severity | None] = models.Severity.WARNING
    group: ClassVar[str] = "stable"
    needs: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: CheckContext) -> Iterator[models.Finding]:
        raise NotImplementedError

    @classmethod
    def severity_text(cls) -> str:
        """"error", or "error/warning" for a check that downgrades inferred relations."""
        if cls.inferred_severity is None or cls.inferred_severity == cls.severity:
            return cls.severity.value
        return f"{cls.severity.value}/{cls.inferred_severity.value}"

    def finding(
        self,
        *,
        zh: str,
        en: str,
        spans: Iterable[models.Span],
        stated: Decimal | None = None,
        recomputed: Decimal | None = None,
        tolerance: Decimal | None = None,
        unit: str = "",
        formula: str = "",
        severity: models.Severity | None = None,
        claims: Iterable[models.Claim] = (),
        fix_zh: str = "",
        fix_en: str = "",
    ) -> models.Finding:
        claims = list(claims)
        # Severity is certainty: a relation jxcheck paired by itself can only warn.
        if (severity in (None, models.Severity.ERROR) and self.severity == models.Severity.ERROR
                and any(getattr(c, "inferred", False) for c in claims)):
            severity = models.Severity.WARNING
        diff = None
        if stated is not None and recomputed is not None:
            diff = stated - recomputed
        return models.Finding(
            code=self.code, name=self.name, kind=self.kind,
            severity=severity or self.severity,
            message=models.Localized(zh=zh, en=en),
            spans=tuple(dict.fromkeys(spans)),
            stated=stated, recomputed=recomputed, difference=diff, tolerance=tolerance,
            unit=unit, formula=formula,
            suggestion=models.Localized(zh=fix_zh, en=fix_en) if fix_zh else None,
            claim_ids=tuple(c.id for c in claims),
            backend=claims[0].backend if claims else "rules",
        )


def relation_holds(stated: models.Quantity, recomputed: quantities.Interval,
                   unit: str | None = None) -> bool:
    """Stated and recomputed intervals overlap (XBRL Calculations 1.1)."""
    return quantities.interval_of(stated, unit).overlaps(recomputed)


def fmt(value: Decimal | None, decimals: int | None = None) -> str:
    return quantities.format_decimal(value, decimals)


def sum_decimals(parts) -> int:
    """Decimals to print a sum of printed figures with: the finest of its parts.

    400.50 + 26.30 is shown as 426.80, as the report would print it, not 426.8.
    """
    return max((p.decimals for p in parts), default=0)


def display_decimals(q: models.Quantity, extra: int = 0) -> int:
    """Print a recomputed figure with the stated precision plus ``extra`` places."""
    return q.decimals + extra
