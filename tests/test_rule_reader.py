"""The model's reading of a scoring rule: validation against the printed text, conversion."""

from __future__ import annotations

from decimal import Decimal

import pydantic
import pytest

from extractor.extract import prompts, rule_reader

RULE = "完成率达到100%的得满分，每少1个百分点减0.2分"
BANDS = "覆盖率95%（含）以上得满分；90%（含）-95%得6分；低于90%不得分"


def _ground(text: str, weight: str = "10") -> rule_reader.RuleGround:
    return rule_reader.RuleGround(text, Decimal(weight), prompts.load("validation"))


def _read(data: dict, text: str, weight: str = "10"):
    answer = rule_reader.RuleAnswer.model_validate(data, context={"rule": _ground(text, weight)})
    return rule_reader.to_rule(answer, text, Decimal(weight))


def test_a_grounded_deduction_becomes_the_parsers_rule_type():
    rule = _read({"kind": "deduction", "target": "100", "direction": "below", "step": "1",
                  "penalty": "0.2"}, RULE)
    assert rule is not None and rule.source == "llm" and rule.kind == "deduction"
    assert rule.allowed_range(Decimal("95")) == (Decimal("9.0"), Decimal("9.0"))
    assert rule.allowed_range(Decimal("100")) == (Decimal(10), Decimal(10))


def test_grounded_bands_take_full_marks_and_zero_from_words():
    rule = _read({"kind": "bands", "bands": [
        {"lo": "95", "lo_inclusive": True, "points": "10"},
        {"lo": "90", "hi": "95", "hi_inclusive": False, "points": "6"},
        {"hi": "90", "hi_inclusive": False, "points": "0"}]}, BANDS)
    assert rule is not None and rule.kind == "bands"
    assert [rule.allowed(Decimal(v)) for v in ("96", "92", "89")] == [10, 6, 0]


@pytest.mark.parametrize("data, wording", [
    ({"kind": "deduction", "target": "98", "direction": "below", "step": "1", "penalty": "0.2"},
     "没有出现在评分标准原文中"),
    ({"kind": "deduction", "target": "100", "direction": "below", "step": "一",
      "penalty": "0.2"}, "不是数字"),
    ({"kind": "deduction", "target": "100", "step": "1"}, "必须写明"),
    ({"kind": "bands", "bands": [{"lo": "95", "points": "10"}]}, "至少要有两档"),
])
def test_an_invented_or_incomplete_reading_is_rejected_in_the_prompts_words(data, wording):
    with pytest.raises(pydantic.ValidationError) as info:
        _read(data, RULE)
    assert wording in str(info.value)


def test_points_above_the_weight_are_rejected():
    with pytest.raises(pydantic.ValidationError) as info:
        _read({"kind": "bands", "bands": [{"lo": "95", "points": "12"},
                                          {"hi": "95", "points": "6"}]},
              "95%以上得12分；95%以下得6分", weight="10")
    assert "超过了分值" in str(info.value)


def test_unreadable_is_no_rule():
    assert _read({"kind": "unreadable"}, "根据工作完成情况酌情扣分") is None
