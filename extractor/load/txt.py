"""Plain text bytes → str: BOM sniffing, UTF-8, GB18030, Big5, UTF-16, and refusals.

Reports reach reviewers as UTF-8 (web, modern Word), GB18030/GBK (older
Windows tools), Big5 (traditional-script tools) or UTF-16 (Notepad's
"Unicode", with or without a BOM). Which of these a file is comes from :mod:`.encoding`; a file
that is none of them, binary, or decodes to something that is not Chinese
text is refused with a bilingual message instead of being guessed.
"""

from __future__ import annotations

import codecs

from extractor import errors
from extractor.load import encoding

__all__ = ["MAX_BYTES", "check_size", "decode"]

# 50× the largest real report (101 KB); larger inputs are almost always the
# wrong file (a database dump, a scanned PDF turned to text twice).
MAX_BYTES = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, source: str = "<input>") -> tuple[str, str]:
    """Decode report bytes.

    Args:
        data: the file's bytes.
        source: a name for messages.

    Returns:
        ``(text, encoding)``.

    Raises:
        errors.LoadError: empty, too large, binary or undecodable input.
    """
    check_size(len(data), source)
    if not data.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。",
            f"Empty input: {source} contains no text.",
        )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec.replace("-sig", ""), source)
            except UnicodeDecodeError as e:
                raise _undecodable(source, codec) from e
    # NULs are valid UTF-8, but in a text file they mean UTF-16/32 without a BOM.
    if b"\x00" not in data:
        try:
            return _checked(data.decode("utf-8"), "utf-8", source)
        except UnicodeDecodeError:
            pass
    found = encoding.detect(data)
    if found is None:
        if b"\x00" in data:
            raise _binary(source)
        raise _undecodable(source, "utf-8/gb18030/big5/utf-16")
    text, codec = found
    return _checked(text, codec.replace("_", "-"), source)


def check_size(nbytes: int, source: str, limit: int = MAX_BYTES) -> None:
    """Refuse inputs over ``limit`` bytes with a bilingual message."""
    if nbytes > limit:
        raise errors.LoadError(
            f"输入过大：{source} 有 {nbytes / 1024 / 1024:.1f} MB，上限为 "
            f"{limit / 1024 / 1024:.0f} MB。请只提交报告正文。",
            f"Input too large: {source} is {nbytes / 1024 / 1024:.1f} MB; the limit is "
            f"{limit / 1024 / 1024:.0f} MB. Submit the report text only.",
        )


def _checked(text: str, codec: str, source: str) -> tuple[str, str]:
    if not text.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    problem = encoding.implausibility(text)
    if problem == "binary":
        raise _binary(source)
    if problem == "not-chinese":
        raise errors.LoadError(
            f"无法识别：{source} 按 {codec} 解码后不像中文文本（大部分非 ASCII 字符不是汉字）。"
            "可能是编码无法识别或文件不是报告；请另存为 UTF-8 后重试。",
            f"Cannot read {source}: decoded as {codec} it does not look like Chinese text "
            "(most non-ASCII characters are not Chinese). The encoding may be unknown or the "
            "file is not a report; save it as UTF-8 and try again.",
        )
    return text, codec


def _binary(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 看起来是二进制文件，不是文本。若是 Word 或 PDF，请使用 .docx/.pdf 扩展名。",
        f"Cannot read {source}: it looks like a binary file, not text. "
        "If it is a Word or PDF file, give it a .docx/.pdf extension.",
    )


def _undecodable(source: str, tried: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法识别编码：{source} 不是 UTF-8、GB18030、Big5 或 UTF-16 文本（已尝试 {tried}）。"
        "请另存为 UTF-8 后重试。",
        f"Unknown encoding: {source} is not UTF-8, GB18030, Big5 or UTF-16 text (tried {tried}). "
        "Save it as UTF-8 and try again.",
    )
