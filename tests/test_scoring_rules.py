"""Printed scoring rules: one parser case per phrasing family, and rule properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.extract import scoring


def _rule(text, weight):
    rule = scoring.parse_rule(text, D(weight))
    assert rule is not None, text
    return rule


def test_deduction_below_target_per_step():
    r = _rule("达成率100%计满分，每低于5%扣2分，扣完为止", 5)
    assert (r.kind, r.target, r.direction, r.step, r.penalty) == ("deduction", D(100), "below", D(5), D(2))
    assert r.allowed(D(100)) == 5 and r.allowed(D(120)) == 5
    assert r.allowed(D(90)) == 1 and r.allowed(D(80)) == 0
    assert r.allowed_range(D(97)) == (D(3), D(5))  # per started step vs per whole step


def test_deduction_above_ceiling_inclusive():
    r = _rule("支出率100%以下(含)计满分，每超出1%扣1分，扣完为止", 8)
    assert r.direction == "above" and r.allowed(D(100)) == 8 and r.allowed(D(103)) == 5
    assert r.allowed(D("108.5")) == 0  # 扣完为止: never below zero


def test_deduction_per_percentage_point_with_le_sign():
    r = _rule("以100%为标准。人员控制率≤100%，计5分；每超过一个百分点扣0.5分，扣完为止。", 5)
    assert (r.target, r.step, r.penalty) == (D(100), D(1), D("0.5"))
    assert r.allowed(D(102)) == 4


@pytest.mark.parametrize("text,target", [
    ("≥92%得满分，每低于1%扣0.5分", 92),
    ("92%以上得满分，每降低1个百分点扣1分", 92),
    ("完成率≥95%，得满分；每低于1个百分点扣0.5分", 95),
    ("达到95%得满分，每低于1%扣0.5分", 95),
    ("不低于90%（含）计满分，每低于1个百分点扣1分，扣完为止", 90),
])
def test_deduction_full_marks_words(text, target):
    r = _rule(text, 10)
    assert (r.kind, r.target, r.direction) == ("deduction", D(target), "below")


def test_deduction_partial_step_either_reading_when_unsaid():
    r = _rule("≥92%得满分，每低于1%扣0.5分", 10)
    assert r.step_counting == "either"
    assert r.allowed_range(D("89.86")) == (D("8.5"), D(9))  # 3 started steps, 2 whole steps


def test_deduction_partial_step_as_printed():
    started = _rule("≥92%得满分，每低于1%扣0.5分，不足1%按1%计", 10)
    whole = _rule("≥92%得满分，每低于1个百分点扣0.5分，不足1个百分点的不扣分", 10)
    assert started.allowed_range(D("89.86")) == (D("8.5"), D("8.5"))
    assert whole.allowed_range(D("89.86")) == (D(9), D(9))


def test_deduction_percentage_point_step_from_the_sheet_target():
    # No value printed in the rule: it deducts from the row's 年度指标值.
    assert scoring.parse_rule("每超过1个百分点扣0.5分，扣完为止", D(10)) is None
    r = scoring.parse_rule("每超过1个百分点扣0.5分，扣完为止", D(10), D(5))
    assert (r.target, r.direction, r.step, r.penalty) == (D(5), "above", D(1), D("0.5"))
    assert r.allowed_range(D("7.2")) == (D("8.5"), D(9))


def test_deduction_both_ways():
    r = _rule("执行率100%计满分，每超过（降低）5%扣2分。扣完为止。", 6)
    assert r.direction == "both" and r.allowed(D(95)) == 4 and r.allowed(D(105)) == 4


def test_deduction_with_full_marks_when_absent():
    r = _rule("100%以下(含)计满分，每超出5%扣2分，扣完为止。没有新建项目的部门按满分计算。", 5)
    assert r.full_marks_when_absent


def test_deduction_per_case():
    r = _rule("以上情况每出现一例不符合要求的扣1分，扣完为止。", 6)
    assert (r.target, r.direction, r.penalty, r.unit) == (D(0), "above", D(1), "例")


def test_bands_with_inclusive_upper_bounds():
    r = _rule("控制率=0,计5分；0-10%(含),计4分；10-20%(含),计3分；20-30%(含),计2分；大于30%不得分", 5)
    assert r.kind == "bands"
    assert [r.allowed(D(v)) for v in ("0", "0.5", "10", "10.01", "20", "30", "30.01", "207")] == \
        [5, 4, 4, 3, 3, 2, 0, 0]


def test_bands_with_inclusive_lower_bounds():
    r = _rule("满意度90%（含）以上计6分；80%（含）-90%，计4分；70%（含）-80%，计2分；低于70%计0分", 6)
    assert [r.allowed(D(v)) for v in ("95", "90", "89.9", "80", "70", "69.9")] == [6, 6, 4, 4, 2, 0]


def test_levels_and_checklists():
    r = _rule("效果较好的计6分;一般3分;无效果或者效果不明显0分。", 6)
    assert r.kind == "levels" and r.levels == (D(0), D(3), D(6))
    c = _rule("①有管理制度，2分；②有节约制度，2分；③制度合规，2分；④制度得到执行，2分。", 8)
    assert c.kind == "levels" and c.levels == (D(0), D(2), D(4), D(6), D(8))


@pytest.mark.parametrize("text", [
    "根据年度考核分数折算，该项得分=（考核得分/该部分总分）*8",
    "提高企业自主创新能力,推动科技投入体系建设。",
    "",
])
def test_unreadable_rules_return_none(text):
    assert scoring.parse_rule(text, D(8)) is None


def test_formula_of_an_indicator():
    assert scoring.parse_formula("预算控制率=(本年追加预算/年初预算) \\times 100%。") == (
        "预算控制率", "(本年追加预算/年初预算)")
    assert scoring.parse_formula("无公式的说明文字") is None


RULES = [
    ("100%计满分，每低于5%扣2分，扣完为止", 5),
    ("100%以下(含)计满分，每超出1%扣1分，扣完为止", 8),
    ("=0,计5分；0-10%(含),计4分；10-20%(含),计3分；20-30%(含),计2分；大于30%不得分", 5),
    ("90%（含）以上计6分；80%（含）-90%，计4分；70%（含）-80%，计2分；低于70%计0分", 6),
]


def _sheet(rule_text, weight, budget, actual, awarded):
    """A tab-separated sheet with a base-data row and one scored indicator."""
    return (
        "部门整体支出绩效自评表\n"
        "年度预算申请(万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        f"\t年度资金总额\t{budget}\t{budget}\t{actual}\t10\t\t\n\n"
        "共性指标表\n"
        "一级指标\t二级指标\t三级指标\t分值\t评价标准\t指标说明\t得分\n"
        f"过程\t预算执行\t预算执行率\t{weight}\t{rule_text}\t"
        f"预算执行率=(全年执行数/全年预算) × 100%\t{awarded}\n"
    )


@settings(max_examples=40, deadline=None)
@given(rule=st.sampled_from(RULES), actual=st.integers(min_value=0, max_value=2000),
       wrong=st.integers(min_value=1, max_value=10))
def test_allowed_score_passes_and_any_other_fails(rule, actual, wrong):
    from conftest import check_text

    text, weight = rule
    budget = 1000
    value = D(actual) / D(budget) * 100
    parsed = scoring.parse_rule(text, D(weight))
    lo, hi = parsed.allowed_range(value)
    _, report = check_text(_sheet(text, weight, budget, actual, lo))
    assert [f.code for f in report.findings if f.severity.value == "error"] == []
    bad = hi + wrong if hi + wrong <= weight else lo - wrong
    if bad < 0:
        bad = hi + wrong
    _, report = check_text(_sheet(text, weight, budget, actual, bad))
    errors = [f.code for f in report.findings if f.severity.value == "error"]
    assert errors.count("JX504") == 1


@pytest.mark.parametrize("text", ["得分=预算执行率×分值", "按资金到位率×权重计分", "完成率*该项分值"])
def test_proportional_rules(text):
    rule = scoring.parse_rule(text, D(10))
    assert rule is not None and rule.kind == "proportional"
    assert rule.allowed(D("93.87")) == D("9.387")
    assert rule.allowed_range(D("93.87")) == (D("9.3"), D("9.4"))
    assert rule.allowed(D("120")) == D(10)
