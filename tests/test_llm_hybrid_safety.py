"""hybrid never loses a rules finding and adds no false error, whatever the model answers.

Issue 12, "Must hold": on the field reports (../shared/reports) and the
synthetic corpus (../shared/corpus), with the model's answers empty, junk or
correct but partial, every error and warning of ``rules`` alone is still
reported by ``hybrid``, and no new error or warning appears.

The answers come from a local test double (tests/llm_double.py):

* empty: ``{"claims": []}``;
* junk: plain text, JSON of another shape, and claims whose quotes or figures
  are not in the chunk, in turn;
* partial: every other statement the chunk really makes, written as a strong
  model would (the quote is the source sentence, each figure as printed).
  They are taken from the rules backend's claims inside the chunk, so they
  are correct by construction; what is tested is that grounding reads them
  back to the same figures and that merging them changes no finding.
"""

from __future__ import annotations

import itertools
import pathlib

import pytest

import llm_double
from extractor import load, models, pipeline
from extractor.extract import config, rules

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"
SOURCES = sorted((SHARED / "reports").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
# The findings that count: a lost or new info note is not a false alarm.
COUNTED = (models.Severity.ERROR, models.Severity.WARNING)


def _key(f: models.Finding) -> tuple:
    return (f.code, tuple((s.start, s.end) for s in f.spans))


def _fields(c: models.Claim) -> dict | None:
    """The claim as a model's answer item: figures as printed, the sentence as quote."""
    if isinstance(c, models.RatioClaim):
        item = {"kind": "ratio", "stated": c.stated.raw,
                "numerator": c.numerator.raw if c.numerator else "",
                "denominator": c.denominator.raw if c.denominator else ""}
    elif isinstance(c, models.BreakdownClaim) and len(c.parts) >= 2:
        item = {"kind": "breakdown", "total": c.total.raw, "parts": [p.raw for p in c.parts],
                "partial": not c.exhaustive}
    elif isinstance(c, models.GrowthClaim):
        item = {"kind": "growth", "stated": c.stated.raw}
    else:
        return None
    item["label"] = c.label[:20]
    return item


def _partial_answers(doc: models.Document):
    claims = rules.RulesExtractor().extract(doc)

    def reply(n, req):
        chunk = llm_double.chunk_text(req)
        if chunk is None:  # a scoring rule to read: left unread, as by rules alone
            return 503, "application/json", b'{"error": {"message": "not served"}}'
        items = []
        for c in claims:
            item = _fields(c)
            spans = [q.span for q in _quantities(c)]
            if item is None or not spans:
                continue
            start, end = min(s.start for s in spans), max(s.end for s in spans)
            if c.sentence is not None:
                start, end = min(start, c.sentence.start), max(end, c.sentence.end)
            quote = doc.raw[start:end]
            if len(quote) > 600 or "".join(quote.split()) not in "".join(chunk.split()):
                continue
            items.append({**item, "quote": quote})
        return 200, "application/json", llm_double.tool_answer(req, {"claims": items[::2]})

    return reply


def _quantities(c: models.Claim) -> list[models.Quantity]:
    out = [getattr(c, f, None) for f in ("stated", "numerator", "denominator", "total")]
    out.extend(getattr(c, "parts", ()) or ())
    return [q for q in out if isinstance(q, models.Quantity)]


def _empty(doc):
    return lambda n, req: (200, "application/json",
                           llm_double.tool_answer(req, {"claims": []}))


def _junk(doc):
    kinds = itertools.cycle(("text", "shape", "quote", "figure"))

    def reply(n, req):
        kind = next(kinds)
        if kind == "text":
            return 200, "application/json", llm_double.tool_answer(req, "好的，以下是摘录结果。")
        if kind == "shape":
            return 200, "application/json", llm_double.tool_answer(req, {"items": [1, 2, 3]})
        chunk = llm_double.chunk_text(req) or ""
        if kind == "quote":
            item = {"kind": "breakdown", "quote": "合计999万元，其中甲500万元，乙400万元",
                    "total": "999万元", "parts": ["500万元", "400万元"]}
        else:
            item = {"kind": "ratio", "quote": chunk[:40], "stated": "123.45%",
                    "numerator": "98765万元", "denominator": "1万元"}
        return 200, "application/json", llm_double.tool_answer(req, {"claims": [item]})

    return reply


def _hybrid(doc: models.Document, reply, tmp_path: pathlib.Path) -> models.Report:
    with llm_double.Double(reply) as ep:
        settings = config.load(env={}, base_url=ep.url, model="double", mode="tools",
                               cache_dir="off", max_retries=0, reasks=0, concurrency=2)
        return pipeline.check_document(doc, "hybrid", settings=settings, backoff=0.001)


@pytest.mark.skipif(not SOURCES, reason="../shared/reports and ../shared/corpus are not present")
@pytest.mark.parametrize("answers", [_empty, _junk, _partial_answers])
def test_hybrid_keeps_rules_findings_and_adds_no_false_error(tmp_path, answers):
    for path in SOURCES:
        doc = load.load(str(path))
        base = pipeline.check_document(doc, "rules")
        report = _hybrid(doc, answers(doc), tmp_path)
        expected = {_key(f) for f in base.findings if f.severity in COUNTED}
        got = {_key(f) for f in report.findings if f.severity in COUNTED}
        assert expected <= got, (path.name, "lost", expected - got)
        assert got <= expected, (path.name, "new", got - expected)
        if answers is _partial_answers:
            assert report.stats["llm_claims"] > 0, path.name
            assert report.stats["merged_duplicates"] > 0, path.name
