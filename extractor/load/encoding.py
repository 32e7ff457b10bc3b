"""Which text encoding a report's bytes are in, and whether the result is Chinese text.

UTF-8 is tried first and strictly: random bytes almost never pass it. For
anything else GB18030 alone is no test at all (it accepts nearly every byte
sequence: Big5 text and 20 random bytes both "decode"), so the choice between
the encodings reports come in is left to charset-normalizer, which measures
how garbled each decoding looks, with a floor on that measure. Whatever codec
is chosen, the text must then look like a Chinese report: few control or
replacement characters, and most non-ASCII characters Chinese ones.
"""

from __future__ import annotations

import collections
import functools

__all__ = ["CANDIDATES", "MAX_CHAOS", "detect", "implausibility"]

# The encodings reports reach reviewers in, besides UTF-8 and BOM-marked
# UTF-16/32: GBK/GB18030 (older Windows tools), Big5 (Taiwan, Hong Kong,
# traditional-script exports), and UTF-16/32 written without a BOM.
CANDIDATES = ("gb18030", "big5", "big5hkscs", "utf_16_le", "utf_16_be", "utf_32_le",
              "utf_32_be")
# charset-normalizer's "chaos" (share of the text that looks garbled, 0–1).
# Its own default cut-off is 0.2; a real report in its right encoding scores
# 0.0 to 0.19 (a real fragment that is one long line of figures and names),
# so the floor is set a little above that default; what passes it must still
# pass implausibility().
MAX_CHAOS = 0.3
# A decoded text with more than this share of control, replacement or
# private-use characters is garbage, whatever codec accepted it.
MAX_JUNK_RATIO = 0.02
# Of the non-ASCII characters, at least this share must be Chinese script,
# CJK punctuation or full-width forms: Latin-1 or Cyrillic read out of GBK
# bytes, or mojibake in rare ideographs, falls far below it.
MIN_CHINESE_SHARE = 0.8
# Of the ideographs (extension blocks included), at least this share must be
# everyday characters: real reports, simplified or traditional, have over
# 95%; ideographs picked at random (wrongly decoded or random bytes) about a
# fifth.
MIN_COMMON_SHARE = 0.8
# Below this many non-ASCII characters there is too little to judge by; an
# ASCII-only text cannot have been decoded wrongly.
_MIN_JUDGED = 4


def detect(data: bytes) -> tuple[str, str] | None:
    """Decode ``data`` (no BOM, not UTF-8) with the most plausible candidate.

    charset-normalizer drops the candidates whose decoding looks garbled
    (chaos over :data:`MAX_CHAOS`); of those left, the one whose text has the
    largest share of everyday Chinese characters wins, and on a tie the
    earlier in :data:`CANDIDATES` (GB18030 first): a short GBK line such as
    合计100 is also valid Big5 (磁數100), and charset-normalizer alone cannot
    tell them apart.

    Returns:
        ``(text, python codec name)``, or ``None`` when no candidate is left.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=list(CANDIDATES), threshold=MAX_CHAOS)
    ranked = []
    for match in matches:
        if match.chaos > MAX_CHAOS:
            continue
        codec = match.encoding
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            # charset-normalizer tolerates a few bad bytes; show them as
            # U+FFFD so that implausibility() counts them.
            text = data.decode(codec, errors="replace")
        order = CANDIDATES.index(codec) if codec in CANDIDATES else len(CANDIDATES)
        ranked.append((-_common_share(text), order, text, codec))
    if not ranked:
        return None
    ranked.sort(key=lambda r: r[:2])
    return ranked[0][2], ranked[0][3]


def _common_share(text: str, sample: int = 20000) -> float:
    """Share of everyday characters among the ideographs of ``text``'s start."""
    ideographs = common = 0
    for ch in text[:sample]:
        if _is_ideograph(ord(ch)):
            ideographs += 1
            common += _is_common(ch)
    return common / ideographs if ideographs else 0.0


def _is_ideograph(o: int) -> bool:
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF


def implausibility(text: str) -> str | None:
    """Why ``text`` cannot be a report's text, or ``None`` when it can.

    Returns:
        ``"binary"`` (control, replacement or private-use characters) or
        ``"not-chinese"`` (non-ASCII text that is mostly not Chinese script,
        or Chinese script made mostly of rare characters, as bytes decoded
        with the wrong codec or random bytes are).
    """
    counts = collections.Counter(text)
    junk = non_ascii = chinese = ideographs = common = 0
    for ch, n in counts.items():
        o = ord(ch)
        if o < 128:
            if o < 32 and ch not in "\t\n\r\f\v":
                junk += n
            continue
        non_ascii += n
        if ch == "\ufffd" or 0xE000 <= o <= 0xF8FF or 0x80 <= o < 0xA0 or 0xD800 <= o <= 0xDFFF:
            junk += n
        elif _is_chinese(o) or _is_ideograph(o):
            chinese += n
            if _is_ideograph(o):
                ideographs += n
                common += n if _is_common(ch) else 0
    if junk / max(len(text), 1) > MAX_JUNK_RATIO:
        return "binary"
    if non_ascii >= _MIN_JUDGED and chinese / non_ascii < MIN_CHINESE_SHARE:
        return "not-chinese"
    if ideographs >= _MIN_JUDGED and common / ideographs < MIN_COMMON_SHARE:
        return "not-chinese"
    return None


@functools.lru_cache(maxsize=32768)
def _is_common(ch: str) -> bool:
    """One of the ~3,800 everyday simplified (GB 2312 level 1) or ~5,400
    everyday traditional (Big5 常用字) characters."""
    try:
        b = ch.encode("gb2312")
        if 0xB0 <= b[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E


def _is_chinese(o: int) -> bool:
    return (0x4E00 <= o <= 0x9FFF          # CJK unified ideographs
            or 0x3000 <= o <= 0x303F       # CJK punctuation: 、。〇《》
            or 0xFF00 <= o <= 0xFFEF       # full-width forms: ，（）：％１
            or 0x2000 <= o <= 0x206F       # general punctuation: “” — …
            or 0x3400 <= o <= 0x4DBF       # extension A
            or 0x2E80 <= o <= 0x2FDF       # radicals (some PDF exports)
            or 0xF900 <= o <= 0xFAFF       # compatibility ideographs
            or o in _SYMBOLS)


# Symbols reports print beside their figures: ×, ÷, ±, °, ², ‰, №, ①…, ㎡.
_SYMBOLS = frozenset(map(ord, "×÷±°²³·‰№√∑≤≥≠≈←→↑↓■□▲△●○◆◇★☆√㎡㎞㎏℃"
                               "①②③④⑤⑥⑦⑧⑨⑩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"))
