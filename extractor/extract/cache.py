"""On-disk cache of validated LLM answers, one JSON file per chunk.

The key is the SHA-256 of the endpoint, the model, the prompt references
(``id@version`` of every prompt that shapes the answer), the instructor mode
and the chunk text, so a second run of the same report costs zero calls, and
changing any of them (a new prompt version, another model) misses the cache
instead of serving a stale answer. Only answers that came back are cached
(after validation and re-asks), never transport failures. The API key is not
part of the key and is never written.

Files are written to a temporary name and renamed, so concurrent workers and
interrupted runs never leave a half-written entry; an unreadable entry is
treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
from collections.abc import Iterable

__all__ = ["Cache", "key_of"]

# Bumped when the stored layout changes, so old entries are ignored.
_LAYOUT = 1


def key_of(*, endpoint: str, model: str, prompts: Iterable[str], mode: str, chunk: str) -> str:
    """The cache key for one chunk's answer."""
    material = json.dumps(
        {"layout": _LAYOUT, "endpoint": endpoint.rstrip("/"), "model": model,
         "prompts": sorted(prompts), "mode": mode, "chunk": chunk},
        ensure_ascii=False, sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class Cache:
    """A directory of ``<key[:2]>/<key>.json`` entries; ``directory=None`` caches nothing."""

    def __init__(self, directory: pathlib.Path | None) -> None:
        self.directory = directory

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def _path(self, key: str) -> pathlib.Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored entry, or ``None`` on a miss (or an unreadable entry)."""
        if self.directory is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("layout") == _LAYOUT else None

    def put(self, key: str, entry: dict) -> None:
        """Store ``entry`` atomically; a cache that cannot be written is skipped silently."""
        if self.directory is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"layout": _LAYOUT, **entry}, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            return

    def count(self) -> int:
        """Number of entries (for ``jxcheck doctor``)."""
        if self.directory is None or not self.directory.is_dir():
            return 0
        return sum(1 for _ in self.directory.glob("*/*.json"))
