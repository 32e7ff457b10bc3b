"""The provider table (config.ENDPOINT_SPECS) and what each row changes in the request.

Requests go to a local test double (tests/llm_double.py) that records them
and answers with well-formed claims written here; the text is synthetic.
"""

from __future__ import annotations

import argparse
import json

import pytest

import llm_double
from extractor import doctorcmd, load
from extractor.extract import config, llm

TEXT = "一、资金情况\n年初预算资金120.5万元，全年实际支出110.2万元，预算执行率为91.45%。\n"
CLAIM = {"kind": "ratio", "label": "预算执行率",
         "quote": "年初预算资金120.5万元，全年实际支出110.2万元，预算执行率为91.45%",
         "stated": "91.45%", "numerator": "110.2万元", "denominator": "120.5万元"}


@pytest.mark.parametrize("url,model,row,mode,strict,temperature,limit", [
    ("https://api.openai.com/v1", "gpt-4o", "openai", "json_schema", True, True,
     "max_completion_tokens"),
    ("https://api.openai.com/v1", "o3-mini", "openai-reasoning", "json_schema", True, False,
     "max_completion_tokens"),
    ("https://api.openai.com/v1", "gpt-5-mini", "openai-reasoning", "json_schema", True, False,
     "max_completion_tokens"),
    ("https://api.deepseek.com/v1", "deepseek-chat", "deepseek", "tools", False, True, "max_tokens"),
    ("https://api.deepseek.com/v1", "deepseek-reasoner", "deepseek-reasoner", "json", False, False,
     "max_tokens"),
    ("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-max", "dashscope", "tools", False,
     True, "max_tokens"),
    ("http://10.0.0.5:8000/v1", "Qwen2.5-72B", "vllm", "json_schema", True, True, "max_tokens"),
    ("http://127.0.0.1:11434/v1", "qwen2.5", "ollama", "json", False, True, "max_tokens"),
    ("http://127.0.0.1:8080/v1", "any", "llama.cpp", "tools", False, True, "max_tokens"),
    ("https://llm.example.org/v1", "any", "default", "tools", False, True, "max_tokens"),
])
def test_llm_provider_table_rows(url, model, row, mode, strict, temperature, limit):
    s = config.load(env={}, base_url=url, model=model)
    spec = s.spec
    assert (spec.name, s.resolved_mode, spec.strict, spec.temperature, spec.max_tokens) == (
        row, mode, strict, temperature, limit)


def test_llm_provider_named_outright():
    s = config.load(env={"JXCHECK_LLM_PROVIDER": "vllm"}, base_url="http://gpu-box:9000/v1",
                    model="m")
    assert s.spec.name == "vllm" and s.resolved_mode == "json_schema"
    with pytest.raises(Exception, match="JXCHECK_LLM_PROVIDER"):
        config.load(env={"JXCHECK_LLM_PROVIDER": "nonesuch"})


def _run(tmp_path, provider: str, mode: str | None = None):
    def reply(n, req):
        return 200, "application/json", llm_double.content_answer(req, {"claims": [CLAIM]})

    with llm_double.Double(reply) as ep:
        settings = config.load(env={}, base_url=ep.url, model="double", provider=provider,
                               mode=mode, cache_dir="off", max_retries=0)
        ex = llm.LLMExtractor(settings, backoff=0.001)
        claims = ex.extract(load.from_text(TEXT, "<synthetic>"))
    return ep.requests, claims, ex


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


def test_llm_json_schema_strict_for_a_reasoning_model(tmp_path):
    requests, claims, ex = _run(tmp_path, "openai-reasoning")
    (req,) = requests
    assert "temperature" not in req and "max_tokens" not in req
    assert req["max_completion_tokens"] == ex.settings.max_tokens
    fmt = req["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    text = json.dumps(schema)
    assert '"default"' not in text and '"oneOf"' not in text and '"discriminator"' not in text
    objects = list(_objects(schema))
    assert objects
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
    (claim,) = claims
    assert claim.type == "ratio" and str(claim.stated.value) == "91.45"


def test_llm_json_schema_without_strict_for_a_local_server(tmp_path):
    requests, claims, _ = _run(tmp_path, "llama.cpp", mode="json_schema")
    fmt = requests[0]["response_format"]
    assert "strict" not in fmt["json_schema"]
    assert requests[0]["temperature"] == 0 and "max_tokens" in requests[0]
    assert len(claims) == 1


def test_llm_json_mode_adds_only_the_schema(tmp_path):
    requests, claims, _ = _run(tmp_path, "ollama")
    req = requests[0]
    assert req["response_format"] == {"type": "json_object"}
    system = req["messages"][0]["content"]
    assert "JSON Schema" in system and '"claims"' in system
    # No English instruction block: the system text is the prompt plus the schema.
    assert "Correct your JSON" not in system and "You are" not in system
    assert len(claims) == 1


def test_llm_json_mode_truncated_answer_is_reasked(tmp_path):
    def reply(n, req):
        if n == 1:
            return 200, "application/json", llm_double.content_answer(
                req, '{"claims": [{"kind": "ra', finish="length")
        return 200, "application/json", llm_double.content_answer(req, {"claims": [CLAIM]})

    with llm_double.Double(reply) as ep:
        settings = config.load(env={}, base_url=ep.url, model="double", provider="ollama",
                               cache_dir="off", max_retries=0)
        ex = llm.LLMExtractor(settings, backoff=0.001)
        claims = ex.extract(load.from_text(TEXT, "<synthetic>"))
        assert len(ep.requests) == 2
        assert "截断" in ep.requests[1]["messages"][-1]["content"]
    assert len(claims) == 1 and ex.usage["reasks"] == 1


def test_doctor_reports_the_provider_row(capsys, monkeypatch):
    monkeypatch.setenv("JXCHECK_LLM_BASE_URL", "https://api.deepseek.com/v1")
    monkeypatch.setenv("JXCHECK_LLM_MODEL", "deepseek-reasoner")
    monkeypatch.setenv("JXCHECK_CONFIG", "/nonexistent/none.toml")
    monkeypatch.delenv("JXCHECK_CONFIG")
    config_args = argparse.Namespace(config=None, no_chat=True, timeout=0.2, lang="zh")
    monkeypatch.setattr(doctorcmd, "_probe", lambda settings, args: 0)
    assert doctorcmd.main(config_args) == 0
    out = capsys.readouterr().out
    assert "deepseek-reasoner: strict=no, temperature=no, token limit=max_tokens" in out


def test_doctor_ping_follows_the_provider_row(capsys, monkeypatch):
    seen: list[dict] = []

    def reply(n, req):
        seen.append(req)
        return 200, "application/json", llm_double.content_answer(req, "好")

    with llm_double.Double(reply) as ep:
        for provider, has_temperature, limit in (("openai-reasoning", False,
                                                   "max_completion_tokens"),
                                                  ("llama.cpp", True, "max_tokens")):
            monkeypatch.setenv("JXCHECK_LLM_BASE_URL", ep.url)
            monkeypatch.setenv("JXCHECK_LLM_MODEL", "double")
            monkeypatch.setenv("JXCHECK_LLM_PROVIDER", provider)
            args = argparse.Namespace(config=None, no_chat=False, timeout=5.0, lang="zh")
            assert doctorcmd.main(args) == 0
            assert ("temperature" in seen[-1]) is has_temperature
            assert limit in seen[-1]
    out = capsys.readouterr().out
    assert "provider row: openai-reasoning" in out and "chat OK" in out
