"""Data tables (资金表, 项目支出情况表, 分季度完成情况表) read from a stream of cells.

PDF and web exports often leave a table as one cell per line, cells between
pipes, or columns of spaces with labels wrapped onto the next line. The table
rebuilder reads tabs and rows of trailing figures; this reader reads the other
layouts the same way the sheet reader does: the header names the columns, each
column is a label, a figure or a text column, and a record is a label followed
by exactly one cell per figure or text column. A 序号 column numbers the
records, so that a wrapped label cannot shift them.

Claims are structural (a row and its header, an explicit 合计 row):

* each amount column foots to its 合计 row;
* a 执行率 / 完成率 column is 执行数 ÷ 预算数 of its own row;
* a 全年 / 合计 column is the sum of period columns (一季度 … 四季度, 1月 … 12月).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from extractor import models, segment
from extractor.extract import sheets

__all__ = ["claims_of"]

_LABEL_COLUMN = re.compile(
    r"^(?:序号|编号|项目名称|项目|名称|科目名称|科目|类别|单位名称|单位|指标名称|指标|区别|地区|"
    r"区域|乡镇|调查对象|资金来源|支出内容|用途|资金用途|工种|类型|支持方向|支持类别|内容|"
    r"支出项目|收入项目|资金项目|补助项目|项目类别)$")
_FIGURE_COLUMN = re.compile(
    r"预算|决算|执行数|支出|收入|金额|资金|数额|合计|小计|总计|全年|季度|[1-9一二三四五六七八九十]+月|"
    r"上半年|下半年|人数|户数|个数|数量|件数|份数|率|占比|比重|得分|分值|[（(](?:万?元|人|个|户|份|%)[)）]|"
    r"增减|变动|问卷")
# "2024 年", "2023年度决算数": a period column, read as a figure cell by the cell typer.
_YEAR_HEADER = re.compile(r"^(?:19|20)\d\d\s*年度?(?:预算数?|决算数?|实际数?|执行数|数|金额)?$")
# Text columns (a standard, a grade, a note) may still print figures
# ("2,000元/人"): a record takes any one cell there.
_TEXT_COLUMN = re.compile(r"等级|备注|说明|原因|级别|方式|评价|标准|依据")
# A column of rates: "执行率", "占比", and "增长%" / "增幅(%)" whose cells print no %.
_RATE = re.compile(r"率|占比|比重|[%％]|^增长$|^增幅$")
_BUDGET = re.compile(r"预算|计划|应发|发放问卷|发出")
_ACTUAL = re.compile(r"决算|执行数|支出|完成|实际|到位|实发|有效问卷|回收")
_PERIOD = re.compile(r"季度|^[1-9一二三四五六七八九十]{1,2}月|上半年|下半年")
_WHOLE = re.compile(r"^(?:全年|合计|总计|小计|年度合计)")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|合\s*计|总\s*计)$")
_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|元)|[（(](万元|亿元|元)[)）]")
_MAX_RECORDS = 400


@dataclasses.dataclass
class _Column:
    name: str
    kind: str  # seq | label | figure | text


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Claims of every data table of ``doc`` that a cell stream shows."""
    lines = [ln for ln in segment.lines_of(doc)]
    cells = sheets.cells(doc, lines, atomize=False)
    return list(_read(doc, cells))


def _read(doc: models.Document, cells: list[sheets.Cell]) -> Iterator[models.Claim]:
    i = 0
    while i < len(cells):
        header = _header_at(cells, i)
        if header is None:
            i += 1
            continue
        columns, end = header
        records, total, stop = _records(cells, end, columns)
        if len(records) >= 2:
            unit = _unit_near(cells, i, columns)
            yield from _table_claims(doc, columns, records, total, unit)
            i = max(stop, end)
        else:
            i = end


def _column_of(text: str) -> _Column | None:
    t = re.sub(r"\s+", "", text)
    if len(t) > 18:
        return None
    if t == "序号":
        return _Column(t, "seq")
    if _LABEL_COLUMN.match(t):
        return _Column(t, "label")
    if _TEXT_COLUMN.search(t):
        return _Column(t, "text")
    if _FIGURE_COLUMN.search(t) or _YEAR_HEADER.match(t):
        return _Column(t, "figure")
    return None


def _header_at(cells: list[sheets.Cell], i: int) -> tuple[list[_Column], int] | None:
    """Columns of a header that starts at cell ``i`` with a label column."""
    first = _column_of(cells[i].text) if cells[i].kind == "T" else None
    if first is None or first.kind not in ("seq", "label"):
        return None
    columns = [first]
    j = i + 1
    while j < len(cells) and (cells[j].kind == "T" or _YEAR_HEADER.match(cells[j].text.strip())) \
            and len(columns) < 12:
        # "合计" followed by a figure is the first row (a total above its rows).
        if _TOTAL_ROW.match(cells[j].text.strip()) and j + 1 < len(cells) \
                and cells[j + 1].kind in ("N", "F"):
            break
        # A name followed by a figure is the first record, not one more column.
        if (len(columns) >= 3 and columns[0].kind != "seq" and cells[j].kind == "T"
                and j + 1 < len(cells)
                and cells[j + 1].kind in ("N", "F")
                and not _YEAR_HEADER.match(cells[j + 1].text.strip())):
            break
        col = _column_of(cells[j].text)
        if col is None:
            break
        columns.append(col)
        j += 1
    figures = [c for c in columns if c.kind == "figure"]
    # "项目 | 预算数": one figure column is a table too, when a 合计 row says so
    # (checked when the records are read).
    if not figures or len(columns) < 2:
        return None
    # The score sheets have their own reader.
    names = "".join(c.name for c in columns)
    if "分值" in names and "得分" in names:
        return None
    return columns, j


def _record_regex(columns: list[_Column]) -> re.Pattern[str]:
    parts = []
    for k, col in enumerate(columns):
        if col.kind == "seq":
            parts.append("(?P<seq>N)")
        elif col.kind == "label":
            if k and columns[k - 1].kind == "label":
                continue  # adjacent label columns read as one run of text
            parts.append("(?P<label>T{1,3}?)")
        elif col.kind == "figure":
            parts.append(f"(?P<f{k}>[NF])")
        else:
            parts.append(f"(?P<t{k}>[NFT])")
    return re.compile("".join(parts))


@dataclasses.dataclass
class _Record:
    label: str
    cells: dict[int, sheets.Cell]


def _records(cells: list[sheets.Cell], start: int, columns: list[_Column]
             ) -> tuple[list[_Record], _Record | None, int]:
    pattern = _record_regex(columns)
    figure_idx = [k for k, c in enumerate(columns) if c.kind == "figure"]
    window = cells[start:start + _MAX_RECORDS * (len(columns) + 2)]
    kinds = "".join(c.kind for c in window)
    records: list[_Record] = []
    top: _Record | None = None
    pos, misses, expected = 0, 0, 1
    while pos < len(window):
        c = window[pos]
        if c.kind == "T" and _TOTAL_ROW.match(c.text.strip()):
            figs = window[pos + 1:pos + 1 + len(figure_idx)]
            if len(figs) == len(figure_idx) and all(f.kind in "NF" for f in figs):
                total = _Record(c.text, dict(zip(figure_idx, figs)))
                if not records and top is None:
                    # A 合计 printed above its rows (三公 tables): read on.
                    top = total
                    pos += 1 + len(figs)
                    continue
                return records, total, start + pos + 1 + len(figs)
            break
        m = pattern.match(kinds, pos)
        if m is not None and "seq" in m.groupdict():
            if window[m.start("seq")].text.strip() != str(expected):
                m = None
        if m is not None:
            label = "".join(window[k].text.strip() for k in range(*m.span("label"))) \
                if m.groupdict().get("label") else ""
            got = {k: window[m.start(f"f{k}")] for k in figure_idx}
            records.append(_Record(label, got))
            expected += 1
            pos = m.end()
            misses = 0
            continue
        pos += 1
        misses += 1
        if misses > 3:
            break
    return records, top, start + pos


def _unit_near(cells: list[sheets.Cell], i: int, columns: list[_Column]) -> str:
    for c in cells[max(0, i - 4):i]:
        m = _UNIT.search(c.text)
        if m:
            return m.group(1) or m.group(2)
    return ""


def _unit_of(column: str, unit: str) -> str:
    """The unit of a column's bare figures: % under a rate header, else the table's."""
    if _RATE.search(column):
        return "%" if re.search(r"[%％]|增长|增幅|增速", column) else ""
    return unit


def _quantity(doc: models.Document, cell: sheets.Cell, unit: str) -> models.Quantity | None:
    q = sheets.quantity_of(doc, cell)
    if q is None:
        return None
    if not q.unit and unit:
        q = q.model_copy(update={"unit": unit, "exact": False})
    return q


def _table_claims(doc: models.Document, columns: list[_Column], records: list[_Record],
                  total: _Record | None, unit: str) -> Iterator[models.Claim]:
    figure_idx = [k for k, c in enumerate(columns) if c.kind == "figure"]
    rows = [(r, {k: _quantity(doc, r.cells[k], _unit_of(columns[k].name, unit))
                 for k in figure_idx}) for r in records]
    subtotals = any(_is_subtotal(r.label) for r in records)
    if len([c for c in columns if c.kind == "figure"]) == 1 and total is None:
        return  # one figure column and no 合计 row: nothing says what adds up
    top_rows, nested = _hierarchy(rows)
    for item, children in nested:
        yield from _footings(columns, figure_idx, item, children, item[0].label)
    if total is not None and not subtotals:
        tq = {k: _quantity(doc, total.cells[k], _unit_of(columns[k].name, unit))
              for k in figure_idx}
        for k in figure_idx:
            if _RATE.search(columns[k].name) or tq[k] is None:
                continue
            parts = [q[k] for _, q in top_rows]
            if any(p is None for p in parts):
                continue
            yield models.BreakdownClaim(
                total=tq[k], parts=tuple(parts), part_labels=tuple(r.label for r, _ in top_rows),
                label="合计", column=columns[k].name, table="表格")
        rows_with_total = rows + [(total, tq)]
    else:
        rows_with_total = rows
    rate = next((k for k in figure_idx if _RATE.search(columns[k].name)), None)
    budget = next((k for k in figure_idx if k != rate and _BUDGET.search(columns[k].name)), None)
    actual = next((k for k in figure_idx if k not in (rate, budget)
                   and _ACTUAL.search(columns[k].name)), None)
    if rate is not None and budget is not None and actual is not None and actual > budget:
        for r, q in rows_with_total:
            if q[rate] is None or q[budget] is None or q[actual] is None or q[rate].unit != "%":
                continue
            yield models.RatioClaim(stated=q[rate], numerator=q[actual], denominator=q[budget],
                                    label=f"{r.label}{columns[rate].name}", table="表格")
    yield from _year_on_year(columns, figure_idx, rows_with_total)
    whole = next((k for k in figure_idx if _WHOLE.match(columns[k].name)), None)
    periods = [k for k in figure_idx if _PERIOD.search(columns[k].name)]
    if whole is not None and len(periods) >= 2:
        for r, q in rows_with_total:
            if q[whole] is None or any(q[k] is None for k in periods):
                continue
            yield models.BreakdownClaim(
                total=q[whole], parts=tuple(q[k] for k in periods),
                part_labels=tuple(columns[k].name for k in periods),
                label=r.label, column=columns[whole].name, table="表格")


_DIFF_COLUMN = re.compile(r"^(?:增减|增减额|增减金额|变动额|变动金额|增加额|差额|比上年增减)(?:[（(].*)?$")
_GROWTH_COLUMN = re.compile(r"增减率|增长率|增幅|增速|变动率|同比|^增长(?:[%％（(]|$)")
_THIS_PERIOD = re.compile(r"本年|本期|当年|今年")
_LAST_PERIOD = re.compile(r"上年|上期|去年|同期")
_YEAR_COLUMN = re.compile(r"((?:19|20)\d\d)\s*年")


def _year_on_year(columns: list[_Column], figure_idx: list[int], rows: list[tuple]
                  ) -> Iterator[models.Claim]:
    """"项目 2024年 2023年 增减额 增减率": each row's change is this year's amount
    minus last year's, and its rate that change over last year's amount."""
    diff = next((k for k in figure_idx if _DIFF_COLUMN.match(columns[k].name)), None)
    growth = next((k for k in figure_idx if _GROWTH_COLUMN.search(columns[k].name)), None)
    if diff is None and growth is None:
        return
    pair = _this_and_last(columns, [k for k in figure_idx if k not in (diff, growth)
                                    and not _RATE.search(columns[k].name)])
    if pair is None:
        return
    cur, prev = pair
    for r, q in rows:
        a, b = q.get(cur), q.get(prev)
        if a is None or b is None:
            continue
        if diff is not None and q.get(diff) is not None:
            yield models.DifferenceClaim(stated=q[diff], a=a, b=b,
                                         label=f"{r.label}{columns[diff].name}", table="表格")
        if growth is not None and q.get(growth) is not None and q[growth].unit == "%":
            yield models.GrowthClaim(stated=q[growth], current=a, previous=b,
                                     label=f"{r.label}{columns[growth].name}", table="表格")


def _this_and_last(columns: list[_Column], amounts: list[int]) -> tuple[int, int] | None:
    """(this year's column, last year's) among two amount columns named by period."""
    if len(amounts) != 2:
        return None
    x, y = amounts
    years = [_YEAR_COLUMN.search(columns[k].name) for k in (x, y)]
    if all(years):
        a, b = (int(m.group(1)) for m in years)
        if abs(a - b) != 1:
            return None
        return (x, y) if a > b else (y, x)
    names = [columns[k].name for k in (x, y)]
    if _THIS_PERIOD.search(names[0]) and _LAST_PERIOD.search(names[1]):
        return x, y
    if _LAST_PERIOD.search(names[0]) and _THIS_PERIOD.search(names[1]):
        return y, x
    return None


_TOP_ITEM = re.compile(r"^\s*\d{1,2}[、.．](?!\d)")


def _hierarchy(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Top-level rows, and (item, its 其中 rows) pairs.

    "3.公务用车购置及运行维护费 4070" over "其中:公务用车运行维护费 2648" and "公务用车购置
    1422": where numbered items stand, the total adds the items, and an item
    followed by a 其中 row adds the rows up to the next item.
    """
    if not any(_TOP_ITEM.match(r.label) for r, _ in rows):
        return [row for row in rows if not row[0].label.startswith("其中")], []
    top: list[tuple] = []
    nested: list[tuple] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        top.append(row)
        j = k + 1
        while j < len(rows) and not _TOP_ITEM.match(rows[j][0].label):
            j += 1
        children = rows[k + 1:j]
        if children and children[0][0].label.startswith("其中"):
            nested.append((row, children))
        k = j
    return [r for r in top if _TOP_ITEM.match(r[0].label)], nested


def _footings(columns: list[_Column], figure_idx: list[int], total: tuple,
              parts: list[tuple], label: str) -> Iterator[models.BreakdownClaim]:
    for k in figure_idx:
        if _RATE.search(columns[k].name) or total[1].get(k) is None:
            continue
        qs = [q[k] for _, q in parts]
        if len(qs) < 2 or any(p is None for p in qs):
            continue
        yield models.BreakdownClaim(total=total[1][k], parts=tuple(qs),
                                    part_labels=tuple(r.label for r, _ in parts),
                                    label=label, column=columns[k].name, table="表格")


def _is_subtotal(label: str) -> bool:
    return "小计" in label
