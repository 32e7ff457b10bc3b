"""Number parsing, units and tolerance on phrases of the genre."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import load, models, normalise, quantities


def _scan(text: str) -> list[quantities.Token]:
    doc = load.from_text(text)
    return quantities.scan(normalise.squeeze_whitespace(doc.view))


@pytest.mark.parametrize("text,value,decimals", [
    ("31,859,312.45", Decimal("31859312.45"), 2),
    ("23.54", Decimal("23.54"), 2),
    ("-8.4", Decimal("-8.4"), 1),
    ("−8.4", Decimal("-8.4"), 1),
    ("100", Decimal("100"), 0),
])
def test_parse_number_keeps_printed_precision(text, value, decimals):
    assert quantities.parse_number(text) == value
    assert quantities.decimals_of(text) == decimals


@pytest.mark.parametrize("text,value", [
    ("一百二十", Decimal(120)), ("百分之五十", Decimal(50)), ("三千四百万", Decimal(34000000)),
    ("两亿", Decimal(200000000)), ("十", Decimal(10)), ("三点五", Decimal("3.5")),
])
def test_parse_cn_number(text, value):
    assert quantities.parse_cn_number(text) == value


def test_parse_cn_number_rejects_other_text():
    with pytest.raises(ValueError):
        quantities.parse_cn_number("万元")


def test_unit_conversion_is_exact():
    assert quantities.to_unit(Decimal("23.54"), "亿元", "万元") == Decimal("235400")
    assert quantities.to_unit(Decimal("609.29"), "万元", "元") == Decimal("6092900")
    assert quantities.to_unit(Decimal("1"), "元", "亿元") == Decimal("0.00000001")
    with pytest.raises(ValueError):
        quantities.to_unit(Decimal(1), "万元", "万美元")


def test_scan_finds_amounts_with_units_split_by_spaces_and_lines():
    toks = _scan("实际拨付到本单位\n122.87 万元，年末实有编制人数 16 人")
    assert [(t.quantity.value, t.unit) for t in toks] == [(Decimal("122.87"), "万元"),
                                                          (Decimal(16), "人")]


def test_scan_span_points_at_original_text():
    text = "到位资金２３.５４亿元"
    doc = load.from_text(text)
    (tok,) = quantities.scan(normalise.squeeze_whitespace(doc.view))
    assert tok.quantity.value == Decimal("23.54")
    assert doc.raw[tok.quantity.span.start:tok.quantity.span.end] == "２３.５４亿元"


def test_scan_skips_years_dates_ordinals_and_document_numbers():
    toks = _scan("2023年10月30日，全省第3，财预[2011]285号，湘办发〔2019〕10号")
    assert toks == []


@pytest.mark.parametrize("text,approx", [
    ("兑现企业发展资金近400余万元", True), ("举办活动10余场次", True), ("满意度≥95%", True),
    ("与160多个国家", True), ("增速8%左右", True), ("到位资金9.47亿元", False),
])
def test_scan_marks_approximate_figures(text, approx):
    toks = _scan(text)
    assert toks and toks[0].quantity.approximate is approx


def test_counts_and_integer_scores_are_exact_but_money_is_not():
    span = models.Span(start=0, end=1)
    assert quantities.make_quantity("16", "人", "16人", span).exact
    assert quantities.make_quantity("5", "分", "5", span).exact
    assert not quantities.make_quantity("189", "万元", "189万元", span).exact
    assert quantities.make_quantity("0", "万元", "0万元", span).exact


def test_interval_of_follows_printed_precision():
    span = models.Span(start=0, end=1)
    q = quantities.make_quantity("102.35", "%", "102.35%", span)
    iv = quantities.interval_of(q)
    assert (iv.lo, iv.hi) == (Decimal("102.345"), Decimal("102.355"))


def test_truncation_is_recognised():
    span = models.Span(start=0, end=1)
    q = quantities.make_quantity("139", "%", "139%", span)
    assert quantities.is_truncation(q, quantities.Interval(Decimal("139.68"), Decimal("139.69")))
    assert not quantities.is_truncation(q, quantities.Interval(Decimal("140.1"), Decimal("140.2")))


def test_growth_with_down_verb_is_negative(run_text):
    _, report = run_text("全州外贸进出口96699万元，同比下降34.2%。\n\n另据统计，全州外贸进出口96699万元，同比下降34.2%。")
    mentions = [c for c in report.claims if c.type == "mention" and c.value.raw.startswith("34.2")]
    assert mentions and mentions[0].value.value == Decimal("-34.2")


def test_scan_reads_chinese_numerals_with_units():
    toks = _scan("满意度达到百分之九十五，培训三十五人次，第三届博览会，一批企业")
    assert [(t.quantity.value, t.unit) for t in toks] == [(Decimal(95), "%"), (Decimal(35), "人次")]


@pytest.mark.parametrize("text", ["3.预算100万元", "（1）预算100万元", "(2)预算100万元",
                                  "已完成。4.预算100万元", "其中：(1)预算100万元"])
def test_scan_skips_outline_markers(text):
    assert [t.quantity.raw for t in _scan(text)] == ["100万元"]


def test_scan_keeps_bare_numbers_that_are_not_markers():
    # A decimal, or a bare figure in brackets after a word, is not an outline number.
    assert [t.quantity.raw for t in _scan("得分 3.5，评分（5）")] == ["3.5", "5"]


# ---------------------------------------------------------------- count units


@pytest.mark.parametrize("unit", ["所", "件", "份", "天", "场", "户", "亩", "吨", "篇", "期", "辆",
                                  "台", "套", "名", "位", "人次", "张", "处", "公顷", "课时"])
def test_count_units_are_read_with_their_own_dimension(unit):
    (tok,) = _scan(f"共完成12{unit}")
    assert tok.unit == unit
    assert tok.dim == f"count:{unit}"
    assert tok.quantity.exact


@pytest.mark.parametrize("unit,base", [("万人", "人"), ("万人次", "人次"), ("万户", "户"),
                                       ("万亩", "亩"), ("万吨", "吨"), ("万件", "件"),
                                       ("万个", "个"), ("亿人次", "人次"), ("万平方米", "平方米")])
def test_counts_in_wan_are_scaled_counts_of_their_base_unit(unit, base):
    (tok,) = _scan(f"全年救助3.72{unit}")
    assert (tok.quantity.value, tok.unit, tok.dim) == (Decimal("3.72"), unit, f"count:{base}")
    assert quantities.dimension(unit) == quantities.dimension(base)


def test_wan_count_conversion_is_exact():
    assert quantities.to_unit(Decimal("3.72"), "万人次", "人次") == Decimal("37200")
    assert quantities.to_unit(Decimal("29500"), "人次", "万人次") == Decimal("2.95")
    assert quantities.to_unit(Decimal("1.2"), "亿人次", "万人次") == Decimal("12000")
    assert isinstance(quantities.to_unit(Decimal("0.67"), "万人次", "人次"), Decimal)
    with pytest.raises(ValueError):
        quantities.to_unit(Decimal(1), "万人次", "万人")


def test_a_count_in_wan_is_rounded_not_exact():
    # 3万人 stands for 2.5万-3.5万 people; 16人 is 16 people.
    span = models.Span(start=0, end=1)
    q = quantities.make_quantity("3", "万人", "3万人", span)
    assert not q.exact
    iv = quantities.interval_of(q, "人")
    assert (iv.lo, iv.hi) == (Decimal("25000"), Decimal("35000"))


def test_wan_yuan_per_person_stays_money():
    (tok,) = _scan("人均补助3万元/人")
    assert tok.unit == "万元"
