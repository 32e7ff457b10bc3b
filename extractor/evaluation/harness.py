"""One evaluation run: corpus → backend runs → matching → a scoreboard dict.

The dict is the single result of a run: the terminal tables, ``scoreboard.md``
and ``scoreboard.json`` are all rendered from it (:mod:`.scoreboard`), and
``--diff`` compares two of them (:mod:`.compare`). Its layout is described in
``eval/README.md`` ("Results format").
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import pathlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import extractor
from extractor import load, models, pipeline
from extractor.evaluation import gold, match, metrics, mutate, proximity, runner
from extractor.evaluation.quotegold import QuoteItem

__all__ = [
    "DEFAULT_MUTATIONS",
    "DEFAULT_TIMEOUT",
    "REPORTS_ENV",
    "SCHEMA_VERSION",
    "USAGE_KEYS",
    "Config",
    "Run",
    "board_frame",
    "default_reports_dir",
    "evaluate",
    "execute",
    "finish",
    "record",
    "repo_root",
    "run_report",
    "warm_up",
]

# 2: adds ``corpora`` (every corpus scored by nearness, side by side).
SCHEMA_VERSION = 2
# Per report and backend: enough that the rules backend's whole benchmark
# stays a few seconds, while every kind of edit is usually tried somewhere.
DEFAULT_MUTATIONS = 4
# Seconds allowed for one backend run on one report (an LLM backend on a
# 100 KB report makes many calls).
DEFAULT_TIMEOUT = 300.0
# Overrides ../shared/reports when set (a CI checkout elsewhere).
REPORTS_ENV = "JXCHECK_REPORTS"
# Report.stats keys summed into the scoreboard's usage columns (LLM backends).
USAGE_KEYS = ("prompt_tokens", "completion_tokens", "total_tokens", "calls", "claims_rejected",
              "chunks_failed")
# Also summed: the model's rejected claims by reason (rejected_quote_not_found …).
USAGE_PREFIX = "rejected_"
# A one-sentence report for the warm-up run (see warm_up).
_WARM_UP_TEXT = "项目预算数 100 万元，执行数 90 万元，执行率 90%。"


@dataclasses.dataclass(frozen=True)
class Config:
    """What one ``jxcheck eval`` run does."""

    reports_dir: pathlib.Path
    gold_dir: pathlib.Path
    backends: tuple[str, ...] = ("rules",)
    jobs: int = 2
    timeout: float | None = DEFAULT_TIMEOUT
    seed: int = 0
    mutations: int = DEFAULT_MUTATIONS
    # "process" or "thread"; None picks runner.default_mode().
    mode: str | None = None


def repo_root() -> pathlib.Path:
    """The checkout to evaluate: the nearest folder above the working directory
    holding ``eval/gold`` and ``pyproject.toml``, else the one this package lives
    in, else the working directory."""
    cwd = pathlib.Path.cwd().resolve()
    for base in (cwd, *cwd.parents):
        if (base / "eval" / "gold").is_dir() and (base / "pyproject.toml").is_file():
            return base
    package_root = pathlib.Path(extractor.__file__).resolve().parent.parent
    if (package_root / "eval").is_dir():
        return package_root
    return cwd


def default_reports_dir(root: pathlib.Path) -> pathlib.Path:
    """``$JXCHECK_REPORTS`` if set, else ``<root>/../shared/reports`` (DESIGN.md)."""
    env = os.environ.get(REPORTS_ENV)
    if env:
        return pathlib.Path(env).expanduser().resolve()
    return (root.parent / "shared" / "reports").resolve()


@dataclasses.dataclass
class Run:
    """What came back for one (backend, report) pair."""

    status: str = "pending"
    detail: str = ""
    report: models.Report | None = None
    wall_s: float | None = None
    seconds: float = 0.0
    outcomes: list[mutate.MutationOutcome] = dataclasses.field(default_factory=list)
    steps: int = 0


@dataclasses.dataclass(frozen=True)
class _Item:
    corpus: gold.CorpusItem
    text: str | None
    gold: gold.GoldFile | None
    mutations: tuple[mutate.Mutation, ...]


def evaluate(config: Config, progress=None) -> dict:
    """Run every backend over every report that has a gold file and score it.

    Args:
        config: the run.
        progress: a ``rich.progress.Progress`` to advance (one step per
            backend run, mutated runs included), or ``None``.

    Returns:
        The scoreboard dict (``scoreboard.json``).

    Raises:
        gold.GoldError: a missing gold folder or a malformed gold file.
    """
    started = time.perf_counter()
    items = _load_corpus(config)
    warm_up(config)
    tasks = [
        runner.Task((backend, item.corpus.stem), run_report,
                    (backend, item.corpus.report, item.text, item.mutations))
        for backend in config.backends for item in items if item.text is not None
    ]
    runs = execute(tasks, {task.key: 1 + len(task.args[3]) for task in tasks}, config,
                   progress)
    board = {
        **board_frame(config),
        "reports": [
            {
                "stem": item.corpus.stem,
                "report": str(item.corpus.report) if item.corpus.report else None,
                "gold_claims": len(item.gold.claims) if item.gold else None,
                "gold_findings": len(item.gold.findings) if item.gold else None,
                "mutations": len(item.mutations),
            }
            for item in items
        ],
        "backends": {
            backend: _score_backend(backend, items, runs) for backend in config.backends
        },
    }
    board["corpora"] = {"field": _field_corpus(config, items, runs, board["backends"])}
    board["elapsed_s"] = round(time.perf_counter() - started, 3)
    return board


def board_frame(config: Config) -> dict:
    """The scoreboard's header: schema, tool, time and the run's settings."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": f"jxcheck {extractor.__version__}",
        "created_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "config": {
            "backends": list(config.backends),
            "reports_dir": str(config.reports_dir),
            "gold_dir": str(config.gold_dir),
            "jobs": config.jobs,
            "timeout_s": config.timeout,
            "seed": config.seed,
            "mutations_per_report": config.mutations,
        },
    }


def execute(tasks: Sequence[runner.Task], steps: dict, config: Config,
            progress=None) -> dict:
    """Run ``tasks`` (each yields a ``check`` step, then one ``mutation`` step per edit).

    Args:
        tasks: keyed work items whose key ends with the report's name.
        steps: the number of steps each task will yield, by key.
        config: jobs, timeout and mode.
        progress: a ``rich.progress.Progress`` to advance, or ``None``.

    Returns:
        ``{key: Run}``: what came back for each task.
    """
    runs = {task.key: Run() for task in tasks}
    bar = progress.add_task("jxcheck eval", total=sum(steps.values())) if progress else None

    def on_event(event: runner.Event) -> None:
        run = runs[event.key]
        run.seconds = event.seconds
        if event.kind == "message":
            record(run, event.payload)
            run.steps += 1
            advance = 1
        else:
            finish(run, event.kind, event.payload)
            advance = steps[event.key] - run.steps
            run.steps = steps[event.key]
        if bar is not None:
            progress.update(bar, advance=advance,
                            description=" · ".join(str(k) for k in event.key))

    runner.run_tasks(tasks, on_event, jobs=config.jobs, timeout=config.timeout, mode=config.mode)
    return runs


def field_items(gold_file: gold.GoldFile, text: str) -> tuple[QuoteItem, ...]:
    """The span-located gold of one field report as nearness items.

    A gold finding is a DISCREPANCY item and a claim marked ``consistent:
    true`` a CONSISTENT item, each anchored at its key figure's span. Claims
    that do not hold have their finding; unjudged ones (``null``) are left out.
    The field gold has no hard/soft/derived labels: its items count under
    ``all`` only.
    """
    def item(item_id: str, kind: str, verdict: str, span: tuple[int, int],
             stated: str, line: int) -> QuoteItem:
        return QuoteItem(
            id=item_id, file=gold_file.stem, quote=text[span[0]:span[1]], kind=kind,
            verdict=verdict, strength="", derived_from=None, span=span,
            line=text.count("\n", 0, span[0]) + 1, stated=stated, gold_line=line)

    out = [item(f.id, f.check, "DISCREPANCY", f.span, f"{f.stated.text}{f.stated.unit}", f.line)
           for f in gold_file.findings]
    out += [item(c.id, c.type, "CONSISTENT", c.span, f"{c.stated.text}{c.stated.unit}", c.line)
            for c in gold_file.claims if c.consistent is True]
    return tuple(out)


def _field_corpus(config: Config, items: list[_Item], runs: dict, blocks: dict) -> dict:
    """The field reports scored by nearness, as every other corpus is (``corpora.field``)."""
    out: dict = {
        "name": "field", "kind": "field", "path": str(config.gold_dir),
        "reports_dir": str(config.reports_dir), "status": "ok", "note": "",
        "files": len(items), "mutation_note": "", "backends": {},
    }
    for backend in config.backends:
        scores, metas = [], {}
        for item in items:
            stem = item.corpus.stem
            if item.gold is None or item.text is None:
                scores.append(proximity.score_file(stem, None, (), None))
                metas[stem] = {"status": "missing", "detail": "report file not found",
                               "wall_s": None}
                continue
            run = runs[(backend, stem)]
            scores.append(proximity.score_file(stem, item.text, field_items(item.gold, item.text),
                                               run.report))
            metas[stem] = {"status": run.status, "detail": run.detail,
                           "wall_s": None if run.wall_s is None else round(run.wall_s, 3)}
        block = proximity.corpus_block(scores, metas)
        field = blocks[backend]
        block["summary"].update({
            "mutations": field["summary"]["mutations"],
            "wall_s": field["summary"]["wall_s"],
            "runs": field["summary"]["runs"],
        })
        block["mutations"] = {"all": field["mutations"]["all"],
                              "by_kind": field["mutations"]["by_kind"]}
        # The field's own matching (by kind and span, by type, span and value),
        # shown beside the nearness figures.
        block["field_match"] = {"findings": field["summary"]["findings"],
                                "claims": field["summary"]["claims"]}
        out["backends"][backend] = block
    return out


def _load_corpus(config: Config) -> list[_Item]:
    items = []
    for entry in gold.find_corpus(config.gold_dir, config.reports_dir):
        if entry.report is None:
            items.append(_Item(entry, None, None, ()))
            continue
        text = gold.read_report_text(entry.report)
        gold_file = gold.load_gold(entry.gold, text)
        planned = mutate.plan_mutations(text, gold_file.claims, config.mutations, config.seed,
                                        entry.stem) if config.mutations > 0 else []
        items.append(_Item(entry, text, gold_file, tuple(planned)))
    return items


def warm_up(config: Config) -> None:
    """Run each backend once on a one-line text before any worker starts.

    The first run in a process imports the backend (pandas, openai …) and
    compiles its patterns: half a second for ``rules``, against tens of
    milliseconds for a report. Forked workers inherit the warmed-up parent, so
    per-report wall times measure the report. Failures are ignored here (the
    real runs report them); a backend that hangs is left behind after
    ``timeout`` seconds.
    """
    def run(backend: str) -> None:
        # Any failure here is the real runs' to report.
        with contextlib.suppress(Exception):
            pipeline.check_document(load.from_text(_WARM_UP_TEXT, "<warm-up>"), backend)

    for backend in config.backends:
        thread = threading.Thread(target=run, args=(backend,), daemon=True)
        thread.start()
        thread.join(config.timeout)


def run_report(backend: str, path: pathlib.Path, text: str,
               mutations: Sequence[mutate.Mutation],
               assess: Callable[..., mutate.MutationOutcome] = mutate.assess) -> Iterator[tuple]:
    """Worker: the backend on the report, then on each mutated copy (one step each).

    ``assess(mutation, text, baseline, mutated_text, mutated)`` judges each
    mutated run (:func:`mutate.assess`, or the corpora's nearness rule).
    """
    t0 = time.perf_counter()
    doc = load.from_path(path)
    report = pipeline.check_document(doc, backend)
    yield ("check", report, time.perf_counter() - t0, doc.raw == text)
    if not mutations:
        return
    baseline = report.findings
    if doc.raw != text:
        # The mutated copies are built from the UTF-8 text; compare like with like.
        baseline = pipeline.check_document(load.from_text(text, str(path)), backend).findings
    for mutation in mutations:
        mutated_text = mutation.apply(text)
        try:
            mutated = pipeline.check_document(load.from_text(mutated_text, str(path)), backend)
        except Exception as e:  # noqa: BLE001 - one bad copy must not end the benchmark
            yield ("mutation", mutate.MutationOutcome(mutation, error=runner.describe_error(e)))
            continue
        yield ("mutation", assess(mutation, text, baseline, mutated_text, mutated.findings))


def record(run: Run, payload: tuple) -> None:
    if payload[0] == "check":
        _, run.report, run.wall_s, same_text = payload
        if not same_text:
            run.detail = "loader text differs from the UTF-8 text; spans may not align"
    else:
        run.outcomes.append(payload[1])


def finish(run: Run, kind: str, payload: object) -> None:
    if run.report is None:
        run.status = "timeout" if kind == "timeout" else "error"
        run.detail = "worker produced no report" if kind == "done" else str(payload)
        return
    run.status = "ok"
    if kind in ("error", "timeout"):
        # The report itself was scored; only the mutation benchmark was cut short.
        run.detail = f"mutation benchmark stopped: {payload}"


def _score_backend(backend: str, items: list[_Item], runs: dict) -> dict:
    claims_total: dict[str, metrics.Counts] = {t: metrics.Counts() for t in gold.CLAIM_TYPES}
    findings_total = metrics.Counts()
    by_check: dict[str, list[int]] = {c: [0, 0] for c in gold.FINDING_CHECKS}
    by_kind = {k: metrics.DetectionCounts() for k in mutate.KINDS}
    usage_total: dict[str, int] = {}
    block: dict = {"summary": {}, "runs": {}, "claims": {"overall": {}, "per_report": {}},
                   "findings": {"overall": {}, "per_report": {}},
                   "mutations": {}, "details": {}}
    items_out: list[dict] = []
    wall_total = 0.0
    status_counts = {"ok": 0, "error": 0, "timeout": 0, "missing": 0}
    for item in items:
        stem = item.corpus.stem
        if item.gold is None or item.text is None:
            status_counts["missing"] += 1
            block["runs"][stem] = {"status": "missing", "detail": "report file not found",
                                   "wall_s": None, "claims": None, "detections": None,
                                   "usage": {}}
            continue
        run = runs[(backend, stem)]
        status_counts[run.status] += 1
        report = run.report
        predicted_claims = report.claims if report else []
        predicted_findings = report.findings if report else []
        usage = _usage(report)
        for key, value in usage.items():
            usage_total[key] = usage_total.get(key, 0) + value
        wall_total += run.wall_s or 0.0
        block["runs"][stem] = {
            "status": run.status,
            "detail": run.detail,
            "wall_s": round(run.wall_s, 3) if run.wall_s is not None else round(run.seconds, 3),
            "claims": len(predicted_claims) if report else None,
            "detections": sum(map(match.is_detection, predicted_findings)) if report else None,
            "usage": usage,
        }
        # A run that failed still has gold: it scores zero recall for that
        # report, so backends are always compared on the same corpus.
        claim_results = match.match_claims(item.gold.claims, predicted_claims)
        report_types = {t: r.counts for t, r in claim_results.items()}
        for ctype, counts in report_types.items():
            claims_total[ctype] = claims_total.get(ctype, metrics.Counts()) + counts
        block["claims"]["per_report"][stem] = _claims_block(report_types)
        finding_result = match.match_findings(item.gold.findings, predicted_findings)
        findings_total += finding_result.counts
        block["findings"]["per_report"][stem] = finding_result.counts.to_dict()
        matched_ids = {gid for gid, _ in finding_result.matched}
        for g in item.gold.findings:
            by_check[g.check][0] += 1
            by_check[g.check][1] += g.id in matched_ids
        block["details"][stem] = _details(item, predicted_claims, predicted_findings,
                                          claim_results, finding_result)
        outcomes = {o.mutation.id: o for o in run.outcomes}
        for mutation in item.mutations:
            outcome = outcomes.get(mutation.id) or mutate.MutationOutcome(
                mutation, error=f"not run: {run.detail or run.status}")
            judged = metrics.DetectionCounts(
                injected=1, detected=int(outcome.detected and not outcome.error),
                false_alarms=len(outcome.false_alarms), errors=int(bool(outcome.error)))
            by_kind[mutation.kind] += judged
            items_out.append({**mutation.to_dict(), "detected": outcome.detected,
                              "detected_by": list(outcome.detected_by),
                              "false_alarms": list(outcome.false_alarms),
                              "error": outcome.error})
    mutation_total = sum(by_kind.values(), metrics.DetectionCounts())
    block["claims"]["overall"] = _claims_block(claims_total)
    block["findings"]["overall"] = {
        **findings_total.to_dict(),
        "by_check": {
            check: {"gold": n, "matched": m,
                    "recall": metrics.as_number(metrics.Counts(gold=n, matched=m).recall)}
            for check, (n, m) in by_check.items() if n
        },
    }
    block["mutations"] = {
        "all": mutation_total.to_dict(),
        "by_kind": {k: c.to_dict() for k, c in by_kind.items()},
        "items": items_out,
    }
    block["summary"] = {
        "claims": block["claims"]["overall"]["all"],
        "findings": findings_total.to_dict(),
        "mutations": mutation_total.to_dict(),
        "wall_s": round(wall_total, 3),
        "runs": status_counts,
        "usage": usage_total,
    }
    return block


def _claims_block(by_type: dict[str, metrics.Counts]) -> dict:
    total = sum(by_type.values(), metrics.Counts())
    return {"by_type": {t: c.to_dict() for t, c in by_type.items()}, "all": total.to_dict()}


def _usage(report: models.Report | None) -> dict[str, int]:
    if report is None:
        return {}
    out = {}
    keys = [*USAGE_KEYS, *sorted(k for k in report.stats if k.startswith(USAGE_PREFIX))]
    for key in keys:
        value = report.stats.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = int(value)
    return out


def _details(item: _Item, claims: Sequence[models.Claim], findings: Sequence[models.Finding],
             claim_results: dict[str, match.MatchResult],
             finding_result: match.MatchResult) -> dict:
    """Which gold items were missed and which predictions were wrong, for debugging."""
    text = item.text or ""

    def claim_fp(i: int) -> dict:
        key = claims[i].key
        return {"type": claims[i].type, "span": [key.span.start, key.span.end],
                "text": text[key.span.start:key.span.end], "value": str(key.value),
                "unit": key.unit}

    def finding_fp(i: int) -> dict:
        f = findings[i]
        first = f.spans[0] if f.spans else None
        return {"code": f.code, "kind": f.kind, "severity": f.severity.value,
                "span": [first.start, first.end] if first else None,
                "text": text[first.start:first.end] if first else ""}

    return {
        "claims": {
            "missed": [gid for r in claim_results.values() for gid in r.missed],
            "false_positives": [claim_fp(i) for r in claim_results.values()
                                for i in r.false_positives],
        },
        "findings": {
            "missed": list(finding_result.missed),
            "false_positives": [finding_fp(i) for i in finding_result.false_positives],
        },
    }
