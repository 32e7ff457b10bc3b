"""Batches: folders and many files, parallel workers, one summary, a bad file among good ones."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from extractor import batch, cli

# Hand-checked: 521.30 + 182.15 + 141.93 = 845.38, not 846.35 (one error, JX201).
BAD = "全年项目支出846.35万元，其中：设备购置和维护费用521.30万元、人员培训和交流费用182.15万元、差旅及会议费用141.93万元。"
# 18.62 / 18 = 103.444% → 103.44%: consistent.
GOOD = "全市引进资金18.62亿元，完成年度目标18亿元的103.44%。"
# 5.18 / 3.6 = 143.89%, printed as 143%: a truncation note (JX102, info) only.
NOTE = "网络销售特色茶叶交易额5.18亿元，完成市定3.6亿元目标的143%。"


@pytest.fixture
def folder(tmp_path):
    """Three readable reports, one binary file with a .txt name, and things that are not reports."""
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    (d / "a_bad.txt").write_text(BAD, encoding="utf-8")
    (d / "b_good.txt").write_text(GOOD, encoding="gb18030")
    (d / "sub" / "c_note.md").write_text(NOTE, encoding="utf-8")
    (d / "d_broken.txt").write_bytes(b"\x00\x01\x02\x03PK\x00binary" * 20)
    (d / "picture.png").write_bytes(b"\x89PNG not a report")
    (d / "~$a_bad.docx").write_bytes(b"lock file")
    (d / ".hidden.txt").write_text(BAD, encoding="utf-8")
    return d


def test_batch_expand_finds_reports_only(folder):
    names = [os.path.relpath(r.source, folder) for r in batch.expand([str(folder)])]
    assert names == ["a_bad.txt", "b_good.txt", "d_broken.txt", os.path.join("sub", "c_note.md")]


def test_batch_expand_empty_folder_is_a_failed_row(tmp_path):
    (tmp_path / "empty").mkdir()
    [row] = batch.expand([str(tmp_path / "empty")])
    assert row.error is not None and "没有报告文件" in row.error[0] and "No report files" in row.error[1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_broken_file_among_good_ones(folder, capsys, jobs):
    code = cli.main(["check", str(folder), "--jobs", str(jobs), "--format", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    # An unreadable file makes the run exit 2, after every other file was checked.
    assert code == 2
    by_name = {os.path.basename(r["filename"]): r for r in data["reports"]}
    assert list(by_name) == ["a_bad.txt", "b_good.txt", "d_broken.txt", "c_note.md"]
    assert by_name["a_bad.txt"]["status"] == "checked"
    assert [f["code"] for f in by_name["a_bad.txt"]["findings"]] == ["JX201"]
    assert by_name["b_good.txt"]["findings"] == []
    assert [f["code"] for f in by_name["c_note.md"]["findings"]] == ["JX102"]
    broken = by_name["d_broken.txt"]
    assert broken["status"] == "unreadable" and broken["findings"] == []
    assert "二进制" in broken["error"]["zh"] and "binary" in broken["error"]["en"]
    assert data["summary"] == {"files": 4, "unreadable": 1, "error": 1, "warning": 0, "info": 1}
    # The reason is on stderr too, in both languages, and never as a traceback.
    assert "binary" in captured.err and "Traceback" not in captured.err


def test_batch_exit_code_is_the_worst_finding(tmp_path, capsys):
    (tmp_path / "g.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "n.txt").write_text(NOTE, encoding="utf-8")
    assert cli.main(["check", str(tmp_path), "-q"]) == 0
    assert cli.main(["check", str(tmp_path), "--fail-on", "info", "-q"]) == 1
    (tmp_path / "b.txt").write_text(BAD, encoding="utf-8")
    assert cli.main(["check", str(tmp_path), "-q"]) == 1
    capsys.readouterr()


def test_batch_terminal_summary_table(folder, capsys):
    cli.main(["check", str(folder), "--summary", "--lang", "en"])
    out = capsys.readouterr().out
    # Only the summary: no per-file tables, one row per file, the totals line.
    assert "jxcheck findings" not in out
    for name in ("a_bad.txt", "b_good.txt", "c_note.md", "d_broken.txt"):
        assert name in out
    assert "binary" in out  # the reason (folded over lines in a narrow column)
    assert "4 files (1 not checked): 1 errors, 0 warnings, 1 notes" in out


def test_batch_terminal_prints_each_report_then_summary(folder, capsys):
    cli.main(["check", str(folder)])
    out = capsys.readouterr().out
    assert out.count("jxcheck 核查结果") == 3
    assert "845.38万元" in out
    assert out.rstrip().splitlines()[-1].startswith("共 4 个文件（1 个无法核查）")


def test_batch_xlsx_has_summary_and_sheet_per_report(folder, tmp_path, capsys):
    target = tmp_path / "out.xlsx"
    assert cli.main(["check", str(folder), "-f", "xlsx", "-o", str(target)]) == 2
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["汇总", "a_bad", "b_good", "c_note"]
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "状态", "错误", "警告", "提示", "已核对的数量关系", "工作表", "原因")
    by_name = {os.path.basename(r[0]): r for r in rows[1:]}
    assert by_name["a_bad.txt"][1:7] == ("有问题", 1, 0, 0, 1, "a_bad")
    assert by_name["b_good.txt"][1:5] == ("未发现问题", 0, 0, 0)
    assert by_name["d_broken.txt"][1] == "无法核查" and "二进制" in by_name["d_broken.txt"][7]
    assert by_name["d_broken.txt"][6] is None
    assert wb["汇总"]["G2"].hyperlink.location == "'a_bad'!A1"
    # The report's own sheet lists its finding.
    sheet = list(wb["a_bad"].iter_rows(values_only=True))
    assert len(sheet) == 2 and sheet[1][1] == "JX201"
    capsys.readouterr()


def test_batch_sheet_names_stay_unique_and_legal(tmp_path, capsys):
    long = "某某县文化和旅游局2023年度部门整体支出绩效自评报告[终稿]"
    (tmp_path / "x").mkdir()
    (tmp_path / f"{long}.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "x" / f"{long}.txt").write_text(BAD, encoding="utf-8")
    target = tmp_path / "o.xlsx"
    cli.main(["check", str(tmp_path), "-f", "xlsx", "-o", str(target), "-q"])
    names = openpyxl.load_workbook(target).sheetnames[1:]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    capsys.readouterr()


def test_batch_concise_lines_for_every_file(folder, capsys):
    cli.main(["check", str(folder), "-f", "concise", "--no-info"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0] == (f"{folder / 'a_bad.txt'}:1:7: JX201 错误 合计不符：“全年项目支出846.35万元”，"
                        "但各分项之和 521.30万元 + 182.15万元 + 141.93万元 = 845.38万元")
    assert lines[1].startswith("共 4 个文件（1 个无法核查）：1 个错误、0 个警告、0 个提示")


def test_batch_worker_crash_is_a_row(monkeypatch, tmp_path):
    """An unexpected exception in one file's check is that file's reason; the rest go on."""
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    from extractor import pipeline

    real = pipeline.check_document

    def flaky(doc, *args, **kwargs):
        if doc.source.endswith("a.txt"):
            raise RuntimeError("boom")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_document", flaky)
    results = batch.run(batch.expand([str(tmp_path)]), jobs=1)
    assert results[0].error is not None and "RuntimeError: boom" in results[0].error[1]
    assert results[1].ok and results[1].report.findings == []
    assert batch.worst_exit(results, "error") == 2


def test_batch_progress_off_when_not_a_terminal(folder):
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", str(folder),
                           "--summary", "-j", "2"], capture_output=True, text=True)
    assert proc.returncode == 2
    # No progress bar (or its control codes) in a captured stderr: only the reason.
    assert "\x1b[" not in proc.stderr and "核查 / checking" not in proc.stderr
    assert proc.stderr.count("binary") == 1


def test_batch_progress_on_a_terminal(folder):
    """With stderr on a terminal, a progress bar is drawn there."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", str(folder),
                               "--summary", "-j", "2"], stdout=subprocess.PIPE, stderr=slave,
                              timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 2
    assert "核查 / checking" in err
    assert "a_bad.txt" in proc.stdout.decode("utf-8")


def test_json_single_file_keeps_its_shape(tmp_path, capsys):
    """One file stays one report object (scripts written for it keep working)."""
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    cli.main(["check", str(p), "-f", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["filename"] == str(p) and "reports" not in data


def test_stdin_in_a_batch_is_read_in_process(tmp_path, monkeypatch, capsys):
    (tmp_path / "g.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BAD.encode("utf-8"))))
    code = cli.main(["check", "-", str(tmp_path / "g.txt"), "-f", "json", "-j", "2"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [r["filename"] for r in data["reports"]] == ["<stdin>", str(tmp_path / "g.txt")]


def test_html_refuses_a_batch(folder, capsys):
    assert cli.main(["check", str(folder), "-f", "html", "-o", str(folder / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "one report" in err and "一个报告" in err
    assert not (folder / "x.html").exists()
