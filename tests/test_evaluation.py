"""Tests for the evaluation harness (``jxcheck eval``) on tiny synthetic corpora.

Every expected precision, recall and F1 below was worked out by hand from the
fixture it sits next to; none is recomputed with the metric formula.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from extractor import cli, extract, models
from extractor.evaluation import compare, gold, harness, match, metrics, mutate

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED_REPORTS = REPO.parent / "shared" / "reports"


# --- helpers -----------------------------------------------------------------------------------

def _span(text: str, needle: str, nth: int = 0) -> list[int]:
    """``[start, end]`` of the ``nth`` occurrence of ``needle`` (as the gold was made)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return [start, start + len(needle)]


def _quantity(text: str, needle: str, value: str, unit: str, nth: int = 0) -> models.Quantity:
    start, end = _span(text, needle, nth)
    decimals = len(value.split(".")[1]) if "." in value else 0
    return models.Quantity(value=Decimal(value), unit=unit, raw=needle,
                           span=models.Span(start=start, end=end), decimals=decimals)


def _finding(kind: str, severity: str, spans: list[list[int]], code: str = "JX999",
             unit: str = "") -> models.Finding:
    return models.Finding(
        code=code, name="test", kind=kind, severity=models.Severity(severity),
        message=models.Localized(zh="测试", en="test"), unit=unit,
        spans=tuple(models.Span(start=s, end=e) for s, e in spans),
    )


def _write_gold(path: pathlib.Path, lines: list[dict]) -> pathlib.Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def _ratio(cid: str, text: str, needle: str, value: str, nth: int = 0) -> dict:
    return {"kind": "claim", "id": cid, "type": "ratio", "span": _span(text, needle, nth),
            "stated": {"value": value, "unit": "%"}, "consistent": True}


class FakeExtractor:
    """A backend for tests: reads "执行率N%", fails on CRASH, hangs on SLOW."""

    name = "fake"

    def __init__(self, **options) -> None:
        self.options = options

    def extract(self, doc: models.Document) -> list[models.Claim]:
        if "CRASH" in doc.raw:
            raise RuntimeError("boom on purpose")
        if "SLOW" in doc.raw:
            time.sleep(30)
        claims: list[models.Claim] = []
        for m in re.finditer(r"执行率(\d+)%", doc.raw):
            q = models.Quantity(value=Decimal(m.group(1)), unit="%", raw=m.group(0)[3:],
                                span=models.Span(start=m.start(1), end=m.end()))
            claims.append(models.RatioClaim(id=f"r{len(claims)}", stated=q, backend="fake"))
        return claims


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> str:
    # Worker processes are forked, so they see this registration too.
    monkeypatch.setitem(extract.BACKENDS, "fake", f"{__name__}:FakeExtractor")
    return "fake"


REPORT_A = "甲项目执行率90%。乙项目执行率80%。丙项目完成率70%。"
REPORT_B = "CRASH 丁项目执行率50%。"
REPORT_C = "SLOW 戊项目执行率60%。"


@pytest.fixture
def corpus(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    reports, golds = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir()
    golds.mkdir()
    (reports / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (reports / "b.txt").write_text(REPORT_B, encoding="utf-8")
    _write_gold(golds / "a.jsonl", [
        _ratio("c1", REPORT_A, "90%", "90"),
        _ratio("c2", REPORT_A, "80%", "80"),
        _ratio("c3", REPORT_A, "70%", "70"),
    ])
    _write_gold(golds / "b.jsonl", [_ratio("c1", REPORT_B, "50%", "50")])
    return reports, golds


# --- gold --------------------------------------------------------------------------------------

GOLD_TEXT = "执行率为 102.35%，预算 1,234.5 万元。"


def test_gold_loads_claims_and_findings(tmp_path: pathlib.Path) -> None:
    path = _write_gold(tmp_path / "g.jsonl", [
        {**_ratio("c1", GOLD_TEXT, "102.35%", "102.35"), "quote": "执行率为 102.35%"},
        {"kind": "finding", "id": "f1", "check": "rate", "severity": "error",
         "span": _span(GOLD_TEXT, "102.35%"), "other_spans": [_span(GOLD_TEXT, "1,234.5")],
         "stated": {"value": "102.35", "unit": "%"}, "expected": {"value": "100", "unit": "%"},
         "note": "n"},
    ])
    loaded = gold.load_gold(path, GOLD_TEXT)
    assert [c.id for c in loaded.claims] == ["c1"]
    assert loaded.claims[0].stated.value == Decimal("102.35")
    assert loaded.claims[0].stated.decimals == 2
    assert loaded.findings[0].spans == ((5, 12), (16, 23))


def test_gold_malformed_line_fails_with_location(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_ratio("c1", GOLD_TEXT, "102.35%", "102.35")) + "\n{not json\n",
                    encoding="utf-8")
    with pytest.raises(gold.GoldError, match=r"bad\.jsonl:2: not valid JSON"):
        gold.load_gold(path, GOLD_TEXT)


def test_gold_span_without_the_figure_digits_fails(tmp_path: pathlib.Path) -> None:
    line = _ratio("c7", GOLD_TEXT, "102.35%", "102.53")  # digits transposed
    path = _write_gold(tmp_path / "g.jsonl", [line])
    with pytest.raises(gold.GoldError, match=r"g\.jsonl:1 \(c7\).*does not contain the digits"):
        gold.load_gold(path, GOLD_TEXT)


def test_gold_span_outside_text_fails(tmp_path: pathlib.Path) -> None:
    line = {**_ratio("c1", GOLD_TEXT, "102.35%", "102.35"), "span": [5, 500]}
    with pytest.raises(gold.GoldError, match="outside the report"):
        gold.load_gold(_write_gold(tmp_path / "g.jsonl", [line]), GOLD_TEXT)


def test_gold_unknown_type_fails(tmp_path: pathlib.Path) -> None:
    line = {**_ratio("c1", GOLD_TEXT, "102.35%", "102.35"), "type": "rate"}
    with pytest.raises(gold.GoldError, match="type must be one of"):
        gold.load_gold(_write_gold(tmp_path / "g.jsonl", [line]), GOLD_TEXT)


# --- metrics -----------------------------------------------------------------------------------

def test_metrics_empty_sides() -> None:
    assert metrics.Counts().to_dict() == {
        "gold": 0, "predicted": 0, "matched": 0, "duplicates": 0,
        "precision": None, "recall": None, "f1": None}
    assert metrics.Counts(gold=3).to_dict() == {
        "gold": 3, "predicted": 0, "matched": 0, "duplicates": 0,
        "precision": None, "recall": 0.0, "f1": 0.0}


# --- matching ----------------------------------------------------------------------------------

CLAIM_TEXT = ("执行率75%。完成率80.5%。支出合计1.2万元，其中甲5000元、乙7000元。"
              "零售增速9.9%。又称零售增速9.9%。再称零售增速9.9%。利润率12%。")


def _claim_gold(tmp_path: pathlib.Path) -> gold.GoldFile:
    t = CLAIM_TEXT
    return gold.load_gold(_write_gold(tmp_path / "claims.jsonl", [
        _ratio("c1", t, "75%", "75"),
        _ratio("c2", t, "80.5%", "80.5"),
        {"kind": "claim", "id": "c3", "type": "breakdown", "span": _span(t, "1.2万元"),
         "stated": {"value": "1.2", "unit": "万元"}, "consistent": True,
         "inputs": {"parts": [{"value": "5000", "unit": "元", "span": _span(t, "5000元")},
                              {"value": "7000", "unit": "元", "span": _span(t, "7000元")}]}},
        {"kind": "claim", "id": "c4", "type": "mention", "metric": "零售增速",
         "span": _span(t, "9.9%"), "other_spans": [_span(t, "9.9%", 1), _span(t, "9.9%", 2)],
         "stated": {"value": "9.9", "unit": "%"}, "consistent": True},
    ]), t)


def test_match_claims_counts_per_type(tmp_path: pathlib.Path) -> None:
    t = CLAIM_TEXT
    predicted = [
        models.RatioClaim(stated=_quantity(t, "75%", "75", "%")),            # matches c1
        models.RatioClaim(stated=_quantity(t, "80.5%", "80.3", "%")),        # misread: FP
        models.BreakdownClaim(total=_quantity(t, "1.2万元", "12000", "元"),  # 万元 → 元: match
                              parts=()),
        models.MentionClaim(metric="增速", value=_quantity(t, "9.9%", "9.9", "%", 2)),  # c4
        models.MentionClaim(metric="增速", value=_quantity(t, "9.9%", "9.9", "%", 0)),  # dup
        models.MentionClaim(metric="利润率", value=_quantity(t, "12%", "12", "%")),     # FP
    ]
    results = match.match_claims(_claim_gold(tmp_path).claims, predicted)
    assert {k: r.counts.to_dict() for k, r in results.items()} == {
        "ratio": {"gold": 2, "predicted": 2, "matched": 1, "duplicates": 0,
                  "precision": 0.5, "recall": 0.5, "f1": 0.5},
        "breakdown": {"gold": 1, "predicted": 1, "matched": 1, "duplicates": 0,
                      "precision": 1.0, "recall": 1.0, "f1": 1.0},
        "mention": {"gold": 1, "predicted": 3, "matched": 1, "duplicates": 1,
                    "precision": 0.5, "recall": 1.0, "f1": 0.6667},
    }
    total = sum((r.counts for r in results.values()), metrics.Counts())
    assert total.to_dict() == {"gold": 4, "predicted": 6, "matched": 3, "duplicates": 1,
                               "precision": 0.6, "recall": 0.75, "f1": 0.6667}
    assert results["ratio"].missed == ("c2",)
    assert results["ratio"].false_positives == (1,)


def test_match_mention_reads_the_figure_printed_at_other_spans(tmp_path: pathlib.Path) -> None:
    t = "零售增速9.9%。后文零售增速9.8%。"
    gold_file = gold.load_gold(_write_gold(tmp_path / "m.jsonl", [
        {"kind": "claim", "id": "c1", "type": "mention", "metric": "零售增速",
         "span": _span(t, "9.9%"), "other_spans": [_span(t, "9.8%")],
         "stated": {"value": "9.9", "unit": "%"}, "consistent": False},
    ]), t)
    read = models.MentionClaim(metric="增速", value=_quantity(t, "9.8%", "9.8", "%"))
    misread = models.MentionClaim(metric="增速", value=_quantity(t, "9.8%", "9.7", "%"))
    assert match.match_claims(gold_file.claims, [read])["mention"].counts.to_dict() == {
        "gold": 1, "predicted": 1, "matched": 1, "duplicates": 0,
        "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert match.match_claims(gold_file.claims, [misread])["mention"].counts.to_dict() == {
        "gold": 1, "predicted": 1, "matched": 0, "duplicates": 0,
        "precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_match_findings_kinds_spans_and_severity(tmp_path: pathlib.Path) -> None:
    t = ("总分100分：投入30分，产出60分。执行率75%，完成率80.5%。"
         "增速9.9%，又称增速9.8%，再称增速9.8%。")
    total, p1, p2 = _span(t, "100"), _span(t, "30"), _span(t, "60")
    rate, other_rate = _span(t, "75%"), _span(t, "80.5%")
    first, second, third = _span(t, "9.9%"), _span(t, "9.8%"), _span(t, "9.8%", 1)
    gold_file = gold.load_gold(_write_gold(tmp_path / "f.jsonl", [
        {"kind": "finding", "id": "f1", "check": "score", "severity": "error", "span": total,
         "other_spans": [p1, p2], "stated": {"value": "100", "unit": "分"}},
        {"kind": "finding", "id": "f2", "check": "rate", "severity": "error", "span": rate,
         "stated": {"value": "75", "unit": "%"}},
        {"kind": "finding", "id": "f3", "check": "cross_reference", "severity": "warning",
         "span": first, "other_spans": [second], "stated": {"value": "9.9", "unit": "%"}},
    ]), t)
    predicted = [
        _finding("footing", "error", [total, p1, p2], unit="分"),  # f1 (score ~ footing)
        _finding("rate", "info", [rate]),                          # a note: not counted
        _finding("rate", "warning", [other_rate]),                 # FP
        _finding("cross_reference", "error", [third, second]),     # f3 via other_spans
        _finding("cross_reference", "error", [first]),             # f3 again: duplicate
        _finding("growth", "error", [rate]),                       # wrong kind for f2: FP
    ]
    result = match.match_findings(gold_file.findings, predicted)
    assert result.counts.to_dict() == {"gold": 3, "predicted": 5, "matched": 2, "duplicates": 1,
                                       "precision": 0.5, "recall": 0.6667, "f1": 0.5714}
    assert result.missed == ("f2",)
    assert result.false_positives == (2, 5)


# --- mutations ---------------------------------------------------------------------------------

MUT_TEXT = ("支出合计\t100\n\t30\n\t70\n"
            "执行数 45 万元，预算数 50 万元，执行率 90%。\n"
            "该项分值 10 分，得分 8 分。\n")


def _mutation_gold(tmp_path: pathlib.Path) -> gold.GoldFile:
    t = MUT_TEXT
    return gold.load_gold(_write_gold(tmp_path / "m.jsonl", [
        {"kind": "claim", "id": "b1", "type": "breakdown", "span": _span(t, "100"),
         "stated": {"value": "100", "unit": "万元"}, "consistent": True,
         "inputs": {"parts": [{"value": "30", "unit": "万元", "span": _span(t, "30")},
                              {"value": "70", "unit": "万元", "span": _span(t, "70")}]}},
        {"kind": "claim", "id": "r1", "type": "ratio", "span": _span(t, "90%"),
         "stated": {"value": "90", "unit": "%"}, "consistent": True,
         "inputs": {"numerator": {"value": "45", "unit": "万元", "span": _span(t, "45")},
                    "denominator": {"value": "50", "unit": "万元", "span": _span(t, "50")}}},
        {"kind": "claim", "id": "s1", "type": "score", "span": _span(t, "8 分"),
         "stated": {"value": "8", "unit": "分"}, "consistent": True,
         "inputs": {"weight": {"value": "10", "unit": "分", "span": _span(t, "10 分")}}},
    ]), t)


def test_mutations_are_seeded_and_edit_one_figure(tmp_path: pathlib.Path) -> None:
    claims = _mutation_gold(tmp_path).claims
    plan = mutate.plan_mutations(MUT_TEXT, claims, 3, seed=7, stem="syn")
    assert plan == mutate.plan_mutations(MUT_TEXT, claims, 3, seed=7, stem="syn")
    assert len(plan) == 3
    assert sorted(m.claim_id for m in plan) == ["b1", "r1", "s1"]
    for m in plan:
        assert MUT_TEXT[m.start:m.end] == m.original != m.replacement
        mutated = m.apply(MUT_TEXT)
        assert mutated[m.mutated_span[0]:m.mutated_span[1]] == m.replacement


def test_mutation_key_shift_breaks_relation_beyond_rounding(tmp_path: pathlib.Path) -> None:
    claims = _mutation_gold(tmp_path).claims
    for seed in range(5):
        plan = mutate.plan_mutations(MUT_TEXT, claims, 3, seed=seed, stem="syn",
                                     kinds=("key_shift",))
        edits = {m.claim_id: int(m.replacement) for m in plan}
        # 45/50 with ±0.5 on each input spans 88.1%–91.9%: a stated 88–92 still agrees.
        assert not 88 <= edits["r1"] <= 92
        # A score breaks its rule only above the weight of 10.
        assert edits["s1"] > 10
        assert edits["b1"] != 100


def test_mutation_drop_part_deletes_a_cell(tmp_path: pathlib.Path) -> None:
    claims = _mutation_gold(tmp_path).claims
    (m,) = mutate.plan_mutations(MUT_TEXT, claims, 5, seed=0, stem="syn", kinds=("drop_part",))
    assert m.claim_id == "b1" and m.replacement == "" and m.original in ("30", "70")
    assert "\t\n" in m.apply(MUT_TEXT)
    assert m.key_span == tuple(_span(MUT_TEXT, "100"))


def test_mutation_assess_counts_new_findings_only(tmp_path: pathlib.Path) -> None:
    claims = _mutation_gold(tmp_path).claims
    (m,) = mutate.plan_mutations(MUT_TEXT, claims, 1, seed=0, stem="syn", kinds=("input_shift",))
    mutated = m.apply(MUT_TEXT)
    old_rate = _span(MUT_TEXT, "执行数")
    new_rate = _span(mutated, "执行数")
    key = list(m.key_span)
    elsewhere = _span(mutated, "该项分值")
    baseline = [_finding("rate", "error", [old_rate], code="JX101")]
    found = [
        _finding("rate", "error", [new_rate], code="JX101"),            # same as before
        _finding("footing", "error", [key], code="JX201"),              # the injected error
        _finding("footing", "info", [key], code="JX002"),               # a note
        _finding("cross_reference", "warning", [elsewhere], code="JX401"),  # false alarm
    ]
    outcome = mutate.assess(m, MUT_TEXT, baseline, mutated, found)
    assert outcome.detected_by == ("JX201",)
    assert outcome.false_alarms == ("JX401",)


def test_mutation_assess_drop_part_counts_the_row_and_the_total_line(tmp_path) -> None:
    claims = _mutation_gold(tmp_path).claims
    (m,) = mutate.plan_mutations(MUT_TEXT, claims, 5, seed=0, stem="syn", kinds=("drop_part",))
    mutated = m.apply(MUT_TEXT)
    total_line = _span(mutated, "支出合计")
    row_start = mutated.rfind("\n", 0, m.mutated_span[0]) + 1
    other = _span(mutated, "执行数")
    found = [
        _finding("footing", "error", [total_line], code="JX202"),          # the total's line
        _finding("footing", "error", [[row_start, row_start + 1]], code="JX202"),  # the row
        _finding("rate", "error", [other], code="JX101"),                  # elsewhere
    ]
    outcome = mutate.assess(m, MUT_TEXT, [], mutated, found)
    assert outcome.detected_by == ("JX202", "JX202")
    assert outcome.false_alarms == ("JX101",)


# --- harness -----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["process", "thread"])
def test_harness_reports_crash_and_scores_the_rest(
        corpus: tuple[pathlib.Path, pathlib.Path], fake_backend: str, mode: str) -> None:
    reports, golds = corpus
    board = harness.evaluate(harness.Config(
        reports_dir=reports, gold_dir=golds, backends=(fake_backend, "rules"), jobs=2,
        timeout=20, mutations=0, mode=mode))
    fake = board["backends"]["fake"]
    assert fake["runs"]["a"]["status"] == "ok"
    assert fake["runs"]["b"]["status"] == "error"
    assert "boom on purpose" in fake["runs"]["b"]["detail"]
    assert fake["claims"]["per_report"]["a"]["all"] == {
        "gold": 3, "predicted": 2, "matched": 2, "duplicates": 0,
        "precision": 1.0, "recall": 0.6667, "f1": 0.8}
    # The crashed report keeps its gold: recall counts it as missed.
    assert fake["claims"]["overall"]["by_type"]["ratio"] == {
        "gold": 4, "predicted": 2, "matched": 2, "duplicates": 0,
        "precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert fake["summary"]["runs"] == {"ok": 1, "error": 1, "timeout": 0, "missing": 0}
    assert board["backends"]["rules"]["summary"]["runs"]["ok"] == 2


def test_harness_times_out_one_report(corpus: tuple[pathlib.Path, pathlib.Path],
                                      fake_backend: str) -> None:
    reports, golds = corpus
    (reports / "c.txt").write_text(REPORT_C, encoding="utf-8")
    _write_gold(golds / "c.jsonl", [_ratio("c1", REPORT_C, "60%", "60")])
    started = time.monotonic()
    board = harness.evaluate(harness.Config(
        reports_dir=reports, gold_dir=golds, backends=(fake_backend,), jobs=3, timeout=1,
        mutations=0))
    assert time.monotonic() - started < 10
    runs = board["backends"]["fake"]["runs"]
    assert runs["c"]["status"] == "timeout"
    assert "1 s" in runs["c"]["detail"]
    assert runs["a"]["status"] == "ok"
    assert board["backends"]["fake"]["claims"]["per_report"]["a"]["all"]["matched"] == 2


def test_cli_eval_writes_results_and_diff(corpus: tuple[pathlib.Path, pathlib.Path],
                                          fake_backend: str, tmp_path: pathlib.Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    reports, golds = corpus
    out = tmp_path / "results"
    code = cli.main(["eval", "--backend", fake_backend, "--reports", str(reports), "--gold",
                     str(golds), "--out", str(out), "--mutations", "0", "--no-progress"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Extraction (claims)" in printed and "Detection (findings)" in printed
    assert "boom on purpose" in printed
    board = json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))
    assert board["schema_version"] == 2
    assert "## Detection (findings)" in (out / "scoreboard.md").read_text(encoding="utf-8")

    newer = json.loads(json.dumps(board))
    newer["backends"]["fake"]["claims"]["overall"]["all"]["recall"] = 0.75
    (tmp_path / "new.json").write_text(json.dumps(newer), encoding="utf-8")
    assert cli.main(["eval", "--diff", str(out), str(tmp_path / "new.json")]) == 0
    assert "claims.overall.all.recall" in capsys.readouterr().out


def test_compare_diff_lists_changed_metrics() -> None:
    old = {"backends": {"rules": {"summary": {"claims": {"f1": 0.5, "gold": 4}},
                                  "details": {"x": {"n": 1}}}}}
    new = {"backends": {"rules": {"summary": {"claims": {"f1": 0.75, "gold": 4}},
                                  "details": {"x": {"n": 2}}}}}
    (delta,) = compare.diff(old, new)
    assert (delta.backend, delta.metric, delta.old, delta.new, delta.change) == (
        "rules", "summary.claims.f1", 0.5, 0.75, 0.25)


def test_score_script_runs() -> None:
    done = subprocess.run([sys.executable, str(REPO / "eval" / "score.py"), "--help"],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--mutations" in done.stdout


def test_evaluation_imports_only_public_modules() -> None:
    allowed = {"pipeline", "load", "models", "quantities", "evaluation"}
    for path in sorted((REPO / "extractor" / "evaluation").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "extractor":
                assert {a.name for a in node.names} <= allowed, path.name
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("extractor."):
                assert node.module.split(".")[1] in allowed, path.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("extractor."):
                        assert alias.name.split(".")[1] in allowed, path.name


# --- the shared corpus -------------------------------------------------------------------------

@pytest.mark.skipif(not SHARED_REPORTS.is_dir(),
                    reason=f"shared reports not found at {SHARED_REPORTS} (../shared/reports)")
def test_harness_on_shared_reports() -> None:
    board = harness.evaluate(harness.Config(
        reports_dir=SHARED_REPORTS, gold_dir=REPO / "eval" / "gold", backends=("rules",),
        jobs=2, timeout=120, mutations=1))
    rules = board["backends"]["rules"]
    stems = sorted(p.stem for p in (REPO / "eval" / "gold").glob("*.jsonl"))
    assert sorted(rules["runs"]) == stems
    assert all(run["status"] == "ok" for run in rules["runs"].values()), rules["runs"]
    gold_claims = sum(r["gold_claims"] for r in board["reports"])
    assert rules["claims"]["overall"]["all"]["gold"] == gold_claims
    for value in (rules["summary"]["claims"]["f1"], rules["summary"]["findings"]["recall"]):
        assert value is None or 0 <= value <= 1
    assert rules["mutations"]["all"]["injected"] >= 1
