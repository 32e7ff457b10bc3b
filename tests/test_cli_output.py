"""Output as reviewers and scripts meet it: terminal width, concise lines, quiet, binary refusal, help."""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios

import pytest
from rich.cells import cell_len

from extractor import cli, render

BAD = "全年项目支出846.35万元，其中：设备购置和维护费用521.30万元、人员培训和交流费用182.15万元、差旅及会议费用141.93万元。"
NOTE = "网络销售特色茶叶交易额5.18亿元，完成市定3.6亿元目标的143%。"
# The message of BAD's one finding, word for word (hand-checked sum 521.30 + 182.15 + 141.93 = 845.38).
MESSAGE = "合计不符：“全年项目支出846.35万元”，但各分项之和 521.30万元 + 182.15万元 + 141.93万元 = 845.38万元"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _write(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _run_on_pty(args: list[str], columns: int, env: dict | None = None) -> tuple[int, str, str]:
    """Run jxcheck with stdout on a pseudo-terminal ``columns`` wide; stderr captured."""
    import pty

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environ.update(env or {})
    try:
        proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", *args], stdout=slave,
                                stderr=subprocess.PIPE, env=environ)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.wait(timeout=120)
    finally:
        os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return proc.returncode, out, err


def test_terminal_narrow_fits_and_keeps_figures(tmp_path):
    code, out, _ = _run_on_pty(["check", _write(tmp_path, BAD)], columns=60)
    assert code == 1
    lines = _ANSI.sub("", out).splitlines()
    assert lines and all(cell_len(line) <= 60 for line in lines)
    # The quote moves under the message; the figures are whole words, never "…"-cut.
    assert "原文:" in out
    for figure in ("521.30万元", "182.15万元", "141.93万元", "845.38万元"):
        assert figure in out
    assert "845.3…" not in out


def test_terminal_wide_uses_the_width(tmp_path):
    code, out, _ = _run_on_pty(["check", _write(tmp_path, BAD)], columns=220)
    assert code == 1
    lines = _ANSI.sub("", out).splitlines()
    assert max(cell_len(line) for line in lines) > 140  # wider than the old fixed 140
    assert all(cell_len(line) <= 220 for line in lines)
    # Wide enough for the whole message on one line, next to the quote column.
    assert MESSAGE in out and "原文" in lines[2]


@pytest.mark.parametrize("columns", [50, 80, 100, 140])
def test_terminal_width_from_columns_env(tmp_path, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    cli.main(["check", _write(tmp_path, BAD)])
    out = capsys.readouterr().out
    assert all(cell_len(line) <= columns for line in out.splitlines())
    assert "845.38万元" in out


def test_terminal_pipe_keeps_default_width(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", _write(tmp_path, BAD)],
                          capture_output=True, text=True, env=env)
    assert max(cell_len(line) for line in proc.stdout.splitlines()) == 140


def test_report_text_is_not_markup(tmp_path, capsys):
    """Square brackets in a report (or its file name) are printed, not read as rich markup."""
    text = "[bold]全年[/bold]" + BAD.removeprefix("全年")
    cli.main(["check", _write(tmp_path, text, "[red]r.txt")])
    out = capsys.readouterr().out
    assert "[red]r.txt" in out and "全年[/bold]项目支出" in out


def test_concise_one_line_per_finding(tmp_path, capsys):
    path = _write(tmp_path, BAD + "\n" + NOTE)
    code = cli.main(["check", path, "-f", "concise", "--lang", "en"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith(f"{path}:1:7: JX201 error Total does not foot")
    assert lines[1].startswith(f"{path}:2:31: JX102 info Rounding note: 143% is 143.89%")
    assert lines[2] == "1 errors, 0 warnings, 1 notes (2 relations checked)"
    assert len(lines) == 3


def test_concise_quiet_is_findings_only(tmp_path, capsys):
    path = _write(tmp_path, BAD + "\n" + NOTE)
    cli.main(["check", path, "-f", "concise", "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and ":1:7: JX201 错误 " in lines[0]


def test_no_info_hides_notes_but_keeps_errors(tmp_path, capsys):
    path = _write(tmp_path, BAD + "\n" + NOTE)
    cli.main(["check", path])
    shown = capsys.readouterr().out
    assert "JX102" in shown and "1 个提示" in shown
    cli.main(["check", path, "--no-info"])
    hidden = capsys.readouterr().out
    assert "JX102" not in hidden and "JX201" in hidden and "0 个提示" in hidden


def test_quiet_terminal_has_no_title_or_summary(tmp_path, capsys):
    cli.main(["check", _write(tmp_path, BAD), "-q"])
    out = capsys.readouterr().out
    assert "JX201" in out and "jxcheck 核查结果" not in out and "共 1 个错误" not in out
    cli.main(["check", _write(tmp_path, NOTE, "n.txt"), "-q"])
    assert capsys.readouterr().out == ""


def test_xlsx_refused_on_a_terminal(tmp_path):
    code, out, err = _run_on_pty(["check", _write(tmp_path, BAD), "-f", "xlsx"], columns=100)
    assert code == 2
    assert "PK" not in out and out.strip() == ""
    assert "-o" in err and "终端" in err and "terminal" in err and "Traceback" not in err


def test_xlsx_to_a_pipe_is_a_workbook(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", _write(tmp_path, BAD),
                           "-f", "xlsx"], capture_output=True)
    assert proc.returncode == 1
    assert proc.stdout[:2] == b"PK"
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(proc.stdout))
    assert wb.worksheets[0]["B2"].value == "JX201"


def test_xlsx_to_a_file_from_a_terminal(tmp_path):
    target = tmp_path / "f.xlsx"
    code, out, _ = _run_on_pty(["check", _write(tmp_path, BAD), "-f", "xlsx", "-o", str(target)],
                               columns=100)
    assert code == 1 and target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("command", ["check", "rules", "eval", "doctor", "serve"])
def test_every_option_has_help(command):
    parser = cli._parser([command])
    [sub_action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub = sub_action.choices[command]
    missing = [a.dest for a in sub._actions
               if not isinstance(a, argparse._HelpAction) and not (a.help or "").strip()]
    assert missing == []
    top = [a.dest for a in parser._actions if not (a.help or "").strip()]
    assert top == []


def test_format_choices_match_renderers():
    parser = cli._parser(["check"])
    [sub_action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    [fmt] = [a for a in sub_action.choices["check"]._actions if a.dest == "format"]
    assert sorted(fmt.choices) == sorted(render.FORMATS)


def test_version_imports_nothing_heavy():
    """`jxcheck --version` must not import pydantic models, rich or pandas (cold start)."""
    code = ("import sys; from extractor import cli\n"
            "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pydantic', 'rich', 'pandas', 'extractor.models', 'openpyxl')"
            " if m in sys.modules]\nprint('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_check_imports_no_pandas(tmp_path):
    """A rules-backend check of a text report never imports pandas (0.5 s of start-up)."""
    code = ("import sys; from extractor import cli\n"
            f"cli.main(['check', {_write(tmp_path, BAD)!r}, '-q'])\n"
            "print('PANDAS', 'pandas' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "PANDAS False" in proc.stdout, proc.stdout + proc.stderr
