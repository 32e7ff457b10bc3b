"""Encodings (issue 11): Big5 read as garbled GB18030, random bytes passing as
GB18030, UTF-16 without a BOM refused as binary."""

from __future__ import annotations

import random

import pytest

from extractor import errors, load
from extractor.load import encoding

# A traditional-script report fragment (written for this test) with one planted
# error: 521.60 + 96.25 + 80.50 = 698.35, not 702.35.
TRADITIONAL = (
    "示例縣文化旅遊局2024年度部門整體支出績效自評報告\n"
    "全年預算1,236.80萬元，決算數1,198.42萬元。\n"
    "基本支出決算數為702.35萬元，其中：工資福利支出521.60萬元，"
    "商品和服務支出96.25萬元，對個人和家庭的補助80.50萬元。\n"
)
SIMPLIFIED = (
    "示例县文化旅游局2024年度部门整体支出绩效自评报告\n"
    "基本支出决算数为702.35万元，其中：工资福利支出521.60万元，"
    "商品和服务支出96.25万元，对个人和家庭的补助80.50万元。\n"
)


def _codes(doc) -> set[str]:
    from extractor import pipeline

    return {f.code for f in pipeline.check_document(doc).findings}


def test_big5_is_detected_and_checked_like_utf8():
    doc = load.from_bytes(TRADITIONAL.encode("big5"), "big5.txt")
    assert doc.encoding == "big5"
    assert doc.raw == TRADITIONAL
    same = load.from_bytes(TRADITIONAL.encode("utf-8"), "utf8.txt")
    assert _codes(doc) == _codes(same)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec):
    doc = load.from_bytes(SIMPLIFIED.encode(codec), "u16.txt")
    assert doc.raw == SIMPLIFIED
    assert doc.encoding == codec
    assert "JX201" in _codes(doc)


def test_short_gbk_line_is_not_read_as_big5():
    # 合计100 in GBK is also valid Big5 (磁數100).
    doc = load.from_bytes("合计100万元".encode("gbk"), "gbk.txt")
    assert doc.raw == "合计100万元"


def test_twenty_random_bytes_are_refused():
    rng = random.Random(11)
    accepted = []
    for _ in range(300):
        data = bytes(rng.getrandbits(8) for _ in range(20))
        try:
            load.from_bytes(data, "random.bin")
        except errors.LoadError as e:
            assert e.zh and e.en
        else:
            accepted.append(data)
    assert accepted == []


@pytest.mark.parametrize("text", [
    "Привет, это не китайский текст, а русский. " * 5,   # Cyrillic in UTF-8
    "Ceci n'est pas un rapport chinois, c'est du français accentué éèàç. " * 5,
])
def test_non_chinese_text_is_refused(text):
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(text.encode("utf-8"), "x.txt")
    assert "Chinese" in e.value.en and "中文" in e.value.zh


def test_latin1_bytes_are_not_guessed_into_chinese():
    data = ("Rapport financier: total 702,35 EUR; dépenses réalisées à 96 %. " * 20
            ).encode("latin-1")
    with pytest.raises(errors.LoadError):
        load.from_bytes(data, "x.txt")


def test_mojibake_of_big5_as_gb18030_is_implausible():
    garbled = TRADITIONAL.encode("big5").decode("gb18030", errors="replace")
    assert encoding.implausibility(garbled) is not None
    assert encoding.implausibility(TRADITIONAL) is None
    assert encoding.implausibility(SIMPLIFIED) is None


def test_replacement_characters_are_refused():
    text = SIMPLIFIED.replace("万元", "\ufffd\ufffd")
    with pytest.raises(errors.LoadError):
        load.from_bytes(text.encode("utf-8"), "x.txt")
