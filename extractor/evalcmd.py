"""``jxcheck eval``: score backends on every corpus with gold, side by side.

With no corpus option it scores the field reports (``eval/gold``),
``../shared/corpus`` and ``../shared/real`` (each skipped with a note when
absent); ``--corpus`` picks corpora by name or names any folder holding a
quote-located ``gold.jsonl``.

Arguments in, :mod:`extractor.evaluation` does the work, tables out. Also run
by ``python eval/score.py``, which takes the same arguments.

Exit codes (as ``jxcheck check``): 0 the run finished, whatever it scored,
and a backend that crashed or timed out on a report is a row of the
scoreboard, not a failure of the command; 2 bad usage, a missing folder or
a malformed gold file.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from extractor.evaluation import compare, corpora, gold, harness, scoreboard

__all__ = ["add_arguments", "main"]

EXIT_OK, EXIT_USAGE = 0, 2
# Terminal width when stdout is a pipe or a file: wide enough for the
# per-report claim table (rich would otherwise assume 80 columns).
_PIPE_WIDTH = 160


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``eval`` options on ``parser``."""
    parser.add_argument("--backend", dest="backends", nargs="+", action="extend",
                        metavar="NAME", help="backends to score: rules (default), llm, hybrid; "
                        "several may be given, space- or comma-separated")
    parser.add_argument("--corpus", dest="corpora", nargs="+", action="extend",
                        metavar="NAME|DIR", help="corpora to score: field (eval/gold and the "
                        "field reports), corpus (../shared/corpus), real (../shared/real), or a "
                        "folder holding a quote-located gold.jsonl; default: field corpus real "
                        "(only field when --reports or --gold is given)")
    parser.add_argument("--reports", type=pathlib.Path, metavar="DIR",
                        help="report folder (default: ../shared/reports next to the checkout, "
                        f"or ${harness.REPORTS_ENV})")
    parser.add_argument("--gold", type=pathlib.Path, metavar="DIR",
                        help="gold folder (default: eval/gold of the checkout)")
    parser.add_argument("--out", type=pathlib.Path, metavar="DIR",
                        help="results folder to write (default: "
                        "eval/results/<UTC timestamp>-<backends>/)")
    parser.add_argument("--jobs", type=_positive_int, default=2, metavar="N",
                        help="backend runs at once (default 2)")
    parser.add_argument("--timeout", type=float, default=harness.DEFAULT_TIMEOUT, metavar="S",
                        help="seconds allowed for one backend run on one report "
                        f"(default {harness.DEFAULT_TIMEOUT:g}; 0 = no limit)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="seed of the mutation benchmark (default 0)")
    parser.add_argument("--mutations", type=_non_negative_int, default=harness.DEFAULT_MUTATIONS,
                        metavar="N", help="injected errors per report "
                        f"(default {harness.DEFAULT_MUTATIONS}; 0 = no benchmark)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--diff", nargs=2, type=pathlib.Path, metavar=("OLD", "NEW"),
                        help="print per-metric deltas between two scoreboard.json files "
                        "(or results folders) and exit; runs nothing")


def main(args: argparse.Namespace) -> int:
    """Run the evaluation (or ``--diff``) and return the exit code."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = _PIPE_WIDTH
    if args.diff:
        return _diff(args.diff[0], args.diff[1], console)
    root = harness.repo_root()
    config = harness.Config(
        reports_dir=(args.reports or harness.default_reports_dir(root)).resolve(),
        gold_dir=(args.gold or root / "eval" / "gold").resolve(),
        backends=_backends(args.backends),
        jobs=args.jobs,
        timeout=args.timeout if args.timeout and args.timeout > 0 else None,
        seed=args.seed,
        mutations=args.mutations,
    )
    try:
        specs = corpora.resolve(_names(args.corpora), root, config.reports_dir,
                                field_only=bool(args.reports or args.gold))
    except corpora.SelectionError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    field_asked = args.reports is not None or (args.corpora and "field" in _names(args.corpora))
    if field_asked and not config.reports_dir.is_dir() and any(s.kind == "field" for s in specs):
        print(f"报告文件夹不存在 / report folder not found: {config.reports_dir} (give --reports "
              f"DIR or set {harness.REPORTS_ENV})", file=sys.stderr)
        return EXIT_USAGE
    errors = Console(stderr=True)
    show = not args.no_progress
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=errors, transient=True, disable=not show)
    try:
        with progress:
            board = corpora.evaluate_all(config, specs, progress=progress)
    except gold.GoldError as e:
        print(f"金标准文件有误 / gold error: {e}", file=sys.stderr)
        return EXIT_USAGE
    if not any(c["status"] == "ok" for c in board["corpora"].values()):
        for c in board["corpora"].values():
            print(f"{c['name']}: {c['note']}", file=sys.stderr)
        print("没有可评测的语料 / no corpus could be scored", file=sys.stderr)
        return EXIT_USAGE
    scoreboard.render_terminal(board, console)
    folder = args.out or scoreboard.results_dir(root / "eval" / "results", board)
    scoreboard.write_results(board, folder)
    console.print(f"results: {folder}")
    return EXIT_OK


def _diff(old_path: pathlib.Path, new_path: pathlib.Path, console: Console) -> int:
    try:
        old = scoreboard.load_scoreboard(old_path)
        new = scoreboard.load_scoreboard(new_path)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    compare.render_diff(old, new, console, str(old_path), str(new_path))
    return EXIT_OK


def _backends(values: list[str] | None) -> tuple[str, ...]:
    names = [n.strip() for v in (values or ["rules"]) for n in v.split(",") if n.strip()]
    # Keep the order given, once each: the scoreboard lists backends in it.
    return tuple(dict.fromkeys(names)) or ("rules",)


def _names(values: list[str] | None) -> list[str] | None:
    """``--corpus`` values, space- or comma-separated, in the order given, once each."""
    if not values:
        return None
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return list(dict.fromkeys(names)) or None


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
