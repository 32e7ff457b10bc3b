"""LLM settings (extract/config.py), fail-fast without an endpoint, and ``jxcheck doctor``."""

from __future__ import annotations

import time

import pytest

from extractor import cli, errors, extract, load, pipeline
from extractor.extract import config

SECRET = "sk-test-0123456789abcdef"
TEXT = "某局年初预算资金120.5万元，全年实际支出110.2万元，预算执行率为91.45%。\n"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for name in (*config.ENV.values(), config.CONFIG_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_llm_config_environment_over_file_over_defaults(tmp_path, monkeypatch):
    cfg = tmp_path / "jx.toml"
    cfg.write_text('[llm]\nbase_url = "http://file/v1"\nmodel = "file-model"\ntimeout = 30\n'
                   'api_key_env = "MY_KEY"\n', encoding="utf-8")
    monkeypatch.setenv(config.CONFIG_ENV, str(cfg))
    monkeypatch.setenv("JXCHECK_LLM_MODEL", "env-model")
    monkeypatch.setenv("MY_KEY", SECRET)
    s = config.load()
    assert (s.base_url, s.model, s.timeout, s.concurrency) == ("http://file/v1", "env-model", 30.0, 4)
    assert s.api_key == SECRET
    assert s.sources["model"] == "$JXCHECK_LLM_MODEL"
    assert s.sources["api_key"] == "$MY_KEY"


def test_llm_config_key_never_shown(monkeypatch):
    monkeypatch.setenv("JXCHECK_LLM_API_KEY", SECRET)
    s = config.load()
    assert SECRET not in repr(s)
    assert SECRET not in str(config.describe(s))
    assert config.redact(f"bad key {SECRET}; Authorization: Bearer abcdefghijkl", s) == \
        "bad key ***; Authorization: Bearer ***"


def test_llm_config_mode_follows_the_endpoint():
    assert config.load(env={}, base_url="http://127.0.0.1:8765/v1").resolved_mode == "tools"
    assert config.load(env={}, base_url="https://api.openai.com/v1").resolved_mode == "json_schema"
    assert config.load(env={}, base_url="http://localhost:11434/v1").resolved_mode == "json"
    assert config.load(env={}, base_url="http://localhost:11434/v1",
                       mode="tools").resolved_mode == "tools"


def test_llm_config_rejects_bad_values(tmp_path):
    with pytest.raises(errors.ExtractionError):
        config.load(env={"JXCHECK_LLM_MODE": "xml"})
    with pytest.raises(errors.ExtractionError):
        config.load(env={"JXCHECK_LLM_CONCURRENCY": "0"})
    bad = tmp_path / "bad.toml"
    bad.write_text("[llm]\nbase_ur = 'typo'\n", encoding="utf-8")
    with pytest.raises(errors.ExtractionError):
        config.load(env={}, path=bad)


def test_llm_config_cache_can_be_turned_off():
    assert config.load(env={"JXCHECK_CACHE_DIR": "off"}).cache_dir is None


def test_llm_backend_without_endpoint_fails_fast_and_bilingual():
    doc = load.from_text(TEXT)
    for backend in ("llm", "hybrid"):
        t0 = time.perf_counter()
        with pytest.raises(errors.ExtractionError) as info:
            pipeline.check_document(doc, backend)
        assert time.perf_counter() - t0 < 10
        assert "JXCHECK_LLM_BASE_URL" in info.value.zh and "JXCHECK_LLM_BASE_URL" in info.value.en
        assert "未配置" in info.value.zh and "No LLM endpoint" in info.value.en
    # The default backend still works.
    assert pipeline.check_document(doc, "rules").claims


def test_llm_cli_without_endpoint_exits_2(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert cli.main(["check", "--backend", "llm", str(path)]) == 2
    err = capsys.readouterr().err
    assert "JXCHECK_LLM_BASE_URL" in err
    assert cli.main(["check", str(path)]) == 0


def test_llm_doctor_without_config_says_what_is_missing(capsys):
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "JXCHECK_LLM_BASE_URL" in out and "未设置 / not set" in out


def test_llm_doctor_never_prints_the_key(monkeypatch, capsys):
    monkeypatch.setenv("JXCHECK_LLM_API_KEY", SECRET)
    monkeypatch.setenv("JXCHECK_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    monkeypatch.setenv("JXCHECK_LLM_MODEL", "m")
    assert cli.main(["doctor", "--timeout", "2"]) == 1
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    assert "已设置 / set" in out.out


def test_llm_backends_are_registered():
    assert {"llm", "hybrid"} <= set(extract.BACKENDS)
