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
