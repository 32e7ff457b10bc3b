"""The command line: formats, languages, exit codes, bad input without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from extractor import cli

BAD = "全年项目支出846.35万元，其中：设备购置和维护费用521.30万元、人员培训和交流费用182.15万元、差旅及会议费用141.93万元。"
GOOD = "全市引进资金18.62亿元，完成年度目标18亿元的103.44%。"


def _write(tmp_path, text, name="r.txt", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return str(p)


def test_exit_1_on_errors_and_0_when_clean(tmp_path, capsys):
    assert cli.main(["check", _write(tmp_path, BAD)]) == 1
    out = capsys.readouterr().out
    assert "合计不符" in out and "845.38" in out
    assert cli.main(["check", _write(tmp_path, GOOD, "g.txt")]) == 0
    assert "未发现" in capsys.readouterr().out


def test_english_output(tmp_path, capsys):
    cli.main(["check", "--lang", "en", _write(tmp_path, BAD)])
    assert "Total does not foot" in capsys.readouterr().out


def test_json_output_has_schema_fields(tmp_path, capsys):
    cli.main(["check", "--format", "json", _write(tmp_path, BAD)])
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == "1.0"
    (f,) = data["findings"]
    assert f["code"] == "JX201" and f["stated"] == "846.35" and f["recomputed"] == "845.38"
    assert f["location"] == {"row": 1, "column": 7}
    assert f["spans"][0]["text"] == "846.35万元"
    assert data["summary"]["error"] == 1


def test_markdown_output(tmp_path, capsys):
    cli.main(["check", "--format", "md", _write(tmp_path, BAD)])
    out = capsys.readouterr().out
    assert out.startswith("# jxcheck") and "| 1 | 错误 | `JX201`" in out


def test_output_file(tmp_path):
    target = tmp_path / "out.json"
    assert cli.main(["check", "-f", "json", "-o", str(target), _write(tmp_path, BAD)]) == 1
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]


def test_select_and_ignore(tmp_path, capsys):
    assert cli.main(["check", "--ignore", "JX2", _write(tmp_path, BAD)]) == 0
    assert cli.main(["check", "--select", "JX201", _write(tmp_path, BAD)]) == 1
    capsys.readouterr()
    assert cli.main(["check", "--select", "JX999", _write(tmp_path, BAD)]) == 2
    assert "Unknown rule code" in capsys.readouterr().err


def test_fail_on_never(tmp_path):
    assert cli.main(["check", "--fail-on", "never", _write(tmp_path, BAD)]) == 0


def test_gb18030_file(tmp_path, capsys):
    assert cli.main(["check", _write(tmp_path, BAD, encoding="gb18030")]) == 1


def test_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode("utf-8"))))
    assert cli.main(["check", "-"]) == 1
    assert "<stdin>" in capsys.readouterr().out


@pytest.mark.parametrize("content,needle", [
    (b"", "Empty input"),
    (b"\x00\x01\x02\xff" * 500, "binary"),
])
def test_bad_input_exits_2_with_bilingual_message(tmp_path, capsys, content, needle):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    assert cli.main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert needle in err and any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_missing_file_keeps_other_results(tmp_path, capsys):
    code = cli.main(["check", str(tmp_path / "missing.txt"), _write(tmp_path, BAD)])
    captured = capsys.readouterr()
    assert code == 2
    assert "File not found" in captured.err and "845.38" in captured.out


def test_huge_file_exits_2_without_traceback(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(("数" * 100 + "\n").encode("utf-8") * 35000)  # ~10.5 MB
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", str(p)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "too large" in proc.stderr and "Traceback" not in proc.stderr


def test_rules_listing_and_page(capsys):
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "JX101" in out
    # JX101 downgrades word-order pairings to warnings, and says so.
    assert next(ln for ln in out.splitlines() if ln.startswith("JX101")).split()[2] == "error/warning"
    assert cli.main(["rules", "JX201"]) == 0
    assert "## What it does" in capsys.readouterr().out


def test_check_into_a_pipe_closed_early_ends_quietly(tmp_path) -> None:
    # `jxcheck check report.txt | head -1`: the reader leaves after one line.
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("\n".join(
        f"第{i}项支出{100 + i}.00万元，其中：甲{40 + i}.00万元，乙{59}.00万元。" for i in range(400)),
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "check", str(report),
                             "--format", "concise"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert "Broken pipe" not in err and "Traceback" not in err
