"""Counts of gold, predicted and matched items, and the rates they give.

Rates are kept as exact :class:`fractions.Fraction` values and rounded only when
a scoreboard is written, so that two runs compare on the same figures that
are printed. A rate with an empty denominator is ``None`` (printed as ``—``),
never a made-up 0 or 1.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["DIGITS", "Counts", "DetectionCounts", "as_number", "format_rate"]

# Scoreboards print rates with four decimals (0.6667); JSON keeps the same figure.
DIGITS = 4


def as_number(rate: Fraction | None) -> float | None:
    """Round a rate half-up to :data:`DIGITS` places for JSON (``None`` stays ``None``)."""
    if rate is None:
        return None
    exact = Decimal(rate.numerator) / Decimal(rate.denominator)
    # JSON has no decimal type; the rounded value is exactly what is printed.
    return float(exact.quantize(Decimal(10) ** -DIGITS, rounding=ROUND_HALF_UP))


def format_rate(value: float | None) -> str:
    """Render a rate from a scoreboard dict: ``0.6667`` or ``—`` when undefined."""
    return "—" if value is None else f"{value:.{DIGITS}f}"


@dataclasses.dataclass(frozen=True)
class Counts:
    """Gold, predicted and matched items of one kind.

    ``duplicates`` are predictions that would have matched a gold item already
    matched by another prediction (a metric stated three times, the same
    discrepancy reported twice). They are neither true nor false positives, so
    precision is ``matched / (predicted - duplicates)``.
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    duplicates: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.matched + other.matched,
            self.duplicates + other.duplicates,
        )

    @property
    def precision(self) -> Fraction | None:
        scored = self.predicted - self.duplicates
        return Fraction(self.matched, scored) if scored else None

    @property
    def recall(self) -> Fraction | None:
        return Fraction(self.matched, self.gold) if self.gold else None

    @property
    def f1(self) -> Fraction | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        if p is None or r is None:
            # One side is empty and the other is not: everything was missed,
            # or everything predicted was wrong.
            return Fraction(0)
        return Fraction(0) if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, int | float | None]:
        """The counts and their rounded rates, as written to ``scoreboard.json``."""
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "duplicates": self.duplicates,
            "precision": as_number(self.precision),
            "recall": as_number(self.recall),
            "f1": as_number(self.f1),
        }


@dataclasses.dataclass(frozen=True)
class DetectionCounts:
    """How a backend fared on injected errors of one mutation kind.

    ``errors`` are mutated runs that crashed; they are left out of the rate's
    denominator because nothing could be judged.
    """

    injected: int = 0
    detected: int = 0
    false_alarms: int = 0
    errors: int = 0

    def __add__(self, other: DetectionCounts) -> DetectionCounts:
        return DetectionCounts(
            self.injected + other.injected,
            self.detected + other.detected,
            self.false_alarms + other.false_alarms,
            self.errors + other.errors,
        )

    @property
    def detection_rate(self) -> Fraction | None:
        judged = self.injected - self.errors
        return Fraction(self.detected, judged) if judged else None

    def to_dict(self) -> dict[str, int | float | None]:
        """The counts and the rounded detection rate, as written to ``scoreboard.json``."""
        return {
            "injected": self.injected,
            "detected": self.detected,
            "detection_rate": as_number(self.detection_rate),
            "false_alarms": self.false_alarms,
            "errors": self.errors,
        }
