"""The answer schema and the re-ask (issue 12, causes 2 and 4). Synthetic texts.

Answers come from a local test double (tests/llm_double.py) written here.
"""

from __future__ import annotations

import json

import llm_double
from extractor import load, models
from extractor.extract import config, llm, prompts

TEXT = "一、资金情况\n培训经费36万元，其中：师资费20万元，场地费10万元。\n"


def _extract(reply, text=TEXT, **extra):
    with llm_double.Double(reply) as ep:
        options = {"cache_dir": "off", "max_retries": 0, "reasks": 1, **extra}
        settings = config.load(env={}, base_url=ep.url, model="double", mode="tools", **options)
        ex = llm.LLMExtractor(settings, backoff=0.001)
        claims = ex.extract(load.from_text(text, "<synthetic>"))
    return ep.requests, claims, ex


def test_llm_schema_caps_claims_by_the_chunks_figures():
    models_ = llm._AnswerModels(prompts.load(llm.PROMPT_EXTRACT))
    cap = lambda n: models_.for_figures(n).model_json_schema()["properties"]["claims"]["maxItems"]
    assert cap(1) == llm.MIN_CLAIMS
    assert cap(37) == 37
    assert cap(10_000) == llm.MAX_CLAIMS
    # The request for a chunk carries the cap of that chunk (3 figures → the minimum).
    requests, _, _ = _extract(lambda n, req: (200, "application/json",
                                              llm_double.tool_answer(req, {"claims": []})))
    params = requests[0]["tools"][0]["function"]["parameters"]
    assert params["properties"]["claims"]["maxItems"] == llm.MIN_CLAIMS


def test_llm_schema_describes_fields_from_the_prompt_file():
    schema = llm._AnswerModels(prompts.load(llm.PROMPT_EXTRACT)).for_figures(5).model_json_schema()
    breakdown = schema["$defs"]["Breakdown"]
    assert "其中" in breakdown["description"]
    assert "partial" in breakdown["properties"] and breakdown["properties"]["partial"]["description"]
    # No catch-all: a mention is described as a named value, and is the last priority.
    assert "泛泛的数字不要输出" in schema["$defs"]["Mention"]["description"]
    assert schema["properties"]["claims"]["description"].endswith("最后 mention。")
    assert "default" not in json.dumps(schema) and "title" not in json.dumps(schema["$defs"])


def test_llm_prompt_has_a_worked_table_example():
    system = prompts.load(llm.PROMPT_EXTRACT).render("system")
    assert "合计 150 144" in system and '"partial": true' in system


def test_llm_partial_list_is_not_exhaustive():
    item = {"kind": "breakdown", "label": "培训经费", "partial": True,
            "quote": "培训经费36万元，其中：师资费20万元，场地费10万元",
            "total": "36万元", "parts": ["20万元", "10万元"]}
    _, claims, _ = _extract(lambda n, req: (200, "application/json",
                                            llm_double.tool_answer(req, {"claims": [item]})))
    (claim,) = claims
    assert isinstance(claim, models.BreakdownClaim) and claim.exhaustive is False
    _, claims, _ = _extract(lambda n, req: (200, "application/json", llm_double.tool_answer(
        req, {"claims": [{**item, "partial": False}]})))
    assert claims[0].exhaustive is True


def test_llm_reask_sends_every_error_and_counts_every_rejection():
    bad = [{"kind": "mention", "metric": "师资费", "quote": f"不在片段中的第{i}句",
            "value": "20万元"} for i in range(1, 11)]
    good = {"kind": "breakdown", "label": "培训经费", "quote": "培训经费36万元，其中：师资费20万元，场地费10万元",
            "total": "36万元", "parts": ["20万元", "10万元"]}

    def reply(n, req):
        return 200, "application/json", llm_double.tool_answer(
            req, {"claims": bad if n == 1 else [good]})

    requests, claims, ex = _extract(reply)
    assert len(requests) == 2
    reask = requests[1]["messages"][-1]["content"]
    for i in range(1, 11):
        assert f"第{i}条" in reask
    assert ex.usage["claims_rejected"] == 10
    assert ex.usage["rejected_quote_not_found"] == 10
    assert [c.key.raw for c in claims] == ["36万元"]


def test_llm_schema_bounds_strings_only_for_grammar_servers():
    models_ = llm._AnswerModels(prompts.load(llm.PROMPT_EXTRACT))
    bounded = models_.for_figures(5, grammar=True).model_json_schema()
    assert {d["properties"]["quote"]["maxLength"] for d in bounded["$defs"].values()} == {
        llm.GRAMMAR_QUOTE_CHARS}
    parts = bounded["$defs"]["Breakdown"]["properties"]["parts"]
    assert parts["maxItems"] == llm.GRAMMAR_PARTS
    assert parts["items"]["maxLength"] == llm.GRAMMAR_FIELD_CHARS
    assert bounded["$defs"]["Ratio"]["properties"]["stated"]["maxLength"] == llm.GRAMMAR_FIELD_CHARS
    assert "maxLength" not in json.dumps(models_.for_figures(5).model_json_schema())
    assert config.load(env={}, base_url="http://127.0.0.1:8080/v1", model="m").spec.grammar
    assert not config.load(env={}, base_url="https://api.deepseek.com/v1",
                           model="deepseek-chat").spec.grammar
