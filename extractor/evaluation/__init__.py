"""The evaluation harness behind ``jxcheck eval``: score backends against gold.

Modules, in the order a run uses them:

* :mod:`.gold` — find, load and validate ``eval/gold/*.jsonl``;
* :mod:`.mutate` — plan seeded error injections and judge runs on them;
* :mod:`.runner` — bounded concurrency and per-step timeouts;
* :mod:`.match` — match predicted claims and findings to gold;
* :mod:`.metrics` — counts, precision, recall, F1, detection rate;
* :mod:`.harness` — one run end to end, producing the scoreboard dict;
* :mod:`.scoreboard` — terminal tables, Markdown and the results folder;
* :mod:`.compare` — per-metric deltas between two scoreboards.

It uses the rest of jxcheck only through ``pipeline``, ``load``, ``models``
and ``quantities``, like any other client of the library.
"""

__all__ = ["compare", "gold", "harness", "match", "metrics", "mutate", "runner", "scoreboard"]
