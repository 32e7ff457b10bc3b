"""Render a scoreboard dict: rich tables for the terminal, Markdown, and the results folder.

Every view is built from the same list of sections (:func:`sections`), so
the terminal and ``scoreboard.md`` cannot disagree. Extraction (claims) and
detection (findings) are separate sections: a backend may read the figures well
and still miss the discrepancies, or the reverse.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extractor.evaluation import metrics, mutate

__all__ = [
    "JSON_NAME",
    "MARKDOWN_NAME",
    "Section",
    "TableSpec",
    "load_scoreboard",
    "render_markdown",
    "render_terminal",
    "results_dir",
    "sections",
    "write_results",
]

JSON_NAME = "scoreboard.json"
MARKDOWN_NAME = "scoreboard.md"
_RATE_HEADERS = ("P", "R", "F1")
_NONE = "—"


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """One table: a caption, headers and rows of already formatted cells."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Number of leading text columns; the rest are figures, right-aligned.
    text_columns: int = 1
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[TableSpec, ...]


def sections(board: dict) -> list[Section]:
    """The scoreboard as titled sections of tables, in print order."""
    backends = board["backends"]
    out = [Section("Overview", (_overview(board),))]
    out.append(Section("Extraction (claims)", tuple(
        t for name, b in backends.items() for t in (_claims_by_type(name, b),
                                                     _claims_per_report(name, b)))))
    out.append(Section("Detection (findings)", tuple(
        t for name, b in backends.items() for t in (_findings_per_report(name, b),
                                                     _findings_by_check(name, b)))))
    if board["config"]["mutations_per_report"] > 0:
        out.append(Section("Mutation benchmark", tuple(
            _mutations(name, b, board["config"]) for name, b in backends.items())))
    out.append(Section("Time and usage", tuple(
        _timing(name, b) for name, b in backends.items())))
    problems = _problems(backends)
    if problems.rows:
        out.append(Section("Problems", (problems,)))
    return out


def render_terminal(board: dict, console: Console) -> None:
    """Print the scoreboard as rich tables."""
    console.print(f"[bold]{escape(_headline(board))}[/bold]")
    for section in sections(board):
        console.rule(f"[bold]{section.title}")
        for spec in section.tables:
            # Captions ("[rules] …") and cells are plain text, not rich markup.
            table = Table(title=escape(spec.caption), box=box.SIMPLE_HEAD, title_justify="left",
                          caption=escape(spec.note) if spec.note else None,
                          caption_justify="left")
            for i, header in enumerate(spec.headers):
                table.add_column(escape(header),
                                 justify="left" if i < spec.text_columns else "right",
                                 no_wrap=i < spec.text_columns and header != "detail",
                                 overflow="fold")
            for row in spec.rows:
                table.add_row(*(escape(cell) for cell in row))
            console.print(table)


def render_markdown(board: dict) -> str:
    """The scoreboard as Markdown, for ``scoreboard.md`` or a pull request."""
    cfg = board["config"]
    lines = [f"# {_headline(board)}", "",
             (f"Created {board['created_utc']}; reports from `{cfg['reports_dir']}`, "
              f"gold from `{cfg['gold_dir']}`."), ""]
    for section in sections(board):
        lines += [f"## {section.title}", ""]
        for spec in section.tables:
            lines += [f"**{spec.caption}**", ""]
            lines.append("| " + " | ".join(spec.headers) + " |")
            lines.append("| " + " | ".join(
                "---" if i < spec.text_columns else "---:" for i in range(len(spec.headers)))
                + " |")
            for row in spec.rows:
                lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            if spec.note:
                lines += ["", spec.note]
            lines.append("")
    return "\n".join(lines)


def results_dir(root: pathlib.Path, board: dict) -> pathlib.Path:
    """A new folder ``<root>/<UTC timestamp>-<backends>`` (suffixed if it exists)."""
    stamp = board["created_utc"].replace("-", "").replace(":", "")
    base = root / f"{stamp}-{'+'.join(board['config']['backends'])}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def write_results(board: dict, folder: pathlib.Path) -> pathlib.Path:
    """Write ``scoreboard.json`` and ``scoreboard.md`` into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / JSON_NAME).write_text(
        json.dumps(board, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / MARKDOWN_NAME).write_text(render_markdown(board), encoding="utf-8")
    return folder


def load_scoreboard(path: pathlib.Path) -> dict:
    """Read a ``scoreboard.json``, given the file or the results folder holding it.

    Raises:
        ValueError: the file is missing or is not a scoreboard.
    """
    if path.is_dir():
        path = path / JSON_NAME
    try:
        board = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ValueError(f"no scoreboard at {path}") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not valid JSON: {e}") from e
    if not isinstance(board, dict) or "backends" not in board or "schema_version" not in board:
        raise ValueError(f"{path} is not a jxcheck scoreboard")
    return board


def _headline(board: dict) -> str:
    cfg = board["config"]
    return (f"jxcheck eval · {len(board['reports'])} reports · backends: "
            f"{', '.join(cfg['backends'])} · seed {cfg['seed']} · "
            f"{cfg['mutations_per_report']} mutations/report · elapsed {board['elapsed_s']:.1f} s")


def _rates(d: dict) -> tuple[str, str, str]:
    return tuple(metrics.format_rate(d[k]) for k in ("precision", "recall", "f1"))


def _counts(d: dict) -> tuple[str, ...]:
    return (str(d["gold"]), str(d["predicted"]), str(d["matched"]), str(d["duplicates"]))


def _overview(board: dict) -> TableSpec:
    rows = []
    for name, b in board["backends"].items():
        s = b["summary"]
        runs = s["runs"]
        failed = runs["error"] + runs["timeout"]
        m = s["mutations"]
        rows.append((
            name, *_rates(s["claims"]), *_rates(s["findings"]),
            f"{m['detected']}/{m['injected'] - m['errors']}",
            metrics.format_rate(m["detection_rate"]),
            str(m["false_alarms"]), f"{s['wall_s']:.2f}", f"{runs['ok']}/{sum(runs.values())}"
            + (f" ({failed} failed)" if failed else ""),
        ))
    return TableSpec("Backends, all reports", (
        "backend", "claims P", "claims R", "claims F1", "findings P", "findings R", "findings F1",
        "mutations found", "rate", "false alarms", "wall s", "runs ok"), tuple(rows))


def _claims_by_type(name: str, b: dict) -> TableSpec:
    overall = b["claims"]["overall"]
    rows = [(t, *_counts(d), *_rates(d)) for t, d in overall["by_type"].items()]
    rows.append(("all", *_counts(overall["all"]), *_rates(overall["all"])))
    return TableSpec(f"[{name}] claims by type, all reports",
                     ("type", "gold", "predicted", "matched", "dup", *_RATE_HEADERS), tuple(rows),
                     note="dup: predictions that hit a gold item another prediction already "
                          "matched (not counted in P).")


def _claims_per_report(name: str, b: dict) -> TableSpec:
    types = list(b["claims"]["overall"]["by_type"])
    rows = []
    for stem, run in b["runs"].items():
        per = b["claims"]["per_report"].get(stem)
        if per is None:
            rows.append((stem, run["status"], *([_NONE] * (len(types) + 3))))
            continue
        cells = []
        for t in types:
            d = per["by_type"].get(t)
            cells.append(f"{d['matched']}/{d['gold']}/{d['predicted']}" if d else _NONE)
        rows.append((stem, run["status"], *cells, *_rates(per["all"])))
    all_d = b["claims"]["overall"]
    rows.append(("all", "", *(
        f"{d['matched']}/{d['gold']}/{d['predicted']}" for d in all_d["by_type"].values()),
        *_rates(all_d["all"])))
    return TableSpec(f"[{name}] claims per report (cells: matched/gold/predicted)",
                     ("report", "status", *types, *_RATE_HEADERS), tuple(rows), text_columns=2)


def _findings_per_report(name: str, b: dict) -> TableSpec:
    rows = []
    for stem, run in b["runs"].items():
        d = b["findings"]["per_report"].get(stem)
        if d is None:
            rows.append((stem, run["status"], *([_NONE] * 7)))
        else:
            rows.append((stem, run["status"], *_counts(d), *_rates(d)))
    overall = b["findings"]["overall"]
    rows.append(("all", "", *_counts(overall), *_rates(overall)))
    return TableSpec(f"[{name}] findings (errors and warnings; info notes are not counted)",
                     ("report", "status", "gold", "predicted", "matched", "dup", *_RATE_HEADERS),
                     tuple(rows), text_columns=2)


def _findings_by_check(name: str, b: dict) -> TableSpec:
    by_check = b["findings"]["overall"].get("by_check", {})
    rows = tuple((check, str(d["gold"]), str(d["matched"]), metrics.format_rate(d["recall"]))
                 for check, d in by_check.items())
    return TableSpec(f"[{name}] recall by gold check", ("check", "gold", "matched", "R"), rows)


def _mutations(name: str, b: dict, config: dict) -> TableSpec:
    rows = []
    for kind in (*mutate.KINDS, *(k for k in b["mutations"]["by_kind"] if k not in mutate.KINDS)):
        d = b["mutations"]["by_kind"].get(kind)
        if d is None:
            continue
        rows.append((kind, str(d["injected"]), str(d["detected"]),
                     metrics.format_rate(d["detection_rate"]), str(d["false_alarms"]),
                     str(d["errors"])))
    d = b["mutations"]["all"]
    rows.append(("all", str(d["injected"]), str(d["detected"]),
                 metrics.format_rate(d["detection_rate"]), str(d["false_alarms"]),
                 str(d["errors"])))
    return TableSpec(
        f"[{name}] injected errors (seed {config['seed']}, up to "
        f"{config['mutations_per_report']} per report)",
        ("kind", "injected", "detected", "rate", "false alarms", "errors"), tuple(rows),
        note="detected: a new error/warning touches the edited figure or the relation's key "
             "figure; false alarms: other new errors/warnings.")


def _timing(name: str, b: dict) -> TableSpec:
    rows = []
    for stem, run in b["runs"].items():
        usage = run.get("usage") or {}
        rows.append((
            stem, run["status"], _fmt_seconds(run["wall_s"]), _fmt_int(run["claims"]),
            _fmt_int(run["detections"]), _fmt_int(usage.get("prompt_tokens")),
            _fmt_int(usage.get("completion_tokens")), _fmt_int(usage.get("calls")),
            _fmt_int(usage.get("claims_rejected")),
        ))
    usage = b["summary"]["usage"]
    rows.append(("total", "", _fmt_seconds(b["summary"]["wall_s"]), "", "",
                 _fmt_int(usage.get("prompt_tokens")), _fmt_int(usage.get("completion_tokens")),
                 _fmt_int(usage.get("calls")), _fmt_int(usage.get("claims_rejected"))))
    reasons = ", ".join(f"{k.removeprefix('rejected_')} {v}" for k, v in sorted(usage.items())
                        if k.startswith("rejected_"))
    return TableSpec(f"[{name}] wall time per report (load + extract + check)",
                     ("report", "status", "wall s", "claims", "detections", "prompt tokens",
                      "completion tokens", "calls", "rejected"), tuple(rows), text_columns=2,
                     note=f"model claims rejected by reason: {reasons}" if reasons else "")


def _problems(backends: dict) -> TableSpec:
    rows = []
    for name, b in backends.items():
        for stem, run in b["runs"].items():
            if run["status"] != "ok" or run["detail"]:
                rows.append((name, stem, run["status"], run["detail"]))
    return TableSpec("Runs that failed, timed out or need a note",
                     ("backend", "report", "status", "detail"), tuple(rows), text_columns=4)


def _fmt_seconds(value: float | None) -> str:
    return _NONE if value is None else f"{value:.2f}"


def _fmt_int(value: int | None) -> str:
    return _NONE if value is None else str(value)


def _md_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")
