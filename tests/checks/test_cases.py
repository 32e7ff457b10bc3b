"""Every check code has a YAML case file of pass and fail texts (sqlfluff style)."""

from __future__ import annotations

import pathlib
from decimal import Decimal

import pytest
import yaml

from extractor.checks import registry
from conftest import check_text

CASES_DIR = pathlib.Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES_DIR.glob("JX*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["code"], case, id=f"{data['code']}-{case['name']}")


@pytest.mark.parametrize("code,case", list(_cases()))
def test_check_case(code: str, case: dict) -> None:
    doc, report = check_text(case["text"])
    found = [f for f in report.findings if f.code == code]
    assert len(found) == len(case["expect"]), [f.message.zh for f in found]
    for f, exp in zip(found, case["expect"]):
        assert doc.quote(f.spans[0]) == exp["span"]
        if "stated" in exp:
            assert f.stated == Decimal(exp["stated"])
        if "recomputed" in exp:
            assert f.recomputed.quantize(Decimal(exp["recomputed"])) == Decimal(exp["recomputed"])
        assert f.severity.value == exp.get("severity", "error")


def test_every_code_has_a_case_file() -> None:
    files = {p.stem for p in CASES_DIR.glob("JX*.yml")}
    assert set(registry.CHECKS) <= files


def test_case_files_have_pass_and_fail() -> None:
    for path in CASES_DIR.glob("JX*.yml"):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any(c["expect"] for c in cases), path.name
        assert any(not c["expect"] for c in cases), path.name


# ---------------------------------------------------------------- message figures


def test_unit_slip_message_keeps_printed_decimals() -> None:
    # 400.50 + 26.30 is 426.80 as the report prints it, not 426.8.
    _, report = check_text("“三公”经费预算数为426.80元，其中：公务接待费400.50万元、"
                           "公务用车运行维护费26.30万元。")
    (f,) = [f for f in report.findings if f.code == "JX402"]
    assert "应为 426.80万元" in f.message.zh
    assert f.formula.endswith("= 426.80万元")


def test_score_total_message_keeps_printed_decimals() -> None:
    _, report = check_text("评分表\n指标 分值 得分\n产出指标 50 40.50\n效益指标 50 47.30\n总分 100 88.00\n")
    (f,) = [f for f in report.findings if f.code == "JX502"]
    assert "= 87.80分" in f.message.zh
    assert "87.80 ≠ 88.00" in f.formula


def test_case_severities_are_the_ones_the_rule_lists() -> None:
    # `jxcheck rules` and docs/rules print severity_text(); a finding of any other
    # severity would contradict them.
    for path in CASES_DIR.glob("JX*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cls = registry.CHECKS.get(data["code"])
        if cls is None:
            continue
        listed = set(cls.severity_text().split("/"))
        for case in data["cases"]:
            for exp in case["expect"]:
                assert exp.get("severity", "error") in listed, (path.name, case["name"])
