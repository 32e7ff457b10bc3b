"""The typed vocabulary that crosses every stage boundary.

Spans are character offsets into ``Document.raw`` (the decoded, un-normalised
source text), start inclusive and end exclusive, like langextract's
``CharInterval``. Everything numeric is ``Decimal``.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Literal, Union

import pydantic

__all__ = [
    "Alignment",
    "Band",
    "BreakdownClaim",
    "Claim",
    "DifferenceClaim",
    "Finding",
    "GrowthClaim",
    "Localized",
    "MentionClaim",
    "PartsGrowthClaim",
    "ProductClaim",
    "Quantity",
    "RatioClaim",
    "Report",
    "ScoreClaim",
    "ScoringRule",
    "Severity",
    "Span",
]

_FROZEN = pydantic.ConfigDict(frozen=True, extra="forbid")


class Span(pydantic.BaseModel):
    """A half-open interval ``[start, end)`` of ``Document.raw``."""

    model_config = _FROZEN
    start: int = pydantic.Field(ge=0)
    end: int = pydantic.Field(ge=0)

    @pydantic.model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class Alignment(str, enum.Enum):
    """How a claim's quote was located in the source (langextract's AlignmentStatus)."""

    EXACT = "exact"
    FUZZY = "fuzzy"


class Quantity(pydantic.BaseModel):
    """One number as the report printed it, with unit and where it stands.

    ``decimals`` is the number of fractional digits printed; it fixes the
    tolerance (XBRL Calculations 1.1: ±0.5×10^-decimals in ``unit``).
    """

    model_config = _FROZEN
    value: Decimal
    unit: str = ""
    raw: str
    span: Span
    decimals: int = 0
    approximate: bool = False
    # "exact" quantities (counts, integer scores) carry no rounding interval.
    exact: bool = False


class _ClaimBase(pydantic.BaseModel):
    model_config = _FROZEN
    id: str = ""
    label: str = ""
    sentence: Span | None = None
    backend: str = "rules"
    alignment: Alignment | None = Alignment.EXACT
    table: str | None = None
    # True when the figures were paired by word order or proximity, not by the
    # report's structure (an explicit 其中 / 合计, a table row and its header, a
    # printed formula). A contradiction in such a relation is a warning.
    inferred: bool = False


class RatioClaim(_ClaimBase):
    """``numerator / denominator`` stated as a percent (执行率, 完成…的X%)."""

    type: Literal["ratio"] = "ratio"
    stated: Quantity
    numerator: Quantity | None = None
    denominator: Quantity | None = None

    @property
    def key(self) -> Quantity:
        return self.stated


class GrowthClaim(_ClaimBase):
    """A stated growth rate with the current and (if stated) previous value."""

    type: Literal["growth"] = "growth"
    stated: Quantity
    current: Quantity | None = None
    previous: Quantity | None = None
    # The change printed instead of last year's figure ("9.07万元，比上年减少0.71万元，
    # 下降7.83%"): last year's is then current − change, signed as worded.
    change: Quantity | None = None

    @property
    def key(self) -> Quantity:
        return self.stated


class BreakdownClaim(_ClaimBase):
    """A total and its parts (其中…, 分别为…, a 合计 row)."""

    type: Literal["breakdown"] = "breakdown"
    total: Quantity
    parts: tuple[Quantity, ...]
    part_labels: tuple[str, ...] = ()
    # False for "其中" rows of a table and "主要为" lists: the parts may be a
    # selection, so only a sum above the total is a contradiction.
    exhaustive: bool = True
    column: str | None = None

    @property
    def key(self) -> Quantity:
        return self.total


class DifferenceClaim(_ClaimBase):
    """``a - b = stated`` (超出/增加/减少/节约 N); ``sign`` is +1 or -1 as worded."""

    type: Literal["difference"] = "difference"
    stated: Quantity
    a: Quantity
    b: Quantity
    sign: int = 1

    @property
    def key(self) -> Quantity:
        return self.stated


class Band(pydantic.BaseModel):
    """One piece of a banded rule: value in [lo, hi] (bounds as printed) scores ``points``."""

    model_config = _FROZEN
    lo: Decimal | None = None
    lo_inclusive: bool = True
    hi: Decimal | None = None
    hi_inclusive: bool = True
    points: Decimal

    def contains(self, value: Decimal) -> bool:
        if self.lo is not None and (value < self.lo or (value == self.lo and not self.lo_inclusive)):
            return False
        if self.hi is not None and (value > self.hi or (value == self.hi and not self.hi_inclusive)):
            return False
        return True


class ScoringRule(pydantic.BaseModel):
    """A printed scoring rule as a piecewise function of the indicator value.

    ``kind``:
      * ``bands`` — fixed points per value band (预算控制率=0计5分；0-10%(含)计4分…);
      * ``deduction`` — full marks on the good side of ``target``, ``penalty`` points
        off per ``step`` of deviation in ``direction``, not below ``floor`` (扣完为止);
      * ``levels`` — a qualitative rule that allows only the listed scores (好6分、一般3分、差0分);
      * ``proportional`` — the value (a percent) times the weight (得分=预算执行率×分值).
    """

    model_config = _FROZEN
    kind: Literal["bands", "deduction", "levels", "proportional"]
    weight: Decimal
    text: str
    bands: tuple[Band, ...] = ()
    target: Decimal | None = None
    direction: Literal["below", "above", "both"] = "below"
    step: Decimal | None = None
    penalty: Decimal | None = None
    floor: Decimal = Decimal(0)
    # Deductions per started step ("每低于5%扣2分": 3% short already costs 2) when
    # True; per whole step when False.
    per_started_step: bool = True
    # How a partial step counts when the rule says so: "started" ("不足1%按1%计"),
    # "whole" ("不足1%不扣分"); "either" when the text does not say, and both
    # readings are allowed.
    step_counting: Literal["either", "started", "whole"] = "either"
    levels: tuple[Decimal, ...] = ()
    full_marks_when_absent: bool = False
    # What the indicator counts when it is not a percent ("例" for cases).
    unit: str = "%"
    # Who read the printed text: jxcheck's parser, or the model (``--backend
    # hybrid``, for rules the parser cannot read; figures checked against the text).
    source: Literal["parser", "llm"] = "parser"

    def allowed_range(self, value: Decimal) -> tuple[Decimal, Decimal] | None:
        """Lowest and highest score the rule allows for ``value``.

        "每低于5%扣2分" is read both per started step (3% short costs 2) and per
        whole step (3% short costs nothing), since reports apply it either way;
        a score between the two readings is accepted.
        """
        if self.kind == "levels":
            return None
        if self.kind == "bands":
            p = self.allowed(value)
            return None if p is None else (p, p)
        if self.kind == "proportional":
            # 10 × 93.87% = 9.387: printed as 9.39, 9.38, 9.4 or 9.3 by rounding
            # or cutting; anything outside one decimal either way breaks the rule.
            exact = self.allowed(value)
            assert exact is not None
            tenth = Decimal("0.1")
            return (exact.quantize(tenth, rounding="ROUND_FLOOR"),
                    exact.quantize(tenth, rounding="ROUND_CEILING"))
        strict = self.model_copy(update={"per_started_step": True}).allowed(value)
        lenient = self.model_copy(update={"per_started_step": False}).allowed(value)
        if self.step_counting == "started":
            return strict, strict
        if self.step_counting == "whole":
            return lenient, lenient
        return min(strict, lenient), max(strict, lenient)

    def allowed(self, value: Decimal) -> Decimal | None:
        """The score this rule gives an indicator value (None for ``levels`` rules)."""
        import math

        if self.kind == "proportional":
            return max(Decimal(0), min(self.weight, self.weight * value / 100))
        if self.kind == "bands":
            for band in self.bands:
                if band.contains(value):
                    return min(band.points, self.weight)
            # A value no printed band covers is not judged (the rule was read
            # incompletely or has a gap), rather than scored 0.
            return None
        if self.kind == "deduction":
            assert self.target is not None and self.step and self.penalty is not None
            if self.direction == "below":
                gap = self.target - value
            elif self.direction == "above":
                gap = value - self.target
            else:
                gap = abs(value - self.target)
            if gap <= 0:
                return self.weight
            steps = gap / self.step
            n = math.ceil(steps) if self.per_started_step else math.floor(steps)
            return max(self.floor, self.weight - self.penalty * n)
        return None


class ScoreClaim(_ClaimBase):
    """One scored indicator: weight (分值), awarded (得分) and the printed rule."""

    type: Literal["score"] = "score"
    awarded: Quantity
    weight: Quantity | None = None
    rule: str | None = None
    rule_span: Span | None = None
    parsed_rule: ScoringRule | None = None
    # The indicator's printed definition ("预算控制率=(本年追加预算/年初预算)×100%").
    formula: str | None = None
    indicator_value: Quantity | None = None
    # How the value was found: "stated" (the sheet's 实际完成值), "formula" (computed
    # from the report's own figures), "mention" (the same metric stated elsewhere).
    value_source: str = ""
    # The indicator's metric key (as MentionClaim.metric), to compare the value
    # computed here with the same metric stated elsewhere.
    metric: str = ""
    value_inputs: tuple[Quantity, ...] = ()
    value_missing: tuple[str, ...] = ()
    execution_rate: Quantity | None = None
    # The sheet's 年度指标值 (target), for a rule that deducts from it without
    # printing it ("每超过1个百分点扣0.5分，扣完为止").
    indicator_target: Quantity | None = None

    @property
    def key(self) -> Quantity:
        return self.awarded


class MentionClaim(_ClaimBase):
    """A named metric with a value, so two statements of it can be compared."""

    type: Literal["mention"] = "mention"
    metric: str
    value: Quantity
    period: str = ""
    # "" for narrative and data tables; a score sheet's id for its rows, so
    # that two project sheets' 成本节约率 are never compared with each other.
    scope: str = ""
    # The words before the figure in its clause group: what identifies a
    # generic metric ("34个商贸物流项目…计划投资") when it is restated elsewhere.
    _context: str = pydantic.PrivateAttr(default="")

    @property
    def key(self) -> Quantity:
        return self.value


class ProductClaim(_ClaimBase):
    """``stated = factors[0] × factors[1] × … × multiplier``: a count paid at a
    standard ("412人，按每人2,000元标准发放82.40万元"); ``multiplier`` is a
    number of periods the text gives in words (每月 … 全年 = 12)."""

    type: Literal["product"] = "product"
    stated: Quantity
    factors: tuple[Quantity, ...]
    multiplier: Decimal = Decimal(1)

    @property
    def key(self) -> Quantity:
        return self.stated


class PartsGrowthClaim(_ClaimBase):
    """A total's growth rate and its parts' own rates ("2,771万元，比上年下降1.8%。
    其中：A 120万元，比上年增长79.1%；B…"): last year's total is Σ part ÷ (1 + its
    rate), so the total's rate follows from the parts' ones."""

    type: Literal["parts_growth"] = "parts_growth"
    stated: Quantity
    total: Quantity
    parts: tuple[Quantity, ...]
    part_rates: tuple[Quantity, ...]

    @property
    def key(self) -> Quantity:
        return self.stated


Claim = Annotated[
    Union[RatioClaim, GrowthClaim, BreakdownClaim, DifferenceClaim, ScoreClaim, MentionClaim,
          ProductClaim, PartsGrowthClaim],
    pydantic.Field(discriminator="type"),
]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Localized(pydantic.BaseModel):
    """A sentence in Chinese (the default) and English."""

    model_config = _FROZEN
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Finding(pydantic.BaseModel):
    """One discrepancy, as ruff's diagnostic: code, message, range, values."""

    model_config = _FROZEN
    code: str
    name: str
    kind: str
    severity: Severity
    message: Localized
    spans: tuple[Span, ...]
    stated: Decimal | None = None
    recomputed: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    unit: str = ""
    formula: str = ""
    suggestion: Localized | None = None
    claim_ids: tuple[str, ...] = ()
    backend: str = "rules"
    # A reviewer's verdict on the finding and their note, when a review made
    # in the HTML page is exported (render/review.py); never set by a check.
    verdict: Literal["confirmed", "false_positive", "pending"] | None = None
    note: str = ""


class Report(pydantic.BaseModel):
    """What one run produced for one document."""

    model_config = pydantic.ConfigDict(extra="forbid")
    source: str
    encoding: str
    length: int
    claims: list[Claim]
    findings: list[Finding]
    backend: str
    stats: dict[str, int | float | str] = pydantic.Field(default_factory=dict)


class TextView:
    """A derived string that remembers where each character came from.

    ``offsets[i]`` is the index in ``Document.raw`` of ``text[i]``; one extra
    sentinel entry maps ``len(text)`` so that end positions map too. Normalising
    and joining lines build new views; a regex match on any view maps back to
    the original text with :meth:`raw_span`.
    """

    __slots__ = ("text", "offsets")

    def __init__(self, text: str, offsets: list[int]) -> None:
        if len(offsets) != len(text) + 1:
            raise ValueError("offsets must have one entry per character plus a sentinel")
        self.text = text
        self.offsets = offsets

    def raw_span(self, start: int, end: int) -> Span:
        """Map ``[start, end)`` of this view to a span of the raw text."""
        if end <= start:
            return Span(start=self.offsets[start], end=self.offsets[start])
        # The end maps through the last included character, so that dropped
        # characters after it (a removed line break) stay outside the span.
        return Span(start=self.offsets[start], end=self.offsets[end - 1] + 1)

    def slice(self, start: int, end: int) -> TextView:
        return TextView(self.text[start:end], self.offsets[start:end + 1])

    def __len__(self) -> int:
        return len(self.text)


class Document:
    """A decoded source: the raw text, its normalised view and its line table."""

    __slots__ = ("source", "raw", "encoding", "view", "_line_starts", "tables", "notes", "cells",
                 "doubtful", "places", "derived")

    def __init__(self, source: str, raw: str, encoding: str, view: TextView) -> None:
        self.source = source
        self.raw = raw
        self.encoding = encoding
        self.view = view
        self._line_starts: list[int] | None = None
        # Tables read natively from .docx/.pdf (a list of row lists), if any.
        self.tables: list = []
        # Problems met while reading structure (a table that could not be
        # rebuilt): (code, span, zh, en) tuples the pipeline reports as info.
        self.notes: list[tuple[str, Span, str, str]] = []
        # Spreadsheet input: (start, end, "Sheet1!B3") for every cell's text in
        # ``raw``, sorted by start, so findings can name the cell.
        self.cells: list[tuple[int, int, str]] = []
        # Text read by OCR with low confidence, as [start, end) of ``raw``: a
        # finding that rests on it may be a misread digit (warning, not error).
        self.doubtful: list[Span] = []
        # Where lines stand in a Word or PDF original, for people: sorted
        # (first line, Chinese, English, count lines) tuples, such as
        # (41, "第 3 页", "page 3", True) or (12, "第 9 段", "paragraph 9", False).
        self.places: list[tuple[int, str, str, bool]] = []
        # What stages derive from the text once and share (paragraphs, scanned
        # sentences), keyed by name; the text never changes after loading.
        self.derived: dict[str, object] = {}

    @property
    def text(self) -> str:
        return self.view.text

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a raw offset."""
        import bisect

        if self._line_starts is None:
            starts = [0]
            starts.extend(i + 1 for i, ch in enumerate(self.raw) if ch == "\n")
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def place(self, offset: int, lang: str = "zh") -> str:
        """Where a raw offset stands in the original file ("第 3 页第 12 行", "表 2 第 4 行"),
        or ``""`` for plain text, which has only lines."""
        if not self.places:
            return ""
        import bisect

        line = self.line_col(offset)[0]
        i = bisect.bisect_right([p[0] for p in self.places], line) - 1
        if i < 0:
            return ""
        first, zh, en, count = self.places[i]
        if not count:
            return en if lang == "en" else zh
        n = line - first + 1
        return f"{en}, line {n}" if lang == "en" else f"{zh}第 {n} 行"

    def quote(self, span: Span) -> str:
        return self.raw[span.start:span.end]
