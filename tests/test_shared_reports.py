"""Findings the field reports must yield (skipped when ../shared is absent)."""

from __future__ import annotations

from decimal import Decimal


from extractor import load, pipeline, tables


def _run(shared_reports, stem):
    doc = load.from_path(next(shared_reports.glob(f"{stem}_*.txt")))
    return doc, pipeline.check_document(doc)


def _errors(report):
    return [f for f in report.findings if f.severity.value == "error"]


def test_000_score_parts_do_not_make_100(shared_reports):
    _, report = _run(shared_reports, "000")
    assert any(f.code == "JX502" and f.stated == 100 and f.recomputed == 95
               for f in report.findings)


def test_000_consistent_rates_are_not_errors(shared_reports):
    doc, report = _run(shared_reports, "000")
    for f in _errors(report):
        assert doc.quote(f.spans[0]) not in ("102.35%", "157.83%", "135%")


def test_001_basic_expenditure_parts(shared_reports):
    _, report = _run(shared_reports, "001")
    assert any(f.code == "JX201" and f.stated == Decimal("609.29")
               and f.recomputed == Decimal("608.32") for f in report.findings)


def test_001_three_public_budget_in_yuan(shared_reports):
    _, report = _run(shared_reports, "001")
    assert any(f.code == "JX402" for f in report.findings)


def test_003_foreign_trade_growth_narrative_vs_sheet(shared_reports):
    doc, report = _run(shared_reports, "003")
    hits = [f for f in report.findings if f.code == "JX401"]
    assert any({doc.quote(s) for s in f.spans} >= {"-8.4%", "-8.7"} for f in hits)


def test_002_unit_tables_rebuilt_and_agree(shared_reports):
    doc, report = _run(shared_reports, "002")
    unit_tables = [t for t in tables.rebuild(doc) if t.layout == "cells" and len(t.rows) == 6]
    assert len(unit_tables) == 4
    for t in unit_tables:
        assert t.rows[0].label.endswith("汇总")
        assert len({len(r.cells) for r in t.rows}) == 1
    table_claims = [c for c in report.claims if getattr(c, "table", None)
                    and c.type in ("breakdown", "difference")]
    assert len(table_claims) >= 40
    assert not [f for f in report.findings if f.code in ("JX202", "JX302")]


def test_003_department_sheet_total_recomputed(shared_reports):
    _, report = _run(shared_reports, "003")
    totals = [c for c in report.claims if c.type == "breakdown" and c.total.raw.startswith("90.88")]
    assert totals and sum(p.value for p in totals[0].parts) == Decimal("90.88")


def test_003_project_rate_misprinted(shared_reports):
    doc, report = _run(shared_reports, "003")
    assert any(f.code == "JX101" and doc.quote(f.spans[0]) == "93.00%" for f in report.findings)


def test_004_common_indicator_rules_read_or_reported(shared_reports):
    doc, report = _run(shared_reports, "004")
    sheet = [c for c in report.claims if c.type == "score" and c.rule
             and c.table == "部门整体支出绩效评价共性指标表"]
    assert len(sheet) >= 14
    unread = [c for c in sheet if c.parsed_rule is None]
    noted = {f.claim_ids[0] for f in report.findings if f.code == "JX505"}
    assert {c.id for c in unread} <= noted


def test_004_budget_control_rate_score_breaks_rule(shared_reports):
    doc, report = _run(shared_reports, "004")
    hits = [f for f in report.findings if f.code == "JX504" and "预算控制率" in f.message.zh]
    assert hits and hits[0].stated == 4 and hits[0].recomputed == 0


def test_004_no_score_finding_without_value(shared_reports):
    _, report = _run(shared_reports, "004")
    missing = {f.claim_ids[0] for f in report.findings if f.code == "JX506"}
    scored = {f.claim_ids[0] for f in report.findings if f.code == "JX504"}
    assert missing and not (missing & scored)


def test_004_self_evaluation_sheet_total_recomputed(shared_reports):
    _, report = _run(shared_reports, "004")
    totals = [c for c in report.claims if c.type == "breakdown" and c.total.raw == "85"
              and c.table]
    assert totals and sum(p.value for p in totals[0].parts) == Decimal(85)
