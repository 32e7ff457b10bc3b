"""Grounding of model figures on table rows of every layout the rules backend reads.

Issue 12, cause 1: whitespace between figures is a cell boundary, and the
figure read is exactly the located one (digits, sign, decimals, unit,
余/约/近). The items below are what a strong model answers (written here by
hand, as a test double's answers); the texts are synthetic.
"""

from __future__ import annotations

from decimal import Decimal

import pydantic
import pytest

from extractor import load, models
from extractor.extract import align, llm, prompts


def _ground(text: str) -> tuple[models.Document, llm._Ground]:
    doc = load.from_text(text, "<synthetic>")
    (chunk,) = llm.chunk_document(doc, 4000)
    return doc, llm._Ground(chunk, doc.raw, prompts.load(llm.PROMPT_VALIDATION))


def _validate(text: str, item: dict):
    doc, ground = _ground(text)
    return doc, llm._ITEM.validate_python(item, context={"ground": ground})


def _reject_reason(text: str, item: dict) -> str:
    with pytest.raises(pydantic.ValidationError) as info:
        _validate(text, item)
    return str(info.value)


SPACE_ROW = "单位：万元\n项目 预算数 执行数\n合计 122.87 122.87\n"
TAB_ROW = "项目\t上年\t增减\t本年\t增幅\n培训\t15\t-8.7\t15\t11.5\n"
PIPE_ROW = "| 项目 | 预算数 | 执行数 |\n| 合计 | 122.87 | 122.87 |\n"
CELL_LINES = "项目\n预算数\n执行数\n办公费\n9.3\n8\n"
WRAPPED = "三级指标 分值 得分\n培训完成\n率 10 9.5\n"


@pytest.mark.parametrize("text,metric,figure,raw", [
    (SPACE_ROW, "执行数", "122.87", "122.87"),
    (TAB_ROW, "增减", "-8.7", "-8.7"),
    (TAB_ROW, "增幅", "11.5", "11.5"),
    (PIPE_ROW, "执行数", "122.87", "122.87"),
    (CELL_LINES, "预算数", "9.3", "9.3"),
    (CELL_LINES, "执行数", "8", "8"),
    (WRAPPED, "得分", "9.5", "9.5"),
])
def test_llm_grounding_reads_one_cell_of_each_layout(text, metric, figure, raw):
    doc, item = _validate(text, {"kind": "mention", "metric": metric, "quote": text.strip(),
                                 "value": figure})
    q = item._found["value"]
    assert doc.raw[q.span.start:q.span.end] == raw
    assert q.value == Decimal(raw)


@pytest.mark.parametrize("text,merged", [
    (SPACE_ROW, "122.87122.87"),
    (TAB_ROW, "15-8.7"),
    (PIPE_ROW, "122.87122.87"),
    (CELL_LINES, "9.38"),
])
def test_llm_grounding_never_merges_cells(text, merged):
    reason = _reject_reason(text, {"kind": "mention", "metric": "执行数", "quote": text.strip(),
                                   "value": merged})
    assert "没有原样出现" in reason or "不是原文中的数字" in reason


def test_llm_grounding_space_row_breakdown_takes_distinct_cells():
    text = "单位：万元\n项目 金额\n合计 30\n办公费 10\n差旅费 20\n"
    doc, item = _validate(text, {"kind": "breakdown", "label": "合计", "quote": text.strip(),
                                 "total": "30万元", "parts": ["10万元", "20万元"]})
    total, parts = item._found["total"], item._found["parts"]
    assert [doc.raw[p.span.start:p.span.end] for p in parts] == ["10", "20"]
    # The bare cells take the caption's unit the model named.
    assert total.unit == "万元" and all(p.unit == "万元" for p in parts)


def test_llm_grounding_repeated_value_takes_the_next_cell():
    doc, ground = _ground(SPACE_ROW)
    taken: set[int] = set()
    first, _ = llm._figure(ground, "a", "122.87", 0, len(ground.chunk.view.text), taken)
    second, _ = llm._figure(ground, "b", "122.87", 0, len(ground.chunk.view.text), taken)
    assert first.span != second.span
    assert doc.raw[first.span.start:first.span.end] == doc.raw[second.span.start:second.span.end]


@pytest.mark.parametrize("text,figure,value,unit,approx", [
    ("共投入资金400余万元。", "400万元", "400", "万元", True),
    ("共投入资金400余万元。", "400余万元", "400", "万元", True),
    ("带动资金约5亿元。", "5亿元", "5", "亿元", True),
    ("新建资金站点近30个。", "30个", "30", "个", True),
    ("资金执行率为９０．２１％。", "90.21%", "90.21", "%", False),
    ("资金同比下降-8.70%。", "-8.70%", "-8.70", "%", False),
    ("资金共三千万元。", "三千万元", "30000000", "元", False),
])
def test_llm_grounding_reads_the_printed_figure(text, figure, value, unit, approx):
    _, item = _validate(text, {"kind": "mention", "metric": "资金", "quote": text.rstrip("。"),
                               "value": figure})
    q = item._found["value"]
    assert q.value == Decimal(value)
    assert q.approximate is approx
    if unit != "元":
        assert q.unit == unit
    if "." in value:
        assert q.decimals == len(value.split(".")[1])


@pytest.mark.parametrize("text,figure", [
    ("执行率为90.2%。", "90.20%"),      # other decimals: another figure
    ("执行率为90.21%。", "90.2%"),
    ("支出400万元。", "400元"),         # another unit than printed
    ("增长8.7%。", "-8.7%"),            # a sign the source does not print
    ("支出1234.5万元。", "234.5万元"),  # a tail of a figure
])
def test_llm_grounding_rejects_what_the_source_does_not_print(text, figure):
    reason = _reject_reason(text, {"kind": "mention", "metric": "支出", "quote": text.rstrip("。"),
                                   "value": figure})
    assert "value" in reason


def test_llm_grounding_bare_cell_takes_no_unit_the_chunk_does_not_print():
    text = "项目 金额\n办公费 10\n"
    _, item = _validate(text, {"kind": "mention", "metric": "办公费", "quote": "办公费 10",
                               "value": "10万元"})
    assert item._found["value"].unit == ""


def test_llm_locate_number_whitespace_is_a_boundary():
    view = load.from_text("合计 122.87 122.87\n").view
    assert align.locate_number("122.87122.87", view, 0, len(view.text)) is None
    assert align.locate_number("122.87", view, 0, len(view.text)) is not None
    cells = models.TextView("9.3\n8", list(range(6)))
    assert align.locate_number("9.38", cells, 0, len(cells.text)) is None
    # Whitespace between a figure and its unit is not a boundary.
    unit = models.TextView("216.5 万元", list(range(9)))
    assert align.locate_number("216.5万元", unit, 0, len(unit.text)) == 0


# ---------------------------------------------------------------- pairing guards
# What a prompt-injected (or careless) model can answer with real quoted
# figures: the pairing must be stated by the text, or the claim is rejected.


def test_llm_guard_breakdown_needs_a_list_word():
    text = "本项目年度预算100万元。采购设备30万元，开展培训50万元。"
    reason = _reject_reason(text, {"kind": "breakdown", "label": "预算", "quote": text.rstrip("。"),
                                   "total": "100万元", "parts": ["30万元", "50万元"]})
    assert "合计与其中各项" in reason
    stated = "本项目年度预算100万元，其中：采购设备30万元，开展培训50万元。"
    _, item = _validate(stated, {"kind": "breakdown", "label": "预算",
                                 "quote": stated.rstrip("。"), "total": "100万元",
                                 "parts": ["30万元", "50万元"]})
    assert [p.value for p in item._found["parts"]] == [Decimal(30), Decimal(50)]


def test_llm_guard_breakdown_total_after_parts_needs_a_total_word():
    text = "采购设备30万元，开展培训50万元，合计80万元。"
    _, item = _validate(text, {"kind": "breakdown", "label": "合计", "quote": text.rstrip("。"),
                               "total": "80万元", "parts": ["30万元", "50万元"]})
    assert item._found["total"].value == Decimal(80)
    bad = "采购设备30万元，开展培训50万元，年度预算80万元。"
    assert "合计与其中各项" in _reject_reason(bad, {
        "kind": "breakdown", "label": "预算", "quote": bad.rstrip("。"), "total": "80万元",
        "parts": ["30万元", "50万元"]})


def test_llm_guard_table_total_row_above_items():
    text = "单位：万元\n项目 金额\n合计 80\n设备 30\n培训 50\n"
    _, item = _validate(text, {"kind": "breakdown", "label": "合计", "quote": text.strip(),
                               "total": "80", "parts": ["30", "50"]})
    assert len(item._found["parts"]) == 2


def test_llm_guard_breakdown_parts_in_another_dimension():
    text = "项目资金100万元，其中：覆盖农户30户，完成率50%。"
    reason = _reject_reason(text, {"kind": "breakdown", "label": "项目资金",
                                   "quote": text.rstrip("。"), "total": "100万元",
                                   "parts": ["30户", "50%"]})
    assert "parts" in reason and "单位" in reason


def test_llm_guard_ratio_inputs_share_a_dimension():
    text = "培训农户120户，投入资金60万元，完成率为200%。"
    reason = _reject_reason(text, {"kind": "ratio", "label": "完成率", "quote": text.rstrip("。"),
                                   "stated": "200%", "numerator": "120户",
                                   "denominator": "60万元"})
    assert "numerator/denominator" in reason


def test_llm_guard_mention_name_must_be_quoted():
    text = "到位资金86万元。"
    reason = _reject_reason(text, {"kind": "mention", "metric": "项目总投资",
                                   "quote": "到位资金86万元", "value": "86万元"})
    assert "metric" in reason


def test_llm_guard_row_cross_cast_under_a_total_column_header():
    text = "项目\t收入合计\t财政拨款\t其他收入\n州本级\t2764\t580\t2184\n"
    _, item = _validate(text, {"kind": "breakdown", "label": "收入合计",
                               "quote": "2764\t580\t2184", "total": "2764",
                               "parts": ["580", "2184"]})
    assert [p.value for p in item._found["parts"]] == [Decimal(580), Decimal(2184)]
    no_header = "项目\t甲\t乙\t丙\n州本级\t2764\t580\t2184\n"
    assert "合计与其中各项" in _reject_reason(no_header, {
        "kind": "breakdown", "label": "甲", "quote": "2764\t580\t2184", "total": "2764",
        "parts": ["580", "2184"]})
