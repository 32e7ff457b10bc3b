"""Quote alignment (extract/align.py) and chunking onto raw offsets, on CJK text.

Offsets below were counted by hand on the literal strings (one CJK character
is one code point); each test also reads the raw text back under the span.
"""

from __future__ import annotations

from extractor import load, models
from extractor.extract import align, llm

# "预算执行率为90.21%" occurs twice: under 一、 at 17 and under 二、 at 40.
RAW = (
    "一、资金情况\n"                             # 0-5, \n at 6
    "年初预算240万元，预算执行率为90.21%。\n"  # 7-29, \n at 30; 预 of 预算执行率 at 17
    "二、复核\n"                                 # 31-34, \n at 35
    "经复核，预算执行率为90.21%。\n"           # 36-53; 预 at 40
)


def test_llm_align_exact_cjk_offsets():
    span, status = align.align_quote("预算执行率为90.21%", RAW)
    assert (span.start, span.end) == (17, 29)
    assert RAW[span.start:span.end] == "预算执行率为90.21%"
    assert status is models.Alignment.EXACT


def test_llm_align_quote_occurring_twice_prefers_the_given_region():
    first, _ = align.align_quote("预算执行率为90.21%", RAW)
    second, status = align.align_quote("预算执行率为90.21%", RAW, prefer=30)
    assert (first.start, second.start) == (17, 40)
    assert RAW[second.start:second.end] == "预算执行率为90.21%"
    assert status is models.Alignment.EXACT
    within, _ = align.align_quote("预算执行率为90.21%", RAW, start=30, end=len(RAW))
    assert within == second
    hits = align.locate_all("预算执行率为90.21%", load.from_text(RAW).view)
    assert [h.span.start for h in hits] == [17, 40]


def test_llm_align_fuzzy_whitespace_and_full_width():
    raw = "全年实际支出\n２１６.５ 万元，执行率为９０．２１％。"
    # 全(0)年实际支出(1-5)\n(6)２(7)１(8)６(9).(10)５(11) (12)万(13)元(14)，(15)
    span, status = align.align_quote("全年实际支出216.5万元", raw)
    assert status is models.Alignment.FUZZY
    assert (span.start, span.end) == (0, 15)
    assert raw[span.start:span.end] == "全年实际支出\n２１６.５ 万元"
    span, status = align.align_quote("执行率为90.21%", raw)
    assert raw[span.start:span.end] == "执行率为９０．２１％"
    assert status is models.Alignment.FUZZY


def test_llm_align_fuzzy_punctuation_and_quotes():
    raw = "完成“五百强”企业引进3家（目标2家）。"
    span, status = align.align_quote('完成"五百强"企业引进3家(目标2家)', raw)
    assert status is models.Alignment.FUZZY
    assert raw[span.start:span.end] == "完成“五百强”企业引进3家（目标2家）"


def test_llm_align_fuzzy_quote_occurring_twice():
    raw = "执行率为 90.21%；\n另：执行率为\n90.21%。"
    spans = [h.span for h in align.locate_all("执行率为90.21%", load.from_text(raw).view)]
    assert [raw[s.start:s.end] for s in spans] == ["执行率为 90.21%", "执行率为\n90.21%"]
    span, _ = align.align_quote("执行率为90.21%", raw, prefer=10)
    assert span == spans[1]


def test_llm_align_not_found_is_none():
    assert align.align_quote("预算执行率为90.12%", RAW) is None
    assert align.align_quote("   ", RAW) is None


def test_llm_align_number_is_bounded():
    view = load.from_text("合计123.54万元，其中23.5万元。").view
    # 合0 计1 1(2) 2(3) … 其11 中12 2(13)
    assert align.locate_number("23.5", view, 0, len(view.text)) == 13
    assert align.locate_number("123.54", view, 0, len(view.text)) == 2
    assert align.locate_number("23.54", view, 0, len(view.text)) is None
    assert align.locate_number("3.5", view, 0, len(view.text)) is None
    assert align.locate_number("23.5万元", view, 0, len(view.text)) == 13


def test_llm_align_through_normalised_view():
    raw = "收入合计 ３６万元，\n其中：师资费２０万元。"
    doc = load.from_text(raw)
    chunks = llm.chunk_document(doc, 1200)
    hit = align.locate("其中：师资费20万元", chunks[0].view, raw=doc.raw)
    assert hit is not None
    assert doc.raw[hit.span.start:hit.span.end] == "其中：师资费２０万元"
    assert hit.alignment is models.Alignment.FUZZY


def test_llm_chunks_map_back_and_overlap():
    text = "一、情况\n" + "".join(f"第{i}项支出{i}0万元，用于采购。" for i in range(1, 30)) + "\n"
    doc = load.from_text(text)
    chunks = llm.chunk_document(doc, 200)
    assert len(chunks) > 2
    for c in chunks:
        assert len(c.view.text) <= 200 + llm.OVERLAP_CHARS + 1
        # Every character maps back to the same character of the raw text.
        for i, ch in enumerate(c.view.text):
            if ch != "\n":
                assert doc.raw[c.view.offsets[i]] == ch
    for prev, nxt in zip(chunks, chunks[1:]):
        assert nxt.core > 0
        overlap = nxt.view.text[:nxt.core - 1]
        assert prev.view.text.endswith(overlap)
    assert chunks[0].section == "一、情况"
