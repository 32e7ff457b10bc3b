"""Table reconstruction from flattened text: layouts, roles, and malformed tables."""

from __future__ import annotations

from decimal import Decimal

from conftest import check_text

from extractor import load, tables

CELLS = ("部门收入情况（万元）\n\t机构名称\n\t收入合计\n\t其中：\n\t拨款\n\t其他收入\n"
         "\t汇总\n\t100\n\t90\n\t10\n\t1、甲单位\n\t60\n\t55\n\t5\n\t2、乙单位\n\t40\n\t35\n\t5\n"
         "\t3、丙单位\n\t0\n\t0\n\t0\n")


def test_one_cell_per_line_table_is_rebuilt_with_header_and_unit():
    doc = load.from_text(CELLS)
    (t,) = tables.rebuild(doc)
    assert t.layout == "cells" and t.unit == "万元"
    assert t.header == ["收入合计", "拨款", "其他收入"]
    assert [r.label for r in t.rows] == ["汇总", "1、甲单位", "2、乙单位", "3、丙单位"]
    frame = t.frame()
    assert frame.loc["1、甲单位", "拨款"] == Decimal(55)
    cell = t.rows[1].cells[0]
    assert doc.raw[cell.span.start:cell.span.end] == "60"


def test_cross_cast_and_footing_claims_from_header(run_text):
    _, report = run_text(CELLS)
    table_claims = [c for c in report.claims if c.type == "breakdown" and c.table]
    # 3 column footings (汇总 row) + 4 row cross-casts (合计 = 拨款 + 其他收入)
    assert len(table_claims) == 7
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_cross_cast_error_points_at_the_row(run_text):
    # Whole 万元 figures stand for ±0.5 each, so an error must exceed that.
    doc, report = run_text(CELLS.replace("\t60\n\t55\n\t5", "\t60\n\t55\n\t1"))
    codes = sorted(f.code for f in report.findings if f.severity.value == "error")
    assert codes == ["JX202", "JX202"]  # the 其他收入 column and the 甲单位 row
    assert any("1、甲单位" in f.message.zh for f in report.findings)


def test_ragged_row_is_noted_not_guessed(run_text):
    ragged = CELLS.replace("\t2、乙单位\n\t40\n\t35\n\t5\n", "\t2、乙单位\n\t40\n\t35\n")
    _, report = run_text(ragged)
    notes = [f for f in report.findings if f.code == "JX002"]
    assert len(notes) == 1 and notes[0].severity.value == "info"
    assert "2、乙单位" in notes[0].message.zh


def test_dash_cells_are_blank_not_text(run_text):
    text = ("基础数据表\n经费情况(万元)\t2022年决算数\t2023年预算数\t2023年决算数\n"
            "公用经费\t189.47\t38.4\t34.28\n其中：办公经费\t178.27\t\t26.73\n"
            "水费、电费\t10.83\t—\t\n会议费\t0.37\t\t\n")
    _, report = run_text(text)
    footings = [c for c in report.claims if c.type == "breakdown" and c.table]
    assert any(c.total.raw == "189.47" for c in footings)
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_figure_wrapped_over_two_lines_is_joined():
    text = ("年度资金总额：\n1374.58 3666.39 3439.59 10 93.81%\n\n9.3\n\n8\n")
    _, report = check_text(text)
    scores = [c for c in report.claims if c.type == "score"]
    assert scores and scores[0].awarded.value == Decimal("9.38")


def test_markdown_pipe_table(run_text):
    text = ("| 项目 | 年初预算数 | 决算数 |\n|---|---|---|\n| 甲经费 | 10 | 12 |\n"
            "| 乙经费 | 20 | 18 |\n| 合计 | 30 | 40 |\n")
    doc, report = run_text(text)
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["JX202"]
    assert doc.quote(errors[0].spans[0]) == "40"


# A score sheet exported one cell per line without tabs (PDF → text).
PLAIN_CELLS = "三级指标\n分值\n得分\n参保人数\n10\n9\n参保率\n10\n9.5\n"


def test_plain_one_cell_per_line_sheet_is_rebuilt():
    doc = load.from_text(PLAIN_CELLS)
    (t,) = tables.rebuild(doc)
    assert t.layout == "cells" and t.header == ["分值", "得分"]
    assert [r.label for r in t.rows] == ["参保人数", "参保率"]
    cell = t.rows[1].cells[1]
    assert doc.raw[cell.span.start:cell.span.end] == "9.5"


def test_plain_one_cell_per_line_ragged_row_is_noted(run_text):
    _, report = run_text(PLAIN_CELLS + "满意度\n5\n")
    notes = [f for f in report.findings if f.code == "JX002"]
    assert len(notes) == 1 and "满意度" in notes[0].message.zh
    assert not [f for f in report.findings if f.severity.value != "info"]


def test_plain_lines_with_labels_and_figures_are_not_a_cell_block():
    # "label figures" rows between header lines are read as rows, not cells.
    doc = load.from_text("三级指标\n分值\n得分\n参保人数 10 9\n参保率 10 9.5\n")
    (t,) = tables.rebuild(doc)
    assert t.layout == "rows"
