"""Plain text bytes → str: BOM sniffing, UTF-8, GB18030, UTF-16, and refusals.

Reports reach reviewers as UTF-8 (web, modern Word), GB18030/GBK (older
Windows tools) or UTF-16 (Notepad's "Unicode"). A file that is none of these,
or is binary, is refused with a bilingual message instead of being guessed.
"""

from __future__ import annotations

import codecs

from extractor import errors

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
# A decoded text with more than this share of control/replacement characters
# is garbage, whatever codec accepted it.
_MAX_JUNK_RATIO = 0.02


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
    guess = _utf16_without_bom(data)
    if guess:
        try:
            return _checked(data.decode(guess), guess, source)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise _binary(source)
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return _checked(text, codec, source)
    raise _undecodable(source, "utf-8/gb18030/utf-16")


def check_size(nbytes: int, source: str, limit: int = MAX_BYTES) -> None:
    """Refuse inputs over ``limit`` bytes with a bilingual message."""
    if nbytes > limit:
        raise errors.LoadError(
            f"输入过大：{source} 有 {nbytes / 1024 / 1024:.1f} MB，上限为 "
            f"{limit / 1024 / 1024:.0f} MB。请只提交报告正文。",
            f"Input too large: {source} is {nbytes / 1024 / 1024:.1f} MB; the limit is "
            f"{limit / 1024 / 1024:.0f} MB. Submit the report text only.",
        )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM shows NULs in every other byte for ASCII."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str, source: str) -> tuple[str, str]:
    if not text.strip():
        raise errors.LoadError(
            f"输入为空：{source} 没有任何文字。", f"Empty input: {source} contains no text."
        )
    junk = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if junk / max(len(text), 1) > _MAX_JUNK_RATIO:
        raise _binary(source)
    return text, encoding


def _binary(source: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法读取：{source} 看起来是二进制文件，不是文本。若是 Word 或 PDF，请使用 .docx/.pdf 扩展名。",
        f"Cannot read {source}: it looks like a binary file, not text. "
        "If it is a Word or PDF file, give it a .docx/.pdf extension.",
    )


def _undecodable(source: str, tried: str) -> errors.LoadError:
    return errors.LoadError(
        f"无法识别编码：{source} 不是 UTF-8、GB18030 或 UTF-16 文本（已尝试 {tried}）。"
        "请另存为 UTF-8 后重试。",
        f"Unknown encoding: {source} is not UTF-8, GB18030 or UTF-16 text (tried {tried}). "
        "Save it as UTF-8 and try again.",
    )
