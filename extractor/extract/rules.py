"""The deterministic backend: sentence readers over the prose, structure over tables.

The phrasing families are the sentence readers of
:mod:`extractor.extract.sentences` (S101…, one module each); this module runs
them over the prose in their order — per paragraph, per sentence, then across
paragraphs — then rebuilds the tables and runs the registered readers of
:mod:`extractor.extract.readers`. None of them decides whether numbers agree —
that is the checks' job. Pairings that rest on word order alone (a named rate
whose denominator is inferred as the first like quantity of the sentence) are
marked ``inferred`` so that checks can report them with less certainty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from extractor import limits, models, quantities, segment, tables
from extractor.extract import context, indicators, readers, restated_metrics, sentences
from extractor.extract.sentence_common import MAX_SENTENCE
# Re-exported: other readers build on the change-and-rate pattern.
from extractor.extract.sentence_growth import clause_has_level, growth_changes

__all__ = ["RulesExtractor", "clause_has_level", "family_claims", "growth_changes"]

_Read = Callable[[context.Passage], Iterable[models.Claim]]


class RulesExtractor:
    """Offline, fast, deterministic claim extraction."""

    name = "rules"

    def __init__(self, rule_reader: indicators.RuleReader | None = None) -> None:
        # Reads a printed scoring rule the parser cannot read (the hybrid
        # backend passes the model's reader); without one such a rule stays unread.
        self._rule_reader = rule_reader

    def extract(self, doc: models.Document) -> list[models.Claim]:
        paras = segment.paragraphs(doc)
        budget = limits.current()
        claims = _read_prose(paras, sentences.of_scope("paragraph"),
                             sentences.of_scope("sentence"), budget)
        claims = restated_metrics.unify_restated(claims)
        rebuilt = []
        if budget is None or not budget.expired():
            for read in sentences.of_scope("document"):
                claims.extend(read(paras))
            rebuilt = tables.rebuild(doc, paras)
            claims.extend(tables.claims_from(rebuilt))
            claims.extend(readers.read_all(doc, claims))
        elif not budget.stopped_at:
            budget.stop(None, "tables")
        claims = _one_subject(claims)
        return _with_ids(_checkable_mentions(indicators.enrich(claims, rebuilt,
                                                               self._rule_reader)))


def _read_prose(paras: list[segment.Paragraph], by_paragraph: Iterable[_Read],
                by_sentence: Iterable[_Read], budget: limits.Budget | None) -> list[models.Claim]:
    """The claims of the paragraph and sentence readers, in text order."""
    claims: list[models.Claim] = []
    prev_sentence: models.TextView | None = None
    for idx, para in enumerate(paras):
        if para.kind != "prose":
            continue
        if budget is not None and budget.expired():
            # Out of time (--timeout): what was read so far is checked.
            budget.stop(para.view.offsets[0], "rules")
            break
        if by_paragraph:
            passage = context.Passage(para.view, quantities.scan(para.view), prev_sentence,
                                      _next_prose(paras, idx))
            for read in by_paragraph:
                claims.extend(read(passage))
        before: models.TextView | None = None  # the sentence before, same paragraph
        for sent in _bounded(segment.sentences(para)):
            if budget is not None and budget.expired():
                budget.stop(sent.offsets[0], "rules")
                break
            passage = context.Passage(sent, quantities.scan(sent), before)
            for read in by_sentence:
                claims.extend(read(passage))
            prev_sentence = before = sent
    return claims


def family_claims(doc: models.Document, code: str) -> list[models.Claim]:
    """What the one sentence reader ``code`` yields for ``doc``, read as the
    extractor reads it (the case files state these claims)."""
    spec = sentences.SENTENCE_READERS[code]
    paras = segment.paragraphs(doc)
    read = spec.load()
    if spec.scope == "document":
        return list(read(paras))
    return _read_prose(paras, [read] if spec.scope == "paragraph" else [],
                       [read] if spec.scope == "sentence" else [], None)


def _one_subject(claims: list[models.Claim]) -> list[models.Claim]:
    """Keep a sheet's budget facts only where the report has one such sheet.

    A report with several project sheets has several 年度资金总额 rows, one per
    project, and the narrative's 实际支出 is none of them in particular.
    """
    sheet_facts: dict[str, int] = {}
    for c in claims:
        if c.type == "mention" and c.metric.startswith("concept:") and c.table:
            sheet_facts[c.metric] = sheet_facts.get(c.metric, 0) + 1
    return [c for c in claims if not (c.type == "mention" and c.metric.startswith("concept:")
                                      and c.table and sheet_facts[c.metric] > 1)]


# A sentence far longer than MAX_SENTENCE (a text without 。) is read in pieces
# cut after the last clause mark before the limit: the sentence readers look
# back over every figure before each cue, n² in the figures of one sentence.
_CLAUSE_MARKS = "；;，,"


def _bounded(sents: list[models.TextView]) -> Iterator[models.TextView]:
    for sent in sents:
        start, n = 0, len(sent.text)
        while n - start > MAX_SENTENCE:
            cut = max(sent.text.rfind(c, start, start + MAX_SENTENCE) for c in _CLAUSE_MARKS)
            cut = cut + 1 if cut > start else start + MAX_SENTENCE
            yield sent.slice(start, cut)
            start = cut
        yield sent if start == 0 else sent.slice(start, n)


def _checkable_mentions(claims: list[models.Claim]) -> list[models.Claim]:
    """Keep a mention only if something can be checked against it: another statement
    of its metric, or a scored indicator of that metric (whose value is computed)."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.type == "mention":
            counts[c.metric] = counts.get(c.metric, 0) + 1
    scored = {c.metric for c in claims if c.type == "score" and c.metric}
    return [c for c in claims
            if c.type != "mention" or counts[c.metric] >= 2 or c.metric in scored]


def _next_prose(paras: list[segment.Paragraph], idx: int) -> models.TextView | None:
    for p in paras[idx + 1: idx + 2]:
        if p.kind in ("prose", "heading"):
            return p.view
    return None


def _with_ids(claims: list[models.Claim]) -> list[models.Claim]:
    seen: set[tuple] = set()
    out: list[models.Claim] = []
    for c in claims:
        # A rate stated for both sides of a balance is two claims, one per side.
        current = getattr(c, "current", None)
        key = (c.type, c.key.span.start, c.key.span.end, c.key.value,
               tuple(p.span.start for p in getattr(c, "parts", ())),
               current.span.start if current is not None else -1)
        if key in seen:
            continue
        seen.add(key)
        out.append(c.model_copy(update={"id": f"{c.type[0]}{len(out) + 1}"}))
    return out
