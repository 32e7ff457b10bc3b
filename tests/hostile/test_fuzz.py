"""Fuzz: report-like text with markup characters never crashes a stage (issue 11).

Texts are built from the genre's vocabulary (totals, 其中, rates, scores,
Chinese numerals, units, table separators) mixed with characters that mean
something to a renderer (rich markup, HTML, Markdown) and with arbitrary
Unicode. Every input must either be refused with a bilingual LoadError or be
checked and rendered in every format, with every span inside the text.

CI runs a small, fixed-seed sample. A longer run is one command:

    JXCHECK_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest -q tests/hostile/test_fuzz.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from extractor import errors, load, pipeline, render

_EXAMPLES = int(os.environ.get("JXCHECK_FUZZ_EXAMPLES", "60"))

_WORDS = [
    "全年预算", "调整后预算数", "决算数", "执行数", "执行率", "预算执行率", "其中", "其中：", "合计",
    "小计", "总计", "分别为", "主要用于", "包括", "较上年", "增长", "下降", "减少", "节约", "结余",
    "得分", "分值", "总分", "评分标准", "完成率", "到位率", "基本支出", "项目支出", "工资福利支出",
    "商品和服务支出", "三公经费", "公务接待费", "单位：万元", "（万元）", "第", "一、", "（二）", "1、",
    "七亿三千万", "十二亿三千万", "两千零五十", "一百零八万", "百分之九十五", "三点五亿", "壹佰贰拾万",
    "，", "。", "；", "、", "：", "（", "）", "%", "‰", "个百分点", "万元", "亿元", "元", "人", "个",
    "分", "项", "\t", "\n", "\n\n", " ", "　", "…", "—", "|", "||", "---",
]
_MARKUP = ["[", "]", "[/]", "[/b]", "[b]", "[bold red]", "[link=http://x]", "\\", "\\[", "<",
           ">", "<script>alert(1)</script>", "&amp;", "&", '"', "'", "`", "*", "_", "#", "【", "】",
           "{", "}", "$", "%s", "{0}"]


def _number() -> st.SearchStrategy[str]:
    plain = st.decimals(min_value=-10**9, max_value=10**12, places=2, allow_nan=False,
                        allow_infinity=False).map(str)
    grouped = st.integers(min_value=0, max_value=10**10).map(lambda n: f"{n:,}")
    percent = st.integers(min_value=0, max_value=20000).map(lambda n: f"{n / 100}%")
    fullwidth = st.integers(min_value=0, max_value=99999).map(
        lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    return st.one_of(plain, grouped, percent, fullwidth, st.just("0"), st.just("0.00"))


_PIECE = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKUP), _number(),
                   st.text(min_size=1, max_size=3))
_TEXT = st.lists(_PIECE, min_size=1, max_size=120).map("".join)


def _check_all_formats(text: str) -> None:
    try:
        doc = load.from_text(text, "[b]fuzz[/b].txt")
    except errors.LoadError as e:
        assert e.zh and e.en
        return
    report = pipeline.check_document(doc)
    for f in report.findings:
        for span in f.spans:
            assert 0 <= span.start <= span.end <= len(doc.raw)
    for fmt in sorted(render.FORMATS):
        out = render.get(fmt)(doc, report, "zh")
        assert isinstance(out, (str, bytes))


@seed(11)
@settings(max_examples=_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_fuzz_report_like_text_never_crashes(text):
    _check_all_formats(text)


@seed(12)
@settings(max_examples=max(10, _EXAMPLES // 3), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=400))
def test_fuzz_bytes_are_read_or_refused(data):
    try:
        doc = load.from_bytes(data, "[/]bytes.txt")
    except errors.LoadError as e:
        assert e.zh and e.en
        return
    pipeline.check_document(doc)
