"""The model's reading of a printed scoring rule the deterministic parser cannot read.

The answer model asks only for figures copied from the rule text; a validator
(with the rule text as validation context) rejects a figure the text does not
print, so a model cannot invent a threshold or a penalty. :func:`to_rule`
turns a validated answer into the same :class:`models.ScoringRule` the parser
produces. Which score the rule allows is still computed by jxcheck, never by
the model.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

import pydantic

from extractor import models
from extractor.extract import align, prompts

__all__ = ["RuleAnswer", "RuleGround", "to_rule"]

MAX_BANDS = 8
_Figure = Annotated[str, pydantic.StringConstraints(max_length=16)]
# Words that stand for a figure the text need not print: 满分 is the weight,
# 不得分 is zero.
_FULL = re.compile(r"满分")
_ZERO = re.compile(r"不得分|不计分|0分|扣完|零分")


@dataclasses.dataclass
class RuleGround:
    """Validation context: the printed rule, the indicator's weight, the error wording."""

    text: str
    weight: Decimal
    wording: prompts.Prompt


class _RuleBand(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")
    lo: _Figure | None = None
    lo_inclusive: bool = True
    hi: _Figure | None = None
    hi_inclusive: bool = True
    points: _Figure


class RuleAnswer(pydantic.BaseModel):
    """The response model (no docstrings below: every word sent lives in prompts/)."""

    model_config = pydantic.ConfigDict(extra="ignore", title="scoring_rule")
    kind: Literal["bands", "deduction", "unreadable"]
    bands: Annotated[list[_RuleBand], pydantic.Field(max_length=MAX_BANDS)] = []
    target: _Figure | None = None
    direction: Literal["below", "above", "both"] | None = None
    step: _Figure | None = None
    penalty: _Figure | None = None

    @pydantic.model_validator(mode="after")
    def _grounded(self, info: pydantic.ValidationInfo) -> RuleAnswer:
        ground = (info.context or {}).get("rule")
        if isinstance(ground, RuleGround):
            _check(self, ground)
        return self


def _number(text: str | None) -> Decimal | None:
    if text is None or not str(text).strip():
        return None
    folded = align.fold(str(text))[0].replace("%", "").replace(",", "").strip()
    try:
        return Decimal(folded)
    except InvalidOperation:
        raise ValueError(text) from None


def _printed(value: Decimal, text: str) -> bool:
    folded = align.fold(text)[0].replace(",", "")
    for m in re.finditer(r"\d+(?:\.\d+)?", folded):
        if Decimal(m.group(0)) == value:
            return True
    return False


def _check(answer: RuleAnswer, ground: RuleGround) -> None:
    w = ground.wording
    if answer.kind == "unreadable":
        return
    if answer.kind == "bands":
        if len(answer.bands) < 2:
            raise ValueError(w.render("rule_too_few_bands"))
        figures = [(f"bands[{i}].{name}", getattr(b, name)) for i, b in enumerate(answer.bands)
                   for name in ("lo", "hi", "points")]
    else:
        if answer.target is None or answer.step is None or answer.penalty is None \
                or answer.direction is None:
            raise ValueError(w.render("rule_incomplete"))
        figures = [("target", answer.target), ("step", answer.step), ("penalty", answer.penalty)]
    for field, raw in figures:
        try:
            value = _number(raw)
        except ValueError:
            raise ValueError(w.render("rule_not_a_number", field=field, number=str(raw)[:16])) \
                from None
        if value is None:
            continue
        if field.endswith("points") and (
                (value == ground.weight and _FULL.search(ground.text))
                or (value == 0 and _ZERO.search(ground.text))):
            continue
        if not _printed(value, ground.text):
            raise ValueError(w.render("rule_number_not_printed", field=field, number=str(raw)))
        if field.endswith("points") and value > ground.weight:
            raise ValueError(w.render("rule_points_over_weight", field=field, number=str(raw)))


def to_rule(answer: RuleAnswer, text: str, weight: Decimal) -> models.ScoringRule | None:
    """The rule for a validated answer; ``None`` when the model found none to read."""
    if answer.kind == "unreadable":
        return None
    if answer.kind == "bands":
        bands = tuple(models.Band(lo=_number(b.lo), lo_inclusive=b.lo_inclusive,
                                  hi=_number(b.hi), hi_inclusive=b.hi_inclusive,
                                  points=_number(b.points) or Decimal(0))
                      for b in answer.bands)
        return models.ScoringRule(kind="bands", weight=weight, text=text, bands=bands,
                                  source="llm")
    return models.ScoringRule(kind="deduction", weight=weight, text=text,
                              target=_number(answer.target), direction=answer.direction or "below",
                              step=_number(answer.step), penalty=_number(answer.penalty),
                              source="llm")
