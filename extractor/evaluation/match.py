"""Match predictions to gold: claims by type, key span and value; findings by kind and span.

Both matchings are maximum bipartite matchings (each gold item and each
prediction is used at most once), so the counts do not depend on the order in
which a backend lists its output. A prediction left unmatched only because the
gold item it hits was already taken is a *duplicate*, not a false positive:
gold writes a metric stated three times as one mention with ``other_spans``,
and a backend that emits one mention per statement has not made two mistakes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from extractor import models, quantities
from extractor.evaluation import gold, metrics

__all__ = [
    "SCORE_TOTAL_KINDS",
    "MatchResult",
    "is_detection",
    "match_claims",
    "match_findings",
    "value_matches",
]

# A score total that does not add up is a "score" finding in the gold but may
# come from a footing check, and the reverse; these two kinds match each other
# for score totals (see ``_kinds_compatible``). Every other kind matches itself.
SCORE_TOTAL_KINDS = frozenset({"score", "footing"})
_SCORE_UNIT = "分"


@dataclasses.dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one group of items.

    ``matched`` pairs a gold id with the index of the prediction in the list
    given to the matcher; ``false_positives`` and ``duplicates`` are such
    indices too.
    """

    counts: metrics.Counts
    matched: tuple[tuple[str, int], ...] = ()
    missed: tuple[str, ...] = ()
    false_positives: tuple[int, ...] = ()
    duplicates: tuple[int, ...] = ()


def is_detection(finding: models.Finding) -> bool:
    """Errors and warnings are detections; info findings are notes and do not count."""
    return finding.severity is not models.Severity.INFO


def value_matches(expected: gold.GoldValue, quantity: models.Quantity,
                  ignore_sign: bool = False) -> bool:
    """True when ``quantity`` reads the gold figure within the printed precision.

    The gold figure stands for an interval (±half a unit in its last printed
    place, none for exact counts, scores and zeros); the predicted value,
    converted exactly into the gold unit (万元 → 元 …), must lie in it. Only
    the gold side is widened: 9.7 is not a reading of a printed 9.8. A figure
    without a unit is compared as printed, because the unit may sit in a table
    caption that only one side attached.

    Args:
        expected: the gold figure.
        quantity: the predicted figure.
        ignore_sign: compare magnitudes (a difference whose sign is in the wording).
    """
    gold_dim, pred_dim = quantities.dimension(expected.unit), quantities.dimension(quantity.unit)
    both_counts = gold_dim.startswith("count") and pred_dim.startswith("count")
    if gold_dim != pred_dim and expected.unit and quantity.unit and not both_counts:
        return False
    value = quantity.value
    if gold_dim == pred_dim and expected.unit and quantity.unit != expected.unit:
        value = quantities.to_unit(value, quantity.unit, expected.unit)
    want = quantities.interval_of(_gold_quantity(expected))
    if ignore_sign:
        value = abs(value)
        want = quantities.Interval(*sorted((abs(want.lo), abs(want.hi))))
    return want.lo <= value <= want.hi


def match_claims(gold_claims: Sequence[gold.GoldClaim],
                 predicted: Sequence[models.Claim]) -> dict[str, MatchResult]:
    """Match claims type by type.

    A prediction matches a gold claim of its type when its key figure
    (``claim.key``) overlaps the gold ``span`` and reads the gold value
    (:func:`value_matches`; a difference is compared without its sign, which
    the wording may carry). A mention also matches at any of its
    ``other_spans``, reading the figure printed there (which differs from the
    stated one when the report contradicts itself).

    Returns:
        One result per claim type present on either side, in
        :data:`gold.CLAIM_TYPES` order, then any other predicted type.
    """
    types = list(gold.CLAIM_TYPES)
    types += sorted({c.type for c in predicted} - set(types))
    out = {}
    for ctype in types:
        golds = [g for g in gold_claims if g.type == ctype]
        preds = [i for i, c in enumerate(predicted) if c.type == ctype]
        if not golds and not preds:
            continue

        def hits(g: gold.GoldClaim, i: int) -> bool:
            key = predicted[i].key
            span = (key.span.start, key.span.end)
            if _overlaps(span, g.span) and value_matches(
                    g.stated, key, ignore_sign=g.type == "difference"):
                return True
            # A mention is one metric at several places; other relations are
            # anchored on their key figure only.
            return any(
                _overlaps(span, other) and (value is None or value_matches(value, key))
                for other, value in zip(g.other_spans, g.other_values)
            )

        out[ctype] = _match([g.id for g in golds], golds, preds, hits)
    return out


def match_findings(gold_findings: Sequence[gold.GoldFinding],
                   predicted: Sequence[models.Finding]) -> MatchResult:
    """Match detections (errors and warnings) against gold findings.

    A prediction matches when its kind is compatible with the gold ``check``
    and any of its spans overlaps the gold ``span`` or one of its
    ``other_spans``. Info findings are left out entirely.
    """
    preds = [i for i, f in enumerate(predicted) if is_detection(f)]

    def hits(g: gold.GoldFinding, i: int) -> bool:
        f = predicted[i]
        if not _kinds_compatible(g, f):
            return False
        return any(_overlaps((s.start, s.end), t) for s in f.spans for t in g.spans)

    return _match([g.id for g in gold_findings], list(gold_findings), preds, hits)


def _kinds_compatible(g: gold.GoldFinding, f: models.Finding) -> bool:
    if f.kind == g.check:
        return True
    # Score totals: a gold "score" finding may be found by a footing check and
    # a gold footing of 分 figures by a score check.
    if {g.check, f.kind} == SCORE_TOTAL_KINDS:
        return g.check == "score" or g.stated.unit == _SCORE_UNIT or f.unit == _SCORE_UNIT
    return False


def _match(ids: list[str], golds: Sequence, preds: list[int],
           hits: Callable[[object, int], bool]) -> MatchResult:
    candidates = [[i for i in preds if hits(g, i)] for g in golds]
    owner: dict[int, int] = {}  # prediction index → gold position

    def augment(g: int, seen: set[int]) -> bool:
        # Kuhn's augmenting path: gold lists are short (a few hundred items).
        for i in candidates[g]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = g
                return True
        return False

    for g in range(len(golds)):
        augment(g, set())
    matched_gold = {g: i for i, g in owner.items()}
    hit_any = {i for cands in candidates for i in cands}
    duplicates = tuple(i for i in preds if i not in owner and i in hit_any)
    false_positives = tuple(i for i in preds if i not in owner and i not in hit_any)
    counts = metrics.Counts(
        gold=len(golds), predicted=len(preds), matched=len(owner), duplicates=len(duplicates),
    )
    return MatchResult(
        counts=counts,
        matched=tuple((ids[g], matched_gold[g]) for g in sorted(matched_gold)),
        missed=tuple(ids[g] for g in range(len(golds)) if g not in matched_gold),
        false_positives=false_positives,
        duplicates=duplicates,
    )


def _gold_quantity(value: gold.GoldValue) -> models.Quantity:
    span = models.Span(start=value.span[0], end=value.span[1]) if value.span else models.Span(
        start=0, end=0)
    return quantities.make_quantity(value.text, value.unit, value.text, span)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
