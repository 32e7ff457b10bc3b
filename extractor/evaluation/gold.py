"""Gold annotations: find them, load them and validate them against their report.

One JSONL file per report (``eval/gold/<stem>.jsonl``), one claim or finding per
line; the format is described in ``eval/README.md``. Loading is strict: a line
that is not valid JSON, lacks a field, or whose span does not cover the digits
of the figure it annotates stops the run with the file name and line number,
because a silently skipped gold item would change every score computed from it.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from extractor import quantities

__all__ = [
    "CLAIM_TYPES",
    "FINDING_CHECKS",
    "REPORT_SUFFIXES",
    "CorpusItem",
    "GoldClaim",
    "GoldError",
    "GoldFile",
    "GoldFinding",
    "GoldValue",
    "find_corpus",
    "load_gold",
    "read_report_text",
]

# The vocabulary of eval/README.md ("Claims: what counts", "Findings: what counts").
CLAIM_TYPES = ("ratio", "growth", "breakdown", "difference", "score", "mention")
FINDING_CHECKS = ("rate", "growth", "footing", "difference", "score", "cross_reference", "unit")
_SEVERITIES = ("error", "warning")
# Gold offsets are defined on the file decoded as UTF-8 (eval/README.md,
# "Offsets"), so only plain-text reports can be scored.
REPORT_SUFFIXES = (".txt", ".md")

# "<decimal string as printed, digits only, thousands separators removed>".
_VALUE = re.compile(r"^[-+]?[0-9]+(?:\.[0-9]+)?$")
_CN_NUMERAL = re.compile(r"(?:百分之)?[零〇一二两三四五六七八九十百千万亿点]+")
# A printed figure inside a span (after NFKC: full-width digits folded).
_PRINTED = re.compile(r"[-−]?[0-9][0-9,]*(?:\.[0-9]+)?")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and line."""


@dataclasses.dataclass(frozen=True)
class GoldValue:
    """A figure as the annotator wrote it: the printed string, its value and unit."""

    text: str
    value: Decimal
    unit: str
    span: tuple[int, int] | None = None

    @property
    def decimals(self) -> int:
        return len(self.text.split(".", 1)[1]) if "." in self.text else 0


@dataclasses.dataclass(frozen=True)
class GoldClaim:
    """One annotated relation (or recurring mention) and its key figure."""

    id: str
    type: str
    span: tuple[int, int]
    stated: GoldValue
    inputs: dict[str, GoldValue | tuple[GoldValue, ...]]
    other_spans: tuple[tuple[int, int], ...] = ()
    consistent: bool | None = None
    metric: str = ""
    line: int = 0
    # For a mention: the figure printed at each of ``other_spans`` (it may
    # differ from ``stated``: that is what a cross-reference finding is about),
    # read from the report text; ``None`` where the span holds no single number.
    other_values: tuple[GoldValue | None, ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Every span a prediction may hit: the key figure, then other statements."""
        return (self.span, *self.other_spans)


@dataclasses.dataclass(frozen=True)
class GoldFinding:
    """One true discrepancy: the wrong figure and the figures it contradicts."""

    id: str
    check: str
    severity: str
    span: tuple[int, int]
    stated: GoldValue
    expected: GoldValue | None = None
    other_spans: tuple[tuple[int, int], ...] = ()
    line: int = 0

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return (self.span, *self.other_spans)


@dataclasses.dataclass(frozen=True)
class GoldFile:
    """All gold items of one report."""

    stem: str
    path: pathlib.Path
    claims: tuple[GoldClaim, ...]
    findings: tuple[GoldFinding, ...]


@dataclasses.dataclass(frozen=True)
class CorpusItem:
    """A gold file and the report it annotates (``report`` is ``None`` when absent)."""

    stem: str
    gold: pathlib.Path
    report: pathlib.Path | None


def find_corpus(gold_dir: pathlib.Path, reports_dir: pathlib.Path) -> list[CorpusItem]:
    """Pair every ``<stem>.jsonl`` in ``gold_dir`` with ``<stem>.txt`` (or ``.md``).

    Raises:
        GoldError: ``gold_dir`` does not exist or holds no gold file.
    """
    if not gold_dir.is_dir():
        raise GoldError(f"gold folder not found: {gold_dir}")
    items = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        report = next(
            (reports_dir / f"{path.stem}{s}" for s in REPORT_SUFFIXES
             if (reports_dir / f"{path.stem}{s}").is_file()),
            None,
        )
        items.append(CorpusItem(path.stem, path, report))
    if not items:
        raise GoldError(f"no gold files (*.jsonl) in {gold_dir}")
    return items


def read_report_text(path: pathlib.Path) -> str:
    """The report text that gold offsets index (eval/README.md, "Offsets").

    Raises:
        GoldError: the file is not valid UTF-8.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except UnicodeDecodeError as e:
        raise GoldError(f"{path}: gold offsets need a UTF-8 report ({e})") from e


def load_gold(path: pathlib.Path, text: str) -> GoldFile:
    """Load and validate one gold file against the text of its report.

    Args:
        path: the ``.jsonl`` file.
        text: the report decoded as UTF-8 (:func:`read_report_text`).

    Returns:
        The claims and findings, in file order.

    Raises:
        GoldError: a malformed line, an unknown type, a span outside the text or
            one whose text does not contain the figure's digits, a duplicate id.
    """
    claims: list[GoldClaim] = []
    findings: list[GoldFinding] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from e
        if not isinstance(obj, dict):
            raise GoldError(f"{where}: a line must be a JSON object")
        reader = _LineReader(obj, text, where)
        item_id = reader.string("id")
        if item_id in seen:
            raise GoldError(f"{where}: duplicate id {item_id!r}")
        seen.add(item_id)
        kind = reader.string("kind")
        if kind == "claim":
            claims.append(reader.claim(item_id, number))
        elif kind == "finding":
            findings.append(reader.finding(item_id, number))
        else:
            raise GoldError(f"{where}: kind must be 'claim' or 'finding', not {kind!r}")
    return GoldFile(path.stem, path, tuple(claims), tuple(findings))


class _LineReader:
    """Field access for one gold line, raising :class:`GoldError` with its location."""

    def __init__(self, obj: dict, text: str, where: str) -> None:
        self.obj = obj
        self.text = text
        self.where = where

    def fail(self, message: str) -> GoldError:
        item = self.obj.get("id")
        return GoldError(f"{self.where}{f' ({item})' if isinstance(item, str) else ''}: {message}")

    def string(self, key: str, required: bool = True) -> str:
        value = self.obj.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value):
            raise self.fail(f"field {key!r} must be a non-empty string")
        return value

    def span(self, value: object, what: str) -> tuple[int, int]:
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
        if not ok:
            raise self.fail(f"{what} must be [start, end], got {value!r}")
        start, end = value
        if not 0 <= start < end <= len(self.text):
            raise self.fail(f"{what} {value} lies outside the report (length {len(self.text)})")
        return start, end

    def spans(self, key: str) -> tuple[tuple[int, int], ...]:
        value = self.obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{key!r} must be a list of spans")
        return tuple(self.span(v, f"{key}[{i}]") for i, v in enumerate(value))

    def value(self, obj: object, what: str, span: tuple[int, int] | None = None,
              with_span: bool = False) -> GoldValue:
        if not isinstance(obj, dict):
            raise self.fail(f"{what} must be an object with 'value' and 'unit'")
        raw, unit = obj.get("value"), obj.get("unit", "")
        if not isinstance(raw, str) or not _VALUE.match(raw):
            raise self.fail(f"{what}.value must be a decimal string such as '102.35', "
                            f"got {raw!r}")
        if not isinstance(unit, str):
            raise self.fail(f"{what}.unit must be a string")
        if with_span:
            span = self.span(obj.get("span"), f"{what}.span")
        if span is not None:
            self.check_digits(span, raw, what)
        try:
            value = Decimal(raw)
        except InvalidOperation as e:  # pragma: no cover - the pattern already checked
            raise self.fail(f"{what}.value {raw!r} is not a number") from e
        return GoldValue(raw, value, unit, span)

    def check_digits(self, span: tuple[int, int], raw: str, what: str) -> None:
        """The text at ``span`` must show the figure: its digits, or its Chinese numeral."""
        covered = self.text[span[0]:span[1]]
        wanted = re.sub(r"\D", "", raw)
        if wanted in _digits(covered):
            return
        for m in _CN_NUMERAL.finditer(covered):
            try:
                if quantities.parse_cn_number(m.group()) == abs(Decimal(raw)):
                    return
            except ValueError:
                continue
        raise self.fail(f"text at {what} span {list(span)} is {covered!r}, "
                        f"which does not contain the digits of {raw!r}")

    def check_quote(self, span: tuple[int, int]) -> None:
        quote = self.obj.get("quote")
        if quote is None:
            return
        if not isinstance(quote, str) or not quote:
            raise self.fail("quote must be a non-empty string")
        start = self.text.find(quote)
        while start != -1:
            if start <= span[0] and span[1] <= start + len(quote):
                return
            start = self.text.find(quote, start + 1)
        raise self.fail(f"quote {quote!r} does not occur around span {list(span)}")

    def claim(self, item_id: str, number: int) -> GoldClaim:
        ctype = self.string("type")
        if ctype not in CLAIM_TYPES:
            raise self.fail(f"type must be one of {', '.join(CLAIM_TYPES)}, not {ctype!r}")
        span = self.span(self.obj.get("span"), "span")
        self.check_quote(span)
        stated = self.value(self.obj.get("stated"), "stated", span)
        inputs: dict[str, GoldValue | tuple[GoldValue, ...]] = {}
        raw_inputs = self.obj.get("inputs", {})
        if not isinstance(raw_inputs, dict):
            raise self.fail("inputs must be an object")
        for name, value in raw_inputs.items():
            if name == "parts":
                if not isinstance(value, list) or not value:
                    raise self.fail("inputs.parts must be a non-empty list")
                inputs[name] = tuple(self.value(v, f"inputs.parts[{i}]", with_span=True)
                                     for i, v in enumerate(value))
            elif name == "rule":
                continue  # verbatim scoring rule text, not a figure
            else:
                inputs[name] = self.value(value, f"inputs.{name}", with_span=True)
        consistent = self.obj.get("consistent")
        if consistent not in (True, False, None):
            raise self.fail("consistent must be true, false or null")
        metric = self.string("metric", required=ctype == "mention")
        other_spans = self.spans("other_spans")
        other_values = tuple(self.printed(s, stated.unit) for s in other_spans) if (
            ctype == "mention") else ()
        return GoldClaim(item_id, ctype, span, stated, inputs, other_spans,
                         consistent, metric, number, other_values)

    def printed(self, span: tuple[int, int], default_unit: str) -> GoldValue | None:
        """The one figure printed at ``span``, with the unit printed after it if any."""
        covered = unicodedata.normalize("NFKC", self.text[span[0]:span[1]])
        found = list(_PRINTED.finditer(covered))
        if len(found) != 1:
            return None
        raw = found[0].group().replace(",", "").replace("−", "-")
        unit = covered[found[0].end():].strip() or default_unit
        return GoldValue(raw, Decimal(raw), unit, span)

    def finding(self, item_id: str, number: int) -> GoldFinding:
        check = self.string("check")
        if check not in FINDING_CHECKS:
            raise self.fail(f"check must be one of {', '.join(FINDING_CHECKS)}, not {check!r}")
        severity = self.string("severity")
        if severity not in _SEVERITIES:
            raise self.fail(f"severity must be 'error' or 'warning', not {severity!r}")
        span = self.span(self.obj.get("span"), "span")
        self.check_quote(span)
        stated = self.value(self.obj.get("stated"), "stated", span)
        expected = self.obj.get("expected")
        return GoldFinding(
            item_id, check, severity, span, stated,
            None if expected is None else self.value(expected, "expected"),
            self.spans("other_spans"), number,
        )


def _digits(text: str) -> str:
    """ASCII digits of ``text``; full-width digits count (NFKC folds them)."""
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text))
