"""Word and PDF inputs: same document model as text, merged cells, refusals.

The fixtures are built by ``scripts/make-fixtures`` into a temporary folder
(binary fixtures are not committed). The PDF ones need reportlab, a test
dependency; without it those tests are skipped, the .docx ones still run.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import pathlib
import random
import zipfile

import pytest

from extractor import cli, errors, load, models, pipeline

REPO = pathlib.Path(__file__).resolve().parent.parent

# Hand-checked lines of the fixture's table as Word's text export writes them:
# 项目 and 预算数 merge down over two header rows, 决算数 across three columns.
HEADER_LINES = ("项目\t预算数\t决算数\t\t", "\t\t合计\t基本支出\t项目支出")
TOTAL_LINE = "合计\t1030.00\t1006.75\t702.35\t304.40"
TABLE_ROWS = [
    ["项目", "预算数", "决算数", "", ""],
    ["", "", "合计", "基本支出", "项目支出"],
    ["一般公共服务支出", "860.00", "842.15", "602.35", "239.80"],
    ["社会保障和就业支出", "120.00", "118.40", "100.00", "18.40"],
    ["卫生健康支出", "50.00", "46.20", "0.00", "46.20"],
    ["合计", "1030.00", "1006.75", "702.35", "304.40"],
]
PLANTED = ("基本支出决算数为702.35万元，其中：工资福利支出521.60万元、商品和服务支出96.25万元、"
           "对个人和家庭的补助80.50万元。")
NEEDS_REPORTLAB = "reportlab is not installed: it builds the PDF fixtures (pip install reportlab)"


def _make_fixtures():
    """scripts/make-fixtures as a module (its file name has no .py suffix)."""
    path = REPO / "scripts" / "make-fixtures"
    loader = importlib.machinery.SourceFileLoader("make_fixtures", str(path))
    spec = importlib.util.spec_from_loader("make_fixtures", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _need_reportlab() -> None:
    pytest.importorskip("reportlab", reason=NEEDS_REPORTLAB)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    """kind → path of the report fixtures; "pdf" only when reportlab is installed."""
    folder = tmp_path_factory.mktemp("fixtures")
    kinds = ("docx", "txt")
    try:
        import reportlab  # noqa: F401
    except ImportError:
        pass  # the PDF tests skip themselves with NEEDS_REPORTLAB
    else:
        kinds += ("pdf",)
    return _make_fixtures().build(folder, kinds)


@pytest.fixture(params=["docx", "pdf"])
def report(request, fixtures):
    """Each binary fixture in turn."""
    if request.param == "pdf":
        _need_reportlab()
    return fixtures[request.param]


def _check(path) -> tuple[models.Document, models.Report]:
    return pipeline.run(str(path))


# ---------------------------------------------------------------- text and tables


def test_load_docx_pdf_text_keeps_narrative_and_table_lines(report):
    doc = load.from_path(report)
    lines = doc.raw.split("\n")
    assert lines[0] == "某县农业农村局2023年度部门整体支出绩效自评报告"
    # The PDF wraps the planted sentence at the page margin; its words are all there.
    assert PLANTED in doc.raw.replace("\n", "")
    for line in (*HEADER_LINES, TOTAL_LINE, "一般公共服务支出\t860.00\t842.15\t602.35\t239.80"):
        assert line in lines
    caption = lines.index("表1 2023年度支出决算情况表（单位：万元）")
    assert lines[caption + 1] == HEADER_LINES[0]
    assert lines.index(TOTAL_LINE) < lines.index("三、绩效目标完成情况")


def test_load_docx_pdf_tables_are_returned_as_rows(report):
    doc = load.from_path(report)
    assert doc.tables == [TABLE_ROWS]
    assert doc.encoding == report.suffix.lstrip(".")


def test_load_docx_pdf_table_text_is_not_repeated_as_prose(report):
    """Text inside a PDF table is read with the table, not also as a line."""
    raw = load.from_path(report).raw
    assert raw.count("一般公共服务支出") == 1
    assert raw.count("1030.00") == 2  # the narrative's 全年预算数 and the 合计 row


def test_load_docx_pdf_merged_cells_are_not_duplicated(report):
    doc = load.from_path(report)
    header = doc.tables[0][0]
    assert header.count("决算数") == 1 and header[2] == "决算数"
    # 项目 and 预算数 continue down into the second header row: written once, above.
    assert doc.tables[0][1][:2] == ["", ""]
    assert sum(line.count("项目\t") for line in doc.raw.split("\n")) == 1


def test_load_docx_fixture_really_has_merged_cells(fixtures):
    """python-docx repeats a merged cell per grid column: the reader must not."""
    import docx

    table = docx.Document(str(fixtures["docx"])).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["项目", "预算数", "决算数", "决算数", "决算数"]
    assert [c.text for c in table.rows[1].cells][:2] == ["项目", "预算数"]


def test_load_docx_reads_vertical_merges_in_body_rows():
    """A score sheet's 一级指标 spans rows; its later rows get an empty first cell."""
    import docx

    document = docx.Document()
    document.add_paragraph("绩效指标评分表")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["一级指标", "二级指标", "分值", "得分"],
                             ["产出指标", "数量指标", "10", "9"],
                             ["", "质量指标", "10", "10"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(2, 1).add_paragraph("（第二段）")
    buf = io.BytesIO()
    document.save(buf)
    doc = load.from_bytes(buf.getvalue(), "sheet.docx", ".docx")
    assert doc.raw.split("\n") == [
        "绩效指标评分表",
        "一级指标\t二级指标\t分值\t得分",
        "产出指标\t数量指标\t10\t9",
        "\t质量指标 （第二段）\t10\t10",
    ]


def test_load_pdf_pages_come_in_order(tmp_path):
    _need_reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "pages.pdf"
    c = canvas.Canvas(str(path))
    for text in ("第一页：收入决算数为100.00万元。", "第二页：支出决算数为90.00万元。"):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 700, text)
        c.drawString(72, 760, "页眉在上")  # higher on the page: comes first
        c.showPage()
    c.save()
    assert load.from_path(path).raw.split("\n") == [
        "页眉在上", "第一页：收入决算数为100.00万元。", "页眉在上", "第二页：支出决算数为90.00万元。",
    ]


def test_load_pdf_boxed_paragraph_stays_text(tmp_path):
    """A ruled box around two notes is found as a one-column table; it stays lines."""
    _need_reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "boxed.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.rect(60, 640, 400, 80)
    c.line(60, 690, 460, 690)
    c.drawString(72, 700, "说明：本表金额单位为万元。")
    c.drawString(72, 660, "数据来源于部门决算报表。")
    c.showPage()
    c.save()
    doc = load.from_path(path)
    assert doc.raw.split("\n") == ["说明：本表金额单位为万元。", "数据来源于部门决算报表。"]
    assert doc.tables == []


# ---------------------------------------------------------------- checks


def test_check_docx_pdf_reports_planted_footing(report, capsys):
    assert cli.main(["check", str(report)]) == 1
    out = capsys.readouterr().out
    assert "JX201" in out and "698.35" in out
    _, rep = _check(report)
    footing = [f for f in rep.findings if f.code == "JX201"]
    assert len(footing) == 1
    assert (str(footing[0].stated), str(footing[0].recomputed)) == ("702.35", "698.35")


def test_check_docx_pdf_find_what_the_text_export_finds(report, fixtures):
    """One document model: the Word and PDF files give the .txt file's findings."""
    _, rep = _check(report)
    _, from_text = _check(fixtures["txt"])
    assert [f.code for f in rep.findings] == [f.code for f in from_text.findings] == ["JX201"]
    assert [f.message.en for f in rep.findings] == [f.message.en for f in from_text.findings]


def test_check_docx_pdf_table_footing_is_a_claim(report):
    _, rep = _check(report)
    footings = [c for c in rep.claims
                if isinstance(c, models.BreakdownClaim) and c.table is not None]
    by_column = {c.column: c for c in footings if c.label == "合计"}
    claim = by_column["合计"]
    assert claim.total.raw == "1006.75"
    assert [p.raw for p in claim.parts] == ["842.15", "118.40", "46.20"]
    assert claim.table.startswith("表1 2023年度支出决算情况表")
    assert by_column["基本支出"].total.raw == "702.35"


# ---------------------------------------------------------------- refusals


def _random_bytes(n: int = 4096) -> bytes:
    return random.Random(20240601).randbytes(n)


def _zip_without_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("notes.txt", "不是 Word 文档")
    return buf.getvalue()


# An OLE2 compound file header, as Word 97-2003 writes it.
_OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24 + "WordDocument".encode("utf-16-le")
_TEXT = "绩效自评报告\n项目支出决算数为1785.65万元。\n".encode()

CORRUPT = [
    ("random.docx", _random_bytes(), "不是有效的 .docx", "not a valid .docx"),
    ("random.pdf", _random_bytes(), "不是 PDF 文件", "not a PDF file"),
    ("text.pdf", _TEXT, "是纯文本", "plain text, not a PDF"),
    ("text.docx", _TEXT, "是纯文本", "plain text, not a Word document"),
    ("old.docx", _OLE2_DOC + _random_bytes(1024), "另存为", "Save As .docx"),
    ("archive.docx", _zip_without_document(), "不是 Word 文档", "not a Word document"),
    ("damaged.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog" + _random_bytes(512),
     "已损坏", "damaged"),
    ("empty.docx", b"", "输入为空", "Empty input"),
]


@pytest.mark.parametrize("name,data,zh,en", CORRUPT, ids=[c[0] for c in CORRUPT])
def test_check_corrupt_input_exits_2_with_bilingual_message(tmp_path, capsys, name, data, zh, en):
    path = tmp_path / name
    path.write_bytes(data)
    assert cli.main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    assert zh in captured.err and en in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_load_truncated_docx_is_a_load_error(fixtures):
    data = fixtures["docx"].read_bytes()
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(data[: len(data) // 2], "half.docx", ".docx")
    assert "损坏" in e.value.zh and "damaged" in e.value.en


def test_load_pdf_renamed_docx_is_named(fixtures):
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(fixtures["docx"].read_bytes(), "report.pdf", ".pdf")
    assert "Rename it to .docx" in e.value.en and ".docx" in e.value.zh


def test_load_pdf_encrypted_is_refused(tmp_path):
    _need_reportlab()
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret"))
    c.drawString(72, 700, "budget 100")
    c.showPage()
    c.save()
    with pytest.raises(errors.LoadError) as e:
        load.from_path(path)
    assert "加密" in e.value.zh and "encrypted" in e.value.en


def test_load_pdf_scanned_is_refused(tmp_path):
    _need_reportlab()
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 72, 600, 200, 100)
    c.showPage()
    c.save()
    with pytest.raises(errors.LoadError) as e:
        load.from_path(path)
    assert "扫描件" in e.value.zh and "scanned" in e.value.en
