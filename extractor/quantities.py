"""Source text ↔ Decimal: units, scales, Chinese numerals, rounding, tolerance.

Tolerance follows the stated precision as XBRL Calculations 1.1 does: a value
printed with k decimals stands for the interval ±0.5×10^-k of its unit, and a
relation holds when the recomputed interval overlaps the stated one.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from extractor import models, patterns

__all__ = [
    "Interval",
    "dimension",
    "factor",
    "format_decimal",
    "interval_of",
    "is_truncation",
    "make_quantity",
    "parse_cn_number",
    "parse_number",
    "to_unit",
]

# Exact scale of each money unit in its base currency unit.
_MONEY = {
    "元": ("CNY", Decimal(1)),
    "千元": ("CNY", Decimal(10) ** 3),
    "万元": ("CNY", Decimal(10) ** 4),
    "百万元": ("CNY", Decimal(10) ** 6),
    "千万元": ("CNY", Decimal(10) ** 7),
    "亿元": ("CNY", Decimal(10) ** 8),
    "万亿元": ("CNY", Decimal(10) ** 12),
    "美元": ("USD", Decimal(1)),
    "千美元": ("USD", Decimal(10) ** 3),
    "万美元": ("USD", Decimal(10) ** 4),
    "亿美元": ("USD", Decimal(10) ** 8),
}
_PERCENT = {"%": Decimal(1), "个百分点": Decimal(1), "‰": Decimal("0.1")}
# Counts and scores are exact when printed without decimals: 16人 is 16 people
# (but 3万人 is a count rounded to 万: it stands for 2.5万-3.5万人).
EXACT_DIMENSIONS = frozenset({"count", "score"})
_BASE_COUNTS = frozenset(patterns.BASE_COUNT_UNITS)

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
# Financial capitals (大写) as printed on receipts and some tables: 壹佰贰拾万元整.
_CN_CAPITALS = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億", "一二二三三四五六六七八九十百千万亿")
_CN_CHARS = frozenset(_CN_DIGITS) | frozenset(_CN_SMALL) | frozenset(_CN_BIG) | {"点"}

# Decimal context precision for ratios; far beyond any printed figure.
_PRECISION = 28


def parse_number(text: str) -> Decimal:
    """Parse an ASCII number as printed: ``"31,859,312.45"`` → ``Decimal``.

    Raises:
        ValueError: when the text is not a number.
    """
    cleaned = text.replace(",", "").replace("−", "-").replace("+", "").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation as e:
        raise ValueError(f"not a number: {text!r}") from e


def decimals_of(text: str) -> int:
    """Number of fractional digits printed in ``text``."""
    text = text.replace(",", "")
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_cn_number(text: str) -> Decimal:
    """Parse Chinese numerals in all the forms reports print.

    ``"一百二十"`` → 120, ``"十二亿三千万"`` → 1230000000, ``"两千零五十"`` →
    2050, ``"一百零八万"`` → 1080000, ``"三万五"`` → 35000 (a last digit
    after a unit counts in the next lower unit), ``"一万亿"`` → 10¹²,
    ``"三点五亿"`` → 350000000, ``"二〇二三"`` → 2023 (digit by digit),
    ``"百分之五十"`` → 50, financial capitals ``"壹佰贰拾万"`` → 1200000.

    Raises:
        ValueError: when the text is not a Chinese numeral.
    """
    if text.startswith("百分之"):
        text = text[3:]
    text = text.translate(_CN_CAPITALS)
    if not text:
        raise ValueError("empty Chinese numeral")
    if any(ch not in _CN_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "点" in text:
        whole, frac = text.split("点", 1)
        # 三点五亿: the fraction's digits run up to a trailing scale word.
        digits = frac.rstrip("万亿")
        scale_words = frac[len(digits):]
        if not digits or any(ch not in _CN_DIGITS for ch in digits) or "点" in frac:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        value = _cn_integer(whole) if whole else Decimal(0)
        value += Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in digits))
        for ch in scale_words:
            value *= _CN_BIG[ch]
        # 三点五亿 is a whole number of 元: no fractional digits to print.
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return _cn_integer(text)


def _cn_integer(text: str) -> Decimal:
    """A whole Chinese numeral, split at its largest scale word (亿, then 万).

    Splitting at the *last* 亿 reads 十二亿三千万 as 十二 × 10⁸ + 三千万 and
    一万亿 as 一万 × 10⁸; a left-to-right accumulator that multiplies all it
    has seen by each scale word reads 七亿三千万 as (7×10⁸ + 3000) × 10⁴.
    """
    if not text:
        raise ValueError("empty Chinese numeral")
    if all(ch in _CN_DIGITS for ch in text):
        if len(text) == 1:
            return Decimal(_CN_DIGITS[text])
        # 二〇二三, 一二三: digit by digit, as years and codes are written.
        return Decimal("".join(str(_CN_DIGITS[c]) for c in text))
    for word in ("亿", "万"):
        at = text.rfind(word)
        if at < 0:
            continue
        head, tail = text[:at], text[at + 1:]
        high = _cn_integer(head) if head else Decimal(1)
        low = Decimal(0)
        if tail:
            if len(tail) == 1 and tail in _CN_DIGITS and _CN_DIGITS[tail]:
                # 三万五 = 35000, 两亿三 = 2.3亿: a bare last digit, no 零.
                low = _CN_DIGITS[tail] * Decimal(_CN_BIG[word]) / 10
            elif tail.lstrip("零〇"):
                low = _cn_integer(tail.lstrip("零〇"))
        return high * _CN_BIG[word] + low
    return Decimal(_cn_below_10000(text))


def _cn_below_10000(text: str) -> int:
    """千/百/十 and digits: 两千零五十 → 2050, 十五 → 15, 一千五 → 1500."""
    total, current, last_unit = 0, None, None
    zero_seen = False
    for ch in text:
        if ch in _CN_DIGITS:
            if current is not None:
                # Two digits in a row (五五十) is not a numeral.
                raise ValueError(f"not a Chinese numeral: {text!r}")
            d = _CN_DIGITS[ch]
            if d == 0:
                zero_seen = True
                continue
            current = d
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if last_unit is not None and unit >= last_unit:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            total += (1 if current is None else current) * unit
            current, last_unit, zero_seen = None, unit, False
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    if current is not None:
        if last_unit is not None and last_unit > 10 and not zero_seen:
            # 一千五 = 1500, 三百五 = 350: the digit counts in the next lower unit.
            total += current * last_unit // 10
        else:
            total += current
    return total


def dimension(unit: str) -> str:
    """What a unit measures: ``CNY``, ``USD``, ``percent``, ``score``, ``count:<unit>``, ``""``."""
    if unit in _MONEY:
        return _MONEY[unit][0]
    if unit in _PERCENT:
        return "percent"
    if unit == "分":
        return "score"
    if unit:
        return f"count:{_count_base(unit)[0]}"
    return ""


def _count_base(unit: str) -> tuple[str, Decimal]:
    """("人次", 10⁴) for "万人次": the counted unit and the exact scale in front of it."""
    if unit[:1] in patterns.COUNT_SCALES and unit[1:] in _BASE_COUNTS:
        return unit[1:], Decimal(patterns.COUNT_SCALES[unit[0]])
    return unit, Decimal(1)


def factor(unit: str) -> Decimal:
    """Exact multiplier from ``unit`` to its dimension's base unit."""
    if unit in _MONEY:
        return _MONEY[unit][1]
    if unit in _PERCENT:
        return _PERCENT[unit]
    if unit and unit != "分":
        return _count_base(unit)[1]
    return Decimal(1)


def to_unit(value: Decimal, from_unit: str, to: str) -> Decimal:
    """Convert exactly between units of one dimension (万元 → 元 and so on)."""
    if dimension(from_unit) != dimension(to):
        raise ValueError(f"cannot convert {from_unit} to {to}")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value * factor(from_unit) / factor(to)


def make_quantity(
    number_text: str,
    unit: str,
    raw: str,
    span: models.Span,
    *,
    approximate: bool = False,
) -> models.Quantity:
    """Build a :class:`~extractor.models.Quantity` from a printed number and unit."""
    value = parse_number(number_text)
    decimals = decimals_of(number_text)
    # A printed zero means "nothing", not "less than half a unit".
    exact = value == 0 or (decimals == 0 and factor(unit) == 1
                           and (dimension(unit).startswith("count") or unit == "分"))
    return models.Quantity(
        value=value, unit=unit, raw=raw, span=span, decimals=decimals,
        approximate=approximate, exact=exact,
    )


@dataclasses.dataclass(frozen=True)
class Interval:
    """A closed interval of possible true values, in one unit."""

    lo: Decimal
    hi: Decimal

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __truediv__(self, other: Interval) -> Interval | None:
        """Interval quotient; ``None`` when the divisor may be zero."""
        if other.lo <= 0 <= other.hi:
            return None
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            cands = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(cands), max(cands))

    def __mul__(self, other: Interval) -> Interval:
        cands = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Interval(min(cands), max(cands))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def distance(self, other: Interval) -> Decimal:
        """Gap between two intervals (0 when they overlap)."""
        if self.overlaps(other):
            return Decimal(0)
        return other.lo - self.hi if self.hi < other.lo else self.lo - other.hi


def half_ulp(q: models.Quantity) -> Decimal:
    """Half a unit in the last printed place, or 0 for exact quantities."""
    if q.exact:
        return Decimal(0)
    return Decimal(5) * Decimal(10) ** (-q.decimals - 1)


def interval_of(q: models.Quantity, unit: str | None = None) -> Interval:
    """The interval a printed quantity stands for, optionally converted to ``unit``."""
    h = half_ulp(q)
    lo, hi = q.value - h, q.value + h
    if unit is not None and unit != q.unit and dimension(unit) == dimension(q.unit):
        lo, hi = to_unit(lo, q.unit, unit), to_unit(hi, q.unit, unit)
    return Interval(lo, hi)


def is_truncation(stated: models.Quantity, recomputed: Interval) -> bool:
    """True when ``stated`` is the recomputed value cut (not rounded) to its decimals."""
    step = Decimal(10) ** (-stated.decimals)
    # Cutting drops digits towards zero: a stated −12.5 is a cut of −12.5…−12.6,
    # never of −12.42 (which cuts to −12.4).
    if stated.value < 0:
        return Interval(stated.value - step, stated.value).overlaps(recomputed)
    return Interval(stated.value, stated.value + step).overlaps(recomputed)


def round_to(value: Decimal, decimals: int) -> Decimal:
    """Round half-up to ``decimals`` places, as reports do."""
    return value.quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP)


def truncate_to(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(10) ** -decimals, rounding=ROUND_DOWN)


def format_decimal(value: Decimal | None, decimals: int | None = None) -> str:
    """Render a Decimal for people: no exponent, trailing zeros trimmed unless fixed."""
    if value is None:
        return "—"
    if decimals is not None:
        value = round_to(value, decimals)
        return f"{value:,.{decimals}f}" if abs(value) >= 10000 else f"{value:.{decimals}f}"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text



def is_number_text(text: str) -> bool:
    """True when ``text`` (a table cell) is one plain number, possibly with % or a unit."""
    m = patterns.AMOUNT.fullmatch(text.strip())
    return m is not None


# Numbers that are not quantities: years and dates (2023年, 10月30日), ordinals
# (第3, 全省第3), document numbers ([2011]285号), codes and phone numbers.
_NOT_A_QUANTITY_AFTER = re.compile(
    r"^(?:年|月|日|号|季度|届|批次|G|强|周年|版|级|类|星|岁|周岁|倍|小时|分钟|公里|千米|米|项目)")
_NOT_A_QUANTITY_BEFORE = re.compile(r"(?:第|[\[〔【]|[-—~～])$")
_LONG_CODE = re.compile(r"^\d{7,}$")
_CODE_AFTER = re.compile(r"^[-－—][^\W\d_a-zA-Z]")
# A bare number right after these words is a score: "执行率评价得分 5".
_SCORE_CONTEXT = re.compile(r"(?:得分|实得|分值|总分|扣|计)(?:为|是|：|:)?$")


# "3.预算…", "（1）预算…": an outline number, followed by text rather than digits.
_OUTLINE_MARKER = re.compile(r"\d{1,2}[.．](?=[\u4e00-\u9fa5“\"])|[（(]\d{1,2}[）)]")
_CLAUSE_START = "；;。，,：:！？!? \t\n"


def _is_outline_marker(text: str, start: int) -> bool:
    """True when the bare number at ``start`` is an outline marker where a clause begins."""
    begin = start - 1 if start and text[start - 1] in "（(" else start
    if not _OUTLINE_MARKER.match(text, begin):
        return False
    return begin == 0 or text[begin - 1] in _CLAUSE_START


@dataclasses.dataclass(frozen=True)
class Token:
    """A quantity found in a view, with its position in that view."""

    start: int
    end: int
    quantity: models.Quantity

    @property
    def unit(self) -> str:
        return self.quantity.unit

    @property
    def dim(self) -> str:
        return dimension(self.quantity.unit)


_RANGE_AFTER = re.compile(r"\s*[—–～~至到]\s*\d")
_RANGE_BEFORE = re.compile(r"\d\s*[—–～~至到]\s*$")


def scan(view: models.TextView, *, bare: bool = True) -> list[Token]:
    """Find every quantity in ``view`` (after :func:`normalise.squeeze_whitespace`).

    Args:
        view: a sentence or paragraph view.
        bare: keep numbers printed without a unit (table cells, "得分 5").

    Returns:
        Tokens in text order. Years, dates, ordinals, document numbers and
        list markers are left out.
    """
    text = view.text
    out: list[Token] = []
    for m in patterns.AMOUNT.finditer(text):
        num, unit = m.group("num"), m.group("unit") or ""
        start, end = m.start(), m.end()
        before, after = text[max(0, start - 4):start], text[m.end("num"):m.end("num") + 4]
        if not unit and _NOT_A_QUANTITY_AFTER.match(after):
            continue
        # "20103-政府办公厅…", "201-一般公共服务支出": a classification code.
        if not unit and _CODE_AFTER.match(after):
            continue
        if unit in ("年", "月") or _NOT_A_QUANTITY_AFTER.match(after) and not unit:
            continue
        if _NOT_A_QUANTITY_BEFORE.search(before) and not (unit and before.endswith("-")):
            if not before.endswith(("-", "—")) or not unit:
                continue
        digits = num.lstrip("-−+").replace(",", "")
        if _LONG_CODE.match(digits.split(".")[0]) and "," not in num and not unit:
            continue
        # List markers: "1、", "2." at the start or after punctuation.
        if not unit and after[:1] in ("、",) :
            continue
        # Outline markers "3.预算…", "（1）预算…" at the start of a view or after a
        # clause break: the number is the outline, not a figure.
        if not unit and _is_outline_marker(text, start):
            continue
        if not unit and _SCORE_CONTEXT.search(text[max(0, start - 6):start]):
            unit = "分"
            end = m.end("num")
            if text[end:end + 1] == "分":
                end += 1
        if not unit and not bare:
            continue
        approx = bool(patterns.APPROX_PREFIX.search(text[max(0, start - 4):start]))
        approx = approx or bool(patterns.APPROX_SUFFIX.match(text[end:end + 4]))
        # "80—89周岁", "1-3月": a bound of a range names a bracket, not an amount.
        approx = approx or bool(_RANGE_AFTER.match(text, end)) or bool(
            _RANGE_BEFORE.search(text, max(0, start - 8), start))
        # "200余场": the 余 sits between the number and the unit.
        if not unit:
            m2 = re.match(r"(余|多)(" + patterns.UNIT.pattern + r")", text[end:end + 6])
            if m2:
                unit, approx, end = m2.group(2), True, end + m2.end()
        try:
            q = make_quantity(num, unit, text[start:end], view.raw_span(start, end),
                              approximate=approx)
        except ValueError:
            continue
        out.append(Token(start, end, q))
    out.extend(_scan_cn(view, out))
    out.sort(key=lambda t: t.start)
    return out


# "百分之九十五", "三十五万元": Chinese numerals are figures when they carry a unit
# (or 百分之); a lone 一 ("一批", "一是") or an ordinal (第三届) is not.
_CN_FIGURE = re.compile(
    r"(?<!第)(?P<num>百分之[零〇一二两三四五六七八九十百千点]+"
    r"|[零〇一二两三四五六七八九十百千万亿点壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億]{2,})"
    r"(?P<unit>" + patterns.UNIT.pattern + r")?"
)


def _scan_cn(view: models.TextView, found: list[Token]) -> list[Token]:
    out: list[Token] = []
    text = view.text
    # Overlap test by bisection over the figures already found (sorted by
    # start), with the running maximum of their ends: a scan of all of them
    # per Chinese numeral was quadratic in a sentence of many figures.
    ordered = sorted(found, key=lambda t: t.start)
    starts = [t.start for t in ordered]
    max_end: list[int] = []
    for t in ordered:
        max_end.append(max(t.end, max_end[-1]) if max_end else t.end)
    for m in _CN_FIGURE.finditer(text):
        num, unit = m.group("num"), m.group("unit") or ""
        if num.startswith("百分之"):
            unit = "%"
        elif not unit:
            continue
        before = bisect.bisect_left(starts, m.end())
        if before and max_end[before - 1] > m.start():
            continue
        try:
            value = parse_cn_number(num)
        except (ValueError, KeyError):
            continue
        span = view.raw_span(m.start(), m.end())
        raw = text[m.start():m.end()]
        decimals = decimals_of(str(value))
        out.append(Token(m.start(), m.end(), models.Quantity(
            value=value, unit=unit, raw=raw, span=span, decimals=decimals,
            approximate=bool(patterns.APPROX_SUFFIX.match(text[m.end():m.end() + 4])),
            exact=decimals == 0 and dimension(unit).startswith("count") and factor(unit) == 1)))
    return out
