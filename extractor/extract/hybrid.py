"""The hybrid backend: rules and llm claims merged, duplicates removed, provenance kept.

Two claims are the same statement when they are of one type and their key
figures (a ratio's stated percent, a breakdown's total, a mention's value …)
cover overlapping characters of the source and carry the same value. The
rules claim is kept (its structure is deterministic) and its ``backend``
becomes ``"rules+llm"``; claims only one backend found keep ``"rules"`` or
``"llm"``. Claims of different types are never merged: the rules backend
itself states one growth rate both as a growth claim and as a mention.
"""

from __future__ import annotations

from typing import Any

from extractor import errors, models, quantities
from extractor.extract import llm, rules

__all__ = ["BOTH", "HybridExtractor", "is_duplicate", "merge"]

# Claim.backend of a statement both backends found.
BOTH = "rules+llm"


def _same_value(a: models.Quantity, b: models.Quantity) -> bool:
    if a.unit == b.unit or not (a.unit and b.unit):
        return a.value == b.value
    if quantities.dimension(a.unit) != quantities.dimension(b.unit):
        return False
    return quantities.to_unit(a.value, a.unit, b.unit) == b.value


def is_duplicate(a: models.Claim, b: models.Claim) -> bool:
    """Same type, key figures over overlapping source characters, same value."""
    if a.type != b.type:
        return False
    ka, kb = a.key, b.key
    same_place = ka.span.overlaps(kb.span) or ka.span == kb.span
    return same_place and _same_value(ka, kb)


def merge(rule_claims: list[models.Claim], llm_claims: list[models.Claim]) -> list[models.Claim]:
    """Rules claims first (marked ``rules+llm`` when the llm found them too), then llm-only ones.

    The result is sorted by the key figure's position; ids stay those each backend gave.
    """
    by_type: dict[str, list[int]] = {}
    for i, c in enumerate(rule_claims):
        by_type.setdefault(c.type, []).append(i)
    confirmed: set[int] = set()
    extra: list[models.Claim] = []
    for c in llm_claims:
        match = next((i for i in by_type.get(c.type, ()) if is_duplicate(rule_claims[i], c)), None)
        if match is None:
            extra.append(c.model_copy(update={"backend": "llm"}))
        else:
            confirmed.add(match)
    merged = [c.model_copy(update={"backend": BOTH}) if i in confirmed else c
              for i, c in enumerate(rule_claims)]
    merged.extend(extra)
    merged.sort(key=lambda c: c.key.span.start)
    return merged


class HybridExtractor:
    """Rules plus an LLM; takes the same options as :class:`~extractor.extract.llm.LLMExtractor`.

    The LLM backend is built first, so a missing endpoint fails before any work.
    """

    name = "hybrid"

    def __init__(self, **options: Any) -> None:
        self._llm = llm.LLMExtractor(**options)
        # Printed scoring rules the parser cannot read are read by the model.
        self._rules = rules.RulesExtractor(rule_reader=self._llm.read_rule)

    @property
    def usage(self) -> dict[str, int | float | str]:
        return self._llm.usage

    @property
    def failures(self) -> list[tuple[int, models.Span, str]]:
        return self._llm.failures

    def extract(self, doc: models.Document) -> list[models.Claim]:
        rule_claims = self._rules.extract(doc)
        try:
            llm_claims = self._llm.extract(doc)
        except errors.ExtractionError:
            # Every chunk failed: the rules' claims still stand, and each failed
            # chunk becomes a JX003 note. A refused key or model stops the run.
            if not self._llm.failures:
                raise
            llm_claims = []
        merged = merge(rule_claims, llm_claims)
        usage = self._llm.usage
        for name, count in self._llm.rule_usage.items():
            usage[name if name.startswith("rule") else f"rule_{name}"] = count
        usage["rules_claims"] = len(rule_claims)
        usage["llm_claims"] = len(llm_claims)
        usage["merged_duplicates"] = len(rule_claims) + len(llm_claims) - len(merged)
        return merged
