"""Every corpus in one run: the field reports, ``../shared/corpus``, ``../shared/real``, any folder.

``jxcheck eval`` scores the field reports (span-located gold in ``eval/gold``,
:mod:`.harness`) and each folder with a quote-located ``gold.jsonl``
(:mod:`.quotegold`) with the same backends, and puts them side by side in one
scoreboard under ``corpora.<name>``. A named corpus whose folder is absent is
skipped with a note; every gold file is loaded and validated before anything
runs, so a malformed one stops the command before any result is computed.
"""

from __future__ import annotations

import dataclasses
import pathlib
import time
from collections.abc import Sequence

from extractor.evaluation import (
    gold,
    harness,
    metrics,
    mutate,
    proximity,
    quotegold,
    quotemutate,
    runner,
)

__all__ = ["NAMED", "CorpusSpec", "SelectionError", "evaluate_all", "evaluate_quote",
           "resolve"]

# Corpora known by name, in the order the scoreboard shows them.
NAMED = ("field", "corpus", "real")


class SelectionError(ValueError):
    """A ``--corpus`` value that names no corpus and no folder with a gold.jsonl."""


@dataclasses.dataclass(frozen=True)
class CorpusSpec:
    """One corpus to score: ``field`` (eval/gold + reports) or a quote-located folder."""

    name: str
    kind: str
    path: pathlib.Path


def resolve(values: Sequence[str] | None, root: pathlib.Path, reports_dir: pathlib.Path,
            field_only: bool = False) -> list[CorpusSpec]:
    """The corpora ``--corpus`` asks for (default: all three named ones).

    Args:
        values: names (``field``, ``corpus``, ``real``) and/or folders holding a
            ``gold.jsonl``; ``None`` for the default.
        root: the checkout.
        reports_dir: the field reports' folder; ``corpus`` and ``real`` are
            looked for beside it (``../shared/corpus`` next to ``../shared/reports``).
        field_only: the default is the field reports alone (``--reports`` or
            ``--gold`` was given without ``--corpus``).

    Raises:
        SelectionError: a value that is neither a name nor such a folder.
    """
    names = list(values) if values else (["field"] if field_only else list(NAMED))
    shared = reports_dir.parent
    out: list[CorpusSpec] = []
    for value in names:
        if value == "field":
            spec = CorpusSpec("field", "field", root / "eval" / "gold")
        elif value in NAMED:
            spec = CorpusSpec(value, "quote", shared / value)
        else:
            folder = pathlib.Path(value).expanduser().resolve()
            if not (folder / quotegold.GOLD_NAME).is_file():
                raise SelectionError(
                    f"--corpus {value}: 不是语料名（field、corpus、real），也不是含 "
                    f"{quotegold.GOLD_NAME} 的文件夹 / not a corpus name (field, corpus, real) "
                    f"nor a folder holding {quotegold.GOLD_NAME}")
            name = folder.name
            taken = {s.name for s in out} | set(NAMED)
            n = 1
            while name in taken:
                n += 1
                name = f"{folder.name}-{n}"
            spec = CorpusSpec(name, "quote", folder)
        if spec.name not in {s.name for s in out}:
            out.append(spec)
    return out


def evaluate_all(config: harness.Config, specs: Sequence[CorpusSpec], progress=None) -> dict:
    """Score every backend on every corpus of ``specs``; one scoreboard dict.

    The field reports keep the layout of :func:`harness.evaluate` (``reports``,
    ``backends``) and also appear, scored by nearness, under ``corpora.field``.

    Raises:
        gold.GoldError: a malformed gold file (nothing has run yet).
    """
    started = time.perf_counter()
    skipped: dict[str, dict] = {}
    loaded: list[tuple[CorpusSpec, quotegold.QuoteCorpus]] = []
    run_field = False
    for spec in specs:
        if spec.kind == "field":
            if not config.reports_dir.is_dir():
                skipped[spec.name] = _skipped(spec, f"report folder not found: {config.reports_dir}")
            else:
                # Validate the field gold now, with the others, before anything runs.
                for entry in gold.find_corpus(config.gold_dir, config.reports_dir):
                    if entry.report is not None:
                        gold.load_gold(entry.gold, gold.read_report_text(entry.report))
                run_field = True
        elif not spec.path.is_dir():
            skipped[spec.name] = _skipped(spec, f"folder not found: {spec.path}")
        else:
            loaded.append((spec, quotegold.load_corpus(spec.path, spec.name)))
    if run_field:
        board = harness.evaluate(config, progress=progress)
    else:
        board = _empty_board(config)
        if loaded:
            harness.warm_up(config)
    corpora: dict[str, dict] = {}
    for spec in specs:
        if spec.name in skipped:
            corpora[spec.name] = skipped[spec.name]
        elif spec.kind == "field":
            corpora[spec.name] = board["corpora"]["field"]
        else:
            corpus = next(c for s, c in loaded if s.name == spec.name)
            corpora[spec.name] = evaluate_quote(corpus, config, progress)
    board["corpora"] = corpora
    board["config"]["corpora"] = [s.name for s in specs]
    board["config"]["near_chars"] = proximity.NEAR_CHARS
    board["elapsed_s"] = round(time.perf_counter() - started, 3)
    return board


def evaluate_quote(corpus: quotegold.QuoteCorpus, config: harness.Config,
                   progress=None) -> dict:
    """Run every backend over one quote-located corpus and score it (``corpora.<name>``)."""
    verifier = quotemutate.load_verifier(corpus.folder) if config.mutations > 0 else None
    plans = {f.name: tuple(quotemutate.plan_mutations(f, verifier, config.mutations,
                                                      config.seed))
             for f in corpus.files}
    tasks = [
        runner.Task((corpus.name, backend, f.name), harness.run_report,
                    (backend, f.path, f.text, plans[f.name], quotemutate.assess))
        for backend in config.backends for f in corpus.files if f.text is not None
    ]
    runs = harness.execute(tasks, {t.key: 1 + len(t.args[3]) for t in tasks}, config,
                           progress)
    note = ""
    if config.mutations > 0 and isinstance(verifier, quotemutate.StatedOnlyVerifier):
        note = (f"no usable {corpus.folder / 'verify.py'}: only stated figures of equalities "
                "were edited (inputs need the corpus's recomputation)")
    items = corpus.items
    out: dict = {
        "name": corpus.name, "kind": "quote", "path": str(corpus.folder), "status": "ok",
        "note": "", "files": len(corpus.files),
        "gold": {v.lower(): sum(it.verdict == v for it in items) for v in quotegold.VERDICTS},
        "mutation_note": note,
        "backends": {},
    }
    for backend in config.backends:
        out["backends"][backend] = _score_quote_backend(backend, corpus, plans, runs)
    return out


def _score_quote_backend(backend: str, corpus: quotegold.QuoteCorpus,
                         plans: dict[str, tuple[mutate.Mutation, ...]], runs: dict) -> dict:
    scores, metas = [], {}
    by_kind = {k: metrics.DetectionCounts() for k in quotemutate.KINDS}
    status_counts = {"ok": 0, "error": 0, "timeout": 0, "missing": 0}
    items_out: list[dict] = []
    wall_total = 0.0
    for f in corpus.files:
        if f.text is None:
            status_counts["missing"] += 1
            scores.append(proximity.score_file(f.name, None, f.items, None))
            metas[f.name] = {"status": "missing", "detail": "report file not found",
                             "wall_s": None}
            continue
        run = runs[(corpus.name, backend, f.name)]
        status_counts[run.status] += 1
        wall_total += run.wall_s or 0.0
        # A failed run keeps its gold: its discrepancies count as missed.
        scores.append(proximity.score_file(f.name, f.text, f.items, run.report))
        metas[f.name] = {"status": run.status, "detail": run.detail,
                         "wall_s": round(run.wall_s, 3) if run.wall_s is not None
                         else round(run.seconds, 3)}
        outcomes = {o.mutation.id: o for o in run.outcomes}
        for m in plans[f.name]:
            outcome = outcomes.get(m.id) or mutate.MutationOutcome(
                m, error=f"not run: {run.detail or run.status}")
            by_kind[m.kind] += metrics.DetectionCounts(
                injected=1, detected=int(outcome.detected and not outcome.error),
                false_alarms=len(outcome.false_alarms), errors=int(bool(outcome.error)))
            items_out.append({**m.to_dict(), "line": f.text.count("\n", 0, m.start) + 1,
                              "detected": outcome.detected,
                              "detected_by": list(outcome.detected_by),
                              "false_alarms": list(outcome.false_alarms),
                              "error": outcome.error})
    block = proximity.corpus_block(scores, metas)
    total = sum(by_kind.values(), metrics.DetectionCounts())
    block["summary"].update({"mutations": total.to_dict(), "wall_s": round(wall_total, 3),
                             "runs": status_counts})
    block["mutations"] = {"all": total.to_dict(),
                          "by_kind": {k: c.to_dict() for k, c in by_kind.items()},
                          "items": items_out}
    return block


def _skipped(spec: CorpusSpec, note: str) -> dict:
    return {"name": spec.name, "kind": spec.kind, "path": str(spec.path), "status": "skipped",
            "note": note, "backends": {}}


def _empty_board(config: harness.Config) -> dict:
    """The scoreboard's frame when the field reports are not scored."""
    return {**harness.board_frame(config), "reports": [], "backends": {}, "corpora": {}}
