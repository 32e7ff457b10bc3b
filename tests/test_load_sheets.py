"""Spreadsheet input (.xlsx / .xls 自评表): one table per sheet, figures as displayed, cells named."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import openpyxl
import pytest

from extractor import cli, errors, load
from extractor.load import sheet

# A 自评表 of my own: 合计 of 全年预算数 is 120.60 while 80.25 + 40.25 = 120.50
# (JX202 at C2), and 基本支出's 执行率 is 88.35% while 70.10 / 80.25 = 87.35%
# (JX101 at E3). 项目支出: 40.10 / 40.25 = 99.63%, consistent.
HEADER = ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率"]
ROWS = [
    ["合计", None, 120.6, 110.2, None],
    ["基本支出", None, 80.25, 70.1, 0.8835],
    ["项目支出", None, 40.25, 40.1, 0.9963],
]


def _workbook(path, rows=ROWS, note="全年执行数110.20万元。"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for r in range(2, 2 + len(rows)):
        for c in "BCD":
            ws[f"{c}{r}"].number_format = "0.00"
        ws[f"E{r}"].number_format = "0.00%"
    other = wb.create_sheet("说明 2023")
    other["B2"] = note
    wb.save(path)
    return path


def test_xlsx_text_is_a_tab_table_per_sheet(tmp_path):
    doc = load.load(str(_workbook(tmp_path / "t.xlsx")))
    assert doc.raw.splitlines() == [
        "自评表",
        "项目\t年初预算数\t全年预算数\t全年执行数\t执行率",
        "合计\t\t120.60\t110.20\t",
        "基本支出\t\t80.25\t70.10\t88.35%",
        "项目支出\t\t40.25\t40.10\t99.63%",
        "",
        "说明 2023",
        "\t全年执行数110.20万元。",
    ]
    assert doc.encoding == "xlsx"
    assert doc.tables[0][1] == ["合计", "", "120.60", "110.20", ""]


def test_xlsx_cells_are_addressable(tmp_path):
    doc = load.load(str(_workbook(tmp_path / "t.xlsx")))
    by_ref = {ref: doc.raw[s:e] for s, e, ref in doc.cells}
    assert by_ref["自评表!C2"] == "120.60"
    assert by_ref["自评表!E3"] == "88.35%"
    # A sheet name with a space is quoted as Excel writes it.
    assert by_ref["'说明 2023'!B2"] == "全年执行数110.20万元。"


def test_xlsx_findings_name_their_cells(tmp_path, capsys):
    path = str(_workbook(tmp_path / "t.xlsx"))
    assert cli.main(["check", path, "-f", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    found = {(f["code"], f["spans"][0]["cell"], f["stated"], f["recomputed"])
             for f in data["findings"]}
    assert found == {("JX202", "自评表!C2", "120.60", "120.50"),
                     ("JX101", "自评表!E3", "88.35", "87.35")}
    cli.main(["check", path, "-f", "concise"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{path}:3:5: JX202 错误 [自评表!C2] 合计不符")
    assert lines[1].startswith(f"{path}:4:19: JX101 错误 [自评表!E3] 比率不符")


def test_xlsx_consistent_sheet_is_clean(tmp_path, capsys):
    rows = [["合计", None, 120.5, 110.2, None], ["基本支出", None, 80.25, 70.1, 0.8735],
            ["项目支出", None, 40.25, 40.1, 0.9963]]
    assert cli.main(["check", str(_workbook(tmp_path / "ok.xlsx", rows)), "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_xlsx_merged_cells_written_once(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws["A1"], ws["C1"] = "项目", "决算数"
    ws.merge_cells("C1:D1")
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "合计", 10, 6, 4
    wb.save(tmp_path / "m.xlsx")
    doc = load.load(str(tmp_path / "m.xlsx"))
    assert doc.raw.splitlines()[1:] == ["项目\t\t决算数\t", "合计\t10\t6\t4"]


@pytest.mark.parametrize("value, fmt, shown", [
    (0.9387, "0.00%", "93.87%"),
    (0.9387, "0%", "94%"),
    (1234.5, "#,##0.00", "1234.50"),
    (12.5, '0.00"万元"', "12.50万元"),
    (3, "General", "3"),
    (0.1 + 0.2, "General", "0.3"),
    (2.675, "0.00", "2.68"),  # Excel rounds the displayed value half up
    ("  分 项\n说明 ", "General", "分 项 说明"),
    (True, "General", "TRUE"),
    (datetime.datetime(2023, 12, 31), "yyyy-mm-dd", "2023-12-31"),
    (None, "0.00", ""),
])
def test_sheet_display_as_excel_shows(value, fmt, shown):
    assert sheet.display(value, fmt) == shown


def test_sheet_cell_ref_letters():
    assert sheet.cell_ref("S", 0, 0) == "S!A1"
    assert sheet.cell_ref("S", 9, 25) == "S!Z10"
    assert sheet.cell_ref("S", 0, 26) == "S!AA1"
    assert sheet.cell_ref("it's", 0, 27) == "'it''s'!AB1"


def test_xls_input(tmp_path, capsys):
    xlwt = pytest.importorskip("xlwt", reason="xlwt (a test dependency) writes the .xls fixture")
    book = xlwt.Workbook()
    ws = book.add_sheet("自评表")
    two = xlwt.easyxf(num_format_str="0.00")
    pct = xlwt.easyxf(num_format_str="0.00%")
    for c, h in enumerate(HEADER):
        ws.write(0, c, h)
    for r, row in enumerate(ROWS, 1):
        ws.write(r, 0, row[0])
        for c in (2, 3):
            ws.write(r, c, row[c], two)
        if row[4] is not None:
            ws.write(r, 4, row[4], pct)
    book.save(str(tmp_path / "t.xls"))
    doc = load.load(str(tmp_path / "t.xls"))
    assert doc.raw.splitlines()[2:4] == ["合计\t\t120.60\t110.20\t", "基本支出\t\t80.25\t70.10\t88.35%"]
    assert cli.main(["check", str(tmp_path / "t.xls"), "-f", "concise", "-q"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[1:4] for line in lines] == [["JX202", "错误", "[自评表!C2]"],
                                                        ["JX101", "错误", "[自评表!E3]"]]


@pytest.mark.parametrize("suffix, data, needle", [
    (".xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Rename it to .xls"),
    (".xlsx", b"plain text, not a workbook", "not a valid .xlsx"),
    (".xls", b"PK\x03\x04 zip", "Rename it to .xlsx"),
    (".xls", b"not an excel file at all", "not a valid .xls"),
])
def test_bad_workbooks_are_refused_clearly(tmp_path, capsys, suffix, data, needle):
    p = tmp_path / f"bad{suffix}"
    p.write_bytes(data)
    with pytest.raises(errors.LoadError) as e:
        load.load(str(p))
    assert needle in e.value.en and any("\u4e00" <= ch <= "\u9fff" for ch in e.value.zh)
    assert cli.main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_docx_renamed_xlsx_is_named(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("正文")
    d.save(tmp_path / "w.xlsx")
    with pytest.raises(errors.LoadError) as e:
        load.load(str(tmp_path / "w.xlsx"))
    assert "not an Excel workbook" in e.value.en


def test_empty_workbook_is_empty_input(tmp_path):
    openpyxl.Workbook().save(tmp_path / "e.xlsx")
    with pytest.raises(errors.LoadError) as e:
        load.load(str(tmp_path / "e.xlsx"))
    assert "Empty input" in e.value.en


def test_decimal_values_never_floats(tmp_path):
    """The checks see the displayed digits: 0.1 + 0.2 stored as a float reads as 0.3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "金额"])
    ws.append(["合计", 0.1 + 0.2])
    ws.append(["甲", 0.1])
    ws.append(["乙", 0.2])
    wb.save(tmp_path / "f.xlsx")
    doc = load.load(str(tmp_path / "f.xlsx"))
    assert "合计\t0.3" in doc.raw
    assert Decimal("0.3") == Decimal(doc.raw.splitlines()[2].split("\t")[1])


def test_zip_bomb_workbook_is_refused(tmp_path, monkeypatch):
    from extractor.load import xlsx

    path = _workbook(tmp_path / "t.xlsx")
    monkeypatch.setattr(xlsx, "_MAX_UNPACKED", 1024)  # the real bound is 512 MB
    with pytest.raises(errors.LoadError) as e:
        load.load(str(path))
    assert "unpacks to more than" in e.value.en
