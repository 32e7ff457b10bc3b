"""Renderers: ``Report`` → text or bytes. They never recompute or filter.

One module per format, as ruff has one emitter per output format; this table
maps ``--format`` names to ``"module:function"`` (imported on use).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models builds pydantic classes; `jxcheck --help` need not wait for them
    from extractor import models

__all__ = ["BINARY", "FORMATS", "get"]

FORMATS = {
    "terminal": "extractor.render.terminal:render",
    "concise": "extractor.render.concise:render",
    "json": "extractor.render.jsonout:render",
    "md": "extractor.render.markdown:render",
    "html": "extractor.render.htmlout:render",
    "xlsx": "extractor.render.xlsx:render",
}

# Formats that are bytes, never written to a terminal.
BINARY = frozenset({"xlsx"})

Renderer = Callable[["models.Document", "models.Report", str], "str | bytes"]


def get(name: str) -> Renderer:
    module_name, func = FORMATS[name].split(":")
    return getattr(importlib.import_module(module_name), func)
