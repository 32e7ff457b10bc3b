"""Paragraph joining across PDF line wraps, without swallowing tables."""

from __future__ import annotations

from extractor import load, segment


def test_wrapped_prose_lines_join_into_one_paragraph():
    text = ("该专项工作经费财政预算为 189 万元，实际拨付到本单位\n\n122.87 万元，我单位严格按照年初计划"
            "使用该项资金。\n一、下一节\n")
    paras = segment.paragraphs(load.from_text(text))
    assert paras[0].text.startswith("该专项工作经费财政预算为189万元，实际拨付到本单位122.87万元")
    assert paras[1].kind == "heading"


def test_table_rows_stay_separate():
    text = "县海关服务站工作经费 2 2\n招商引资工作经费 54.87 54.87\n合计 122.87 122.87\n"
    paras = segment.paragraphs(load.from_text(text))
    assert [p.kind for p in paras] == ["table", "table", "table"]


def test_sentences_split_at_full_stops_and_ascii_stop_before_cjk():
    text = "增速9.9%.全年实现社零总额340亿元，增速9.8%。下一句。"
    (para,) = segment.paragraphs(load.from_text(text))
    assert [s.text for s in segment.sentences(para)] == [
        "增速9.9%.", "全年实现社零总额340亿元，增速9.8%。", "下一句。"]
