"""Paragraph joining across PDF line wraps, without swallowing tables."""

from __future__ import annotations

from extractor import load, segment


def test_wrapped_prose_lines_join_into_one_paragraph():
    text = ("该培训项目财政安排资金为 240 万元，实际拨付至本中心\n\n186.45 万元，我中心按照培训计划"
            "分批使用。\n一、下一节\n")
    paras = segment.paragraphs(load.from_text(text))
    assert paras[0].text.startswith("该培训项目财政安排资金为240万元，实际拨付至本中心186.45万元")
    assert paras[1].kind == "heading"


def test_table_rows_stay_separate():
    text = "教材编印费 3 3\n师资劳务费 48.62 48.62\n合计 51.62 51.62\n"
    paras = segment.paragraphs(load.from_text(text))
    assert [p.kind for p in paras] == ["table", "table", "table"]


def test_sentences_split_at_full_stops_and_ascii_stop_before_cjk():
    text = "增速6.4%.全年实现外贸总额86亿元，增速6.2%。下一句。"
    (para,) = segment.paragraphs(load.from_text(text))
    assert [s.text for s in segment.sentences(para)] == [
        "增速6.4%.", "全年实现外贸总额86亿元，增速6.2%。", "下一句。"]


# ---------------------------------------------------------------- outline markers

import pytest  # noqa: E402

from extractor import quantities  # noqa: E402

_NARRATIVE = "预算100万元，实际支出95万元，执行率为96%。"


@pytest.mark.parametrize("marker", ["3.", "（三）", "一、", "1．", "（1）", "(2)", "2、"])
def test_numbered_line_with_figures_is_prose(marker):
    (para,) = segment.paragraphs(load.from_text(marker + _NARRATIVE + "\n"))
    assert para.kind == "prose"
    first = segment.sentences(para)[0]
    # The outline marker is not part of the sentence, nor a figure of it.
    assert first.text == _NARRATIVE
    assert [t.quantity.raw for t in quantities.scan(para.view)] == ["100万元", "95万元", "96%"]


@pytest.mark.parametrize("text", ["（二）项目支出", "三、绩效目标完成情况", "1、项目单位基本情况",
                                  "（一）预算执行率（权重10分）", "2、信访维稳工作。"])
def test_short_headings_stay_headings(text):
    paras = segment.paragraphs(load.from_text(text + "\n本年预算100万元，已全部执行。\n"))
    assert paras[0].kind == "heading"
    assert paras[1].section == text[:40]


def test_heading_phrase_before_narrative_names_the_section():
    text = "1.资金执行。预算100万元，实际支出95万元，执行率为96%。\n全年完成目标。\n"
    paras = segment.paragraphs(load.from_text(text))
    assert paras[0].kind == "prose"
    assert paras[0].section == "1.资金执行"
    assert paras[1].section == "1.资金执行"
    assert [s.text for s in segment.sentences(paras[0])] == ["资金执行。", _NARRATIVE]


def test_run_of_numbered_items_keeps_markers_as_list_items():
    # Sibling items are the parts of a total stated before them; they stay list items.
    text = "安排项目支出70万元。\n1、办公经费50万元，用于日常运转。\n2、培训经费20万元，用于培训。\n"
    paras = segment.paragraphs(load.from_text(text))
    assert [p.kind for p in paras] == ["prose", "prose", "prose"]
    assert [p.narrative_start for p in paras] == [0, 0, 0]


def test_numbered_lines_do_not_run_on_into_each_other():
    text = "1、办公经费50万元，用于日常\n2、培训经费20万元，用于培训。\n"
    paras = segment.paragraphs(load.from_text(text))
    assert len(paras) == 2


def test_numbered_narrative_wrapped_over_lines_joins():
    text = "3.预算100万元，实际支出95万元，执\n行率为96%。\n"
    (para,) = segment.paragraphs(load.from_text(text))
    assert para.kind == "prose"
    assert para.text.endswith("执行率为96%。")


def test_heading_phrase_after_a_spaced_marker():
    text = "1. 资金执行：预算100万元，实际支出95万元。\n"
    (para,) = segment.paragraphs(load.from_text(text))
    assert para.section == "1.资金执行"


def test_numbered_heading_beside_a_numbered_narrative_is_not_a_sibling_item():
    text = "预算执行率为96.36%。\n2.资金到位。\n3.预算执行率为96.63%。\n"
    paras = segment.paragraphs(load.from_text(text))
    assert [p.kind for p in paras] == ["prose", "heading", "prose"]
    assert segment.sentences(paras[2])[0].text == "预算执行率为96.63%。"


def test_paragraph_joins_a_figure_broken_by_a_line_wrap() -> None:
    # A PDF export wraps narrative at a fixed width, even inside a figure.
    doc = load.from_text("年中追加调整后，全年预算数调整为1,2\n80.50万元，执行率为百分之九十。\n")
    (para,) = segment.paragraphs(doc)
    assert "1,280.50万元" in para.view.text
    start = para.view.text.index("1,280.50")
    span = para.view.raw_span(start, start + len("1,280.50万元"))
    assert doc.raw[span.start:span.end] == "1,2\n80.50万元"
