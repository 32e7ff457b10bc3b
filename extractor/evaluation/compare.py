"""Compare two scoreboards metric by metric (``jxcheck eval --diff OLD NEW``).

Every number of each backend block is flattened to a dotted path
(``claims.overall.by_type.ratio.f1``), and so is every backend block of each
corpus scored by nearness, under ``corpora.<corpus>.``
(``corpora.real.summary.discrepancies.hard.recall``); the per-item lists
(``details``, ``mutations.items``) are left out. A metric present on one side
only is shown with ``—`` on the other.
"""

from __future__ import annotations

import dataclasses

from rich import box
from rich.console import Console
from rich.table import Table

from extractor.evaluation import metrics

__all__ = ["Delta", "diff", "flatten", "render_diff"]

# Subtrees that list items rather than measure them.
_SKIP = frozenset({"details", "items"})
# Settings that make mutation figures incomparable when they differ.
_MUTATION_SETTINGS = ("seed", "mutations_per_report")


@dataclasses.dataclass(frozen=True)
class Delta:
    """One metric in both runs; ``old``/``new`` are ``None`` where a run lacks it."""

    backend: str
    metric: str
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        # Rates carry four decimals and counts none; rounding to the same
        # places keeps 0.1 + 0.2 style float noise out of the column.
        return round(self.new - self.old, metrics.DIGITS)


def flatten(block: dict, prefix: str = "") -> dict[str, float | None]:
    """Numeric leaves of one backend block, keyed by dotted path, in document order."""
    out: dict[str, float | None] = {}
    for key, value in block.items():
        if key in _SKIP:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        elif value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            out[path] = value
    return out


def diff(old: dict, new: dict, changed_only: bool = True) -> list[Delta]:
    """Per-metric deltas between two scoreboards, backend by backend.

    Args:
        old: the earlier scoreboard.
        new: the later scoreboard.
        changed_only: leave out metrics equal in both.
    """
    out = []
    backends = list(new["backends"]) + [b for b in old["backends"] if b not in new["backends"]]
    for backend in backends:
        a = flatten(old["backends"].get(backend, {}))
        b = flatten(new["backends"].get(backend, {}))
        for metric in list(b) + [m for m in a if m not in b]:
            delta = Delta(backend, metric, a.get(metric), b.get(metric))
            if changed_only and delta.old == delta.new:
                continue
            out.append(delta)
    old_corpora, new_corpora = old.get("corpora") or {}, new.get("corpora") or {}
    for name in list(new_corpora) + [n for n in old_corpora if n not in new_corpora]:
        old_blocks = (old_corpora.get(name) or {}).get("backends") or {}
        new_blocks = (new_corpora.get(name) or {}).get("backends") or {}
        for backend in list(new_blocks) + [b for b in old_blocks if b not in new_blocks]:
            a = flatten(old_blocks.get(backend, {}), f"corpora.{name}.")
            b = flatten(new_blocks.get(backend, {}), f"corpora.{name}.")
            for metric in list(b) + [m for m in a if m not in b]:
                delta = Delta(backend, metric, a.get(metric), b.get(metric))
                if changed_only and delta.old == delta.new:
                    continue
                out.append(delta)
    return out


def render_diff(old: dict, new: dict, console: Console, old_name: str = "old",
                new_name: str = "new") -> None:
    """Print the deltas as a table, with a warning when the runs are not comparable."""
    console.print(f"[bold]{old_name}[/bold] ({old.get('created_utc', '?')}) → "
                  f"[bold]{new_name}[/bold] ({new.get('created_utc', '?')})")
    for key in _MUTATION_SETTINGS:
        a, b = old.get("config", {}).get(key), new.get("config", {}).get(key)
        if a != b:
            console.print(f"[yellow]note:[/yellow] {key} differs ({a} → {b}); "
                          "mutation figures are not comparable")
    old_reports = [r["stem"] for r in old.get("reports", [])]
    new_reports = [r["stem"] for r in new.get("reports", [])]
    if old_reports != new_reports:
        console.print("[yellow]note:[/yellow] the two runs scored different reports")
    old_scored = sorted(n for n, c in (old.get("corpora") or {}).items() if c.get("status") == "ok")
    new_scored = sorted(n for n, c in (new.get("corpora") or {}).items() if c.get("status") == "ok")
    if old_scored != new_scored:
        console.print(f"[yellow]note:[/yellow] the two runs scored different corpora "
                      f"({', '.join(old_scored) or 'none'} → {', '.join(new_scored) or 'none'})")
    deltas = diff(old, new)
    if not deltas:
        console.print("no metric changed")
        return
    table = Table(box=box.SIMPLE_HEAD)
    for header, justify in (("backend", "left"), ("metric", "left"), ("old", "right"),
                            ("new", "right"), ("Δ", "right")):
        table.add_column(header, justify=justify, no_wrap=header == "metric")
    for d in deltas:
        change = d.change
        style = "" if change is None or change == 0 else "green" if change > 0 else "red"
        shown = "—" if change is None else f"{change:+g}"
        table.add_row(d.backend, d.metric, _fmt(d.old), _fmt(d.new),
                      f"[{style}]{shown}[/]" if style else shown)
    console.print(table)
    console.print(f"{len(deltas)} metrics changed")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
