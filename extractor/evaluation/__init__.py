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

For the corpora with quote-located gold (``../shared/corpus``, ``../shared/real``,
any folder with a ``gold.jsonl``), side by side with the field reports:

* :mod:`.quotegold` — load ``gold.jsonl`` and locate each quote in its text;
* :mod:`.proximity` — score findings and claims by nearness (40 characters);
* :mod:`.quotemutate` — the mutation benchmark on such a corpus;
* :mod:`.corpora` — pick the corpora, run them, one scoreboard for all.

It uses the rest of jxcheck only through ``pipeline``, ``load``, ``models``
and ``quantities``, like any other client of the library.
"""

__all__ = ["compare", "corpora", "gold", "harness", "match", "metrics", "mutate", "proximity",
           "quotegold", "quotemutate", "runner", "scoreboard"]
