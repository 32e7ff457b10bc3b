"""Backends that turn a document into claims; ``llm`` and ``hybrid`` load lazily."""

from __future__ import annotations

import importlib

from extractor import errors
from extractor.extract import base

__all__ = ["BACKENDS", "get"]

# name → "module:Class"; imported on first use so the offline path never
# imports openai or instructor.
BACKENDS = {
    "rules": "extractor.extract.rules:RulesExtractor",
    "llm": "extractor.extract.llm:LLMExtractor",
    "hybrid": "extractor.extract.hybrid:HybridExtractor",
}


def get(name: str, **options) -> base.Extractor:
    """Instantiate a backend by name.

    Raises:
        errors.ExtractionError: unknown backend, or one that cannot start.
    """
    if name not in BACKENDS:
        raise errors.ExtractionError(
            f"未知的抽取后端：{name}（可用：{', '.join(BACKENDS)}）",
            f"Unknown backend: {name} (known: {', '.join(BACKENDS)})",
        )
    module_name, cls_name = BACKENDS[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise errors.ExtractionError(
            f"后端 {name} 尚不可用：缺少模块 {e.name}",
            f"Backend {name} is not available: module {e.name} is missing",
        ) from e
    return getattr(module, cls_name)(**options)
