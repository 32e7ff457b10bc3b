"""The extractor protocol: a document in, typed claims out."""

from __future__ import annotations

from typing import Protocol

from extractor import models

__all__ = ["Extractor"]


class Extractor(Protocol):
    """A backend. ``name`` is recorded on every claim it returns (provenance)."""

    name: str

    def extract(self, doc: models.Document) -> list[models.Claim]:
        """Return every claim found in ``doc``; spans point into ``doc.raw``."""
        ...
