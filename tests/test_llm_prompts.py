"""Prompt files (prompts/*.md) and their loader (extract/prompts.py)."""

from __future__ import annotations

import pathlib

import pytest

from extractor import errors
from extractor.extract import prompts


def test_llm_prompts_every_file_loads_with_id_version_and_variables():
    loaded = {p.id: p for p in prompts.available()}
    assert {"extract_claims", "reask", "validation", "doctor"} <= set(loaded)
    extract = loaded["extract_claims"]
    assert extract.ref == f"extract_claims@{extract.version}"
    assert set(extract.variables) == {"chunk", "section"}
    assert {"tool", "system", "user"} <= set(extract.sections)


def test_llm_prompts_render_fills_variables():
    p = prompts.load("extract_claims")
    text = p.render("user", chunk="预算执行率为91.45%。", section="一、资金情况")
    assert "预算执行率为91.45%。" in text and "一、资金情况" in text
    assert "$" not in text


def test_llm_prompts_missing_variable_fails_loudly():
    p = prompts.load("extract_claims")
    with pytest.raises(errors.PromptError) as info:
        p.render("user", chunk="x")
    assert "section" in info.value.en and "section" in info.value.zh


def test_llm_prompts_undeclared_variable_is_refused():
    with pytest.raises(errors.PromptError):
        prompts.load("reask").render("reask", errors="x", extra="y")


def test_llm_prompts_examples_are_synthetic_and_chinese():
    system = prompts.load("extract_claims").sections["system"]
    assert "虚构" in system  # every example is marked as made up
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in system) > 200


def _write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_llm_prompts_header_must_match_file_and_declare_variables(tmp_path):
    _write(tmp_path, "good", "---\nid: good\nversion: 2\nvariables: [a]\n---\n## user\n值：${a}\n")
    assert prompts.load("good", tmp_path).ref == "good@2"
    _write(tmp_path, "wrong_id", "---\nid: other\nversion: 1\n---\n## user\nx\n")
    _write(tmp_path, "undeclared", "---\nid: undeclared\nversion: 1\n---\n## user\n${b}\n")
    _write(tmp_path, "unused", "---\nid: unused\nversion: 1\nvariables: [c]\n---\n## user\nx\n")
    _write(tmp_path, "no_header", "## user\nx\n")
    _write(tmp_path, "extra_key", "---\nid: extra_key\nversion: 1\nmodel: x\n---\n## user\nx\n")
    for name in ("wrong_id", "undeclared", "unused", "no_header", "extra_key", "missing"):
        with pytest.raises(errors.PromptError):
            prompts.load(name, tmp_path)


def test_an_installed_copy_is_found_when_the_checkout_has_none(tmp_path, monkeypatch):
    installed = tmp_path / "share" / "jxcheck" / "prompts"
    installed.mkdir(parents=True)
    monkeypatch.delenv(prompts.PROMPTS_ENV, raising=False)
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path / "no-checkout" / "prompts")
    monkeypatch.setattr(prompts, "INSTALLED_PROMPTS_DIR", installed)
    assert prompts.prompts_dir() == installed
    monkeypatch.setenv(prompts.PROMPTS_ENV, str(tmp_path / "mine"))
    assert prompts.prompts_dir() == tmp_path / "mine"
