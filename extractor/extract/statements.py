"""决算 statements (收入支出决算总表, 公开01表) flattened as "labels, then values".

The national 部门决算 template prints its income and expenditure items as
numbered rows with a 行次 (row number): ``一、一般公共预算财政拨款收入 1``,
``二、政府性基金预算财政拨款收入 2`` … and under them ``本年收入合计``
(likewise ``一、一般公共服务支出 31`` … ``本年支出合计``). A spreadsheet
exported to text (xls → web page) often keeps the cells of a column block
together: first every row's label and 行次, then the amounts of the rows that
have one, with empty cells dropped::

    一、…收入 1 二、…收入 2 … 八、其他收入 8 11,122.04 3,628.89 9 10 … 本年收入合计 27 … 总计 30 14,750.93 14,750.93

Which item an amount belongs to is lost, but not which block: the amounts
after a run of item rows are the amounts of those items, in order, and the
first amount after the ``本年收入合计`` run belongs to 本年收入合计 (the first
row of its run, and not empty when any item is not). So the item amounts
must sum to it. The row numbers must count up by one, so that a bare
number is known to be a 行次, never an amount.

The pairing of amounts and rows is read from the layout, not printed, so the
claim is ``inferred`` (its findings are warnings). Anything else in the run
(another label, an amount that is not after an item row) and the statement
is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor import models, quantities, segment

__all__ = ["claims_of"]

_TOKEN = re.compile(r"\S+")
_SEQ = re.compile(r"\d{1,3}")
# Amounts of a 决算 statement are printed to the cent or with thousands separators.
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}|-?\d{1,3}(?:,\d{3})+")
_ITEM = re.compile(r"[一二三四五六七八九十]{1,3}、\S*?(收入|支出)")
_TOTAL = re.compile(r"本年(收入|支出)合计")
_LABEL = re.compile(r"[^\W\d_a-zA-Z]")
_UNIT = re.compile(r"单位[:：]\s*(万元|元|亿元)")


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Item amounts vs 本年收入合计 / 本年支出合计 of flattened 决算 statements."""
    out: list[models.Claim] = []
    text = doc.view.text
    unit_m = _UNIT.search(text)
    unit = unit_m.group(1) if unit_m else ""
    for ln in segment.lines_of(doc):
        if "合计" not in ln.text or not _ITEM.search(ln.text):
            continue
        toks = [(m.group(0), ln.start + m.start(), ln.start + m.end())
                for m in _TOKEN.finditer(ln.text)]
        out.extend(_statement(doc, toks, unit))
    return out


def _statement(doc: models.Document, toks: list[tuple[str, int, int]],
               unit: str) -> Iterator[models.Claim]:
    i = 0
    while i < len(toks):
        m = _ITEM.fullmatch(toks[i][0])
        if m is None:
            i += 1
            continue
        claim, i = _items_then_total(doc, toks, i, m.group(1), unit)
        if claim is not None:
            yield claim


def _items_then_total(doc: models.Document, toks: list[tuple[str, int, int]], i: int,
                      side: str, unit: str) -> tuple[models.Claim | None, int]:
    """Read item rows from ``toks[i]`` up to 本年{side}合计 and the amount after its run."""
    parts: list[models.Quantity] = []
    seq: int | None = None
    after_item = False  # an amount may follow only item rows (labels, then values)
    j = i
    while j < len(toks):
        word = toks[j][0]
        total = _TOTAL.fullmatch(word)
        item = _ITEM.fullmatch(word)
        if total is not None:
            if total.group(1) != side:
                return None, j
            break
        if item is not None and item.group(1) == side:
            # Every row is a label and its 行次, counting up by one.
            if j + 1 >= len(toks) or not _SEQ.fullmatch(toks[j + 1][0]):
                return None, j + 1
            n = int(toks[j + 1][0])
            if seq is not None and n != seq + 1:
                return None, j + 1
            seq, after_item = n, True
            j += 2
        elif _SEQ.fullmatch(word) and seq is not None and int(word) == seq + 1:
            seq, after_item = int(word), False  # a row left blank on this side
            j += 1
        elif _AMOUNT.fullmatch(word) and after_item:
            parts.append(_quantity(doc, toks[j], unit))
            j += 1
        else:
            return None, j + 1
    if j >= len(toks) or len(parts) < 2:
        return None, j + 1
    # The 合计 run: 本年收入合计 27 使用非财政拨款结余 28 … 总计 30, then its amounts.
    k = j
    while k + 1 < len(toks) and _LABEL.search(toks[k][0]) and _SEQ.fullmatch(toks[k + 1][0]):
        n = int(toks[k + 1][0])
        if seq is not None and n != seq + 1:
            return None, k
        seq = n
        k += 2
    if k == j or k >= len(toks) or not _AMOUNT.fullmatch(toks[k][0]):
        return None, k
    whole = _quantity(doc, toks[k], unit)
    claim = models.BreakdownClaim(
        total=whole, parts=tuple(parts), label=f"本年{side}合计", table="收入支出决算总表",
        inferred=True)
    return claim, k + 1


def _quantity(doc: models.Document, tok: tuple[str, int, int], unit: str) -> models.Quantity:
    word, a, b = tok
    return quantities.make_quantity(word, unit, word, doc.view.raw_span(a, b))
