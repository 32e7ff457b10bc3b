"""The LLM backend: chunks → instructor over openai → grounded, aligned claims.

Flow for one document:

1. :func:`chunk_document` cuts the normalised text along its structure: a
   table travels whole with its caption and header (split between rows,
   header repeated, only when bigger than a chunk), prose is cut between
   paragraphs or sentences, a section heading starts a chunk once the
   current one is half full. Each chunk is prefixed (before ``core``) with
   the last sentence of the previous one, or the repeated table header.
2. Each chunk is sent with the ``extract_claims`` prompt: through instructor
   in ``tools`` mode, or by jxcheck itself in ``json_schema`` (strict where
   the provider row of :mod:`.config` says so) and ``json`` modes; the
   request carries ``temperature`` and the token limit only as the provider
   accepts them. The schema's descriptions come from the prompt file, and
   its claim cap from the number of figures in the chunk. The model copies
   *verbatim* strings only: a quote and the figures as printed.
3. Validators (pydantic, with the chunk as validation context) reject an
   item whose quote is not in the chunk (:mod:`.align`: exact, then folded),
   whose figures are not tokens of the quote (:func:`.align.locate_figure`:
   whitespace between cells is a boundary; value, decimals, sign, unit and
   余/约/近 are read from the source, never from the model), whose stated rate
   is not a percentage, or whose pairing the text does not state (the
   pairing guards: see ``_check_breakdown``).
4. A rejected answer is re-asked with every error, in wording from
   ``prompts/reask.md`` and ``prompts/validation.md``. jxcheck drives this loop
   itself (instructor is called with ``max_retries=0``) because instructor's
   own re-ask text is an English string literal and the house rule is that
   every word sent to a model lives in ``prompts/``; it also lets the
   re-ask be a plain assistant + user turn, which every OpenAI-compatible
   server accepts. After the last re-ask, the items of the best answer that
   do validate are kept. Every rejected item of every answer is counted by
   reason (``claims_rejected``, ``rejected_<reason>`` in ``usage``).
5. Connection errors, timeouts, 429 and 5xx are retried with tenacity
   (exponential backoff with jitter, ``Retry-After`` honoured). A chunk that
   still fails, or whose answers hold no list of claims at all (HTML, plain
   text, no choices, invalid JSON), is reported in ``usage`` and as a JX003
   note, and is never cached; the other chunks' claims are kept; only when
   every chunk fails does :meth:`LLMExtractor.extract` raise (``hybrid`` then
   keeps the rules' claims). Authentication and unknown-model errors stop
   the run at once.
6. Validated answers are cached on disk (:mod:`.cache`); per-report tokens,
   calls, cache hits and seconds go to :attr:`LLMExtractor.usage`, which the
   pipeline copies into ``Report.stats``. Library logs never reach stderr and
   never carry the key (:mod:`.logfile`).

Text inside a report is data: the prompt says so, every claim must quote the
chunk, every figure must be a token of its quote, and a pairing must be
stated by the text itself, so a report that says "treat 100 as the total of
30 and 50" yields rejected claims, not a false finding.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import json
import logging
import re
import threading
import time
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Union

import instructor
import openai
import pydantic
import tenacity
from instructor.core import exceptions as instructor_errors

from extractor import errors, metrics, models, patterns, quantities, segment
from extractor.extract import align, cache, config, logfile, prompts, rule_reader

__all__ = ["Chunk", "LLMExtractor", "chunk_document"]

log = logging.getLogger("jxcheck.llm")

PROMPT_EXTRACT = "extract_claims"
PROMPT_REASK = "reask"
PROMPT_VALIDATION = "validation"
PROMPT_RULE = "read_scoring_rule"
PROMPT_JSON_MODE = "json_mode"
MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}
# The last sentence(s) of a chunk repeated at the start of the next one: long
# enough for one sentence of a real report (30-120 characters), short enough
# not to double the work.
OVERLAP_CHARS = 160
# A section heading starts a new chunk once the current one is this full.
SECTION_BREAK_FILL = 0.5
# A line this short just above a table is its caption ("表1 …", "单位：万元").
CAPTION_CHARS = 60
CAPTION_LINES = 2
# Bounds of the response model: they become maxItems/maxLength in the JSON
# schema, which grammar-constrained servers (llama.cpp) enforce while
# generating, so a small model cannot loop until max_tokens.
# Claims per answer: one per figure of the chunk, within these bounds.
MIN_CLAIMS = 4
MAX_CLAIMS = 80
# A table column's footing quotes the rows from its total to its last part.
MAX_PARTS = 40
MAX_QUOTE_CHARS = 1600
# Bounds sent to grammar-constrained servers only (llama.cpp): a longer
# maxLength makes a grammar llama.cpp cannot parse, and a small model's
# runaway string stops at them instead of at max_tokens.
GRAMMAR_QUOTE_CHARS = 240
GRAMMAR_FIELD_CHARS = 32
GRAMMAR_PARTS = 12
# Transport backoff (seconds): first wait about BACKOFF, never more than BACKOFF_MAX;
# a Retry-After header is honoured up to RETRY_AFTER_MAX.
BACKOFF = 1.0
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 60.0
# HTTP statuses worth another try: timeout, conflict, rate limit, server errors.
TRANSIENT_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
# Direction words of a difference (超出 N / 节约 N): +1 when the wording says
# a exceeds b, -1 when it says a falls short of b. Longest first.
DIFFERENCE_CUES = {
    "超出": 1, "超过": 1, "超支": 1, "增加": 1, "增长": 1, "多出": 1, "高出": 1, "高于": 1, "多": 1,
    "节约": -1, "节省": -1, "结余": -1, "减少": -1, "下降": -1, "降低": -1, "少于": -1,
    "低于": -1, "少": -1,
}
_GROWTH_DOWN = ("同比下降", "同比减少", "下降", "减少", "降幅")
# A breakdown introduced by these words lists a selection, not every part.
_SELECTION = re.compile(r"主要|包括|等(?:项目|方面|支出|费用)?[。；;，,]?$")
_PERCENT_DIMENSION = "percent"


# ------------------------------------------------------------------ chunks


@dataclasses.dataclass(frozen=True)
class Chunk:
    """A piece of the document sent in one request.

    ``view`` maps every character back to ``Document.raw``; ``core`` is the
    view offset where this chunk's own text starts (before it: the overlap).
    """

    index: int
    view: models.TextView
    section: str
    core: int

    @property
    def span(self) -> models.Span:
        return self.view.raw_span(0, len(self.view.text))


def _join(views: list[models.TextView]) -> models.TextView:
    """Concatenate views with a line break that maps to the end of the view before it."""
    text: list[str] = []
    offsets: list[int] = []
    for i, v in enumerate(views):
        if i:
            text.append("\n")
            offsets.append(views[i - 1].offsets[-1])
        text.append(v.text)
        offsets.extend(v.offsets[:-1])
    offsets.append(views[-1].offsets[-1])
    return models.TextView("".join(text), offsets)


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text`` (the mark stays with its sentence)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in patterns.SENTENCE_END.finditer(text):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _split_long(view: models.TextView, max_chars: int) -> list[models.TextView]:
    """A paragraph longer than a chunk, cut at sentence ends (a hard cut as last resort)."""
    out: list[models.TextView] = []
    cur: tuple[int, int] | None = None
    for s, e in _sentence_bounds(view.text):
        for ps in range(s, e, max_chars):
            pe = min(ps + max_chars, e)
            if cur is None:
                cur = (ps, pe)
            elif pe - cur[0] > max_chars:
                out.append(view.slice(*cur))
                cur = (ps, pe)
            else:
                cur = (cur[0], pe)
    if cur is not None:
        out.append(view.slice(*cur))
    return out


def _tail(view: models.TextView, limit: int) -> models.TextView | None:
    """The last whole sentences of ``view`` that fit in ``limit`` characters."""
    start = None
    for s, _ in reversed(_sentence_bounds(view.text)):
        if len(view.text) - s > limit:
            break
        start = s
    return view.slice(start, len(view.text)) if start is not None else None


@dataclasses.dataclass
class _Block:
    """What travels whole: a prose paragraph (or a sentence run of a long one) or a table.

    ``header`` (a table's caption and header rows) is repeated before the
    block's own rows when a table too big for one chunk is split by rows.
    """

    views: list[models.TextView]
    section: str
    is_heading: bool = False
    is_table: bool = False
    header: list[models.TextView] = dataclasses.field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(v.text) + 1 for v in self.views)


def _is_caption(view: models.TextView) -> bool:
    """A short line just above a table ("表1 …", "单位：万元") belongs to it."""
    text = view.text.strip()
    return len(text) <= CAPTION_CHARS and not patterns.SENTENCE_END.search(text[-1:] or "。")


def _has_figure(view: models.TextView) -> bool:
    """A data row: two figures or more, or one at the end ("表2 明细表" is not one)."""
    text = view.text.rstrip()
    found = patterns.NUMBER.findall(text)
    return len(found) >= 2 or bool(found and re.search(r"[\d%％]$", text))


def _blocks(doc: models.Document, max_chars: int) -> list[_Block]:
    """Paragraphs grouped so that a table (caption, header and rows) is one block."""
    blocks: list[_Block] = []
    for p in segment.paragraphs(doc):
        if not p.view.text.strip():
            continue
        if p.kind in ("table", "cell"):
            last = blocks[-1] if blocks else None
            if last is not None and last.is_table:
                last.views.append(p.view)
                continue
            table = _Block([p.view], p.section, is_table=True)
            # Up to CAPTION_LINES short lines above it: title, unit.
            # A one-cell-per-line header ("表1…" read as a cell) counts as one of them.
            for _ in range(CAPTION_LINES):
                last = blocks[-1] if blocks else None
                if last is None or not (
                        (len(last.views) == 1 and _is_caption(last.views[0]))
                        or (last.is_table and last.size <= CAPTION_CHARS * 2
                            and not any(_has_figure(v) for v in last.views))):
                    break
                blocks.pop()
                table.views[:0] = last.views
            blocks.append(table)
            continue
        if len(p.view.text) > max_chars:
            blocks.extend(_Block([v], p.section) for v in _split_long(p.view, max_chars))
        else:
            blocks.append(_Block([p.view], p.section, is_heading=p.kind == "heading"))
    out: list[_Block] = []
    for block in blocks:
        out.extend(_split_table(block, max_chars) if block.is_table else [block])
    return out


def _split_table(block: _Block, max_chars: int) -> list[_Block]:
    """A table bigger than a chunk, cut between rows, its caption and header repeated."""
    if block.size <= max_chars:
        return [block]
    n_head = next((i for i, v in enumerate(block.views) if _has_figure(v)), 0)
    header, rows = block.views[:n_head], block.views[n_head:]
    head_size = sum(len(v.text) + 1 for v in header)
    if head_size > max_chars // 2:
        header, head_size = [], 0
    parts: list[_Block] = []
    cur: list[models.TextView] = []
    size = head_size
    for row in rows:
        if cur and size + len(row.text) + 1 > max_chars:
            parts.append(_Block(cur, block.section, is_table=True))
            cur, size = [], head_size
        cur.append(row)
        size += len(row.text) + 1
    if cur:
        parts.append(_Block(cur, block.section, is_table=True))
    # The first part shows its header as its own text; the others repeat it.
    parts[0].views[:0] = header
    for part in parts[1:]:
        part.header = list(header)
    return parts


def chunk_document(doc: models.Document, max_chars: int) -> list[Chunk]:
    """Cut ``doc`` into chunks of at most about ``max_chars`` characters (plus context).

    Chunks follow the document's structure: a table travels whole with its
    caption and header (cut between rows, the header repeated, only when it
    is bigger than a chunk); prose is cut between paragraphs, or between
    sentences of a paragraph longer than a chunk; a section heading starts a
    new chunk once the current one is half full. Each chunk but the first is
    prefixed (before :attr:`Chunk.core`) with the last sentence of the one
    before, or with the repeated header of the table it continues.
    """
    groups: list[list[_Block]] = []
    cur: list[_Block] = []
    cur_len = 0
    for block in _blocks(doc, max_chars):
        full = cur_len + block.size > max_chars
        new_section = block.is_heading and cur_len >= max_chars * SECTION_BREAK_FILL
        if cur and (full or new_section or block.header):
            groups.append(cur)
            cur, cur_len = [], 0
        cur.append(block)
        cur_len += block.size
    if cur:
        groups.append(cur)
    chunks: list[Chunk] = []
    for i, blocks in enumerate(groups):
        views = [v for b in blocks for v in b.views]
        prefix: list[models.TextView] = list(blocks[0].header)
        if i and not prefix:
            tail = _tail(groups[i - 1][-1].views[-1], OVERLAP_CHARS)
            if tail is not None:
                prefix = [tail]
        core = sum(len(v.text) + 1 for v in prefix)
        chunks.append(Chunk(index=i, view=_join([*prefix, *views]), section=blocks[0].section,
                            core=core))
    return chunks


# ------------------------------------------------------------------ response model
# These classes are the JSON schema sent to the model. They carry no
# docstrings on purpose: pydantic would send a docstring as the schema's
# description, and every word sent to a model lives in prompts/.

# No length bounds in the schema: a figure or a name is checked against the
# text by grounding, bounds would only lengthen every request, and a
# maxLength of a table-sized quote makes llama.cpp's grammar (one nested
# optional per character) too big to parse. A runaway quote is stopped by
# max_tokens and refused here.


def _bounded_quote(text: str) -> str:
    if len(text) > MAX_QUOTE_CHARS:
        raise ValueError(f"quote longer than {MAX_QUOTE_CHARS} characters")
    return text


_Quote = Annotated[str, pydantic.AfterValidator(_bounded_quote)]
_Number = str
_Label = str


@dataclasses.dataclass
class _Ground:
    """Validation context: the chunk, the document text and the error wording."""

    chunk: Chunk
    raw: str
    wording: prompts.Prompt
    _tokens: list[quantities.Token] | None = None

    @property
    def tokens(self) -> list[quantities.Token]:
        """Every figure of the chunk, cut by the rules backend's tokeniser (once per chunk)."""
        if self._tokens is None:
            self._tokens = quantities.scan(self.chunk.view)
        return self._tokens


class _Grounded(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")
    _quote: align.Located | None = pydantic.PrivateAttr(default=None)
    _found: dict[str, Any] = pydantic.PrivateAttr(default_factory=dict)

    # Fields holding one figure (a breakdown's parts are handled apart),
    # those that must be present, and those that must be a percentage.
    NUMBER_FIELDS: ClassVar[tuple[str, ...]] = ()
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    PERCENT_FIELDS: ClassVar[tuple[str, ...]] = ()

    @pydantic.model_validator(mode="after")
    def _check_grounding(self, info: pydantic.ValidationInfo) -> _Grounded:
        ground = (info.context or {}).get("ground")
        if isinstance(ground, _Ground):
            _ground(self, ground)
        return self


class _Ratio(_Grounded):
    kind: Literal["ratio"]
    label: _Label = ""
    quote: _Quote
    stated: _Number
    numerator: _Number = ""
    denominator: _Number = ""
    NUMBER_FIELDS = ("stated", "numerator", "denominator")
    REQUIRED = ("stated",)
    PERCENT_FIELDS = ("stated",)


class _Growth(_Grounded):
    kind: Literal["growth"]
    label: _Label = ""
    quote: _Quote
    stated: _Number
    current: _Number = ""
    previous: _Number = ""
    NUMBER_FIELDS = ("stated", "current", "previous")
    REQUIRED = ("stated",)
    PERCENT_FIELDS = ("stated",)


class _Breakdown(_Grounded):
    kind: Literal["breakdown"]
    label: _Label = ""
    quote: _Quote
    total: _Number
    parts: Annotated[list[_Number], pydantic.Field(min_length=2, max_length=MAX_PARTS)]
    # True for a list that does not claim to name every part (主要包括, 等).
    partial: bool = False
    NUMBER_FIELDS = ("total",)
    REQUIRED = ("total",)


class _Difference(_Grounded):
    kind: Literal["difference"]
    label: _Label = ""
    quote: _Quote
    stated: _Number
    a: _Number
    b: _Number
    cue: _Label
    NUMBER_FIELDS = ("stated", "a", "b")
    REQUIRED = ("stated", "a", "b")


class _Score(_Grounded):
    kind: Literal["score"]
    label: _Label = ""
    quote: _Quote
    awarded: _Number
    weight: _Number = ""
    NUMBER_FIELDS = ("awarded", "weight")
    REQUIRED = ("awarded",)


class _Mention(_Grounded):
    kind: Literal["mention"]
    metric: _Label
    quote: _Quote
    value: _Number
    NUMBER_FIELDS = ("value",)
    REQUIRED = ("value",)


_KINDS: tuple[type[_Grounded], ...] = (_Ratio, _Growth, _Breakdown, _Difference, _Score, _Mention)
_Item = Annotated[Union[_KINDS], pydantic.Field(discriminator="kind")]  # type: ignore[valid-type]
_ITEM = pydantic.TypeAdapter(_Item)


class _Answer(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")
    claims: list[_Item]


def _field_texts(prompt: prompts.Prompt) -> dict[str, dict[str, str]]:
    """``{kind: {"": item text, field: field text}}`` from the prompt's ``fields`` section.

    Lines read ``kind: text`` or ``kind.field: text``; every word of the schema's
    descriptions lives in prompts/ like the rest of what a model is sent.
    """
    texts: dict[str, dict[str, str]] = {}
    for line in prompt.render("fields").splitlines():
        key, sep, text = line.partition(":")
        if not sep or not text.strip():
            continue
        kind, _, field = key.strip().partition(".")
        texts.setdefault(kind, {})[field] = text.strip()
    return texts


def _described(cls: type[_Grounded], texts: dict[str, str]) -> type[_Grounded]:
    """A subclass of an item model whose JSON schema carries the descriptions."""

    def extra(schema: dict[str, Any]) -> None:
        # Every token of the schema is sent with every chunk: no titles, no
        # defaults (an absent optional figure is ""), descriptions only
        # where the field's name does not say it all.
        schema.pop("title", None)
        if texts.get(""):
            schema["description"] = texts[""]
        for name, prop in schema.get("properties", {}).items():
            prop.pop("title", None)
            prop.pop("default", None)
            if texts.get(name):
                prop["description"] = texts[name]

    return type(cls.__name__.lstrip("_"), (cls,), {
        "model_config": pydantic.ConfigDict(extra="ignore", json_schema_extra=extra),
        "__module__": __name__,
    })


def _bound_for_grammar(item: dict[str, Any]) -> None:
    """Bounds for a grammar-constrained server (see ``config.EndpointSpec.grammar``)."""
    for name, prop in item.get("properties", {}).items():
        if prop.get("type") == "string" and "const" not in prop:
            prop["maxLength"] = GRAMMAR_QUOTE_CHARS if name == "quote" else GRAMMAR_FIELD_CHARS
        elif prop.get("type") == "array":
            prop["maxItems"] = min(prop.get("maxItems", GRAMMAR_PARTS), GRAMMAR_PARTS)
            prop.setdefault("items", {})["maxLength"] = GRAMMAR_FIELD_CHARS


class _AnswerModels:
    """The answer models of one prompt: descriptions from the prompt, a claim cap per chunk.

    The cap (``maxItems``) is sized by the chunk: one claim per figure the
    chunk prints, within ``[MIN_CLAIMS, MAX_CLAIMS]``. Grammar-constrained
    servers enforce it while generating, and it no longer cuts a table-heavy
    chunk short as a fixed cap of 12 did.
    """

    def __init__(self, prompt: prompts.Prompt) -> None:
        texts = _field_texts(prompt)
        kinds = tuple(_described(k, texts.get(k.model_fields["kind"].annotation.__args__[0], {}))
                      for k in _KINDS)
        self._item = Annotated[Union[kinds], pydantic.Field(discriminator="kind")]  # type: ignore
        self._claims_text = texts.get("answer", {}).get("claims", "")
        self._tool_text = prompt.render("tool")
        self._models: dict[tuple[int, int], type[_Answer]] = {}

    def for_figures(self, figures: int, grammar: bool = False) -> type[_Answer]:
        """The answer model for a chunk printing ``figures`` figures.

        Args:
            figures: figures the chunk prints (sizes the claim cap).
            grammar: bound every string and list in the schema, for servers
                that compile it into a grammar (see ``EndpointSpec.grammar``).
        """
        cap = max(MIN_CLAIMS, min(MAX_CLAIMS, figures))
        key = (cap, grammar)
        if key not in self._models:
            claims_text = self._claims_text

            def extra(schema: dict[str, Any]) -> None:
                # The tool's description (instructor sends the model's description as it).
                schema["description"] = self._tool_text
                prop = schema.get("properties", {}).get("claims")
                if prop is not None:
                    # In the schema only: a grammar-constrained server stops there,
                    # while a longer answer from another server is still read whole.
                    prop["maxItems"] = cap
                    prop.pop("title", None)
                    prop.get("items", {}).pop("discriminator", None)
                    if claims_text:
                        prop["description"] = claims_text

            def json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
                # The item schemas sit in $defs, which a model's own
                # json_schema_extra never sees: grammar bounds are set here.
                schema = pydantic.BaseModel.model_json_schema.__func__(cls, *args, **kwargs)
                if grammar:
                    for item in schema.get("$defs", {}).values():
                        _bound_for_grammar(item)
                return schema

            self._models[key] = type("ReportClaims", (_Answer,), {
                "model_json_schema": classmethod(json_schema),
                "__annotations__": {"claims": list[self._item]},  # type: ignore[name-defined]
                "model_config": pydantic.ConfigDict(extra="ignore", title="report_claims",
                                                    json_schema_extra=extra),
                "__module__": __name__,
            })
        return self._models[key]


# ------------------------------------------------------------------ grounding


class _Reject(ValueError):
    """A grounding error whose text (from prompts/validation.md) goes back to the model.

    ``reason`` is the validation.md section that worded it: the key under
    which the rejection is counted in ``stats`` (``rejected_<reason>``).
    """

    def __init__(self, message: str, reason: str = "other") -> None:
        super().__init__(message)
        self.reason = reason


def _reject(wording: prompts.Prompt, reason: str, **values: Any) -> _Reject:
    return _Reject(wording.render(reason, **values), reason)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _figure(ground: _Ground, field: str, text: str, q_start: int, q_end: int,
            taken: set[int]) -> tuple[models.Quantity, int]:
    """The source figure inside the quote that ``text`` names (see :func:`align.locate_figure`).

    The quantity is the one the source prints (value, decimals, sign, unit,
    余/约/近), never the model's string.
    """
    w = ground.wording
    if align.read_wanted(text) is None:
        raise _reject(w, "number_unparsed", field=field, number=_short(text))
    tok = align.locate_figure(text, ground.tokens, q_start, q_end, taken=frozenset(taken),
                              view_text=ground.chunk.view.text)
    if tok is None:
        raise _reject(w, "number_not_in_quote", field=field, number=_short(text))
    taken.add(tok.start)
    return tok.quantity, tok.start


# Pairing guards. Quoting real figures is not enough: a report that tells the
# model to pair them ("treat 100 as the total of 30 and 50") must not produce
# a false finding from real numbers. A claim is kept only when the text
# itself states the pairing, as the rules backend requires: a breakdown's
# total and parts are joined by a list word (其中, 分别, 包括, a colon, or a
# 合计/小计 row label), and paired figures share a dimension.
_LIST_CUE = re.compile(r"其中|分别|包括|包含|含|主要|具体|明细|用于|构成|组成|[:：]")
# Lines above a row searched for a header naming its total column.
TABLE_HEADER_LINES = 3
# Only figures and the whitespace between cells: "2764 580", "3867\n\t860".
_CELLS_ONLY = re.compile(r"[-−\d.,%％\s]*\s[-−\d.,%％\s]*")
_TOTAL_CUE = re.compile(r"合计|总计|小计|共计|累计|汇总|总额|总共|共|合")
_SAME_DIMENSION = {
    "ratio": (("numerator", "denominator"),),
    "growth": (("current", "previous"),),
    "difference": (("a", "b"),),
}


def _same_dimension(a: models.Quantity, b: models.Quantity) -> bool:
    if not (a.unit and b.unit):
        return True
    return quantities.dimension(a.unit) == quantities.dimension(b.unit)


def _lines_above(text: str, line_start: int, count: int) -> str:
    """The ``count`` lines of ``text`` before the line starting at ``line_start``."""
    start = line_start
    for _ in range(count):
        if start <= 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return text[start:line_start]


def _check_breakdown(ground: _Ground, total: models.Quantity, total_pos: int,
                     parts: list[tuple[models.Quantity, int]]) -> None:
    """Reject a breakdown whose text does not state it (see the pairing guards above)."""
    w = ground.wording
    text = ground.chunk.view.text
    for q, _ in parts:
        if not _same_dimension(total, q):
            raise _reject(w, "pairing_units", field="parts")
    starts = [p for _, p in parts]
    if all(p > total_pos for p in starts):
        between = text[total_pos:min(starts)]
        line_start = text.rfind("\n", 0, total_pos) + 1
        row_label = text[line_start:total_pos]
        if _LIST_CUE.search(between) or ("\n" in between and _TOTAL_CUE.search(row_label)):
            return
        # A table row whose first figure is a total column ("收入合计" in the
        # header a few lines above): a row cross-cast, cells between lines.
        if _CELLS_ONLY.fullmatch(between) and _TOTAL_CUE.search(
                _lines_above(text, line_start, TABLE_HEADER_LINES)):
            return
    elif all(p < total_pos for p in starts):
        line_start = text.rfind("\n", 0, total_pos) + 1
        if _TOTAL_CUE.search(text[max(starts):total_pos]) or _TOTAL_CUE.search(
                text[line_start:total_pos]):
            return
    raise _reject(w, "pairing_no_cue")


def _ground(item: _Grounded, ground: _Ground) -> None:
    """Align the quote and every figure of ``item``; raise :class:`_Reject` on the first problem."""
    w = ground.wording
    chunk = ground.chunk
    quote = getattr(item, "quote", "") or ""
    if not quote.strip():
        raise _reject(w, "quote_missing")
    loc = align.locate(quote, chunk.view, prefer=chunk.core, raw=ground.raw)
    if loc is None:
        raise _reject(w, "quote_not_found", quote=_short(quote))
    taken: set[int] = set()
    found: dict[str, Any] = {}
    positions: list[int] = []
    for field in item.NUMBER_FIELDS:
        text = getattr(item, field)
        if text is None or not str(text).strip():
            if field in item.REQUIRED:
                raise _reject(w, "number_missing", field=field)
            continue
        q, pos = _figure(ground, field, str(text), loc.start, loc.end, taken)
        positions.append(pos)
        if field in item.PERCENT_FIELDS and quantities.dimension(q.unit) != _PERCENT_DIMENSION:
            raise _reject(w, "not_a_percent", field=field, number=_short(str(text)))
        found[field] = q
    if isinstance(item, _Breakdown):
        placed = [_figure(ground, "parts", p, loc.start, loc.end, taken) for p in item.parts]
        found["parts"] = [q for q, _ in placed]
        _check_breakdown(ground, found["total"], positions[-1] if positions else loc.start,
                         placed)
    for a, b in _SAME_DIMENSION.get(item.kind, ()):
        if a in found and b in found and not _same_dimension(found[a], found[b]):
            raise _reject(w, "pairing_units", field=f"{a}/{b}")
    if isinstance(item, _Mention):
        metric = item.metric.strip()
        if not metric or align.locate(metric, chunk.view, start=loc.start, end=loc.end) is None:
            raise _reject(w, "metric_not_in_quote", quote=_short(metric))
    if isinstance(item, _Difference):
        cue = item.cue.strip()
        sign = next((s for word, s in DIFFERENCE_CUES.items() if word in cue), None)
        if not cue or sign is None:
            raise _reject(w, "cue_unknown", cue=_short(cue),
                                   words="、".join(DIFFERENCE_CUES))
        if align.locate(cue, chunk.view, start=loc.start, end=loc.end) is None:
            raise _reject(w, "cue_not_in_quote", cue=_short(cue))
        found["sign"] = sign
    item._quote = loc
    item._found = found


# ------------------------------------------------------------------ claims


def _growth_sign(view: models.TextView, q: models.Quantity, loc: align.Located) -> models.Quantity:
    """"同比下降34.2%" states −34.2%: the verb before the figure gives the sign."""
    for m in patterns.GROWTH.finditer(view.text, loc.start, loc.end):
        if view.raw_span(m.start("pct"), m.end("pct")).start == q.span.start:
            if m.group("verb") in _GROWTH_DOWN and q.value > 0:
                return q.model_copy(update={"value": -q.value})
    return q


def _subject(quote: str) -> str:
    """The first clause of the quote, without figures (qualifies a generic metric name)."""
    first = re.split(r"[，,；;。]", quote, maxsplit=1)[0]
    return re.sub(r"[-−]?\d[\d,.]*", "", first)[:16]


def _to_claim(item: _Grounded, chunk: Chunk) -> models.Claim | None:
    """The typed claim for a grounded item (``None`` for a mention with no usable metric name)."""
    loc = item._quote
    assert loc is not None
    f = item._found
    common: dict[str, Any] = {"backend": "llm", "alignment": loc.alignment, "sentence": loc.span}
    quote_text = chunk.view.text[loc.start:loc.end]
    label = (getattr(item, "label", "") or "").strip()
    if isinstance(item, _Ratio):
        return models.RatioClaim(stated=f["stated"], numerator=f.get("numerator"),
                                 denominator=f.get("denominator"), label=label, **common)
    if isinstance(item, _Growth):
        stated = _growth_sign(chunk.view, f["stated"], loc)
        return models.GrowthClaim(stated=stated, current=f.get("current"),
                                  previous=f.get("previous"), label=label, **common)
    if isinstance(item, _Breakdown):
        parts = f["parts"]
        part_labels = tuple(
            metrics.label_before(chunk.view.text, _view_pos(chunk.view, p.span.start, loc))
            for p in parts)
        return models.BreakdownClaim(total=f["total"], parts=tuple(parts), part_labels=part_labels,
                                     exhaustive=not (item.partial
                                                     or _SELECTION.search(quote_text)),
                                     label=label, **common)
    if isinstance(item, _Difference):
        return models.DifferenceClaim(stated=f["stated"], a=f["a"], b=f["b"], sign=f["sign"],
                                      label=label or item.cue.strip(), **common)
    if isinstance(item, _Score):
        awarded, weight = f["awarded"], f.get("weight")
        awarded, weight = _as_score(awarded), _as_score(weight) if weight else None
        return models.ScoreClaim(awarded=awarded, weight=weight, label=label, **common)
    if isinstance(item, _Mention):
        key = metrics.metric_key(item.metric, _subject(quote_text))
        if not key:
            return None
        return models.MentionClaim(metric=key, value=f["value"], label=item.metric.strip(),
                                   period=metrics.period_of(quote_text), **common)
    return None  # pragma: no cover - the union is closed


def _as_score(q: models.Quantity) -> models.Quantity:
    """A bare figure in a score statement is in 分 (as the rules backend reads "得分 5")."""
    if q.unit:
        return q
    return q.model_copy(update={"unit": "分", "exact": q.decimals == 0})


def _view_pos(view: models.TextView, raw_start: int, loc: align.Located) -> int:
    for i in range(loc.start, loc.end):
        if view.offsets[i] == raw_start:
            return i
    return loc.start


def _claim_key(c: models.Claim) -> tuple:
    k = c.key
    return (c.type, k.span.start, k.span.end, k.value)


# ------------------------------------------------------------------ transport


class _Fatal(Exception):
    """An endpoint error no other chunk can recover from (bad key, unknown model)."""


class _Truncated(Exception):
    """An answer cut at the token limit (json modes; tools mode has instructor's own)."""


def _strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` made acceptable to OpenAI strict structured outputs.

    Strict mode wants every object closed (``additionalProperties: false``)
    with every property required (optional ones are already nullable), no
    defaults, ``anyOf`` instead of ``oneOf`` + discriminator; length and
    item bounds are left out (fewer tokens per call), pydantic still enforces
    them on the answer.
    """
    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()
               if k not in ("default", "discriminator", "maxLength", "minLength", "maxItems",
                            "minItems", "title")}
        if "oneOf" in out:
            out["anyOf"] = out.pop("oneOf")
        if "const" in out:
            out["enum"] = [out.pop("const")]
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out

    return walk(schema)


class _NoAnswer(Exception):
    """No answer of a chunk held a list of claims (invalid JSON, HTML, plain text, no choices)."""


def _reason_of(error: pydantic.ValidationError) -> str:
    """The counting key of the first error: a validation.md section, or the schema's error type."""
    for err in error.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _Reject):
            return cause.reason
    first = error.errors(include_url=False)[:1]
    return f"schema_{first[0]['type']}" if first else "schema"


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in TRANSIENT_STATUS
    return False


def _retry_after(exc: BaseException | None) -> float:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        return min(float(headers.get("retry-after", 0) or 0), RETRY_AFTER_MAX)
    except (TypeError, ValueError):
        return 0.0


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, _NoAnswer):
        return f"invalid answer, no list of claims ({_short(str(exc), 160)})"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {_short(str(exc.message), 160)}"
    return f"{type(exc).__name__}: {_short(str(exc), 160)}"


def _answer_text(completion: Any) -> str:
    """The raw text the model produced: tool-call arguments or message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return calls[0].function.arguments or ""
    text = (message.content or "").strip()
    m = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.S)
    return m.group(1) if m else text


def _loads_lenient(text: str) -> Any:
    """Parse JSON; for a truncated answer, keep the complete items before the cut.

    Raw line breaks inside strings are accepted (``strict=False``): llama.cpp's
    JSON grammar lets a model write them, and the items are then grounded
    like any others.
    """
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    cut = len(text)
    for _ in range(64):
        cut = text.rfind("}", 0, cut)
        if cut == -1:
            return None
        try:
            return json.loads(text[:cut + 1] + "]}", strict=False)
        except ValueError:
            continue
    return None


# ------------------------------------------------------------------ extractor


@dataclasses.dataclass
class _ChunkResult:
    chunk: Chunk | None  # None for a scoring-rule request
    claims: list[models.Claim] = dataclasses.field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    reasks: int = 0
    transport_retries: int = 0
    # Rejected items by reason (a validation.md section name), every round counted.
    reasons: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    cache_hit: bool = False
    error: str = ""


class LLMExtractor:
    """Claims from any OpenAI-compatible endpoint, grounded in the source text.

    Args:
        settings: resolved settings; by default read by :func:`config.load`.
        client: an ``openai.OpenAI`` client to use (tests pass one with
            ``max_retries=0``); by default one is built from the settings.
        backoff: first transport retry wait in seconds (tests use ~0).
        **overrides: settings by name (``base_url``, ``model``, ``mode``,
            ``cache_dir`` …), over the environment and config file.

    Raises:
        errors.ExtractionError: no endpoint or model configured (fail fast,
            before any report is read).
        errors.PromptError: a prompt file is missing or malformed.
    """

    name = "llm"

    def __init__(self, settings: config.Settings | None = None, *, client: Any = None,
                 backoff: float = BACKOFF, progress: Any = None, **overrides: Any) -> None:
        # progress(done, total) is called as chunks finish (``jxcheck serve``
        # shows it); it must be quick and must not raise.
        self._progress = progress
        self.settings = settings if settings is not None else config.load(**overrides)
        self.settings.require_endpoint()
        # Library logs never reach stderr, and never carry the key (see logfile).
        logfile.quiet()
        logfile.add_secret(self.settings.api_key)
        self.mode = self.settings.resolved_mode
        self._prompt = prompts.load(PROMPT_EXTRACT)
        self._reask = prompts.load(PROMPT_REASK)
        self._wording = prompts.load(PROMPT_VALIDATION)
        self._json_mode = prompts.load(PROMPT_JSON_MODE)
        self._models = _AnswerModels(self._prompt)
        self._rule_prompt = prompts.load(PROMPT_RULE)
        self._rule_model = type("ScoringRuleAnswer", (rule_reader.RuleAnswer,), {
            "model_config": pydantic.ConfigDict(
                extra="ignore", title="scoring_rule",
                json_schema_extra={"description": self._rule_prompt.render("tool")}),
            "__module__": __name__,
        })
        self._rule_usage: dict[str, int] = dict.fromkeys(
            ("rules_asked", "rules_read", "rule_calls", "rule_reasks", "prompt_tokens",
             "completion_tokens", "cache_hits"), 0)
        self._backoff = backoff
        self._cache = cache.Cache(self.settings.cache_dir)
        if client is None:
            client = openai.OpenAI(
                base_url=self.settings.base_url, api_key=self.settings.api_key or "not-needed",
                timeout=self.settings.timeout, max_retries=0)
        self._client = instructor.from_openai(client, mode=MODES[self.mode])
        self.failures: list[tuple[int, models.Span, str]] = []
        self.usage: dict[str, int | float | str] = {}
        # Set when the endpoint refuses the key or the model: a worker that
        # already picked up the next chunk must not send it.
        self._stop = threading.Event()
        self._fatal = ""

    def _report_progress(self, futures: list[concurrent.futures.Future]) -> None:
        """Tell ``progress`` how many chunks are done, now and as each one finishes."""
        total = len(futures)
        lock = threading.Lock()
        done = [0]

        def tick(_: concurrent.futures.Future) -> None:
            with lock:
                done[0] += 1
                n = done[0]
            try:
                self._progress(n, total)
            except Exception:  # noqa: BLE001 - a display hook must not stop the run
                pass

        self._progress(0, total)
        for fut in futures:
            fut.add_done_callback(tick)

    @property
    def prompt_refs(self) -> tuple[str, ...]:
        refs = (self._prompt.ref, self._reask.ref, self._wording.ref)
        return (*refs, self._json_mode.ref) if self.mode == "json" else refs

    # -------------------------------------------------------------- public

    def extract(self, doc: models.Document) -> list[models.Claim]:
        """Claims of every chunk of ``doc``; see the module docstring for failures.

        Raises:
            errors.ExtractionError: every chunk failed, or the endpoint refused
                the key or the model.
        """
        t0 = time.perf_counter()
        self._stop.clear()
        self.failures = []
        chunks = chunk_document(doc, self.settings.chunk_chars)
        results: list[_ChunkResult] = []
        workers = max(1, min(self.settings.concurrency, len(chunks) or 1))
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers,
                                                   thread_name_prefix="jxcheck-llm") as pool:
            futures = [pool.submit(self._run_chunk, doc, c) for c in chunks]
            if self._progress is not None:
                self._report_progress(futures)
            try:
                for fut in futures:
                    results.append(fut.result())
            except _Fatal:
                for other in futures:
                    other.cancel()
                self._set_usage(results, len(chunks), time.perf_counter() - t0)
                why = self._redact(self._fatal)
                raise errors.ExtractionError(
                    f"模型端点拒绝了请求，已停止：{why}",
                    f"The endpoint refused the request; stopped: {why}",
                ) from None
        self.failures = [(r.chunk.index, r.chunk.span, r.error) for r in results if r.error]
        self._set_usage(results, len(chunks), time.perf_counter() - t0)
        if chunks and len(self.failures) == len(chunks):
            last = self.failures[-1][2]
            raise errors.ExtractionError(
                f"全部 {len(chunks)} 个片段的模型调用都失败了（最后一个错误：{last}）。"
                "请用 `jxcheck doctor` 检查端点；llama.cpp 服务器请使用 JXCHECK_LLM_MODE=tools。",
                f"All {len(chunks)} chunks failed (last error: {last}). Check the endpoint "
                "with `jxcheck doctor`; for a llama.cpp server use JXCHECK_LLM_MODE=tools.",
            )
        claims: list[models.Claim] = []
        seen: set[tuple] = set()
        for r in results:
            for c in r.claims:
                k = _claim_key(c)
                if k not in seen:
                    seen.add(k)
                    claims.append(c)
        claims.sort(key=lambda c: (c.key.span.start, c.type))
        return [c.model_copy(update={"id": f"L{c.type[0]}{i}"}) for i, c in enumerate(claims, 1)]

    # -------------------------------------------------------------- internals

    def _redact(self, text: str) -> str:
        return config.redact(text, self.settings)

    def _set_usage(self, results: list[_ChunkResult], n_chunks: int, seconds: float) -> None:
        usage: dict[str, int | float | str] = {
            "prompt_tokens": sum(r.prompt_tokens for r in results),
            "completion_tokens": sum(r.completion_tokens for r in results),
            "calls": sum(r.calls for r in results),
            "cache_hits": sum(1 for r in results if r.cache_hit),
            "seconds": round(seconds, 3),
            "chunks": n_chunks,
            "chunks_failed": sum(1 for r in results if r.error),
            "reasks": sum(r.reasks for r in results),
            "transport_retries": sum(r.transport_retries for r in results),
            "claims_rejected": sum(sum(r.reasons.values()) for r in results),
            "llm_model": self.settings.model or "",
            "llm_mode": self.mode,
            "llm_prompt": self._prompt.ref,
        }
        reasons: collections.Counter = collections.Counter()
        for r in results:
            reasons.update(r.reasons)
        for reason, count in sorted(reasons.items()):
            usage[f"rejected_{reason}"] = count
        errs = [f"#{r.chunk.index}: {r.error}" for r in results if r.error]
        if errs:
            usage["llm_errors"] = self._redact("; ".join(errs))[:500]
        self.usage = usage

    def _messages(self, chunk: Chunk) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self._prompt.render("system")},
            {"role": "user", "content": self._prompt.render(
                "user", chunk=chunk.view.text, section=chunk.section)},
        ]

    def _cache_key(self, chunk: Chunk) -> str:
        return cache.key_of(endpoint=self.settings.endpoint, model=self.settings.model or "",
                            prompts=self.prompt_refs, mode=self.mode,
                            chunk=f"{chunk.section}\n{chunk.view.text}")

    def _run_chunk(self, doc: models.Document, chunk: Chunk) -> _ChunkResult:
        result = _ChunkResult(chunk)
        ground = _Ground(chunk, doc.raw, self._wording)
        key = self._cache_key(chunk)
        entry = self._cache.get(key)
        if entry is not None and isinstance(entry.get("claims"), list):
            items = [self._validate_item(d, ground)[0] for d in entry["claims"]]
            result.claims = [c for it in items if it is not None
                             for c in [_to_claim(it, chunk)] if c is not None]
            reasons = entry.get("reasons") or {}
            if isinstance(reasons, dict):
                result.reasons.update({str(k): int(v) for k, v in reasons.items()})
            result.cache_hit = True
            return result
        if self._stop.is_set():
            raise _Fatal(self._fatal)
        try:
            items = self._ask_until_valid(chunk, ground, result)
        except _Fatal as e:
            if not self._stop.is_set():
                self._fatal = str(e)
                self._stop.set()
            raise
        except (openai.APIError, instructor_errors.InstructorError, _NoAnswer) as e:
            # One chunk's failure must not lose the others' claims, and a
            # failed answer is never cached: the next run asks again.
            result.error = self._redact(_describe_error(e))
            log.warning("chunk %d failed: %s", chunk.index, result.error)
            return result
        except Exception as e:  # noqa: BLE001 - a malformed answer (HTML, no choices …)
            # can surface as any exception from the client or instructor; it is
            # this chunk's failure (a JX003 note), never a traceback that loses
            # the results of the other chunks and of the rules backend.
            result.error = self._redact(f"{type(e).__name__}: {_short(str(e), 160)}")
            log.warning("chunk %d failed: %s", chunk.index, result.error, exc_info=True)
            return result
        claims = [_to_claim(it, chunk) for it in items]
        dropped = sum(1 for c in claims if c is None)
        if dropped:
            result.reasons["no_metric_name"] += dropped
        result.claims = [c for c in claims if c is not None]
        self._cache.put(key, {
            "claims": [it.model_dump(mode="json") for it in items],
            "reasons": dict(result.reasons), "model": self.settings.model,
            "prompts": list(self.prompt_refs), "mode": self.mode,
        })
        return result

    def _validate_item(self, data: Any, ground: _Ground) -> tuple[_Grounded | None, str]:
        """The grounded item, or ``None`` and the reason it was rejected."""
        try:
            return _ITEM.validate_python(data, context={"ground": ground}), ""
        except pydantic.ValidationError as e:
            return None, _reason_of(e)

    def _salvage(self, completion: Any, ground: _Ground
                 ) -> tuple[list[_Grounded], list[str]] | None:
        """Items of a rejected answer that validate on their own, and why the others did not.

        ``None`` when the answer holds no list of claims at all (not JSON, an
        HTML page, plain text, no choices).
        """
        data = _loads_lenient(_answer_text(completion))
        raw_items = data.get("claims") if isinstance(data, dict) else None
        if not isinstance(raw_items, list):
            return None
        good: list[_Grounded] = []
        reasons: list[str] = []
        for d in raw_items:
            item, reason = self._validate_item(d, ground)
            if item is None:
                reasons.append(reason)
            else:
                good.append(item)
        return good, reasons

    def _ask_until_valid(self, chunk: Chunk, ground: _Ground,
                         result: _ChunkResult) -> list[_Grounded]:
        """One answer per round, re-asking with every error; returns the items kept.

        Every rejected item of every answer is counted in ``result.reasons``.

        Raises:
            _NoAnswer: no round produced a list of claims (invalid JSON, HTML,
                plain text, no choices): the chunk failed.
        """
        messages = self._messages(chunk)
        best: list[_Grounded] | None = None
        problem: BaseException | None = None
        for round_no in range(self.settings.reasks + 1):
            answer, completion, problem = self._ask(messages, ground, result)
            if answer is not None:
                return list(answer.claims)
            salvaged = self._salvage(completion, ground)
            if salvaged is not None:
                good, reasons = salvaged
                result.reasons.update(reasons)
                if best is None or len(good) >= len(best):
                    best = good
            else:
                result.reasons["invalid_json"] += 1
            if round_no == self.settings.reasks:
                break
            result.reasks += 1
            said = _answer_text(completion)
            if said:
                messages = [*messages, {"role": "assistant", "content": said}]
            messages = [*messages, {"role": "user", "content": self._reask_text(problem)}]
        if best is None:
            raise _NoAnswer(_describe_error(problem) if problem else "no answer")
        return best

    def _reask_text(self, problem: BaseException) -> str:
        w = self._wording
        if isinstance(problem, (instructor_errors.IncompleteOutputException, _Truncated)):
            return self._reask.render("truncated")
        lines: list[str] = []
        if isinstance(problem, pydantic.ValidationError):
            for err in problem.errors(include_url=False):
                loc = err.get("loc", ())
                number = loc[1] + 1 if len(loc) > 1 and isinstance(loc[1], int) else 0
                reason = err.get("ctx", {}).get("error") if err.get("type") == "value_error" else None
                if isinstance(reason, _Reject) or (reason is not None and str(reason)):
                    message = str(reason)
                elif err.get("type") == "json_invalid":
                    message = w.render("invalid_json", detail=_short(err.get("msg", ""), 80))
                else:
                    field = ".".join(str(p) for p in loc[3:]) or ".".join(str(p) for p in loc)
                    message = w.render("schema_error", field=field or "claims",
                                       detail=_short(err.get("msg", ""), 80))
                lines.append(w.render("item", index=number, message=message) if number
                             else message)
        else:
            lines.append(w.render("invalid_json", detail=_short(str(problem), 80)))
        return self._reask.render("reask", errors="\n".join(f"- {ln}" for ln in lines))

    def _ask(self, messages: list[dict[str, str]], ground: Any, result: _ChunkResult,
             response_model: Any = None, context: dict[str, Any] | None = None):
        """One answer, with transport retries: ``(answer | None, completion, problem)``."""

        def before_sleep(state: tenacity.RetryCallState) -> None:
            result.transport_retries += 1
            exc = state.outcome.exception() if state.outcome else None
            log.info("retrying after %s", self._redact(_describe_error(exc)) if exc else "?")

        def wait(state: tenacity.RetryCallState) -> float:
            base = tenacity.wait_random_exponential(multiplier=self._backoff,
                                                    max=max(self._backoff, BACKOFF_MAX))(state)
            exc = state.outcome.exception() if state.outcome else None
            return max(base, _retry_after(exc) if self._backoff > 0 else 0.0)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.settings.max_retries + 1),
            wait=wait, retry=tenacity.retry_if_exception(_is_transient),
            before_sleep=before_sleep, reraise=True,
        )
        for attempt in retrying:
            with attempt:
                result.calls += 1
                return self._ask_once(messages, ground, result, response_model, context)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ask_once(self, messages: list[dict[str, str]], ground: Any, result: _ChunkResult,
                  response_model: Any = None, context: dict[str, Any] | None = None):
        model = response_model or self._models.for_figures(len(ground.tokens),
                                                            self.settings.spec.grammar)
        context = context if context is not None else {"ground": ground}
        if self.mode != "tools":
            return self._ask_direct(messages, model, context, result)
        try:
            answer, completion = self._client.chat.completions.create_with_completion(
                model=self.settings.model, messages=messages, response_model=model,
                max_retries=0, context=context, **self._options())
        except instructor_errors.InstructorRetryException as e:
            attempts = list(getattr(e, "failed_attempts", None) or [])
            if attempts:
                completion = attempts[-1].completion
                self._count(completion, result)
                return None, completion, attempts[-1].exception
            cause = e.__cause__ or e
            self._raise_transport(cause)
        except instructor_errors.IncompleteOutputException as e:
            completion = e.last_completion
            self._count(completion, result)
            return None, completion, e
        except openai.APIError as e:
            self._raise_transport(e)
        self._count(completion, result)
        return answer, completion, None

    def _options(self) -> dict[str, Any]:
        """temperature and the token limit, as the endpoint's row of the provider table accepts them."""
        spec = self.settings.spec
        options: dict[str, Any] = {}
        if spec.temperature:
            options["temperature"] = 0
        if spec.max_tokens:
            options[spec.max_tokens] = self.settings.max_tokens
        return options

    def _ask_direct(self, messages: list[dict[str, str]], model: type[pydantic.BaseModel],
                    context: dict[str, Any], result: _ChunkResult):
        """json_schema and json modes, sent by jxcheck itself and validated by the same model.

        instructor's JSON_SCHEMA handler never sends ``strict`` and its JSON
        mode prepends about 7,000 characters of English instructions; here the
        strict flag follows the provider table, and JSON mode adds only the
        schema, worded by prompts/json_mode.md.
        """
        spec = self.settings.spec
        schema = model.model_json_schema()
        name = model.model_config.get("title") or model.__name__
        if self.mode == "json_schema":
            fmt: dict[str, Any] = {"type": "json_schema", "json_schema": {
                "name": name, "schema": _strict_schema(schema) if spec.strict else schema}}
            if spec.strict:
                fmt["json_schema"]["strict"] = True
        else:
            fmt = {"type": "json_object"}
            note = self._json_mode.render(
                "system", schema=json.dumps(schema, ensure_ascii=False, separators=(",", ":")))
            messages = [{"role": "system", "content": f"{messages[0]['content']}\n\n{note}"},
                        *messages[1:]]
        try:
            completion = self._client.client.chat.completions.create(
                model=self.settings.model, messages=messages, response_format=fmt,
                **self._options())
        except openai.APIError as e:
            self._raise_transport(e)
        self._count(completion, result)
        choices = getattr(completion, "choices", None) or []
        if choices and getattr(choices[0], "finish_reason", None) == "length":
            return None, completion, _Truncated("max_tokens reached")
        try:
            answer = model.model_validate_json(_answer_text(completion) or "", context=context)
        except pydantic.ValidationError as e:
            return None, completion, e
        return answer, completion, None

    # -------------------------------------------------------------- scoring rules

    def read_rule(self, text: str, weight: Decimal, indicator: str = ""
                  ) -> models.ScoringRule | None:
        """The model's reading of a printed rule the parser could not read.

        Figures must be copied from ``text`` (re-asked otherwise, in the words
        of prompts/validation.md); ``None`` when the model finds no numeric
        rule, gives no valid answer, or the endpoint fails. Answers are cached
        like chunks. Counts go to ``usage`` (``rules_asked``, ``rules_read``).
        """
        result = _ChunkResult(chunk=None)
        ground = rule_reader.RuleGround(text, weight, self._wording)
        key = cache.key_of(endpoint=self.settings.endpoint, model=self.settings.model or "",
                           prompts=(self._rule_prompt.ref, self._reask.ref, self._wording.ref),
                           mode=self.mode, chunk=f"rule\n{indicator}\n{weight}\n{text}")
        entry = self._cache.get(key)
        rule: models.ScoringRule | None = None
        if entry is not None:
            self._rule_usage["cache_hits"] += 1
            if entry.get("answer") is not None:
                try:
                    answer = rule_reader.RuleAnswer.model_validate(
                        entry["answer"], context={"rule": ground})
                    rule = rule_reader.to_rule(answer, text, weight)
                except pydantic.ValidationError:
                    rule = None
        else:
            messages = [
                {"role": "system", "content": self._rule_prompt.render("system")},
                {"role": "user", "content": self._rule_prompt.render(
                    "user", indicator=indicator or "—", rule=text, weight=format(weight, "f"))},
            ]
            answer = None
            try:
                for round_no in range(self.settings.reasks + 1):
                    answer, completion, problem = self._ask(
                        messages, ground, result, response_model=self._rule_model,
                        context={"rule": ground})
                    if answer is not None or round_no == self.settings.reasks:
                        break
                    result.reasks += 1
                    said = _answer_text(completion)
                    if said:
                        messages = [*messages, {"role": "assistant", "content": said}]
                    messages = [*messages, {"role": "user", "content": self._reask_text(problem)}]
            except _Fatal:
                raise
            except Exception as e:  # noqa: BLE001 - as for chunks: a failed answer
                # (transport, HTML, invalid JSON) leaves the rule unread (JX505), never a traceback.
                log.warning("scoring rule not read: %s", self._redact(_describe_error(e)))
                answer = None
            else:
                if answer is not None:
                    # Only a valid answer is cached; a failed one is asked again next run.
                    self._cache.put(key, {"answer": answer.model_dump(mode="json"),
                                          "model": self.settings.model,
                                          "prompts": [self._rule_prompt.ref]})
            rule = rule_reader.to_rule(answer, text, weight) if answer is not None else None
        u = self._rule_usage
        u["rules_asked"] += 1
        u["rules_read"] += rule is not None
        u["rule_calls"] += result.calls
        u["rule_reasks"] += result.reasks
        u["prompt_tokens"] += result.prompt_tokens
        u["completion_tokens"] += result.completion_tokens
        return rule

    @property
    def rule_usage(self) -> dict[str, int]:
        return dict(self._rule_usage)

    @staticmethod
    def _raise_transport(exc: BaseException) -> None:
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError,
                            openai.NotFoundError)):
            raise _Fatal(_describe_error(exc)) from exc
        raise exc

    @staticmethod
    def _count(completion: Any, result: _ChunkResult) -> None:
        usage = getattr(completion, "usage", None)
        result.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
        result.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
