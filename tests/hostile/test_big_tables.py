"""Tables too big to check (issue 11): a 合计 of 208+ rows one unit off was
silently accepted; it must be an info note saying so, never silence."""

from __future__ import annotations

import io

import pytest

from extractor import load, models, pipeline


def _rows(n: int) -> tuple[list[tuple[str, str, str]], int, int]:
    rows = [(f"支出项目{i + 1}", f"{10 + i % 7}.00", f"{9 + i % 5}.00") for i in range(n)]
    budget = sum(10 + i % 7 for i in range(n))
    actual = sum(9 + i % 5 for i in range(n))
    return rows, budget, actual


def _tab_text(n: int, off_by: int) -> str:
    rows, budget, actual = _rows(n)
    lines = ["部门预算执行情况表", "单位：万元", "项目名称\t预算数\t决算数"]
    lines += ["\t".join(r) for r in rows]
    lines.append(f"合计\t{budget + off_by}.00\t{actual}.00")
    return "\n".join(lines) + "\n"


def _jx202(report: models.Report) -> list[models.Finding]:
    return [f for f in report.findings if f.code == "JX202"]


@pytest.mark.parametrize("n", [208, 1000])
def test_tab_table_too_big_to_decide_is_an_info_note(n):
    doc = load.from_text(_tab_text(n, 1), "big.txt")
    found = _jx202(pipeline.check_document(doc))
    assert len(found) == 1
    assert found[0].severity is models.Severity.INFO
    assert f"{n} 个分项" in found[0].message.zh and "too big" in found[0].message.en


def test_tab_table_with_a_large_error_is_still_an_error():
    doc = load.from_text(_tab_text(300, 50), "big.txt")
    found = _jx202(pipeline.check_document(doc))
    assert [f.severity for f in found] == [models.Severity.ERROR]


def test_big_table_that_foots_has_no_note():
    doc = load.from_text(_tab_text(300, 0), "big.txt")
    assert _jx202(pipeline.check_document(doc)) == []


def test_small_table_within_rounding_has_no_note():
    # 3 rows: a one-unit gap is an error, as before (no "too big" note).
    doc = load.from_text(_tab_text(3, 1), "small.txt")
    assert [f.severity for f in _jx202(pipeline.check_document(doc))] == [models.Severity.ERROR]


@pytest.mark.parametrize("n", [1000])
def test_docx_table_too_big_to_decide_is_an_info_note(n):
    import docx

    rows, budget, actual = _rows(n)
    d = docx.Document()
    d.add_paragraph("部门预算执行情况表")
    d.add_paragraph("单位：万元")
    table = d.add_table(rows=n + 2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("项目名称", "预算数", "决算数")):
        cell.text = text
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    for cell, text in zip(table.rows[-1].cells, ("合计", f"{budget + 1}.00", f"{actual}.00")):
        cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    doc = load.from_bytes(buf.getvalue(), "big.docx", ".docx")
    found = _jx202(pipeline.check_document(doc))
    assert [f.severity for f in found] == [models.Severity.INFO]
