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

from extractor.evaluation import metrics, mutate, proximity

__all__ = [
    "JSON_NAME",
    "MARKDOWN_NAME",
    "MISSES_NAME",
    "Section",
    "TableSpec",
    "corpus_sections",
    "load_scoreboard",
    "miss_sections",
    "render_markdown",
    "render_misses",
    "render_terminal",
    "results_dir",
    "sections",
    "write_results",
]

JSON_NAME = "scoreboard.json"
MARKDOWN_NAME = "scoreboard.md"
MISSES_NAME = "misses.md"
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
    out = corpus_sections(board)
    if board["backends"]:
        out += _field_sections(board)
    return out


def _field_sections(board: dict) -> list[Section]:
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
    where = [f"`{c['name']}` from `{c['path']}`" for c in board.get("corpora", {}).values()]
    lines = [f"# {_headline(board)}", "",
             (f"Created {board['created_utc']}; field reports from `{cfg['reports_dir']}`, "
              f"gold from `{cfg['gold_dir']}`."
              + (f" Corpora: {', '.join(where)}." if where else "")), ""]
    lines += _markdown_sections(sections(board))
    return "\n".join(lines)


def render_misses(board: dict) -> str:
    """``misses.md``: per corpus and backend, what was missed and what was wrong."""
    lines = [f"# Misses and false alarms · {_headline(board)}", "",
             (f"Created {board['created_utc']}. \"Near\" is within "
              f"{board['config'].get('near_chars', proximity.NEAR_CHARS)} characters "
              "(eval/README.md, \"Scoring by nearness\"); lines are 1-based lines of the "
              "report."), ""]
    lines += _markdown_sections(miss_sections(board))
    return "\n".join(lines)


def _markdown_sections(parts: list[Section]) -> list[str]:
    lines: list[str] = []
    for section in parts:
        lines += [f"## {section.title}", ""]
        for spec in section.tables:
            lines += [f"**{spec.caption}**", ""]
            if not spec.rows:
                lines += ["(none)", ""]
                continue
            lines.append("| " + " | ".join(spec.headers) + " |")
            lines.append("| " + " | ".join(
                "---" if i < spec.text_columns else "---:" for i in range(len(spec.headers)))
                + " |")
            for row in spec.rows:
                lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            if spec.note:
                lines += ["", spec.note]
            lines.append("")
    return lines


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
    """Write ``scoreboard.json``, ``scoreboard.md`` and ``misses.md`` into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / JSON_NAME).write_text(
        json.dumps(board, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / MARKDOWN_NAME).write_text(render_markdown(board), encoding="utf-8")
    if board.get("corpora"):
        (folder / MISSES_NAME).write_text(render_misses(board), encoding="utf-8")
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
    scored = [f"{c['name']} ({c.get('files', 0)})" for c in board.get("corpora", {}).values()
              if c["status"] == "ok"]
    what = (f"corpora: {', '.join(scored)}" if board.get("corpora")
            else f"{len(board['reports'])} reports")
    return (f"jxcheck eval · {what} · backends: "
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
    return TableSpec("Field reports (eval/gold, matched by type, span and value), all reports", (
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


# --- every corpus, scored by nearness -----------------------------------------------------------

def corpus_sections(board: dict) -> list[Section]:
    """Corpora side by side (one table per backend), then per corpus: reports, kinds, codes."""
    corpora = board.get("corpora") or {}
    if not corpora:
        return []
    backends = board["config"]["backends"]
    near = board["config"].get("near_chars", proximity.NEAR_CHARS)
    out = [Section("Corpora side by side", tuple(
        _side_by_side(backend, corpora, near) for backend in backends))]
    for name, corpus in corpora.items():
        if corpus["status"] != "ok":
            continue
        tables: list[TableSpec] = []
        for backend in backends:
            block = corpus["backends"].get(backend)
            if block is None:
                continue
            tables += [_per_file(name, backend, block), _per_kind(name, backend, block),
                       _by_code(name, backend, block)]
            if board["config"]["mutations_per_report"] > 0 and corpus["kind"] != "field":
                tables.append(_quote_mutations(name, backend, block, corpus))
        out.append(Section(f"Corpus {name} ({corpus['path']})", tuple(tables)))
    rows = tuple(
        (name, backend, file, entry.get("status", ""), entry.get("detail", ""))
        for name, corpus in corpora.items() if corpus["status"] == "ok"
        for backend, block in corpus["backends"].items()
        for file, entry in block["per_file"].items()
        if entry.get("status") != "ok" or entry.get("detail"))
    if rows:
        out.append(Section("Corpus runs that failed, timed out or need a note", (TableSpec(
            "A failed run keeps its gold: its discrepancies count as missed.",
            ("corpus", "backend", "report", "status", "detail"), rows, text_columns=5),)))
    return out


def miss_sections(board: dict) -> list[Section]:
    """What developers read to improve the checker: per corpus and backend, the lists."""
    out = []
    for name, corpus in (board.get("corpora") or {}).items():
        if corpus["status"] != "ok":
            continue
        for backend, block in corpus["backends"].items():
            d = block["details"]
            tag = f"[{name} · {backend}]"
            tables = [
                TableSpec(f"{tag} missed discrepancies ({len(d['missed'])})",
                          ("id", "file", "line", "kind", "bucket", "stated", "quote", "note"),
                          tuple((m["id"], m["file"], str(m["line"]), m["kind"], m["bucket"],
                                 m["stated"], m["quote"], m["note"]) for m in d["missed"]),
                          text_columns=8),
                _wrong_findings(f"{tag} false errors ({len(d['false_errors'])})",
                                d["false_errors"]),
                _wrong_findings(f"{tag} false warnings ({len(d['false_warnings'])})",
                                d["false_warnings"]),
                TableSpec(f"{tag} CONSISTENT items with a false error nearby "
                          f"({len(d['flagged_consistent'])})",
                          ("id", "file", "line", "kind", "codes", "quote"),
                          tuple((m["id"], m["file"], str(m["line"]), m["kind"],
                                 " ".join(m["codes"]), m["quote"])
                                for m in d["flagged_consistent"]), text_columns=6),
            ]
            items = (block.get("mutations") or {}).get("items") or []
            missed = [m for m in items if not m["detected"] or m["false_alarms"]]
            if items:
                tables.append(TableSpec(
                    f"{tag} injected errors not detected, or with false alarms ({len(missed)})",
                    ("file", "line", "relation", "target", "edit", "error", "false alarms"),
                    tuple((m["report"], str(m.get("line", "")), m["claim"], m["target"],
                           f"{m['original']} → {m['replacement']}", m["error"],
                           " ".join(m["false_alarms"])) for m in missed), text_columns=7))
            out.append(Section(f"{name} · {backend}", tuple(tables)))
    return out


def _wrong_findings(caption: str, entries: list[dict]) -> TableSpec:
    return TableSpec(caption, ("file", "line", "code", "text", "message"), tuple(
        (e["file"], _fmt_int(e["line"]), e["code"], e["text"], e["message"]) for e in entries),
        text_columns=5)


def _ratio_cell(part: int, whole: int, rate: float | None) -> str:
    return _NONE if not whole else f"{metrics.format_rate(rate)} ({part}/{whole})"


def _side_by_side(backend: str, corpora: dict, near: int) -> TableSpec:
    names = list(corpora)
    blocks = {n: corpora[n]["backends"].get(backend) if corpora[n]["status"] == "ok" else None
              for n in names}

    def row(label: str, cell) -> tuple[str, ...]:
        cells = []
        for n in names:
            b = blocks[n]
            if b is None:
                cells.append("skipped" if corpora[n]["status"] != "ok" else _NONE)
            else:
                cells.append(cell(corpora[n], b))
        return (label, *cells)

    def disc(bucket: str):
        def cell(_c: dict, b: dict) -> str:
            d = b["summary"]["discrepancies"][bucket]
            return _ratio_cell(d["found"], d["gold"], d["recall"])
        return cell

    def precision(key: str):
        def cell(_c: dict, b: dict) -> str:
            d = b["summary"][key]
            return _ratio_cell(d["right"], d["predicted"], d["precision"])
        return cell

    def gold_counts(c: dict, b: dict) -> str:
        s = b["summary"]
        return (f"{s['discrepancies']['all']['gold']} / {s['rounding']} / "
                f"{s['consistent']['gold']}")

    def runs(c: dict, b: dict) -> str:
        r = b["summary"].get("runs") or {}
        return f"{r.get('ok', 0)}/{sum(r.values())}" if r else _NONE

    def mutations(c: dict, b: dict) -> str:
        m = b["summary"].get("mutations")
        if not m or not m["injected"]:
            return _NONE
        return _ratio_cell(m["detected"], m["injected"] - m["errors"], m["detection_rate"])

    def field_match(key: str, rates: tuple[str, ...]):
        def cell(c: dict, b: dict) -> str:
            if c["kind"] != "field":
                return _NONE
            d = fields.get(key)
            return " / ".join(metrics.format_rate(d[r]) for r in rates) if d else _NONE
        return cell

    field_block = next((corpora[n] for n in names if corpora[n]["kind"] == "field"
                        and corpora[n]["status"] == "ok"), None)
    fields = {}
    if field_block is not None:
        fb = field_block["backends"].get(backend) or {}
        fields = fb.get("field_match") or {}
    rows = [
        row("reports scored", runs),
        row("gold: discrepancy / rounding / consistent", gold_counts),
        row("discrepancy recall, hard", disc("hard")),
        row("discrepancy recall, soft", disc("soft")),
        row("discrepancy recall, derived", disc("derived")),
        row("discrepancy recall, all", disc("all")),
        row("error precision", precision("errors")),
        row("warning precision", precision("warnings")),
        row("false errors on consistent", lambda c, b: _ratio_cell(
            b["summary"]["consistent"]["false_errors"], b["summary"]["consistent"]["gold"],
            b["summary"]["consistent"]["share"])),
        row("claims touched", lambda c, b: _ratio_cell(
            b["summary"]["touched"]["touched"], b["summary"]["touched"]["gold"],
            b["summary"]["touched"]["share"])),
        row("errors / warnings / infos", lambda c, b: (
            f"{b['summary']['errors']['predicted']} / {b['summary']['warnings']['predicted']}"
            f" / {b['summary']['infos']}")),
        row("mutations detected", mutations),
        row("mutation false alarms", lambda c, b: str(b["summary"]["mutations"]["false_alarms"])
            if b["summary"].get("mutations") and b["summary"]["mutations"]["injected"]
            else _NONE),
        row("findings P / R (field: matched by kind and span)",
            field_match("findings", ("precision", "recall"))),
        row("claims P / R / F1 (field: matched by type, span, value)",
            field_match("claims", ("precision", "recall", "f1"))),
        row("wall s", lambda c, b: _fmt_seconds(b["summary"].get("wall_s"))),
    ]
    notes = [f"{n}: {corpora[n]['note']}" for n in names if corpora[n].get("note")]
    notes += [f"{n}: {corpora[n]['mutation_note']}" for n in names
              if corpora[n].get("mutation_note")]
    note = (f"Near = within {near} characters. A discrepancy is found when an error or "
            "warning is near its quote; an error or warning is right when it is near a "
            "DISCREPANCY or ROUNDING item; a false error on a consistent item is a wrong error "
            "near it. Cells: rate (part/whole); — where nothing to count. Hard/soft count root "
            "discrepancies only; the field gold has no such labels.")
    if notes:
        note += " " + " ".join(notes)
    return TableSpec(f"[{backend}] all corpora", ("metric", *names), tuple(rows), note=note)


def _fraction(d: dict, part: str, whole: str) -> str:
    return f"{d[part]}/{d[whole]}" if d[whole] else _NONE


def _per_file(name: str, backend: str, block: dict) -> TableSpec:
    rows = []

    def cells(m: dict) -> tuple[str, ...]:
        disc = m["discrepancies"]
        return (_fraction(disc["all"], "found", "gold"), _fraction(disc["hard"], "found", "gold"),
                _fraction(m["errors"], "right", "predicted"),
                _fraction(m["warnings"], "right", "predicted"),
                _fraction(m["consistent"], "false_errors", "gold"),
                _fraction(m["touched"], "touched", "gold"),
                f"{m['errors']['predicted']}/{m['warnings']['predicted']}/{m['infos']}")

    for file, entry in block["per_file"].items():
        rows.append((file, entry.get("status", ""), *cells(entry["metrics"])))
    rows.append(("all", "", *cells(block["summary"])))
    return TableSpec(f"[{name} · {backend}] per report",
                     ("report", "status", "disc found", "hard found", "errors right",
                      "warnings right", "false err/consistent", "touched", "E/W/I"),
                     tuple(rows), text_columns=2,
                     note="disc found: DISCREPANCY items with an error/warning near the quote; "
                          "errors/warnings right: near a DISCREPANCY or ROUNDING item; "
                          "false err/consistent: CONSISTENT items with a wrong error near them.")


def _per_kind(name: str, backend: str, block: dict) -> TableSpec:
    rows = []
    for kind, m in block["per_kind"].items():
        disc = m["discrepancies"]["all"]
        rows.append((kind, _fraction(disc, "found", "gold"), metrics.format_rate(disc["recall"]),
                     _fraction(m["consistent"], "false_errors", "gold"),
                     _fraction(m["touched"], "touched", "gold"),
                     metrics.format_rate(m["touched"]["share"])))
    return TableSpec(f"[{name} · {backend}] per gold kind",
                     ("kind", "disc found", "recall", "false err/consistent", "touched",
                      "touched share"), tuple(rows))


def _by_code(name: str, backend: str, block: dict) -> TableSpec:
    rows = tuple(
        (code, _fraction(d["errors"], "right", "predicted"),
         metrics.format_rate(d["errors"]["precision"]),
         _fraction(d["warnings"], "right", "predicted"),
         metrics.format_rate(d["warnings"]["precision"]), str(d["infos"]))
        for code, d in block["by_code"].items())
    return TableSpec(f"[{name} · {backend}] findings by rule",
                     ("code", "errors right", "P", "warnings right", "P", "infos"), rows)


def _quote_mutations(name: str, backend: str, block: dict, corpus: dict) -> TableSpec:
    rows = []
    for kind, d in {**block["mutations"]["by_kind"], "all": block["mutations"]["all"]}.items():
        rows.append((kind, str(d["injected"]), str(d["detected"]),
                     metrics.format_rate(d["detection_rate"]), str(d["false_alarms"]),
                     str(d["errors"])))
    return TableSpec(
        f"[{name} · {backend}] injected errors", ("kind", "injected", "detected", "rate",
                                                  "false alarms", "errors"), tuple(rows),
        note=corpus.get("mutation_note") or (
            "detected: a new error/warning near the edited figure or the relation's quote; "
            "false alarms: other new errors/warnings."))
