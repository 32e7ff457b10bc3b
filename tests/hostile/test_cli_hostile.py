"""The command line under hostile input (issue 11): rich markup in report text
and file names, bad ``-o``, full disks, endless streams, expanding .docx."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest

from extractor import cli, errors, load

BAD = ("全年项目支出846.35万元，其中：设备购置费521.30万元、工程维护费182.15万元、"
       "人员培训费141.93万元。")


def _write(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("markup", ["[/]", "[/b]", "[bold]", "[red]x[/red]", "[link=x]", "\\[b]"])
def test_markup_in_report_text_is_shown_verbatim(tmp_path, capsys, markup):
    text = f"全年项目支出846.35万元{markup}，其中：设备购置费521.30万元{markup}、工程维护费182.15万元、人员培训费141.93万元。"
    assert cli.main(["check", _write(tmp_path, text)]) == 1
    out = capsys.readouterr().out
    assert markup in out.replace("\n", "").replace(" ", "") or markup.replace(" ", "") in out


@pytest.mark.parametrize("name", ["r[/].txt", "r[/b].txt", "r[red].txt", "[bold]r.txt"])
def test_markup_in_file_name_is_shown_verbatim(tmp_path, capsys, name):
    if "/" in name:
        # A file name cannot hold "/": put the markup in a folder name split by it.
        folder = tmp_path / name.split("/")[0]
        folder.mkdir()
        path = folder / name.split("/")[1]
        path.write_text(BAD, encoding="utf-8")
    else:
        path = tmp_path / name
        path.write_text(BAD, encoding="utf-8")
    assert cli.main(["check", str(path)]) == 1
    assert str(path) in capsys.readouterr().out.replace("\n", "")


def test_output_to_a_directory_is_a_bilingual_exit_2(tmp_path, capsys):
    assert cli.main(["check", _write(tmp_path, BAD), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "目录" in err and "directory" in err and "Traceback" not in err


def test_output_in_a_missing_folder_is_a_bilingual_exit_2(tmp_path, capsys):
    assert cli.main(["check", _write(tmp_path, BAD), "-o", str(tmp_path / "no" / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert "不存在" in err and "does not exist" in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_full_disk_keeps_the_results_on_stdout(tmp_path, capsys):
    assert cli.main(["check", _write(tmp_path, BAD), "-o", "/dev/full"]) == 2
    captured = capsys.readouterr()
    assert "磁盘已满" in captured.err and "disk is full" in captured.err
    assert "845.38" in captured.out  # the results are not lost


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_full_disk_on_stdout_is_a_bilingual_exit_2(tmp_path):
    path = _write(tmp_path, BAD)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "check", path],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_while_reading(capsys):
    assert cli.main(["check", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "过大" in err and "too large" in err


def test_endless_stdin_is_refused_at_the_limit():
    class Endless(io.RawIOBase):
        reads = 0

        def readable(self):
            return True

        def readinto(self, b):
            Endless.reads += 1
            b[:] = b"a" * len(b)
            return len(b)

    with pytest.raises(errors.LoadError) as e:
        load.read_bounded(io.BufferedReader(Endless()), "<stdin>")
    assert "too large" in e.value.en
    assert Endless.reads < 100  # stopped at the limit, not at memory exhaustion


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_read_with_the_limit(tmp_path, capsys):
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            f.write(BAD.encode("utf-8"))

    t = threading.Thread(target=feed)
    t.start()
    assert cli.main(["check", str(fifo)]) == 1
    t.join(10)
    assert "845.38" in capsys.readouterr().out


def test_unreadable_stream_is_a_load_error():
    class Broken(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            raise OSError(5, "Input/output error")

    with pytest.raises(errors.LoadError) as e:
        load.read_bounded(io.BufferedReader(Broken()), "<stdin>")
    assert "Input/output error" in e.value.en and e.value.zh


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_expanding_to_huge_text_is_refused():
    para = "全年预算100万元，其中：基本支出60万元，项目支出40万元。" * 200
    data = _docx_bytes([para] * 500)  # ~60 KB on disk, ~13 MB of text
    assert len(data) < 200_000
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(data, "big.docx", ".docx")
    assert "extracted" in e.value.en and "提取" in e.value.zh


def test_docx_whose_xml_unpacks_too_far_is_refused():
    data = _docx_bytes(["短文"])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                # 80 MB of XML comments: compresses to well under 1 MB.
                body = body.replace(b"<w:body>", b"<w:body><!--" + b"x" * (80 << 20) + b"-->", 1)
            z.writestr(info, body)
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(out.getvalue(), "bomb.docx", ".docx")
    assert "unpack" in e.value.en


def test_docx_grid_span_bomb_is_capped():
    from extractor.load import docx as docx_reader

    assert docx_reader._grid_int(["1000000000"]) <= 64
    assert docx_reader._grid_int(["-5"]) == 0
