"""Old Word (.doc) and WPS (.wps) documents, converted to .docx by LibreOffice.

Government reports still arrive in Word 97-2003 and WPS formats. Their binary
layout is not worth a parser of our own: LibreOffice reads both, and
``soffice --headless --convert-to docx`` hands the result to the .docx
reader, tables included. Without LibreOffice the user is told how to install
it, or to save the file as .docx.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile

from extractor import errors
from extractor.load import docx

__all__ = ["find_soffice", "read"]

# A conversion of a 100-page report takes a few seconds; a minute means
# LibreOffice is stuck on a dialog or a broken file.
_TIMEOUT_S = 120
_INSTALL_ZH = ("请安装 LibreOffice（Debian/Ubuntu：sudo apt-get install libreoffice-writer；"
               "macOS：brew install --cask libreoffice；Windows：https://www.libreoffice.org），"
               "或在 Word/WPS 中把文件另存为 .docx 后重试。")
_INSTALL_EN = ("Install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer; "
               "macOS: brew install --cask libreoffice; Windows: https://www.libreoffice.org), "
               "or save the file as .docx in Word or WPS and try again.")


def find_soffice() -> str | None:
    """The LibreOffice binary, from $JXCHECK_SOFFICE or the PATH."""
    configured = os.environ.get("JXCHECK_SOFFICE")
    if configured:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, source: str) -> tuple[str, list[list[list[str]]]]:
    """Convert a .doc/.wps to .docx with LibreOffice and read it.

    Raises:
        errors.LoadError: LibreOffice missing, the conversion failed, or the
            converted document has no text.
    """
    if not data.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    if data.startswith(b"PK"):
        # A .docx saved with an old extension: no conversion needed.
        return docx.read(data, source)
    soffice = find_soffice()
    if soffice is None:
        raise errors.LoadError(
            f"无法读取：{source} 是旧版 Word/WPS 文档，需要 LibreOffice 转换，但本机未安装。{_INSTALL_ZH}",
            f"Cannot read {source}: it is an old Word/WPS document, which needs LibreOffice to "
            f"convert it, and LibreOffice is not installed. {_INSTALL_EN}",
        )
    suffix = pathlib.PurePath(source).suffix.lower() or ".doc"
    with tempfile.TemporaryDirectory(prefix="jxcheck-soffice-") as tmp:
        src = pathlib.Path(tmp) / f"report{suffix}"
        src.write_bytes(data)
        # A private profile: two conversions at once (jxcheck --jobs) would
        # otherwise fight over the user's LibreOffice profile lock.
        profile = pathlib.Path(tmp, "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise errors.LoadError(
                f"无法读取：LibreOffice 转换 {source} 超过 {_TIMEOUT_S} 秒未完成。请在 Word/WPS 中另存为 .docx。",
                f"Cannot read {source}: LibreOffice did not finish converting it within "
                f"{_TIMEOUT_S} s. Save it as .docx in Word or WPS.",
            ) from e
        except OSError as e:
            raise errors.LoadError(
                f"无法读取：无法运行 LibreOffice（{soffice}：{e.strerror}）。{_INSTALL_ZH}",
                f"Cannot read {source}: LibreOffice ({soffice}) could not be run: {e.strerror}. "
                f"{_INSTALL_EN}",
            ) from e
        out = pathlib.Path(tmp) / "report.docx"
        if proc.returncode != 0 or not out.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-200:]
            raise errors.LoadError(
                f"无法读取：LibreOffice 无法转换 {source}（文件可能已损坏或不是 Word/WPS 文档）：{detail}",
                f"Cannot read {source}: LibreOffice could not convert it (the file may be damaged "
                f"or not a Word/WPS document): {detail}",
            )
        return docx.read(out.read_bytes(), source)
