"""Quote-located gold (``gold.jsonl`` of ``../shared/corpus`` and ``../shared/real``).

Such a folder holds report texts and one ``gold.jsonl`` whose lines name a
``file``, a ``quote`` and a ``verdict`` (``CONSISTENT``, ``ROUNDING`` or
``DISCREPANCY``) for each annotated relation. A quote is located the way the
corpus READMEs define it: it occurs exactly once in its file once all
whitespace is removed from both, and is mapped back to the character offsets
of the text that jxcheck's findings index (``Document.raw``: the file as the
loader decodes it, before any normalisation; see :func:`read_text`).

Loading is strict, as for the span-located gold of ``eval/gold``: a quote that
is absent or ambiguous stops the run with ``file:line (id): reason``, because a
silently dropped item would change every rate computed over the corpus.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import re

from extractor import load
from extractor.evaluation import gold

__all__ = [
    "GOLD_NAME",
    "VERDICTS",
    "QuoteCorpus",
    "QuoteFile",
    "QuoteItem",
    "TextIndex",
    "load_corpus",
    "locate_quote",
    "read_text",
]

GOLD_NAME = "gold.jsonl"
VERDICTS = ("CONSISTENT", "ROUNDING", "DISCREPANCY")
_STRENGTHS = ("hard", "soft")
# Whitespace as the corpora's verify.py scripts remove it (``re.compile(r"\s+")``
# on str: Unicode whitespace, the ideographic space U+3000 included).
_WHITESPACE = re.compile(r"\s")


@dataclasses.dataclass(frozen=True)
class QuoteItem:
    """One annotated relation, its quote located in the text.

    ``span`` indexes :func:`read_text` of ``file``; ``line`` is the 1-based
    line of ``span[0]`` in that text; ``gold_line`` the line of ``gold.jsonl``.
    """

    id: str
    file: str
    quote: str
    kind: str
    verdict: str
    strength: str
    derived_from: str | None
    span: tuple[int, int]
    line: int
    stated: str = ""
    note: str = ""
    op: str = ""
    terms: tuple[str, ...] = ()
    params: dict = dataclasses.field(default_factory=dict)
    gold_line: int = 0
    raw: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @property
    def bucket(self) -> str:
        """``derived`` when it only follows from another discrepancy, else its strength."""
        return "derived" if self.derived_from else self.strength


@dataclasses.dataclass(frozen=True)
class QuoteFile:
    """One report of the corpus: its text (``None`` when the file is absent) and items."""

    name: str
    path: pathlib.Path
    text: str | None
    items: tuple[QuoteItem, ...]


@dataclasses.dataclass(frozen=True)
class QuoteCorpus:
    """A folder with a ``gold.jsonl``: every report it names, in file order."""

    name: str
    folder: pathlib.Path
    files: tuple[QuoteFile, ...]

    @property
    def items(self) -> tuple[QuoteItem, ...]:
        return tuple(item for f in self.files for item in f.items)


class TextIndex:
    """A text with its whitespace removed, and where each kept character came from."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = [i for i, ch in enumerate(text) if not _WHITESPACE.match(ch)]
        self.compact = "".join(text[i] for i in self.positions)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Spans of ``text`` (start of first to end of last character) where
        ``quote`` occurs once whitespace is removed from both; overlapping
        occurrences count."""
        needle = _WHITESPACE.sub("", quote)
        if not needle:
            return []
        out = []
        at = self.compact.find(needle)
        while at != -1:
            out.append((self.positions[at], self.positions[at + len(needle) - 1] + 1))
            at = self.compact.find(needle, at + 1)
        return out


def locate_quote(text: str | TextIndex, quote: str) -> tuple[int, int]:
    """The span of ``text`` that ``quote`` stands for (whitespace ignored on both sides).

    Args:
        text: the report text, or a :class:`TextIndex` of it (reused across quotes).
        quote: the gold quote.

    Returns:
        ``(start, end)``: the first and one past the last character of the
        occurrence, in the original text (whitespace inside it included).

    Raises:
        ValueError: the quote does not occur exactly once.
    """
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    found = index.find_all(quote)
    if not found:
        raise ValueError(f"quote {quote!r} does not occur in the text (whitespace ignored)")
    if len(found) > 1:
        raise ValueError(f"quote {quote!r} occurs {len(found)} times (whitespace ignored); "
                         "it must be unique")
    return found[0]


def read_text(path: pathlib.Path) -> str:
    """The text that findings index: the file decoded by jxcheck's own loader.

    ``Document.raw`` is the decoded file with no normalisation (a UTF-8 BOM is
    dropped, line endings are kept as they are), and every span of a claim or
    finding is an offset into it; ``Document.text`` is the normalised view
    used for matching only. Quotes are therefore located in ``raw``.

    Raises:
        gold.GoldError: the file cannot be read (the loader's reason).
    """
    try:
        return load.from_path(path).raw
    except Exception as e:  # LoadError and anything odd: one clear line, both languages
        zh, en = getattr(e, "zh", None), getattr(e, "en", None)
        reason = f"{zh} / {en}" if zh and en else str(e)
        raise gold.GoldError(f"{path}: 无法读取报告 / cannot read the report ({reason})") from e


def load_corpus(folder: pathlib.Path, name: str | None = None) -> QuoteCorpus:
    """Load ``folder/gold.jsonl`` and locate every quote in its file.

    A report the gold names but the folder lacks is kept with ``text=None``
    (its items count as missed), so that a run always scores the whole gold.

    Raises:
        gold.GoldError: no ``gold.jsonl``, a malformed line, a missing field, an
            unknown verdict, a duplicate id, a quote that is absent or not
            unique, a ``derived_from`` that names no item of the same file.
    """
    path = folder / GOLD_NAME
    if not path.is_file():
        raise gold.GoldError(f"no {GOLD_NAME} in {folder}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise gold.GoldError(f"{path}: not UTF-8 ({e})") from e
    raw_items: list[tuple[int, dict]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise gold.GoldError(f"{path}:{number}: not valid JSON ({e.msg} at column "
                                 f"{e.colno})") from e
        if not isinstance(obj, dict):
            raise gold.GoldError(f"{path}:{number}: a line must be a JSON object")
        item_id = obj.get("id")
        where = f"{path}:{number}" + (f" ({item_id})" if isinstance(item_id, str) else "")
        for key in ("id", "file", "quote", "kind", "verdict"):
            if not isinstance(obj.get(key), str) or not obj[key].strip():
                raise gold.GoldError(f"{where}: field {key!r} must be a non-empty string")
        if item_id in seen:
            raise gold.GoldError(f"{where}: duplicate id {item_id!r}")
        seen.add(item_id)
        if obj["verdict"] not in VERDICTS:
            raise gold.GoldError(f"{where}: verdict must be one of {', '.join(VERDICTS)}, "
                                 f"not {obj['verdict']!r}")
        strength = obj.get("strength", "hard")
        if strength not in _STRENGTHS:
            raise gold.GoldError(f"{where}: strength must be 'hard' or 'soft', not {strength!r}")
        derived = obj.get("derived_from")
        if derived is not None and not isinstance(derived, str):
            raise gold.GoldError(f"{where}: derived_from must be null or an id")
        if pathlib.PurePath(obj["file"]).name != obj["file"]:
            raise gold.GoldError(f"{where}: file must be a file name in {folder}, "
                                 f"not {obj['file']!r}")
        raw_items.append((number, obj))
    if not raw_items:
        raise gold.GoldError(f"{path}: no gold items")
    by_id = {obj["id"]: obj for _, obj in raw_items}
    files: dict[str, list[QuoteItem]] = {}
    texts: dict[str, tuple[str | None, TextIndex | None]] = {}
    for number, obj in raw_items:
        where = f"{path}:{number} ({obj['id']})"
        derived = obj.get("derived_from")
        if derived is not None and by_id.get(derived, {}).get("file") != obj["file"]:
            raise gold.GoldError(f"{where}: derived_from {derived!r} names no item of "
                                 f"{obj['file']}")
        fname = obj["file"]
        if fname not in texts:
            report = folder / fname
            text = read_text(report) if report.is_file() else None
            texts[fname] = (text, TextIndex(text) if text is not None else None)
        text, index = texts[fname]
        span, line = (0, 0), 0
        if index is not None and text is not None:
            try:
                span = locate_quote(index, obj["quote"])
            except ValueError as e:
                raise gold.GoldError(f"{where}: in {fname}: {e}") from e
            line = text.count("\n", 0, span[0]) + 1
        terms = obj.get("terms") or ()
        files.setdefault(fname, []).append(QuoteItem(
            id=obj["id"], file=fname, quote=obj["quote"], kind=obj["kind"],
            verdict=obj["verdict"], strength=obj.get("strength", "hard"),
            derived_from=derived, span=span, line=line,
            stated=str(obj.get("stated", "")), note=str(obj.get("note", "")),
            op=str(obj.get("op", "") or ""),
            terms=tuple(str(t) for t in terms) if isinstance(terms, list) else (),
            params=obj["params"] if isinstance(obj.get("params"), dict) else {},
            gold_line=number, raw=obj,
        ))
    return QuoteCorpus(
        name or folder.name, folder,
        tuple(QuoteFile(fname, folder / fname, texts[fname][0], tuple(items))
              for fname, items in sorted(files.items())),
    )
