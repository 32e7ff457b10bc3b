"""Property tests: a consistent relation raises nothing; one number changed beyond
its precision raises exactly one error, of the right rule."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import check_text

LABELS = ["工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", "对企业补助", "其他支出"]
SCORE_LABELS = ["执行率指标", "成本指标", "产出指标", "效益指标", "满意度指标", "管理指标"]

cents = st.integers(min_value=10_000, max_value=1_000_000).map(lambda c: Decimal(c).scaleb(-2))
PROFILE = settings(max_examples=60, deadline=None)


def _errors(text: str):
    _, report = check_text(text)
    return [f for f in report.findings if f.severity.value == "error"]


def _breakdown_text(total: Decimal, parts: list[Decimal]) -> str:
    items = "、".join(f"{label}{p}万元" for label, p in zip(LABELS, parts))
    return f"2024年全年基本支出{total}万元，其中：{items}。"


@PROFILE
@given(parts=st.lists(cents, min_size=2, max_size=6))
def test_consistent_breakdown_raises_nothing(parts):
    assert _errors(_breakdown_text(sum(parts), parts)) == []


@PROFILE
@given(parts=st.lists(cents, min_size=2, max_size=6),
       delta=st.integers(min_value=10, max_value=100_000).map(lambda c: Decimal(c).scaleb(-2)),
       sign=st.sampled_from([1, -1]))
def test_breakdown_with_changed_total_raises_one_error(parts, delta, sign):
    total = sum(parts) + sign * delta
    _, report = check_text(_breakdown_text(total, parts))
    found = [(f.code, f.severity.value) for f in report.findings if f.severity.value != "info"]
    # Parts well short of a 其中 total may be a selection of its items: a warning.
    selection = sum(parts) < total * Decimal("0.95")
    assert found == [("JX201", "warning" if selection else "error")]


def _ratio_text(num: Decimal, den: Decimal, pct: Decimal) -> str:
    return f"全县到位资金{num}万元，完成年度任务{den}万元的{pct}%。"


@PROFILE
@given(num=cents, den=cents)
def test_consistent_rate_raises_nothing(num, den):
    pct = (num / den * 100).quantize(Decimal("0.01"))
    assert _errors(_ratio_text(num, den, pct)) == []


@PROFILE
@given(num=cents, den=cents, delta=st.integers(min_value=200, max_value=5_000),
       sign=st.sampled_from([1, -1]))
def test_rate_changed_beyond_precision_raises_one_error(num, den, delta, sign):
    pct = (num / den * 100).quantize(Decimal("0.01")) + sign * Decimal(delta) / 100
    if pct <= 0:
        pct = (num / den * 100).quantize(Decimal("0.01")) + Decimal(delta) / 100
    errors = _errors(_ratio_text(num, den, pct))
    assert [f.code for f in errors] == ["JX101"]


def _score_text(total: int, scores: list[int]) -> str:
    items = "，".join(f"{label}评价得分为{s}分" for label, s in zip(SCORE_LABELS, scores))
    return f"经评定本年度绩效评价得分为{total}分。其中：{items}。"


@PROFILE
@given(scores=st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=6))
def test_consistent_score_total_raises_nothing(scores):
    assert _errors(_score_text(sum(scores), scores)) == []


@PROFILE
@given(scores=st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=6),
       delta=st.integers(min_value=1, max_value=20))
def test_score_total_off_by_any_point_raises_one_error(scores, delta):
    errors = _errors(_score_text(sum(scores) + delta, scores))
    assert [f.code for f in errors] == ["JX502"]


def _visits_text(total: Decimal, inpatient: Decimal, outpatient_visits: int) -> str:
    # Parts in 人次 and the total in 万人次: the sum is converted exactly.
    return f"全年救助{total}万人次，其中住院救助{inpatient}万人次、门诊救助{outpatient_visits}人次。"


visits = st.integers(min_value=100, max_value=99_999)


@PROFILE
@given(inpatient=cents, outpatient=visits)
def test_consistent_counts_in_wan_raise_nothing(inpatient, outpatient):
    # Round the total to 4 decimals (1 人次) so it holds exactly.
    total = inpatient + Decimal(outpatient).scaleb(-4)
    assert _errors(_visits_text(total, inpatient, outpatient)) == []


@PROFILE
@given(inpatient=cents, outpatient=visits, delta=st.integers(min_value=1, max_value=500),
       sign=st.sampled_from([1, -1]))
def test_counts_in_wan_with_changed_total_raise_one_error(inpatient, outpatient, delta, sign):
    total = inpatient + Decimal(outpatient).scaleb(-4) + sign * Decimal(delta).scaleb(-2)
    assert [f.code for f in _errors(_visits_text(total, inpatient, outpatient))] == ["JX201"]
