"""Each reader's case file states the claims it must read from texts we wrote.

Readers are the registered readers (R1xx–R3xx, extract/readers.py) and the
sentence readers (S1xx, extract/sentences.py); a sentence reader is run alone
on its case's text, as the rules backend runs it.

A case lists every claim the reader yields for its text (type, label and the
printed figures), and the error/warning findings the whole pipeline reports
for it, so that a broken reader fails here, not only as a missing finding.
"""

from __future__ import annotations

import pathlib

import pytest
import yaml

from extractor import load, pipeline
from extractor.extract import readers, rules, sentences

CASES = pathlib.Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["reader"], case, id=f"{data['reader']}-{case['name']}")


def _shape(claim) -> dict:
    """The printed figures of a claim, as the case files state them."""
    out = {"type": claim.type, "label": claim.label}
    if claim.type == "score":
        out.update(weight=claim.weight.raw if claim.weight else None, awarded=claim.awarded.raw)
        if claim.rule:
            out["rule"] = claim.rule
        if claim.indicator_value is not None:
            out["value"] = claim.indicator_value.raw
        if claim.indicator_target is not None:
            out["target"] = claim.indicator_target.raw
    elif claim.type == "breakdown":
        out.update(total=claim.total.raw, parts=[p.raw for p in claim.parts])
    elif claim.type == "growth":
        out.update(stated=claim.stated.raw if claim.stated.value >= 0
                   or claim.stated.raw.startswith(("-", "−")) else "-" + claim.stated.raw,
                   current=claim.current.raw if claim.current else None,
                   change=claim.change.raw if claim.change else None)
    elif claim.type == "mention":
        out.update(metric=claim.metric, value=claim.value.raw)
    elif claim.type == "parts_growth":
        out.update(stated=claim.stated.raw, total=claim.total.raw,
                   part_rates=[q.raw for q in claim.part_rates])
    elif claim.type == "product":
        out.update(stated=claim.stated.raw, factors=[q.raw for q in claim.factors])
    elif claim.type == "difference":
        out.update(stated=claim.stated.raw, a=claim.a.raw, b=claim.b.raw)
    elif claim.type == "ratio":
        out.update(stated=claim.stated.raw, numerator=claim.numerator.raw,
                   denominator=claim.denominator.raw)
    return out


@pytest.mark.parametrize("reader,case", list(_cases()))
def test_reader_case(reader: str, case: dict) -> None:
    doc = load.from_text(case["text"], "<case>")
    if reader in sentences.SENTENCE_READERS:
        got = [_shape(c) for c in rules.family_claims(doc, reader)]
    elif (spec := readers.READERS[reader]).takes_claims:
        # What the readers before it found, as the pipeline hands them over.
        known = [c for c in pipeline.check_document(doc).claims if c.type != "parts_growth"]
        got = [_shape(c) for c in spec.load()(doc, known)]
    else:
        got = [_shape(c) for c in spec.load()(doc)]
    want = [{k: v for k, v in c.items()} for c in case["claims"]]
    # A case names only the fields it cares about; the reader may know more.
    trimmed = [{k: g.get(k) for k in w} for g, w in zip(got, want)]
    assert len(got) == len(want), got
    assert trimmed == want
    report = pipeline.check_document(doc)
    found = sorted((f.code, f.severity.value) for f in report.findings
                   if f.severity.value != "info")
    assert found == sorted((f["code"], f["severity"]) for f in case["findings"])


def test_every_reader_is_registered_once_with_a_case_file() -> None:
    codes = list(readers.READERS) + list(sentences.SENTENCE_READERS)
    assert len(set(codes)) == len(codes)
    files = [yaml.safe_load(p.read_text(encoding="utf-8"))["reader"] for p in CASES.glob("*.yml")]
    assert sorted(codes) == sorted(files)
    for reader in [*readers.READERS.values(), *sentences.SENTENCE_READERS.values()]:
        assert reader.load().__doc__, reader.code
        assert reader.load().__module__.startswith("extractor.extract.")


def test_sentence_readers_have_a_known_scope_and_a_case_file_named_after_their_module() -> None:
    for reader in sentences.SENTENCE_READERS.values():
        assert reader.scope in sentences.SCOPES, reader.code
        module = reader.target.split(":")[0].rsplit(".", 1)[1]
        data = yaml.safe_load((CASES / f"{module}.yml").read_text(encoding="utf-8"))
        assert data["reader"] == reader.code
