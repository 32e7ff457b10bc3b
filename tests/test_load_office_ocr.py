"""Old Word/WPS through LibreOffice, scanned PDFs: clear messages, and OCR when installed."""

from __future__ import annotations

import os
import stat
import sys
import textwrap

import pytest

from extractor import cli, errors, load, models, pipeline
from extractor.load import ocr, office

BAD = "全年项目支出846.35万元，其中：设备购置和维护费用521.30万元、人员培训和交流费用182.15万元、差旅及会议费用141.93万元。"
# Word 97-2003 files (and WPS files) are OLE2 compound files.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


@pytest.fixture
def no_soffice(monkeypatch, tmp_path):
    monkeypatch.setenv("JXCHECK_SOFFICE", str(tmp_path / "no-such-soffice"))


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_without_libreoffice_says_how_to_install(tmp_path, capsys, no_soffice, suffix):
    p = tmp_path / f"old{suffix}"
    p.write_bytes(OLE2)
    assert cli.main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert "apt-get install libreoffice-writer" in err
    assert "LibreOffice is not installed" in err and "未安装" in err
    assert "Traceback" not in err


def _fake_soffice(tmp_path, body: str) -> str:
    """A stand-in for soffice that honours its command line (--outdir, the input
    name) and writes a .docx with python-docx: it tests jxcheck's side of the
    contract, not LibreOffice."""
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_doc_converted_by_soffice_is_checked(tmp_path, capsys, monkeypatch):
    exe = _fake_soffice(tmp_path, f"""
        import pathlib, sys
        import docx
        args = sys.argv[1:]
        assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx"
        assert any(a.startswith("-env:UserInstallation=file://") for a in args)
        outdir = pathlib.Path(args[args.index("--outdir") + 1])
        src = pathlib.Path(args[-1])
        d = docx.Document()
        d.add_paragraph({BAD!r})
        d.save(outdir / (src.stem + ".docx"))
    """)
    monkeypatch.setenv("JXCHECK_SOFFICE", exe)
    p = tmp_path / "old.doc"
    p.write_bytes(OLE2)
    assert cli.main(["check", str(p), "-f", "concise", "-q"]) == 1
    assert ":1:7: JX201 错误 " in capsys.readouterr().out


def test_failed_conversion_is_a_message(tmp_path, capsys, monkeypatch):
    exe = _fake_soffice(tmp_path, """
        import sys
        print("Error: source file could not be loaded", file=sys.stderr)
        sys.exit(1)
    """)
    monkeypatch.setenv("JXCHECK_SOFFICE", exe)
    p = tmp_path / "broken.wps"
    p.write_bytes(OLE2)
    with pytest.raises(errors.LoadError) as e:
        load.load(str(p))
    assert "could not convert" in e.value.en and "source file could not be loaded" in e.value.en


def test_docx_with_doc_name_needs_no_conversion(tmp_path, no_soffice):
    import docx

    d = docx.Document()
    d.add_paragraph(BAD)
    d.save(tmp_path / "new.doc")
    doc = load.load(str(tmp_path / "new.doc"))
    assert doc.raw == BAD


@pytest.mark.skipif(office.find_soffice() is None or "JXCHECK_SOFFICE" in os.environ,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
def test_real_libreoffice_converts_a_doc(tmp_path):
    """Round trip through the real LibreOffice: .docx → .doc → jxcheck."""
    import subprocess

    import docx

    d = docx.Document()
    d.add_paragraph(BAD)
    d.save(tmp_path / "r.docx")
    subprocess.run([office.find_soffice(), "--headless", "--convert-to", "doc", "--outdir",
                    str(tmp_path), str(tmp_path / "r.docx")], check=True, capture_output=True,
                   timeout=180)
    doc, report = pipeline.run(str(tmp_path / "r.doc"))
    assert [f.code for f in report.findings] == ["JX201"]


def _scanned_pdf(path, lines: list[str]) -> str:
    """A PDF holding only an image of the text (what a scanner produces)."""
    pytest.importorskip("reportlab", reason="reportlab (a test dependency) writes the PDF")
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.pdfgen import canvas

    font_path = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    if not os.path.exists(font_path):
        pytest.skip("fonts-wqy-microhei is not installed: it draws the Chinese test image")
    font = ImageFont.truetype(font_path, 40)
    img = Image.new("RGB", (1800, 100 + 80 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 80 * i), line, font=font, fill="black")
    png = str(path) + ".png"
    img.save(png)
    c = canvas.Canvas(str(path), pagesize=(600, img.height / 3))
    c.drawImage(png, 0, 0, 600, img.height / 3)
    c.save()
    return str(path)


SCAN_LINES = ["全年项目支出846.35万元，其中：设备购置和维护费用521.30万元、",
              "人员培训和交流费用182.15万元、差旅及会议费用141.93万元。"]


def test_scanned_pdf_without_ocr_says_what_to_do(tmp_path, capsys):
    path = _scanned_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    assert cli.main(["check", path]) == 2
    err = capsys.readouterr().err
    assert "scanned PDF" in err and "--ocr" in err and "tesseract-ocr-chi-sim" in err
    assert "扫描件" in err


def test_ocr_missing_says_how_to_install(tmp_path, capsys, monkeypatch):
    path = _scanned_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    monkeypatch.setenv("JXCHECK_TESSERACT", str(tmp_path / "no-tesseract"))
    assert cli.main(["check", path, "--ocr"]) == 2
    err = capsys.readouterr().err
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in err and "Traceback" not in err


@pytest.mark.skipif(not ocr.available(),
                    reason="tesseract with chi_sim is not installed: "
                           "apt-get install tesseract-ocr tesseract-ocr-chi-sim")
def test_ocr_reads_a_scanned_pdf(tmp_path, capsys):
    path = _scanned_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    doc = load.load(path, ocr=True)
    squeezed = "".join(doc.raw.split())
    assert "521.30万元" in squeezed and "845.38" not in squeezed
    cli.main(["check", path, "--ocr", "-f", "concise", "-q"])
    out = capsys.readouterr().out
    # Clean digits: read with confidence, so the sum that does not foot stays an error.
    assert " JX201 错误 " in out


def test_doubtful_ocr_digit_makes_a_warning():
    """A finding resting on a figure OCR was unsure of is a warning, with the reason."""
    doc = load.from_text(BAD, "<scan>")
    clean = pipeline.check_document(doc)
    assert [(f.code, f.severity) for f in clean.findings] == [("JX201", models.Severity.ERROR)]
    start = BAD.index("182.15")
    doc.doubtful = [models.Span(start=start, end=start + 6)]
    [finding] = pipeline.check_document(doc).findings
    assert finding.severity is models.Severity.WARNING
    assert "OCR" in finding.message.zh and "read by OCR with low confidence" in finding.message.en
    # A doubtful figure elsewhere changes nothing.
    doc.doubtful = [models.Span(start=0, end=2)]
    [finding] = pipeline.check_document(doc).findings
    assert finding.severity is models.Severity.ERROR


def test_ocr_join_marks_low_confidence_digits():
    line, marks = ocr._join([("支出", 96.0), ("64.87", 61.0), ("万元", 95.0), ("ABC", 40.0),
                             ("12", 99.0)])
    assert line == "支出64.87万元ABC 12"
    assert marks == [(2, 7)]  # only the doubtful word with digits


def test_ocr_available_needs_chi_sim(monkeypatch, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (1):'\necho eng\n")
    fake.chmod(0o755)
    monkeypatch.setenv("JXCHECK_TESSERACT", str(fake))
    assert ocr.available() is False
