"""Chunks built from the document's structure (issue 12, cause 3). Synthetic texts."""

from __future__ import annotations

from extractor import load
from extractor.extract import llm

PROSE = "一、基本情况\n" + "".join(f"第{i}项工作按计划推进，完成情况良好。" for i in range(1, 9)) + "\n"
TABLE = (
    "表1 项目支出情况\n"
    "单位：万元\n"
    "项目 预算数 执行数\n"
    "合计 150 144\n"
    "设备购置 100 96\n"
    "人员培训 50 48\n"
)


def _core(chunk: llm.Chunk) -> str:
    return chunk.view.text[chunk.core:]


def test_llm_chunks_keep_a_table_whole_with_caption_and_header():
    doc = load.from_text(PROSE + TABLE + PROSE.replace("一、", "二、"))
    chunks = llm.chunk_document(doc, 200)
    holding = [c for c in chunks if "合计150 144" in _core(c)]
    assert len(holding) == 1
    core = _core(holding[0])
    for line in ("表1项目支出情况", "项目 预算数 执行数", "设备购置100 96", "人员培训50 48"):
        assert line.replace(" ", "") in core.replace(" ", "")


def test_llm_chunks_split_a_big_table_by_rows_with_the_header_repeated():
    rows = "".join(f"第{i}项 {i}0 {i}" + "\n" for i in range(1, 41))
    doc = load.from_text("表2 明细表\n项目 预算数 执行数\n" + rows)
    chunks = llm.chunk_document(doc, 200)
    assert len(chunks) > 2
    seen: list[str] = []
    for c in chunks:
        assert "项目预算数执行数" in c.view.text.replace(" ", "")
        assert len(_core(c)) <= 200 + 1
        seen.extend(ln for ln in _core(c).split("\n") if ln.startswith("第"))
    # Every row is the own text of exactly one chunk.
    assert len(seen) == 40 and len(set(seen)) == 40
    for c in chunks[1:]:
        assert "项目预算数执行数" in c.view.text[:c.core].replace(" ", "")


def test_llm_chunks_never_cut_a_sentence():
    text = "一、情况\n" + "".join(f"第{i}项支出{i}0万元，用于采购设备和开展培训。" for i in range(1, 40)) + "\n"
    doc = load.from_text(text)
    for c in llm.chunk_document(doc, 200):
        core = _core(c).rstrip("\n")
        assert core.endswith("。") or core == "一、情况", core[-20:]
