"""A reader that raises costs its own claims only: the report is still checked."""

from __future__ import annotations

from extractor import load, pipeline
from extractor.extract import readers

_ORIGINAL_LOAD = readers.Reader.load


def test_a_failing_reader_is_an_info_note_and_the_rest_is_checked(monkeypatch):
    def broken(doc):
        raise IndexError("list index out of range")

    monkeypatch.setattr(readers.Reader, "load",
                        lambda self: broken if self.code == "R101" else _ORIGINAL_LOAD(self))
    doc = load.from_text("全年支出100万元，其中：甲60万元，乙50万元。\n", "<case>")
    report = pipeline.check_document(doc)
    assert sorted(f.code for f in report.findings) == ["JX001", "JX201"]
    note = next(f for f in report.findings if f.code == "JX001")
    assert "R101" in note.message.zh and "R101" in note.message.en


def test_a_year_table_with_a_title_line_above_its_header_is_read():
    text = ("收入项目完成情况见下表：\n项目 2024年 2023年 增减额 增减率\n"
            "专项收入 40.00 32.00 8.00 25.00%\n资源收入 50.00 40.00 10.00 25.00%\n")
    report = pipeline.check_document(load.from_text(text, "<case>"))
    assert [f.code for f in report.findings if f.severity.value != "info"] == []
    types = sorted(c.type for c in report.claims if c.table)
    assert types.count("growth") == 2 and types.count("difference") == 2
