"""A generic metric restated in another sentence keeps the key of its first statement.

"计划投资", "完成投资" … name nothing by themselves; the mentions reader
qualifies them by their sentence's subject, which differs between two
sentences that state one figure. Two statements counting the same number of
the same things and sharing a distinctive name are one metric.
"""

from __future__ import annotations

import difflib
import re

from extractor import metrics, models

__all__ = ["unify_restated"]


# A generic metric (计划投资, 完成投资 …) restated in another sentence keeps
# its identity through a counted subject: "商贸物流项目建设34个，计划投资…" and
# "全州34个商贸物流建设项目计划投资…" are one metric when both count the same
# number of the same things and share a distinctive name of at least
# _SHARED_NAME characters.
_COUNTED = re.compile(r"(?<![\d.])(\d+)(个|项|家|所|座|条|处|批)")

_SHARED_NAME = 4

_NAME_NOISE = re.compile(
    r"[\W\d_a-zA-Z]|全州|全市|全县|全省|全区|全年|我州|我市|我县|项目|建设|工作|方面|其中|实施|完成|已")


def _counted(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in _COUNTED.finditer(text)}


def _shares_name(a: str, b: str, metric: str) -> bool:
    a = _NAME_NOISE.sub("", a.replace(metric, ""))
    b = _NAME_NOISE.sub("", b.replace(metric, ""))
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= _SHARED_NAME


_GENERIC_BY_LENGTH = sorted(metrics.GENERIC, key=len, reverse=True)


def _generic_name(metric: str) -> str | None:
    """The generic name a metric key ends with ("…/计划投资", "…项目计划投资")."""
    if "/" in metric:
        return metric.rsplit("/", 1)[1]
    return next((g for g in _GENERIC_BY_LENGTH if len(g) >= 2 and metric.endswith(g)
                 and len(metric) > len(g)), None)


# A real report restates a generic metric a few times; hundreds of distinct
# first statements of one name is generated text, not worth n² comparisons.
_MAX_FIRSTS = 200


def unify_restated(claims: list[models.Claim]) -> list[models.Claim]:
    """Give a restated generic metric the key of its first statement."""
    # First statements by (generic name, period), at most _MAX_FIRSTS each: a
    # scan of every first statement per mention was quadratic (issue 11).
    # Each first statement is kept with its counted items, computed once.
    firsts: dict[tuple[str, str], list[tuple[models.MentionClaim, set]]] = {}
    out: list[models.Claim] = []
    for c in claims:
        name = _generic_name(c.metric) if c.type == "mention" else None
        if name is None or not c._context:
            out.append(c)
            continue
        counted = _counted(c._context)
        group = firsts.setdefault((name, c.period), [])
        same = next((f for f, f_counted in group if f.metric != c.metric
                     and counted & f_counted
                     and f.sentence != c.sentence
                     and _shares_name(f._context, c._context, name)), None)
        if same is not None:
            ctx = c._context
            c = c.model_copy(update={"metric": same.metric})
            c._context = ctx
        elif len(group) < _MAX_FIRSTS:
            group.append((c, counted))
        out.append(c)
    return out
