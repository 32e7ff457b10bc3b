"""The one table of checks: code → class. Codes are never reused.

Like instructor's ``PROVIDER_SPECS`` this is a literal, read-only mapping: add a
line here to register a check; there are no import-time decorators.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable

from extractor import errors
from extractor.checks import base, jx1_rates, jx2_totals, jx3_changes, jx4_consistency, jx5_scores

__all__ = ["CHECKS", "MODEL_UNREAD_CODE", "RULE_ERROR_CODE", "TABLE_UNREADABLE_CODE", "select"]

# JX0xx are emitted by the pipeline itself, not by a Check class.
RULE_ERROR_CODE = "JX001"
TABLE_UNREADABLE_CODE = "JX002"
MODEL_UNREAD_CODE = "JX003"

CHECKS: types.MappingProxyType[str, type[base.Check]] = types.MappingProxyType({
    "JX101": jx1_rates.RateMismatch,
    "JX102": jx1_rates.RateTruncated,
    "JX201": jx2_totals.FootingMismatch,
    "JX202": jx2_totals.TableFootingMismatch,
    "JX203": jx2_totals.StandardTimesCount,
    "JX301": jx3_changes.GrowthMismatch,
    "JX302": jx3_changes.DifferenceMismatch,
    "JX303": jx3_changes.PartsGrowthMismatch,
    "JX401": jx4_consistency.ConflictingValues,
    "JX402": jx4_consistency.UnitSlip,
    "JX501": jx5_scores.ScoreExceedsWeight,
    "JX502": jx5_scores.ScoreTotalMismatch,
    "JX503": jx5_scores.ExecutionScoreMismatch,
    "JX504": jx5_scores.ScoreBreaksRule,
    "JX505": jx5_scores.RuleUnreadable,
    "JX506": jx5_scores.IndicatorValueMissing,
    "JX507": jx5_scores.IndicatorValueConflict,
})

ALL_CODES = (RULE_ERROR_CODE, TABLE_UNREADABLE_CODE, MODEL_UNREAD_CODE, *CHECKS)
_CODE = re.compile(r"^JX\d{1,3}$")


def _matches(code: str, selector: str) -> bool:
    """``JX1`` selects JX1xx, ``JX101`` selects itself (ruff-style prefixes)."""
    return code.startswith(selector.upper())


def select(selected: Iterable[str] = (), ignored: Iterable[str] = ()) -> list[base.Check]:
    """Instantiate the checks chosen by ``--select`` / ``--ignore`` prefixes.

    Raises:
        errors.JxError: an unknown code or prefix.
    """
    selected, ignored = list(selected), list(ignored)
    for s in selected + ignored:
        if not _CODE.match(s.upper()) or not any(_matches(c, s) for c in ALL_CODES):
            raise errors.JxError(
                f"未知的规则代码：{s}（可用：{', '.join(ALL_CODES)}）",
                f"Unknown rule code: {s} (known: {', '.join(ALL_CODES)})",
            )
    out = []
    for code, cls in CHECKS.items():
        if cls.group != "stable" and not any(code == s.upper() for s in selected):
            continue
        if selected and not any(_matches(code, s) for s in selected):
            continue
        if any(_matches(code, s) for s in ignored):
            continue
        out.append(cls())
    return out


def is_enabled(code: str, selected: Iterable[str] = (), ignored: Iterable[str] = ()) -> bool:
    selected, ignored = list(selected), list(ignored)
    if selected and not any(_matches(code, s) for s in selected):
        return False
    return not any(_matches(code, s) for s in ignored)
