"""Decoding, refusals and the offset map back to the original text."""

from __future__ import annotations

import codecs

import pytest

from extractor import errors, load, normalise

SAMPLE = "培训中心本年决算支出为362.48万元，其中教材印制费27.15万元。"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_decodes_common_encodings(encoding):
    doc = load.from_bytes(SAMPLE.encode(encoding), "x.txt")
    assert doc.raw == SAMPLE


def test_decodes_utf8_with_bom():
    doc = load.from_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "x.txt")
    assert doc.raw == SAMPLE and doc.encoding == "utf-8"


@pytest.mark.parametrize("data,needle", [
    (b"", "Empty input"),
    (b"   \n\t ", "Empty input"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 100, "binary"),
])
def test_refuses_empty_and_binary_input(data, needle):
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(data, "x.txt")
    assert needle in e.value.en and e.value.zh


def test_refuses_huge_input():
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(b"a" * (load.MAX_BYTES + 1), "big.txt")
    assert "too large" in e.value.en and "过大" in e.value.zh


def test_missing_file_is_a_load_error(tmp_path):
    with pytest.raises(errors.LoadError) as e:
        load.from_path(tmp_path / "nope.txt")
    assert "not found" in e.value.en


def test_undecodable_bytes_are_refused():
    # Invalid in UTF-8 and in GB18030 (0x80 is not a GB18030 lead byte).
    with pytest.raises(errors.LoadError):
        load.from_bytes(b"\x80\x80\x80\x80 abc \x80" * 10, "x.txt")


def test_fullwidth_digits_map_back_to_original_offsets():
    raw = "总额　２０２３万元％"
    doc = load.from_text(raw)
    assert doc.text == "总额 2023万元%"
    i = doc.text.index("2023")
    span = doc.view.raw_span(i, i + 4)
    assert raw[span.start:span.end] == "２０２３"


def test_squeeze_removes_wraps_between_cjk_and_keeps_gaps_between_figures():
    raw = "内设 5 个股\n\n室，合计 66 66"
    view = normalise.squeeze_whitespace(load.from_text(raw).view)
    assert view.text == "内设5个股室，合计66 66"
    i = view.text.index("室")
    assert raw[view.raw_span(i, i + 1).start] == "室"


def test_crlf_and_latex_fragments_are_normalised():
    doc = load.from_text("满意度 $\\geq 95\\%$\r\n下一行")
    assert "≥ 95%" in doc.text and "\r" not in doc.text


def test_line_and_column_of_an_offset():
    doc = load.from_text("第一行\n第二行 123")
    assert doc.line_col(doc.raw.index("123")) == (2, 5)
