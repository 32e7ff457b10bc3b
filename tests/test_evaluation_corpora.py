"""Tests for scoring quote-located corpora by nearness (``jxcheck eval --corpus``).

Texts, gold files and verify scripts are written here, in tmp folders; every
expected figure was worked out by hand from the offsets laid out below.
"""

from __future__ import annotations

import codecs
import json
import pathlib
import re
from decimal import Decimal

import pytest

from extractor import cli, load, models, pipeline
from extractor.evaluation import (
    compare,
    corpora,
    gold,
    harness,
    mutate,
    proximity,
    quotegold,
    quotemutate,
)

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


# --- helpers -----------------------------------------------------------------------------------

def _write_corpus(folder: pathlib.Path, texts: dict[str, str], lines: list[dict],
                  verify: str | None = None) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    (folder / "gold.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    if verify is not None:
        (folder / "verify.py").write_text(verify, encoding="utf-8")
    return folder


def _item(item_id: str, quote: str, verdict: str, kind: str = "total", strength: str = "hard",
          derived_from: str | None = None, file: str = "a.txt", **extra) -> dict:
    return {"id": item_id, "file": file, "quote": quote, "kind": kind, "stated": "1",
            "verdict": verdict, "strength": strength, "derived_from": derived_from,
            "note": f"note {item_id}", **extra}


def _finding(severity: str, spans: list[tuple[int, int]], code: str = "JX999") -> models.Finding:
    return models.Finding(
        code=code, name="test", kind="footing", severity=models.Severity(severity),
        message=models.Localized(zh=f"测试 {code}", en="test"),
        spans=tuple(models.Span(start=s, end=e) for s, e in spans))


def _quantity(start: int, end: int) -> models.Quantity:
    return models.Quantity(value=Decimal(1), raw="1", span=models.Span(start=start, end=end))


def _report(text: str, findings: list[models.Finding],
            claims: list[models.Claim] = ()) -> models.Report:
    return models.Report(source="t", encoding="utf-8", length=len(text), claims=list(claims),
                         findings=findings, backend="test")


# --- quote location ----------------------------------------------------------------------------

def test_locate_quote_ignores_whitespace_line_breaks_and_keeps_full_width() -> None:
    text = "一、基本情况\n全年预算 1,200.00\n万元，执行率为\u3000９８．５％。\r\n合计 3 个"
    # The quote is written without the whitespace the text has inside it.
    assert quotegold.locate_quote(text, "执行率为９８．５％") == (24, 34)
    assert text[24:34] == "执行率为\u3000９８．５％"
    # A quote across a line break: the span covers the break, starts and ends on text.
    start, end = quotegold.locate_quote(text, "预算1,200.00万元")
    assert (start, end) == (9, 23)
    assert text[start:end] == "预算 1,200.00\n万元"
    # A quote whose own whitespace differs from the text's (collapsed to one space).
    assert quotegold.locate_quote(text, "合计 3 个") == (37, 43)


def test_locate_quote_absent_or_ambiguous_fails() -> None:
    text = "合计 12 万元，合 计12万元"
    with pytest.raises(ValueError, match="occurs 2 times"):
        quotegold.locate_quote(text, "合计12万元")
    with pytest.raises(ValueError, match="does not occur"):
        quotegold.locate_quote(text, "合计13万元")


def test_quote_span_and_finding_span_index_the_same_text(tmp_path: pathlib.Path) -> None:
    # BOM, CRLF line ends and full-width digits: the loader drops the BOM and
    # keeps CRLF in Document.raw, and every finding span indexes raw, so the
    # quote must be located in raw too (not in open().read(), which would fold
    # CRLF, nor in the normalised Document.text).
    body = "一、预算执行\r\n甲项目预算数１００万元，\r\n执行数９０万元，执行率为９５％。\r\n"
    path = tmp_path / "r.txt"
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    raw = quotegold.read_text(path)
    assert raw == body
    span = quotegold.locate_quote(raw, "执行率为９５％")
    assert raw[span[0]:span[1]] == "执行率为９５％"
    report = pipeline.check_document(load.from_path(path), "rules")
    detections = [f for f in report.findings if f.severity is not models.Severity.INFO]
    assert detections, "the rules backend no longer reads 执行率 in this sentence"
    first = detections[0].spans[0]
    assert raw[first.start:first.end] == "９５％"
    assert proximity.distance((first.start, first.end), span) == 0


def test_load_corpus_rejects_bad_gold_with_location(tmp_path: pathlib.Path) -> None:
    text = "合计 12 万元。合计 12 万元。另有 5 个。"
    folder = _write_corpus(tmp_path / "c", {"a.txt": text}, [
        _item("a-01", "另有5个", "CONSISTENT"),
        _item("a-02", "合计12万元", "CONSISTENT"),
    ])
    with pytest.raises(gold.GoldError, match=r"gold\.jsonl:2 \(a-02\).*occurs 2 times"):
        quotegold.load_corpus(folder)
    _write_corpus(folder, {"a.txt": text}, [_item("a-01", "另有5个", "MAYBE")])
    with pytest.raises(gold.GoldError, match="verdict must be one of"):
        quotegold.load_corpus(folder)
    _write_corpus(folder, {"a.txt": text}, [_item("a-01", "另有5个", "DISCREPANCY",
                                                  derived_from="a-09")])
    with pytest.raises(gold.GoldError, match="derived_from 'a-09'"):
        quotegold.load_corpus(folder)


# --- scoring by nearness -----------------------------------------------------------------------

# Eight items, 4 characters each, at fixed offsets in a text of filler; line 2
# starts at offset 51.
_PLACES = {
    "A": (100, "甲差错一", "DISCREPANCY", "hard", None),
    "B": (300, "乙差错二", "DISCREPANCY", "hard", None),
    "C": (500, "丙派生三", "DISCREPANCY", "hard", "t-A"),
    "D": (700, "丁软性四", "DISCREPANCY", "soft", None),
    "E": (900, "戊舍入五", "ROUNDING", "hard", None),
    "F": (1100, "己一致六", "CONSISTENT", "hard", None),
    "G": (1300, "庚一致七", "CONSISTENT", "hard", None),
    "H": (1500, "辛一致八", "CONSISTENT", "hard", None),
}


def _placed_text() -> str:
    chars = ["的"] * 1700
    chars[50] = "\n"
    for start, quote, *_ in _PLACES.values():
        chars[start:start + 4] = list(quote)
    return "".join(chars)


@pytest.fixture
def placed(tmp_path: pathlib.Path) -> tuple[quotegold.QuoteCorpus, str]:
    text = _placed_text()
    lines = [_item(f"t-{key}", quote, verdict, kind="rate" if key in "AF" else "total",
                   strength=strength, derived_from=derived)
             for key, (_, quote, verdict, strength, derived) in _PLACES.items()]
    corpus = quotegold.load_corpus(_write_corpus(tmp_path / "placed", {"a.txt": text}, lines))
    return corpus, text


def test_distance_counts_characters_between_spans() -> None:
    assert proximity.distance((0, 4), (43, 45)) == 39
    assert proximity.distance((43, 45), (0, 4)) == 39
    assert proximity.distance((0, 4), (4, 6)) == 0
    assert proximity.distance((0, 10), (3, 5)) == 0
    assert proximity.is_near([(0, 4)], (44, 45)) is True     # 40 apart
    assert proximity.is_near([(0, 4)], (45, 46)) is False    # 41 apart


def test_score_file_recall_precision_false_errors_and_touched(
        placed: tuple[quotegold.QuoteCorpus, str]) -> None:
    corpus, text = placed
    (qfile,) = corpus.files
    assert [it.span for it in qfile.items][:2] == [(100, 104), (300, 304)]
    assert qfile.items[0].line == 2
    findings = [
        # 39 characters after A: finds A; its second span is 38 before G.
        _finding("error", [(143, 145), (1260, 1262)], "JX201"),
        # 41 characters after B: B is missed, and this error is near nothing.
        _finding("error", [(345, 347)], "JX201"),
        # 28 before C (derived): finds it; right.
        _finding("warning", [(470, 472)], "JX101"),
        # 39 before E (ROUNDING): right, though it finds no discrepancy.
        _finding("warning", [(860, 861)], "JX101"),
        # 38 before F (CONSISTENT), near no DISCREPANCY/ROUNDING: a false error on F.
        _finding("error", [(1060, 1062)], "JX401"),
        # An info note touching D does not find it.
        _finding("info", [(705, 706)], "JX505"),
        # Near nothing: a wrong warning.
        _finding("warning", [(1650, 1652)], "JX101"),
    ]
    claim = models.RatioClaim(stated=_quantity(1104, 1106), numerator=_quantity(1344, 1345),
                              denominator=_quantity(1545, 1546))
    score = proximity.score_file("a.txt", text, qfile.items, _report(text, findings, [claim]))
    s = proximity.summary(score.tally)
    assert s["discrepancies"] == {
        "hard": {"gold": 2, "found": 1, "recall": 0.5},
        "soft": {"gold": 1, "found": 0, "recall": 0.0},
        "derived": {"gold": 1, "found": 1, "recall": 1.0},
        "all": {"gold": 4, "found": 2, "recall": 0.5},
    }
    assert s["errors"] == {"predicted": 3, "right": 1, "precision": 0.3333}
    assert s["warnings"] == {"predicted": 3, "right": 2, "precision": 0.6667}
    assert s["infos"] == 1
    assert s["consistent"] == {"gold": 3, "false_errors": 1, "share": 0.3333}
    assert s["rounding"] == 1
    # F overlapped (0), G at 40 characters, H at 41: two of eight items.
    assert s["touched"] == {"gold": 8, "touched": 2, "share": 0.25}
    assert [m["id"] for m in score.missed] == ["t-B", "t-D"]
    assert [(e["code"], e["line"], e["span"]) for e in score.false_errors] == [
        ("JX201", 2, [345, 347]), ("JX401", 2, [1060, 1062])]
    assert [e["span"] for e in score.false_warnings] == [[1650, 1652]]
    assert [(m["id"], m["codes"]) for m in score.flagged_consistent] == [("t-F", ["JX401"])]
    assert proximity.summary(score.by_kind["rate"])["discrepancies"]["all"] == {
        "gold": 1, "found": 1, "recall": 1.0}
    assert proximity.summary(score.by_code["JX201"])["errors"] == {
        "predicted": 2, "right": 1, "precision": 0.5}
    assert score.by_code["JX505"]["infos"] == 1


def test_score_file_failed_run_misses_everything(
        placed: tuple[quotegold.QuoteCorpus, str]) -> None:
    corpus, text = placed
    score = proximity.score_file("a.txt", text, corpus.files[0].items, None)
    s = proximity.summary(score.tally)
    assert s["discrepancies"]["all"] == {"gold": 4, "found": 0, "recall": 0.0}
    assert s["errors"] == {"predicted": 0, "right": 0, "precision": None}
    assert s["touched"]["touched"] == 0


# --- mutations ---------------------------------------------------------------------------------

# A corpus-shaped recomputation written for these tests: op "sum" over terms.
_VERIFY = '''
from decimal import Decimal as D, getcontext
getcontext().prec = 50

def _num(s):
    return D("".join(ch for ch in s if ch.isdigit() or ch in ".-"))

def evaluate(e):
    if e["op"] != "sum":
        raise ValueError(e["op"])
    total = sum((_num(t) for t in e["terms"]), D(0))
    stated = _num(e["stated"])
    places = -stated.as_tuple().exponent
    exact = total.quantize(D(1).scaleb(-places))
    return ("CONSISTENT" if exact == stated else "DISCREPANCY"), str(total)
'''

_MUT_TEXT = ("一、收入情况\n本年收入合计 150.50 万元，其中财政拨款 100.25 万元，事业收入 50.25 万元。\n"
             "二、支出情况\n本年支出合计 80 万元，其中基本支出 50 万元，项目支出 30 万元。\n")


@pytest.fixture
def mut_corpus(tmp_path: pathlib.Path) -> quotegold.QuoteCorpus:
    lines = [
        _item("m-01", "本年收入合计150.50万元", "CONSISTENT", file="m.txt", stated="150.50万元",
              op="sum", terms=["100.25万元", "50.25万元"]),
        _item("m-02", "本年支出合计80万元", "CONSISTENT", file="m.txt", stated="80万元",
              op="sum", terms=["50万元", "30万元"]),
    ]
    return quotegold.load_corpus(_write_corpus(tmp_path / "mut", {"m.txt": _MUT_TEXT}, lines,
                                               verify=_VERIFY))


def test_mutation_plans_are_seeded_and_break_the_relation(
        mut_corpus: quotegold.QuoteCorpus) -> None:
    verifier = quotemutate.load_verifier(mut_corpus.folder)
    assert verifier is not None and verifier.shape == "terms"
    assert not list(mut_corpus.folder.glob("__pycache__")), "loading verify.py wrote bytecode"
    (qfile,) = mut_corpus.files
    plan = quotemutate.plan_mutations(qfile, verifier, 2, seed=0)
    assert plan == quotemutate.plan_mutations(qfile, verifier, 2, seed=0)
    assert len(plan) == 2
    assert {m.claim_id for m in plan} == {"m-01", "m-02"}
    assert {m.kind for m in plan} == {"stated_shift", "input_shift"}
    figures = {"m-01": {"150.50", "100.25", "50.25"}, "m-02": {"80", "50", "30"}}
    items = {it.id: it for it in qfile.items}
    for m in plan:
        assert m.original in figures[m.claim_id]
        assert _MUT_TEXT[m.start:m.end] == m.original
        # Same printed precision, moved by at least 2 units of the last place.
        decimals = len(m.original.split(".")[1]) if "." in m.original else 0
        assert re.fullmatch(r"\d+" + (rf"\.\d{{{decimals}}}" if decimals else ""), m.replacement)
        step = Decimal(10) ** -decimals
        assert abs(Decimal(m.replacement) - Decimal(m.original)) >= 2 * step
        # The inputs are found inside the relation's own sentence.
        line = _MUT_TEXT.count("\n", 0, m.start)
        assert line == (1 if m.claim_id == "m-01" else 3)
        assert verifier.verdict(items[m.claim_id], m.target, m.replacement) == "DISCREPANCY"


def test_mutation_without_verify_script_edits_stated_equalities_only(
        tmp_path: pathlib.Path) -> None:
    folder = _write_corpus(tmp_path / "bare", {"m.txt": _MUT_TEXT}, [
        _item("m-01", "本年收入合计150.50万元", "CONSISTENT", file="m.txt", stated="150.50万元",
              op="sum", terms=["100.25万元", "50.25万元"]),
        # 得分 ≤ 分值 may still hold after an edit: no recomputation, no edit.
        _item("m-02", "本年支出合计80万元", "CONSISTENT", file="m.txt", stated="80万元", op="le",
              terms=["90万元"]),
    ])
    verifier = quotemutate.load_verifier(folder)
    assert isinstance(verifier, quotemutate.StatedOnlyVerifier)
    plan = quotemutate.plan_mutations(quotegold.load_corpus(folder).files[0], verifier, 4, 0)
    assert [(m.claim_id, m.kind, m.original) for m in plan] == [("m-01", "stated_shift",
                                                                 "150.50")]
    assert abs(Decimal(plan[0].replacement) - Decimal("150.50")) >= Decimal("0.02")


def test_mutation_assess_counts_near_new_findings_only() -> None:
    text = "的" * 300
    m = mutate.Mutation("x:m1", "x", "i1", "total", "input_shift", "input:0", 100, 104, "1234",
                        "1294", (200, 210))
    old = _finding("error", [(10, 12)], "JX201")
    new = [
        _finding("error", [(10, 12)], "JX201"),      # also in the baseline: not new
        _finding("error", [(143, 145)], "JX201"),    # 39 after the edit: detected
        _finding("warning", [(251, 252)], "JX101"),  # 41 after the quote, 145 after the edit
        _finding("info", [(100, 104)], "JX505"),     # notes never count
    ]
    outcome = quotemutate.assess(m, text, [old], text, new)
    assert outcome.detected_by == ("JX201",)
    assert outcome.false_alarms == ("JX101",)


# --- the command -------------------------------------------------------------------------------

_CLI_TEXT = ("一、预算执行\n甲项目预算数 100 万元，执行数 90 万元，执行率 95%。\n"
             "二、支出结构\n本年支出合计 60 万元，其中人员经费 30 万元，公用经费 30 万元。\n")


def _cli_corpus(folder: pathlib.Path) -> pathlib.Path:
    return _write_corpus(folder, {"k.txt": _CLI_TEXT}, [
        _item("k-01", "执行率95%", "DISCREPANCY", kind="rate", file="k.txt", stated="95%"),
        _item("k-02", "本年支出合计60万元", "CONSISTENT", file="k.txt", stated="60万元",
              op="sum", terms=["30万元", "30万元"]),
    ], verify=_VERIFY)


def test_cli_eval_scores_a_gold_folder(tmp_path: pathlib.Path) -> None:
    folder = _cli_corpus(tmp_path / "mine")
    out = tmp_path / "results"
    code = cli.main(["eval", "--corpus", str(folder), "--out", str(out), "--mutations", "1",
                     "--no-progress"])
    assert code == 0
    board = json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))
    assert board["config"]["corpora"] == ["mine"]
    assert board["backends"] == {}
    block = board["corpora"]["mine"]["backends"]["rules"]
    s = block["summary"]
    assert s["discrepancies"]["all"] == {"gold": 1, "found": 1, "recall": 1.0}
    assert s["warnings"]["right"] == s["warnings"]["predicted"] == 1
    assert s["consistent"] == {"gold": 1, "false_errors": 0, "share": 0.0}
    assert s["mutations"]["injected"] == 1 and s["mutations"]["detected"] == 1
    assert block["per_file"]["k.txt"]["status"] == "ok"
    assert "Corpora side by side" in (out / "scoreboard.md").read_text(encoding="utf-8")
    assert "missed discrepancies (0)" in (out / "misses.md").read_text(encoding="utf-8")

    newer = json.loads(json.dumps(board))
    newer["corpora"]["mine"]["backends"]["rules"]["summary"]["errors"]["precision"] = 0.5
    deltas = compare.diff(board, newer)
    assert [(d.metric, d.old, d.new) for d in deltas] == [
        ("corpora.mine.summary.errors.precision", None, 0.5)]


def test_cli_eval_skips_absent_corpora_with_a_note(tmp_path: pathlib.Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv(harness.REPORTS_ENV, str(shared / "reports"))
    shared.mkdir()
    assert cli.main(["eval", "--no-progress", "--out", str(tmp_path / "none")]) == 2
    assert "no corpus could be scored" in capsys.readouterr().err
    _cli_corpus(shared / "real")
    out = tmp_path / "results"
    assert cli.main(["eval", "--no-progress", "--mutations", "0", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    board = json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))
    assert [(n, c["status"]) for n, c in board["corpora"].items()] == [
        ("field", "skipped"), ("corpus", "skipped"), ("real", "ok")]
    assert "report folder not found" in board["corpora"]["field"]["note"]
    assert "skipped" in printed


def test_resolve_names_folders_and_defaults(tmp_path: pathlib.Path) -> None:
    reports = tmp_path / "shared" / "reports"
    specs = corpora.resolve(None, REPO, reports)
    assert [(s.name, s.kind) for s in specs] == [
        ("field", "field"), ("corpus", "quote"), ("real", "quote")]
    assert specs[2].path == tmp_path / "shared" / "real"
    assert [s.name for s in corpora.resolve(None, REPO, reports, field_only=True)] == ["field"]
    folder = _cli_corpus(tmp_path / "real")
    named = corpora.resolve(["real", str(folder)], REPO, reports)
    assert [s.name for s in named] == ["real", "real-2"]
    with pytest.raises(corpora.SelectionError, match="not a corpus name"):
        corpora.resolve([str(tmp_path / "nowhere")], REPO, reports)


def test_cli_eval_bad_corpus_value_exits_2(tmp_path: pathlib.Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["eval", "--corpus", str(tmp_path / "nowhere"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "不是语料名" in err and "not a corpus name" in err


# --- the shared corpora ------------------------------------------------------------------------

@pytest.mark.parametrize("name, files, items", [("corpus", 4, 338), ("real", 38, 197)])
def test_shared_quote_corpora_locate_every_quote(name: str, files: int, items: int) -> None:
    folder = SHARED / name
    if not (folder / "gold.jsonl").is_file():
        pytest.skip(f"{folder} not found (../shared/{name} next to the checkout)")
    corpus = quotegold.load_corpus(folder)
    assert (len(corpus.files), len(corpus.items)) == (files, items)
    for qfile in corpus.files:
        for it in qfile.items:
            located = qfile.text[it.span[0]:it.span[1]]
            assert re.sub(r"\s", "", located) == re.sub(r"\s", "", it.quote), it.id
    verifier = quotemutate.load_verifier(folder)
    assert verifier is not None
    consistent = [it for it in corpus.items if it.verdict == "CONSISTENT"]
    assert all(verifier.verdict(it) == "CONSISTENT" for it in consistent)


class CrashingExtractor:
    """A backend for tests: no claims, and a crash on any text holding CRASH."""

    name = "crashing"

    def __init__(self, **options) -> None:
        self.options = options

    def extract(self, doc: models.Document) -> list[models.Claim]:
        if "CRASH" in doc.raw:
            raise RuntimeError("boom on purpose")
        return []


def test_quote_corpus_run_that_crashes_keeps_its_gold(tmp_path: pathlib.Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor import extract

    # Worker processes are forked, so they see this registration too.
    monkeypatch.setitem(extract.BACKENDS, "crashing", f"{__name__}:CrashingExtractor")
    folder = _write_corpus(tmp_path / "two", {"a.txt": "甲表合计 12 万元。", "b.txt": "CRASH 乙表合计 7 万元。"},
                           [_item("a-01", "甲表合计12万元", "DISCREPANCY"),
                            _item("b-01", "乙表合计7万元", "DISCREPANCY", file="b.txt")])
    config = harness.Config(reports_dir=tmp_path, gold_dir=tmp_path, backends=("crashing",),
                            jobs=2, timeout=20, mutations=0)
    block = corpora.evaluate_quote(quotegold.load_corpus(folder), config)
    runs = block["backends"]["crashing"]
    assert runs["per_file"]["a.txt"]["status"] == "ok"
    assert runs["per_file"]["b.txt"]["status"] == "error"
    assert "boom on purpose" in runs["per_file"]["b.txt"]["detail"]
    assert runs["summary"]["discrepancies"]["all"] == {"gold": 2, "found": 0, "recall": 0.0}
    assert runs["summary"]["runs"] == {"ok": 1, "error": 1, "timeout": 0, "missing": 0}


def test_cli_eval_unreadable_report_exits_2_in_both_languages(
        tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_corpus(tmp_path / "bin", {}, [_item("a-01", "合计12万元", "CONSISTENT")])
    (folder / "a.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    out = tmp_path / "results"
    assert cli.main(["eval", "--corpus", str(folder), "--no-progress", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "无法读取报告" in err and "cannot read the report" in err and "Traceback" not in err
    assert not out.exists()
