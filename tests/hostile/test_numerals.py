"""Chinese numerals in all their forms (issue 11: 七亿三千万 read as 7×10¹²).

The property tests compare the parser with a reference conversion written
here the other way round (an integer → its Chinese numeral, by the usual
grouping in 万 and 亿 with 零 for skipped places), so a shared mistake is
unlikely.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import quantities
from tests.conftest import check_text

_DIGITS = "零一二三四五六七八九"
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "十", "百", "千")
_CAPITAL_PLACES = ("", "拾", "佰", "仟")


def _group(n: int, digits: str, places: tuple[str, ...], liang: bool) -> str:
    """0 < n < 10000 → 两千零五十; 零 once for each run of skipped places."""
    out, pending_zero = [], False
    for place in (3, 2, 1, 0):
        d = n // 10**place % 10
        if d == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        word = digits[d]
        if liang and d == 2 and place >= 2:
            word = "两"
        out.append(word + places[place])
    return "".join(out)


def to_chinese(n: int, *, liang: bool = False, capitals: bool = False,
               short_ten: bool = True) -> str:
    """Reference conversion: 1230000000 → 十二亿三千万, 1080000 → 一百零八万."""
    digits = _CAPITAL_DIGITS if capitals else _DIGITS
    places = _CAPITAL_PLACES if capitals else _PLACES
    scales = ("亿", "万", "") if not capitals else ("億", "萬", "")
    if n == 0:
        return digits[0]
    parts = (n // 10**8, n // 10**4 % 10**4, n % 10**4)
    out: list[str] = []
    for value, scale in zip(parts, scales):
        if value == 0:
            continue
        # A group after a higher one that does not fill all four places
        # starts with 零: 一亿零三万, 一万零五.
        if out and value < 1000:
            out.append(digits[0])
        out.append(_group(value, digits, places, liang) + scale)
    text = "".join(out)
    if short_ten and not capitals and text.startswith("一十"):
        text = text[1:]
    return text


@pytest.mark.parametrize(("text", "value"), [
    ("十二亿三千万", 1_230_000_000),
    ("七亿三千万", 730_000_000),
    ("两千零五十", 2050),
    ("一百零八万", 1_080_000),
    ("十", 10),
    ("十五", 15),
    ("一千零一", 1001),
    ("一万零五", 10_005),
    ("一亿零三万", 100_030_000),
    ("一万亿", 10**12),
    ("三万五", 35_000),
    ("一千五", 1500),
    ("两亿三", 230_000_000),
    ("三点五亿", 350_000_000),
    ("三点五", Decimal("3.5")),
    ("百分之九十五点五", Decimal("95.5")),
    ("二〇二三", 2023),
    ("壹佰贰拾万", 1_200_000),
    ("零", 0),
])
def test_numerals_hand_checked(text, value):
    assert quantities.parse_cn_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "亿元", "五五十", "三点", "十百"])
def test_numerals_refuse_what_is_not_a_numeral(text):
    with pytest.raises(ValueError):
        quantities.parse_cn_number(text)


def test_reference_conversion_is_right_on_known_values():
    # The reference itself, against literals written by hand.
    assert to_chinese(1_230_000_000) == "十二亿三千万"
    assert to_chinese(2050, liang=True) == "两千零五十"
    assert to_chinese(1_080_000) == "一百零八万"
    assert to_chinese(100_030_000) == "一亿零三万"
    assert to_chinese(10_005) == "一万零五"
    assert to_chinese(1_200_000, capitals=True) == "壹佰贰拾萬"


@settings(max_examples=400, derandomize=True)
@given(n=st.integers(min_value=0, max_value=10**12 - 1), liang=st.booleans(),
       capitals=st.booleans(), short_ten=st.booleans())
def test_numerals_match_reference(n, liang, capitals, short_ten):
    text = to_chinese(n, liang=liang, capitals=capitals, short_ten=short_ten)
    assert quantities.parse_cn_number(text) == n, text


@settings(max_examples=100, derandomize=True)
@given(whole=st.integers(min_value=1, max_value=9999),
       frac=st.integers(min_value=1, max_value=99))
def test_numerals_with_point_and_scale(whole, frac):
    frac_digits = "".join(_DIGITS[int(c)] for c in str(frac))
    text = f"{to_chinese(whole)}点{frac_digits}亿"
    expected = (Decimal(whole) + Decimal("0." + str(frac))) * 10**8
    assert quantities.parse_cn_number(text) == expected


def test_breakdown_in_chinese_numerals_is_consistent():
    text = "全年预算十二亿三千万元，其中：基本支出五亿元，项目支出七亿三千万元。\n"
    _, report = check_text(text)
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    assert report.claims, "the breakdown must still be read"


def test_breakdown_in_chinese_numerals_with_an_error_is_found():
    text = "全年预算十二亿三千万元，其中：基本支出五亿元，项目支出七亿二千万元。\n"
    _, report = check_text(text)
    assert "JX201" in {f.code for f in report.findings}
