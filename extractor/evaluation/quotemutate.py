"""The mutation benchmark on a quote-located corpus: break one figure of a CONSISTENT relation.

For a CONSISTENT item, one of its figures is changed in a copy of the text:
the stated figure (found inside the quote) or one of its inputs (the corpus's
``terms``, or the inputs listed for the id in ``CHECKS`` of the real set's
``verify.py``), located as the printed occurrence of that number nearest to
the quote, at most :data:`INPUT_WINDOW` characters away. The figure is moved
by 2–9 units of its last printed place, one place further left at a time,
until the corpus's own recomputation (``verify.py`` of the folder, loaded
read-only at run time, nothing written) calls the relation DISCREPANCY, so
every injected error is beyond printed precision and not a rounding. A
folder without a usable ``verify.py`` gets edits of stated figures of
equalities only (:class:`StatedOnlyVerifier`).

A run on the mutated text *detects* the error when a new error or warning
(absent from the unmutated run, compared by code and the text under each
span) lies within :data:`~.proximity.NEAR_CHARS` characters of the edited
figure or of the relation's quote; every other new error or warning is a
*false alarm*. Plans depend only on the seed, the file name, its text and its
gold, so each backend sees the same edits and a rerun reproduces them.
"""

from __future__ import annotations

import collections
import decimal
import pathlib
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal

from extractor import models
from extractor.evaluation import match, mutate, proximity
from extractor.evaluation.quotegold import QuoteFile, QuoteItem

__all__ = ["INPUT_WINDOW", "KINDS", "StatedOnlyVerifier", "Verifier", "assess", "load_verifier",
           "plan_mutations"]

KINDS = ("stated_shift", "input_shift")
# How far from its quote an input may be printed to be taken as that input:
# a sentence or two, or the rows of a small table around the quote. Beyond
# it, the nearest equal number is too often another figure.
INPUT_WINDOW = 300
_VERIFY_NAME = "verify.py"
# A printed number, half- or full-width, with thousands separators (as mutate._NUMBER).
_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")
# The figure at the start of a gold string: "3,105.77万元", "-7.83%", "96.5%".
_LEADING = re.compile(r"^\s*[+-]?([0-9][0-9,]*(?:\.[0-9]+)?)")
# verify.py scripts compute at 50 digits; jxcheck's own context is left alone.
_PRECISION = 50
_FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


class Verifier:
    """The corpus's own recomputation, loaded from its ``verify.py``.

    Two shapes are known: the corpus's ``evaluate(entry) -> (verdict, str)``
    over ``op``/``terms``/``stated`` (``../shared/corpus``), and the real
    set's ``CHECKS[id]`` with ``judge(check)`` (``../shared/real``).
    """

    def __init__(self, namespace: dict, path: pathlib.Path) -> None:
        self.path = path
        self._ns = namespace
        self.shape = "checks" if isinstance(namespace.get("CHECKS"), dict) and callable(
            namespace.get("judge")) else "terms" if callable(namespace.get("evaluate")) else ""

    def inputs(self, item: QuoteItem) -> list[tuple[str, str]]:
        """``(name, printed number)`` of each input the recomputation reads."""
        if self.shape == "checks":
            check = self._ns["CHECKS"].get(item.id)
            return list(check["v"].items()) if check else []
        return [(str(i), t) for i, t in enumerate(item.terms)]

    def verdict(self, item: QuoteItem, target: str = "", number: str = "") -> str | None:
        """The item's verdict with ``target`` (``stated`` or ``input:<name>``)
        printed as ``number``; ``None`` when it cannot be recomputed."""
        with decimal.localcontext() as ctx:
            ctx.prec = _PRECISION
            try:
                if self.shape == "checks":
                    check = self._ns["CHECKS"].get(item.id)
                    if check is None:
                        return None
                    check = {**check, "v": dict(check["v"])}
                    if target == "stated":
                        check["stated"] = _replace_leading(check["stated"], number)
                    elif target.startswith("input:"):
                        name = target[6:]
                        check["v"][name] = _replace_leading(check["v"][name], number)
                    return self._ns["judge"](check)[0]
                if self.shape == "terms" and item.op:
                    entry = {**item.raw, "terms": list(item.terms)}
                    if target == "stated":
                        entry["stated"] = _replace_leading(item.stated, number)
                    elif target.startswith("input:"):
                        i = int(target[6:])
                        entry["terms"][i] = _replace_leading(item.terms[i], number)
                    return self._ns["evaluate"](entry)[0]
            except Exception:  # noqa: BLE001 - an entry the script cannot recompute is skipped
                return None
        return None


class StatedOnlyVerifier:
    """For a folder without a usable ``verify.py``: stated figures of equalities only.

    A CONSISTENT relation that is an equality (its stated figure is the exact
    result rounded to the printed places) no longer holds once the stated
    figure moves by 2 or more units of its last printed place, whatever its
    inputs; so that edit is known to break it with no recomputation. Inputs,
    inequalities (``le``, 得分 ≤ 分值), approximate figures and printed scoring
    rules are left alone: only a recomputation can tell whether an edit breaks them.
    """

    shape = "stated-only"
    path = None
    # Ops (corpus format) and kinds (when the gold has no op) that are equalities.
    _OPS = frozenset({"sum", "diff", "equal", "ratio", "growth", "product", "div", "count"})
    _KINDS = frozenset({"total", "rate", "growth", "difference", "cross_reference", "unit",
                        "score_total", "score_formula", "product", "count"})

    def inputs(self, item: QuoteItem) -> list[tuple[str, str]]:
        return []

    def verdict(self, item: QuoteItem, target: str = "", number: str = "") -> str | None:
        equality = item.op in self._OPS if item.op else item.kind in self._KINDS
        if not equality or item.verdict != "CONSISTENT":
            return None
        if not target:
            return "CONSISTENT"
        old = _leading(item.stated)
        if target != "stated" or old is None:
            return None
        plain_old, plain_new = old.replace(",", ""), number.replace(",", "")
        ulp = Decimal(10) ** -_places(plain_old)
        moved = abs(Decimal(plain_new) - Decimal(plain_old))
        return "DISCREPANCY" if moved >= 2 * ulp else None


def load_verifier(folder: pathlib.Path) -> Verifier | StatedOnlyVerifier:
    """Load ``folder/verify.py`` without importing it (no bytecode is written).

    Falls back to :class:`StatedOnlyVerifier` when there is none, it does not
    load, or it has neither known shape.
    """
    path = folder / _VERIFY_NAME
    if not path.is_file():
        return StatedOnlyVerifier()
    namespace: dict = {"__name__": "jxcheck_eval_verify", "__file__": str(path)}
    # Its module code sets the decimal precision; keep that inside this block.
    with decimal.localcontext():
        try:
            exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
        except Exception:  # noqa: BLE001 - a script that does not load: edit stated figures only
            return StatedOnlyVerifier()
    verifier = Verifier(namespace, path)
    return verifier if verifier.shape else StatedOnlyVerifier()


def plan_mutations(qfile: QuoteFile, verifier: Verifier | StatedOnlyVerifier | None,
                   count: int, seed: int,
                   kinds: Sequence[str] = KINDS) -> list[mutate.Mutation]:
    """Choose up to ``count`` edits of ``qfile``'s text, each on a different relation and figure.

    Args:
        qfile: the report and its located gold items.
        verifier: the corpus's recomputation; ``None`` plans nothing.
        count: edits wanted.
        seed: the benchmark seed (``--seed``).
        kinds: ``stated_shift`` and/or ``input_shift``, taken in turn.
    """
    text = qfile.text
    if verifier is None or text is None or count <= 0:
        return []
    rng = random.Random(f"jxcheck-eval/{seed}/{qfile.name}")
    eligible = [it for it in qfile.items
                if it.verdict == "CONSISTENT" and verifier.verdict(it) == "CONSISTENT"]
    queues = {}
    for kind in kinds:
        queue = list(eligible)
        rng.shuffle(queue)
        queues[kind] = queue
    order = list(kinds)
    rng.shuffle(order)
    return mutate.take_in_turn(order, queues, count, lambda kind, item, number, edited: _build(
        kind, item, text, verifier, rng, f"{qfile.name}:m{number}", edited))


def assess(mutation: mutate.Mutation, text: str, baseline: Sequence[models.Finding],
           mutated_text: str, mutated: Sequence[models.Finding]) -> mutate.MutationOutcome:
    """Judge a run on ``mutated_text``: new detections near the edit or the quote, and the rest."""
    known = collections.Counter(mutate.signature(f, text) for f in baseline
                                if match.is_detection(f))
    targets = [mutation.mutated_span, mutation.key_span]
    detected, alarms = [], []
    for f in mutated:
        if not match.is_detection(f):
            continue
        sig = mutate.signature(f, mutated_text)
        if known[sig] > 0:
            known[sig] -= 1
            continue
        spans = [(s.start, s.end) for s in f.spans]
        near = any(proximity.is_near(spans, t) for t in targets)
        (detected if near else alarms).append(f.code)
    return mutate.MutationOutcome(mutation, tuple(detected), tuple(alarms))


def _build(kind: str, item: QuoteItem, text: str, verifier: Verifier | StatedOnlyVerifier,
           rng: random.Random,
           mutation_id: str, edited: set[tuple[int, int]]) -> mutate.Mutation | None:
    stated_at = _locate_stated(text, item)
    if kind == "stated_shift":
        targets = [("stated", _leading(item.stated), stated_at)] if stated_at else []
    else:
        targets = []
        for name, printed in verifier.inputs(item):
            number = _leading(printed)
            if number is None or Decimal(number.replace(",", "")) == 0:
                continue  # a printed zero is exact: moving it changes what the line means
            at = _locate_nearest(text, number, item.span)
            if at is None or (stated_at and _overlap(at[:2], stated_at[:2])):
                continue
            targets.append((f"input:{name}", number, at))
        rng.shuffle(targets)
    for target, number, at in targets:
        if number is None or at is None or (at[0], at[1]) in edited:
            continue
        start, end, printed = at
        for candidate in _shifts(number, rng):
            if verifier.verdict(item, target, candidate) == "DISCREPANCY":
                replacement = _print_like(printed, candidate)
                return _mutation(mutation_id, item, kind, target, start, end,
                                 text[start:end], replacement)
    return None


def _mutation(mutation_id: str, item: QuoteItem, kind: str, target: str, start: int,
              end: int, original: str, replacement: str) -> mutate.Mutation:
    return mutate.Mutation(mutation_id, item.file, item.id, item.kind, kind, target, start,
                           end, original, replacement,
                           mutate.key_span_after(item.span, start, end, replacement))


def _leading(value: str) -> str | None:
    m = _LEADING.match(unicodedata.normalize("NFKC", value))
    return m.group(1) if m else None


def _replace_leading(value: str, number: str) -> str:
    """``"3,105.77万元"`` with its figure replaced by ``number`` (sign and unit kept)."""
    folded = unicodedata.normalize("NFKC", value)
    m = _LEADING.match(folded)
    if m is None:
        return value
    return folded[:m.start(1)] + number + folded[m.end(1):]


def _reads(printed: str, number: str) -> bool:
    """True when the printed token is ``number``: same value and same decimals."""
    plain = unicodedata.normalize("NFKC", printed).replace(",", "")
    wanted = number.replace(",", "")
    try:
        return Decimal(plain) == Decimal(wanted) and _places(plain) == _places(wanted)
    except decimal.InvalidOperation:
        return False


def _places(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _occurrences(text: str, number: str, lo: int = 0,
                 hi: int | None = None) -> list[tuple[int, int, str]]:
    hi = len(text) if hi is None else hi
    return [(m.start(), m.end(), m.group()) for m in _NUMBER.finditer(text, lo, hi)
            if _reads(m.group(), number)]


def _locate_stated(text: str, item: QuoteItem) -> tuple[int, int, str] | None:
    """The one printed occurrence of the stated figure inside the quote."""
    number = _leading(item.stated)
    if number is None:
        return None
    found = _occurrences(text, number, *item.span)
    return found[0] if len(found) == 1 else None


def _locate_nearest(text: str, number: str, span: tuple[int, int]) -> tuple[int, int, str] | None:
    """The printed occurrence of ``number`` nearest to ``span`` (ties: none)."""
    lo, hi = max(0, span[0] - INPUT_WINDOW), min(len(text), span[1] + INPUT_WINDOW)
    found = sorted(_occurrences(text, number, lo, hi),
                   key=lambda o: proximity.distance(o[:2], span))
    if not found:
        return None
    if len(found) > 1 and (proximity.distance(found[0][:2], span)
                           == proximity.distance(found[1][:2], span)):
        return None
    return found[0]


def _shifts(number: str, rng: random.Random) -> Iterator[str]:
    """New printed figures beyond the printed precision (:func:`mutate.shifted`)."""
    plain = number.replace(",", "")
    decimals = _places(plain)
    for new in mutate.shifted(abs(Decimal(plain)), decimals, rng):
        yield f"{new:.{decimals}f}"


def _print_like(printed: str, number: str) -> str:
    """``number`` printed as ``printed`` was: separators kept, full-width kept."""
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    value = Decimal(number)
    out = f"{value:,.{decimals}f}" if ("," in printed or "，" in printed) else number
    if any("０" <= ch <= "９" for ch in printed):
        out = out.translate(_FULL_WIDTH)
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
