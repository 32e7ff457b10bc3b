"""Seeded error injection into consistent gold relations, and how a run is judged on it.

The mutation benchmark takes gold claims marked ``consistent: true`` whose
relation can be recomputed (ratio, growth, breakdown, difference, score),
breaks each one with a single edit of the raw report text, and asks whether a
backend + checks run on the edited text reports it. An edit is kept only when
recomputing the gold relation with the edited figure (Decimal intervals, the
rounding rules of eval/README.md) shows that it no longer holds, so every
injected error is a real error and not a rounding.

Kinds of edit (:data:`KINDS`):

* ``key_shift`` / ``input_shift``: add or subtract 2–9 units in the last
  printed digit place of the key figure / one input figure, moving one place
  left at a time until the relation breaks;
* ``key_swap`` / ``input_swap``: swap two distinct digits of that figure;
* ``drop_part``: delete one part of a breakdown where it is printed as its own
  token (a table cell, a figure between spaces). A dropped cell leaves no
  figure to point at, so a new finding counts as detecting it when it points
  at the line that lost the cell or at the line of the total.

Plans depend only on the seed, the report's stem, its text and its gold file,
so every backend is run on the same edits and a rerun reproduces them.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from extractor import models, quantities
from extractor.evaluation import gold, match

__all__ = [
    "KINDS",
    "RELATION_TYPES",
    "Mutation",
    "MutationOutcome",
    "assess",
    "key_span_after",
    "plan_mutations",
    "shifted",
    "signature",
    "take_in_turn",
]

KINDS = ("key_shift", "key_swap", "input_shift", "input_swap", "drop_part")
RELATION_TYPES = ("ratio", "growth", "breakdown", "difference", "score")

# One printed number: digits, thousands separators and decimals, half- or
# full-width. The sign stays outside: edits change the magnitude only.
_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")
# Characters that may surround a part printed as its own token: table cell
# separators (tabs, line breaks left by PDF export) and spaces.
_TOKEN_EDGE = frozenset(" \t\n\r\u3000")
# "a non-trivial amount in the last printed digit place": never ±1, which a
# reader could take for a rounding slip.
_SHIFT_MIN, _SHIFT_MAX = 2, 9
# Relation inputs by claim type, in the order of eval/README.md.
_INPUTS = {
    "ratio": ("numerator", "denominator"),
    "growth": ("current", "previous"),
    "difference": ("a", "b"),
    "score": ("weight",),
    "breakdown": ("parts",),
}


@dataclasses.dataclass(frozen=True)
class Mutation:
    """One edit of a report's text that breaks one gold relation.

    ``start``/``end`` index the original text; ``key_span`` and
    :attr:`mutated_span` index the mutated text.
    """

    id: str
    report: str
    claim_id: str
    claim_type: str
    kind: str
    target: str
    start: int
    end: int
    original: str
    replacement: str
    key_span: tuple[int, int]

    @property
    def mutated_span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.replacement)

    def apply(self, text: str) -> str:
        """Return ``text`` with the edit made.

        Raises:
            ValueError: ``text`` is not the text the mutation was planned on.
        """
        if text[self.start:self.end] != self.original:
            raise ValueError(f"mutation {self.id} does not fit this text")
        return text[:self.start] + self.replacement + text[self.end:]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "report": self.report, "claim": self.claim_id,
            "type": self.claim_type, "kind": self.kind, "target": self.target,
            "span": [self.start, self.end], "original": self.original,
            "replacement": self.replacement,
        }


@dataclasses.dataclass(frozen=True)
class MutationOutcome:
    """What a run on the mutated text reported.

    ``detected_by`` are the codes of new detections that touch the mutated
    figure or the relation's key figure; ``false_alarms`` the codes of every
    other new detection. "New" means absent from the unmutated run, compared by
    code and the text under each span.
    """

    mutation: Mutation
    detected_by: tuple[str, ...] = ()
    false_alarms: tuple[str, ...] = ()
    error: str = ""

    @property
    def detected(self) -> bool:
        return bool(self.detected_by)


def plan_mutations(
    text: str,
    claims: Sequence[gold.GoldClaim],
    count: int,
    seed: int,
    stem: str,
    kinds: Sequence[str] = KINDS,
) -> list[Mutation]:
    """Choose up to ``count`` edits of ``text``, each breaking a different gold relation.

    Kinds are taken in turn (in a seeded order) so that a small ``count`` still
    covers several of them.

    Args:
        text: the report as gold offsets index it.
        claims: the report's gold claims.
        count: how many edits to plan.
        seed: the benchmark seed (``--seed``).
        stem: the report's stem; it keeps plans of different reports apart.
        kinds: the kinds of edit allowed.

    Returns:
        The edits, fewer than ``count`` when the report has too few usable relations.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown mutation kinds: {sorted(unknown)}")
    # str seeds hash deterministically (random.seed uses SHA-512 for str),
    # unlike hash(), which varies between processes.
    rng = random.Random(f"jxcheck-eval/{seed}/{stem}")
    eligible = [c for c in claims if c.consistent is True and c.type in RELATION_TYPES
                and _holds(c, {}) is True]
    queues: dict[str, list[gold.GoldClaim]] = {}
    for kind in kinds:
        queue = [c for c in eligible if _applicable(c, kind)]
        rng.shuffle(queue)
        queues[kind] = queue
    order = list(kinds)
    rng.shuffle(order)
    return take_in_turn(order, queues, count, lambda kind, claim, number, edited: _build(
        kind, claim, text, rng, stem, f"{stem}:m{number}"))


def take_in_turn(order: Sequence[str], queues: dict[str, list], count: int,
                 build: Callable[[str, Any, int, set[tuple[int, int]]], Mutation | None],
                 ) -> list[Mutation]:
    """Up to ``count`` edits, taking the kinds of ``order`` in turn.

    Each kind pops relations from its queue (the end first) until ``build``
    makes an edit of one; a relation is edited at most once, and so is a figure.

    Args:
        order: the kinds, in the order they take turns.
        queues: per kind, the relations (anything with an ``id``) to try.
        count: how many edits to return.
        build: ``(kind, relation, number of the edit (1-based), figures
            already edited) -> Mutation | None``.
    """
    used: set[str] = set()
    # One relation per figure: two claims often share a total (a row and a
    # column footing), and editing it twice would measure the same thing twice.
    edited: set[tuple[int, int]] = set()
    out: list[Mutation] = []
    while len(out) < count and any(queues.values()):
        for kind in order:
            if len(out) >= count:
                break
            queue = queues[kind]
            while queue:
                relation = queue.pop()
                if relation.id in used:
                    continue
                mutation = build(kind, relation, len(out) + 1, edited)
                if mutation is not None and (mutation.start, mutation.end) not in edited:
                    out.append(mutation)
                    used.add(relation.id)
                    edited.add((mutation.start, mutation.end))
                    break
    return out


def shifted(magnitude: Decimal, decimals: int, rng: random.Random) -> Iterator[Decimal]:
    """Figures 2–9 units of the last printed place from ``magnitude`` (either way,
    positive only), one place further left at a time."""
    ulp = Decimal(10) ** -decimals
    whole_digits = len(str(int(magnitude))) if magnitude >= 1 else 1
    for place in range(decimals + whole_digits):
        step = rng.randint(_SHIFT_MIN, _SHIFT_MAX) * ulp * Decimal(10) ** place
        signs = [1, -1]
        rng.shuffle(signs)
        for sign in signs:
            new = magnitude + sign * step
            if new > 0:
                yield new


def key_span_after(key: tuple[int, int], start: int, end: int,
                   replacement: str) -> tuple[int, int]:
    """Where ``key`` lies once ``[start, end)`` is replaced by ``replacement``."""
    delta = len(replacement) - (end - start)
    ks, ke = key
    if _overlap((ks, ke), (start, end)):
        return min(ks, start), max(ke, end) + delta
    if ks >= end:
        return ks + delta, ke + delta
    return ks, ke


def signature(finding: models.Finding, text: str) -> tuple[str, tuple[str, ...]]:
    """A finding's identity across two texts: its code and the text under each span."""
    return finding.code, tuple(text[s.start:s.end] for s in finding.spans)


def assess(
    mutation: Mutation,
    text: str,
    baseline: Sequence[models.Finding],
    mutated_text: str,
    mutated: Sequence[models.Finding],
) -> MutationOutcome:
    """Judge a run on ``mutated_text`` against the run on ``text``.

    Args:
        mutation: the edit that turned ``text`` into ``mutated_text``.
        text: the unmutated report.
        baseline: findings of the unmutated run.
        mutated_text: the mutated report.
        mutated: findings of the mutated run.

    Returns:
        The new detections, split into those that touch the mutated figure or
        the relation's key figure (the error was found) and the rest (false alarms).
    """
    known = collections.Counter(signature(f, text) for f in baseline if match.is_detection(f))
    targets = [s for s in (mutation.mutated_span, mutation.key_span) if s[0] < s[1]]
    if mutation.kind == "drop_part":
        # A dropped cell leaves nothing to point at, and in a flattened table
        # the figures after it shift a column: a finding on the line that lost
        # the cell or on the total's line points the reviewer at the error.
        targets = [_line_of(mutated_text, p) for p in (mutation.mutated_span[0],
                                                       mutation.key_span[0])]
    detected, alarms = [], []
    for f in mutated:
        if not match.is_detection(f):
            continue
        sig = signature(f, mutated_text)
        if known[sig] > 0:
            known[sig] -= 1
            continue
        touches = any(s.start < t[1] and t[0] < s.end for s in f.spans for t in targets)
        (detected if touches else alarms).append(f.code)
    return MutationOutcome(mutation, tuple(detected), tuple(alarms))


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _applicable(claim: gold.GoldClaim, kind: str) -> bool:
    if kind.startswith("key_"):
        return True
    if kind == "drop_part":
        parts = claim.inputs.get("parts")
        return claim.type == "breakdown" and isinstance(parts, tuple) and len(parts) >= 2
    return bool(_input_targets(claim))


def _input_targets(claim: gold.GoldClaim) -> list[tuple[str, gold.GoldValue]]:
    out = []
    for name in _INPUTS.get(claim.type, ()):
        value = claim.inputs.get(name)
        if isinstance(value, tuple):
            out.extend((f"parts[{i}]", v) for i, v in enumerate(value) if v.span)
        elif value is not None and value.span:
            out.append((name, value))
    return out


def _build(kind: str, claim: gold.GoldClaim, text: str, rng: random.Random, stem: str,
           mutation_id: str) -> Mutation | None:
    if kind == "drop_part":
        return _drop_part(claim, text, rng, stem, mutation_id)
    if kind.startswith("key_"):
        targets = [("key", claim.stated)]
    else:
        targets = _input_targets(claim)
        rng.shuffle(targets)
    for target, value in targets:
        located = _locate_number(text, value.span or claim.span, value)
        if located is None:
            continue
        start, end, printed = located
        candidates = _shifts(value, rng) if kind.endswith("_shift") else _swaps(value, rng)
        for magnitude in candidates:
            if _holds(claim, {target: _with_magnitude(value, magnitude)}) is False:
                replacement = _format_like(printed, magnitude, value.decimals)
                return _mutation(mutation_id, stem, claim, kind, target, start, end,
                                 text[start:end], replacement)
    return None


def _drop_part(claim: gold.GoldClaim, text: str, rng: random.Random, stem: str,
               mutation_id: str) -> Mutation | None:
    parts = claim.inputs["parts"]
    assert isinstance(parts, tuple)
    order = list(range(len(parts)))
    rng.shuffle(order)
    for i in order:
        part = parts[i]
        if part.span is None or _overlap(part.span, claim.span):
            continue
        start, end = part.span
        own_token = ((start == 0 or text[start - 1] in _TOKEN_EDGE)
                     and (end == len(text) or text[end] in _TOKEN_EDGE))
        if not own_token:
            continue
        if _holds(claim, {f"parts[{i}]": None}) is False:
            return _mutation(mutation_id, stem, claim, "drop_part", f"parts[{i}]", start, end,
                             text[start:end], "")
    return None


def _mutation(mutation_id: str, stem: str, claim: gold.GoldClaim, kind: str, target: str,
              start: int, end: int, original: str, replacement: str) -> Mutation:
    return Mutation(mutation_id, stem, claim.id, claim.type, kind, target, start, end,
                    original, replacement, key_span_after(claim.span, start, end, replacement))


def _locate_number(text: str, span: tuple[int, int],
                   value: gold.GoldValue) -> tuple[int, int, str] | None:
    """The one printed number inside ``span`` that reads ``value``, or ``None``.

    Figures broken by a line break ("9.3\\n8") or written in Chinese numerals
    are not edited.
    """
    found = list(_NUMBER.finditer(text, span[0], span[1]))
    if len(found) != 1:
        return None
    m = found[0]
    plain = unicodedata.normalize("NFKC", m.group()).replace(",", "")
    if "." in plain and len(plain.split(".", 1)[1]) != value.decimals:
        return None
    try:
        if Decimal(plain) != abs(value.value):
            return None
    except ArithmeticError:
        return None
    return m.start(), m.end(), m.group()


def _shifts(value: gold.GoldValue, rng: random.Random) -> Iterator[Decimal]:
    return shifted(abs(value.value), value.decimals, rng)


def _swaps(value: gold.GoldValue, rng: random.Random) -> Iterator[Decimal]:
    digits = f"{abs(value.value):.{value.decimals}f}"
    positions = [i for i, ch in enumerate(digits) if ch.isdigit()]
    pairs = [(i, j) for i, j in itertools.combinations(positions, 2) if digits[i] != digits[j]]
    rng.shuffle(pairs)
    point = digits.find(".")
    whole = point if point >= 0 else len(digits)
    for i, j in pairs:
        chars = list(digits)
        chars[i], chars[j] = chars[j], chars[i]
        if chars[0] == "0" and whole > 1:
            continue  # a leading zero would not read as the same kind of figure
        yield Decimal("".join(chars))


def _with_magnitude(value: gold.GoldValue, magnitude: Decimal) -> gold.GoldValue:
    signed = -magnitude if value.value < 0 else magnitude
    return gold.GoldValue(f"{signed:.{value.decimals}f}", signed, value.unit, value.span)


def _format_like(printed: str, magnitude: Decimal, decimals: int) -> str:
    """Print ``magnitude`` as ``printed`` was: same decimals, separators kept."""
    if "," in printed or "，" in printed:
        return f"{magnitude:,.{decimals}f}"
    return f"{magnitude:.{decimals}f}"


def _holds(claim: gold.GoldClaim, changes: dict[str, gold.GoldValue | None]) -> bool | None:
    """Whether the gold relation holds with ``changes`` applied (``None``: cannot tell).

    ``changes`` maps a target (``key``, an input name, ``parts[i]``) to its new
    value, or to ``None`` to drop a part.
    """
    def get(name: str) -> gold.GoldValue | None:
        if name in changes:
            return changes[name]
        value = claim.stated if name == "key" else claim.inputs.get(name)
        return value if isinstance(value, gold.GoldValue) else None

    stated = get("key")
    assert stated is not None
    if claim.type == "breakdown":
        parts = claim.inputs.get("parts")
        if not isinstance(parts, tuple):
            return None
        values = [get(f"parts[{i}]") if f"parts[{i}]" in changes else p
                  for i, p in enumerate(parts)]
        kept = [_quantity(v) for v in values if v is not None]
        if not kept:
            return None
        total = _quantity(stated)
        recomputed = _sum(quantities.interval_of(q, total.unit) for q in kept)
        return recomputed.overlaps(quantities.interval_of(total))
    if claim.type == "score":
        weight = get("weight")
        if weight is None:
            return None
        awarded = _quantity(stated)
        return (quantities.interval_of(awarded).lo
                <= quantities.interval_of(_quantity(weight), awarded.unit).hi)
    if claim.type == "difference":
        a, b = get("a"), get("b")
        if a is None or b is None:
            return None
        target = _quantity(stated)
        recomputed = (quantities.interval_of(_quantity(a), target.unit)
                      - quantities.interval_of(_quantity(b), target.unit))
        # The wording (减少/节约) may carry the sign the figure does not.
        return _magnitude(recomputed).overlaps(_magnitude(quantities.interval_of(target)))
    names = _INPUTS[claim.type]
    top, bottom = get(names[0]), get(names[1])
    if top is None or bottom is None:
        return None
    bottom_q = _quantity(bottom)
    top_iv = quantities.interval_of(_quantity(top), bottom_q.unit or None)
    bottom_iv = quantities.interval_of(bottom_q)
    if claim.type == "growth":
        top_iv = top_iv - bottom_iv
    ratio = top_iv / bottom_iv
    if ratio is None:
        return None
    percent = ratio.scale(Decimal(100) / quantities.factor(stated.unit or "%"))
    stated_q = _quantity(stated)
    # A truncated percent (139.7% printed as 139%) is consistent (eval/README.md).
    return (quantities.interval_of(stated_q).overlaps(percent)
            or quantities.is_truncation(stated_q, percent))


def _quantity(value: gold.GoldValue) -> models.Quantity:
    span = value.span or (0, 0)
    return quantities.make_quantity(value.text, value.unit, value.text,
                                    models.Span(start=span[0], end=span[1]))


def _sum(intervals: Iterator[quantities.Interval]) -> quantities.Interval:
    total = quantities.Interval(Decimal(0), Decimal(0))
    for iv in intervals:
        total = total + iv
    return total


def _magnitude(iv: quantities.Interval) -> quantities.Interval:
    if iv.lo >= 0:
        return iv
    if iv.hi <= 0:
        return quantities.Interval(-iv.hi, -iv.lo)
    return quantities.Interval(Decimal(0), max(-iv.lo, iv.hi))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
