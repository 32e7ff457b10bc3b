"""Helpers the sentence readers share: figures by position, brackets, subjects, lists.

Every family of extract/sentences.py reads a sentence's scanned figures
(``quantities.Token``, in text order) and asks the same questions of them:
which figure stands at a position, the nearest figure before a cue, whether a
figure stands in brackets or is one item of a 其中 list, which subject
qualifies a generic name. They are answered once, here, so the families agree.
"""

from __future__ import annotations

import bisect
import functools
import re

from extractor import metrics, models, patterns, quantities
from extractor.patterns import FUND_NAME, TARGET_LABEL

__all__ = ["CLOSE", "MAX_SENTENCE", "OPEN", "bracket_depth", "clause_before", "in_list", "is_plan",
           "nearest_before", "outside_brackets", "sole_figure", "subject_of", "token_at",
           "token_start"]


def is_plan(label: str) -> bool:
    """A label that marks its figure as a plan or target, fund names aside."""
    return TARGET_LABEL.search(FUND_NAME.sub("", label)) is not None


def token_start(t: quantities.Token) -> int:
    return t.start


def token_at(toks: list[quantities.Token], start: int) -> quantities.Token | None:
    # Tokens are in text order and never overlap: the one holding ``start`` is the
    # last that starts at or before it (bisection: a scan per rate was quadratic).
    i = bisect.bisect_right(toks, start, key=token_start) - 1
    if i >= 0 and toks[i].start <= start < toks[i].end:
        return toks[i]
    return None


def nearest_before(toks: list[quantities.Token], pos: int, dim: str | None = None,
                   exclude: quantities.Token | None = None) -> quantities.Token | None:
    for t in reversed(toks):
        if t.end > pos or t is exclude or t.dim in ("percent", ""):
            continue
        if dim is None or t.dim == dim:
            return t
    return None


# The longest sentence of the field reports and corpora is 846 characters. A
# "sentence" far longer is a text without 。 (a flattened page, generated
# input): the sentence-level readers look back over every figure before each
# rate or growth, so one sentence of n figures cost n² (a 240 KB line: 57 s).
# Such a sentence is read in pieces of at most this many characters, cut
# after the last clause mark (；，) before the limit.
MAX_SENTENCE = 4000

OPEN, CLOSE = "（(", "）)"


def bracket_depth(text: str, start: int, pos: int) -> int:
    """How many brackets opened between ``start`` and ``pos`` are still open at ``pos``."""
    depth = 0
    for ch in text[start:pos]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
    return depth


def outside_brackets(text: str, toks: list[quantities.Token], start: int
                     ) -> list[quantities.Token]:
    """The tokens (in order, at or after ``start``) that stand outside any bracket
    opened after ``start``; one pass over the text, so long lists stay linear."""
    out: list[quantities.Token] = []
    depth, pos = 0, start
    for t in toks:
        for ch in text[pos:t.start]:
            if ch in OPEN:
                depth += 1
            elif ch in CLOSE and depth:
                depth -= 1
        pos = t.start
        if not depth:
            out.append(t)
    return out


def sole_figure(view: models.TextView, dim: str, wanted: re.Pattern[str],
                unwanted: re.Pattern[str] | None = None) -> quantities.Token | None:
    """The one firm figure of ``dim`` in ``view`` (the sentence before), if its
    label says what is wanted: a base taken across a sentence end must be unambiguous."""
    like = [t for t in quantities.scan(view) if t.dim == dim and not t.quantity.approximate]
    if len(like) != 1:
        return None
    label = metrics.label_before(view.text, like[0].start)
    if not wanted.search(label) or (unwanted is not None and unwanted.search(label)):
        return None
    return like[0]


def clause_before(text: str, pos: int) -> str:
    """From the start of the clause group (after ；/。) to ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in "；;。") + 1
    return text[start:pos]


def subject_of(text: str, pos: int = 0) -> str:
    """The first clause of the clause group holding ``pos``: qualifies generic names.

    "衡阳中欧班列共开行62列，总计货值21.69亿元；湘粤非班列开行79列，总计货值5.12亿元":
    the two 货值 get the subjects 衡阳中欧班列共开行 and 湘粤非班列开行.
    """
    start = max(text.rfind(c, 0, pos) for c in "；;。") + 1 if pos else 0
    return _subject_from(text, start)


@functools.lru_cache(maxsize=256)
def _subject_from(text: str, start: int) -> str:
    # Cached: every figure of a clause group has the same subject, and a group
    # of n figures recomputed it n times over the whole group (issue 11).
    m = re.search(r"[，,；;。]", text[start:])
    first = text[start: start + m.start()] if m else text[start:]
    # Figures go with their units: "到位资金2.01亿元" and "到位资金20,300万元"
    # have one subject.
    first = re.sub(r"[-−]?\d[\d,.]*(?:\.\d+)?\s*(?:" + patterns.UNIT.pattern + ")?", "", first)
    return first[:16]


# A figure after these cues (within its sentence) is one item of a list.
_LIST_CUES = re.compile(r"其中|分别|使用内容为|主要为|主要是|包括|明细如下")


def in_list(text: str, pos: int) -> bool:
    """True when the figure at ``pos`` is one item of a 其中/分别为 list."""
    start = max(text.rfind(c, 0, pos) for c in "。") + 1
    return bool(_LIST_CUES.search(text, start, pos)) or bool(
        re.search(r"(?:^|[；;，,：:])\s*(?:\d{1,2}[、.．]|[（(]\d{1,2}[）)])[^；;，,]*$", text[start:pos]))
