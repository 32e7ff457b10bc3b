"""Table reconstruction from flattened text, and the claims tables state.

Reports reach jxcheck with their tables flattened in three ways, all seen in
the shared field reports:

* tab-separated rows, empty cells kept (Word → text): ``\\t年度资金总额\\t596.39\\t1832``;
* one row per line, label then space-separated figures, labels sometimes
  broken over lines before the figures (PDF → text): ``招商引资 22.5 64.53 60.26``;
* one cell per line: a label line followed by k lines of one figure each.

Each rebuilt :class:`Table` keeps a span per cell, its unit (from a caption
such as ``单位：万元`` or a header such as ``(万元)``) and the role of rows
(合计/汇总/小计, numbered items, 其中) and columns (预算数, 执行数, 执行率, 分值,
得分, 年度指标值, 实际完成值). :func:`claims_of` turns those roles into claims;
when a table cannot be read with confidence a note is left on the document.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from decimal import Decimal

from extractor import metrics, models, normalise, quantities, segment

__all__ = ["Cell", "Row", "Table", "claims_from", "rebuild"]

TOTAL_ROW = re.compile(r"^(?:合计|总计|汇总|小计|总分|.*汇总$|.*合计$|.*小计$|年度资金总额)")
# "中央资金小计", "城镇岗位小计": the total of the rows since the previous total.
SUBTOTAL_ROW = re.compile(r"小计")
ITEM_ROW = re.compile(r"^\s*(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])")
SUB_ROW = re.compile(r"^\s*其中[:：]?")
UNIT_CAPTION = re.compile(r"(?:单位[:：]\s*|[（(])(万元|亿元|元|万美元|美元|千元)[）)]?")
HEADER_WORDS = re.compile(
    r"预算数|执行数|决算数|执行率|分值|得分|指标值|完成值|合计|收入|支出|结余|三公经费|固定资产|"
    r"机构名称|金额|编制数|在职|控制率|评价标准|"
    # Column words of budget tables exported with shorter headers
    # ("本年预算 / 本年决算", "上年数 / 本年数", "科目名称").
    r"预算|决算|本年|上年|年初|全年|调整|实际|计划|科目|项目名称|单位名称|类别|年度|投资|数额|资金|"
    # "税种 2023年完成 2022年完成 增幅": periods and their change as columns.
    r"增幅|增速|增长率|增减率|增减额|同比|(?:19|20)\d\d\s*年"
)
# Score-sheet group labels that precede the indicator name in flattened rows.
_GROUP_WORDS = re.compile(
    r"(?:绩效指标|一级指标|二级指标|三级指标|产出指标|效益指标|满意度指标|成本指标|"
    r"(?:数量|质量|时效|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|经济成本|社会成本|"
    r"生态环境成本|生态环境)指标|\(\d+分\)|（\d+分）)"
)
_FIGURE = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?%?$")
# Total rows of a score sheet besides 总分 ("合计 20 19.46", "合计得分 …"). 小计 is a
# group's subtotal, not the sheet's total, and is not among them.
_SHEET_TOTAL = re.compile(r"^(?:合计|总计|合计得分|得分合计|总得分|综合得分)$")


@dataclasses.dataclass
class Cell:
    text: str
    span: models.Span
    quantity: models.Quantity | None = None


@dataclasses.dataclass
class Row:
    label: str
    label_span: models.Span | None
    cells: list[Cell]
    line: int
    # The header in force for this row (tab tables change header mid-run).
    header: list[str] = dataclasses.field(default_factory=list)

    @property
    def is_total(self) -> bool:
        return bool(TOTAL_ROW.match(self.label.strip(" ：:")))

    @property
    def is_score_total(self) -> bool:
        """"总分 100 90.88" (label cells of empty rows above may precede the word)."""
        return self.label.endswith("总分") or self.label.startswith("总分")

    @property
    def is_sheet_total(self) -> bool:
        """A score sheet's total row: 总分, or 合计/总计/合计得分/得分合计.

        Only meaningful inside a score sheet: a budget table's 合计 row totals
        amounts, so :attr:`is_score_total` (which makes a table a score sheet)
        stays limited to 总分.
        """
        return self.is_score_total or bool(_SHEET_TOTAL.match(self.label.strip(" ：:")))

    @property
    def is_item(self) -> bool:
        return bool(ITEM_ROW.match(self.label))

    @property
    def is_sub(self) -> bool:
        return bool(SUB_ROW.match(self.label))

    def column(self, *names: str, last: bool = False) -> int | None:
        """Index of the header cell containing any of ``names`` (first, or last)."""
        hits = [i for i, h in enumerate(self.header) if any(n in h for n in names)]
        if not hits:
            return None
        return hits[-1] if last else hits[0]

    def figure(self, idx: int | None) -> models.Quantity | None:
        if idx is None or idx >= len(self.cells):
            return None
        return self.cells[idx].quantity


@dataclasses.dataclass
class Table:
    title: str
    unit: str
    rows: list[Row]
    layout: str  # "tabs" | "rows" | "cells"
    first_line: int

    @property
    def header(self) -> list[str]:
        return self.rows[0].header if self.rows else []

    def frame(self) -> pd.DataFrame:  # noqa: F821 - pandas is imported on use
        """The table as a DataFrame of Decimal (or None), row labels as index."""
        # pandas takes half a second to import and nothing else needs it: a
        # reviewer's one-file check must not pay for it (issue 13).
        import pandas as pd

        width = max((len(r.cells) for r in self.rows), default=0)
        cols = (list(self.header) + [f"c{i}" for i in range(width)])[:width]
        if len(set(cols)) != len(cols):
            cols = [f"{c}#{i}" for i, c in enumerate(cols)]
        data = [[c.quantity.value if c.quantity else None for c in r.cells]
                + [None] * (width - len(r.cells)) for r in self.rows]
        return pd.DataFrame(data, index=[r.label for r in self.rows], columns=cols)


# ---------------------------------------------------------------- rebuild


def rebuild(doc: models.Document, paras: list[segment.Paragraph] | None = None) -> list[Table]:
    """Rebuild every table of ``doc``; unreadable ones leave a note on ``doc``."""
    lines = segment.lines_of(doc)
    tables = list(_tab_tables(doc, lines))
    tables.extend(_row_tables(doc, lines))
    return tables


def _cell(doc: models.Document, start: int, end: int, unit: str, *, wrapped: bool = False) -> Cell:
    view = doc.view.slice(start, end)
    text = view.text.strip()
    lead = len(view.text) - len(view.text.lstrip())
    span = view.raw_span(lead, lead + len(text)) if text else view.raw_span(0, 0)
    q = None
    squeezed = (normalise.drop_whitespace(view) if wrapped
                else normalise.squeeze_whitespace(view))
    if _is_figure(squeezed.text.strip()):
        toks = quantities.scan(squeezed)
        if len(toks) == 1:
            q = toks[0].quantity
            if q.raw.endswith("%"):
                q = q.model_copy(update={"unit": "%"})
            elif not q.unit and unit:
                q = q.model_copy(update={"unit": unit, "exact": q.value == 0})
            elif not q.unit and q.decimals == 0:
                # No unit anywhere and whole numbers: counts (批次, 件, 人), which
                # are exact; an amount table states its unit in the caption.
                q = q.model_copy(update={"exact": True})
    return Cell(text, span, q)


def _is_figure(text: str) -> bool:
    t = text.replace(" ", "")
    return bool(_FIGURE.match(t)) or bool(
        re.fullmatch(r"[-−]?\d[\d,]*(?:\.\d+)?(?:万元|亿元|元|%|个|家|人|分)", t))


def _names_the_columns_below(doc: models.Document, texts: list[str],
                             run: list[segment.Line]) -> bool:
    """"乡镇 / 工程数量 / 基本支出" over rows of one label and figures: a header
    in words of the report's own subject."""
    named = [t.strip() for t in texts]
    if len(named) < 2 or not all(named) or any(_is_figure(t) for t in named):
        return False
    if any(len(t) > 12 for t in named) or len(run) < 3:
        return False
    for ln in run[1:3]:
        cells = [doc.view.text[a:b].strip() for a, b in _cell_ranges(ln)]
        if len(cells) != len(named) or _is_figure(cells[0]) or not all(
                _is_figure(c) for c in cells[1:]):
            return False
    return True


def _is_header(texts: list[str]) -> bool:
    """No figure cell, and either two header words or three or more named columns."""
    if any(_is_figure(t.strip()) for t in texts):
        return False
    named = [t for t in texts if t.strip()]
    return sum(bool(HEADER_WORDS.search(t)) for t in texts) >= 2 or (
        len(named) >= 4 and all(len(t.strip()) <= 20 for t in named))


# "| 项目 | 预算数 | 执行数 |": a Markdown table pasted from a web page or a converter.
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def _is_cell_row(text: str) -> bool:
    return "\t" in text or bool(_PIPE_ROW.match(text))


def _cell_ranges(ln: segment.Line) -> list[tuple[int, int]]:
    """(start, end) in the document view of each cell of a tab or pipe row."""
    text = ln.text
    if "\t" not in text and _PIPE_ROW.match(text):
        first, last = text.index("|"), text.rindex("|")
        bounds = [first] + [i for i in range(first + 1, last) if text[i] == "|"] + [last]
        return [(ln.start + a + 1, ln.start + b) for a, b in zip(bounds, bounds[1:])]
    out, pos = [], 0
    for part in text.split("\t"):
        out.append((ln.start + pos, ln.start + pos + len(part)))
        pos += len(part) + 1
    return out


def _tab_tables(doc: models.Document, lines: list[segment.Line]) -> Iterator[Table]:
    """Runs of tab (or pipe) rows; header rows name the columns below them."""
    runs: list[list[segment.Line]] = []
    for ln in lines:
        if _PIPE_RULE.match(ln.text):
            continue
        if _is_cell_row(ln.text):
            if runs and ln.number - runs[-1][-1].number <= 2:
                runs[-1].append(ln)
            else:
                runs.append([ln])
    for run in runs:
        if _one_cell_per_line(run):
            yield from _cell_tables(doc, lines, run)
            continue
        unit = _unit_near(lines, run[0].number)
        header: list[str] = []
        title = ""
        rows: list[Row] = []
        for k, ln in enumerate(run):
            ranges = _cell_ranges(ln)
            texts = [doc.view.text[a:b] for a, b in ranges]
            if _is_header(texts) or (k == 0 and _names_the_columns_below(doc, texts, run)):
                header = [t.strip() for t in texts]
                title = title or _title_above(lines, run[0].number) or header[0]
                hu = UNIT_CAPTION.search(ln.text)
                unit = hu.group(1) if hu else unit
                continue
            cells = [_cell(doc, a, b, unit) for a, b in ranges]
            label_i = _label_index(header, cells)
            label = cells[label_i].text if label_i is not None else ""
            rows.append(Row(label, cells[label_i].span if label_i is not None else None, cells,
                            ln.number, header))
        if rows and any(r.header for r in rows):
            yield Table(title, unit, rows, "tabs", rows[0].line)


def _one_cell_per_line(run: list[segment.Line]) -> bool:
    """Most lines hold one non-empty cell: the table was exported cell by cell."""
    single = sum(1 for ln in run if sum(bool(t.strip()) for t in ln.text.split("\t")) <= 1
                 and "\t" in ln.text)
    return len(run) >= 6 and single >= 0.8 * len(run)


def _cell_tables(doc: models.Document, lines: list[segment.Line],
                 run: list[segment.Line]) -> Iterator[Table]:
    """Label cell, then k figure cells, repeated; header cells before the first row.

    Rows whose number of figures differs from the table's usual count are left
    out and noted on the document (JX002), never guessed.
    """
    cells: list[tuple[segment.Line, str, int]] = []
    for ln in run:
        text = ln.text.strip()
        if text:
            cells.append((ln, text, ln.start + ln.text.index(text)))
    groups: list[tuple[list[tuple], list[tuple]]] = []  # (non-figure cells, figure cells)
    for cell in cells:
        if _is_figure(cell[1].replace(",", "")):
            if groups:
                groups[-1][1].append(cell)
        else:
            if not groups or groups[-1][1]:
                groups.append(([cell], []))
            else:
                groups[-1][0].append(cell)
    table_groups: list[list[tuple[list[tuple], list[tuple]]]] = []
    for g in groups:
        # Two or more label cells in a row start a new table (its header).
        if not table_groups or len(g[0]) >= 3:
            table_groups.append([g])
        else:
            table_groups[-1].append(g)
    for tg in table_groups:
        if not tg:
            continue
        head_cells = [c[1] for c in tg[0][0][:-1]]
        unit = next((m.group(1) for m in (UNIT_CAPTION.search(h) for h in head_cells) if m), "")
        unit = unit or _unit_near(lines, tg[0][0][0][0].number) or _unit_near_cells(tg)
        named = [h for h in head_cells if not SUB_ROW.fullmatch(h.strip())]
        label_heads = [i for i, h in enumerate(named) if re.search(r"名称|科目", h)]
        columns = named[label_heads[-1] + 1:] if label_heads else named[1:]
        title = named[0] if named else ""
        if re.search(r"名称|科目", title) and columns:
            title = columns[0]
        sizes = [len(g[1]) for g in tg if g[1]]
        if not sizes:
            continue
        k = max(set(sizes), key=sizes.count)
        rows: list[Row] = []
        for labels, figs in tg:
            if not figs:
                continue
            label_cell = labels[-1]
            if len(figs) != k:
                doc.notes.append(("JX002", doc.view.raw_span(label_cell[2],
                                                             label_cell[2] + len(label_cell[1])),
                                  f"表格「{title}」的行「{label_cell[1]}」有 {len(figs)} 个数值，"
                                  f"其他行为 {k} 个；该行未核对",
                                  f"Table '{title}': row '{label_cell[1]}' has {len(figs)} "
                                  f"figures where the others have {k}; it was not checked"))
                continue
            row_cells = [_cell(doc, c[2], c[2] + len(c[1]), unit) for c in figs]
            span = doc.view.raw_span(label_cell[2], label_cell[2] + len(label_cell[1]))
            hdr = columns if len(columns) == k else []
            rows.append(Row(label_cell[1].rstrip("、"), span, row_cells, label_cell[0].number, hdr))
        if len(rows) >= 2 or (rows and _names_scores(hdr)):
            yield Table(title, unit, rows, "cells", rows[0].line)


def _unit_near_cells(tg) -> str:
    for labels, _ in tg:
        for c in labels:
            m = UNIT_CAPTION.search(c[1])
            if m:
                return m.group(1)
    return ""


def _label_index(header: list[str], cells: list[Cell]) -> int | None:
    """The cell that names a row: the 三级指标 column if the header has one and it is
    filled, else the last text cell before the row's first figure."""
    for name in ("三级指标", "指标名称"):
        idx = next((i for i, h in enumerate(header) if name in h), None)
        if idx is not None and idx < len(cells) and cells[idx].text and cells[idx].quantity is None:
            return idx
    first_fig = next((i for i, c in enumerate(cells) if c.quantity), len(cells))
    before = [i for i, c in enumerate(cells[:first_fig]) if c.text]
    if before:
        return before[-1]
    # "\t\t12\t行政效能\t6…": a group weight precedes the name; take the first
    # short text cell instead.
    short = [i for i, c in enumerate(cells) if c.text and c.quantity is None and len(c.text) <= 20]
    return short[0] if short else None


def _title_above(lines: list[segment.Line], number: int) -> str:
    for ln in reversed(lines[max(0, number - 6): number - 1]):
        s = ln.stripped
        if s and "\t" not in s and len(s) <= 30:
            return s
    return ""


def _unit_near(lines: list[segment.Line], number: int) -> str:
    """单位：万元 / (万元) in the lines just above a table."""
    for ln in reversed(lines[max(0, number - 8): number]):
        m = UNIT_CAPTION.search(ln.text)
        if m:
            return m.group(1)
    return ""


# Inside a score sheet, the 偏差原因 column holds short sentences; only this
# many prose lines in a row end the sheet.
_PROSE_RUN_IN_SHEET = 3


def _row_tables(doc: models.Document, lines: list[segment.Line]) -> Iterator[Table]:
    """Blocks of short lines between prose: 'label figures' rows and label cells."""
    block: list[segment.Line] = []
    prose_run: list[segment.Line] = []
    # Whether the block so far opens a score sheet, kept up to date line by
    # line: recomputing it over the whole block for every line was quadratic
    # (10,000 short lines: 17 s, issue 11).
    sheet = _SheetWords()
    for ln in lines:
        if ln.is_blank:
            continue
        prose = _is_cell_row(ln.text) or _PIPE_RULE.match(ln.text) or (
            not ln.is_table_like and (re.search(r"[，。；]", ln.text) or len(ln.stripped) > 40))
        in_sheet = sheet.opens and not sheet.total_row
        if prose and in_sheet and "\t" not in ln.text and len(ln.stripped) <= 40:
            prose_run.append(ln)
            if len(prose_run) < _PROSE_RUN_IN_SHEET:
                continue
        if prose:
            if block:
                yield from _read_block(doc, lines, block)
            block, prose_run = [], []
            sheet = _SheetWords()
            continue
        prose_run = []
        block.append(ln)
        sheet.add(ln.stripped)
    if block:
        yield from _read_block(doc, lines, block)


def _split_row(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Split 'label 1 2 3' into the label and the (start, end) of its trailing figures."""
    figs: list[tuple[int, int]] = []
    pos = len(text.rstrip())
    while True:
        m = re.search(r"([-−]?\d[\d,]*(?:\.\d+)?%?)\s*$", text[:pos])
        if not m:
            break
        figs.insert(0, (m.start(1), m.end(1)))
        pos = m.start(1)
        if pos == 0 or not text[pos - 1].isspace():
            break
    return text[:pos].strip(), figs


def _read_block(doc: models.Document, lines: list[segment.Line],
                block: list[segment.Line]) -> Iterator[Table]:
    if _is_cell_block(block):
        yield from _cell_tables(doc, lines, block)
        return
    rows: list[Row] = []
    pending: list[segment.Line] = []
    header: list[str] = []
    unit = _unit_near(lines, block[0].number)
    title = ""
    for ln in block:
        cap = UNIT_CAPTION.search(ln.text)
        if cap:
            unit = cap.group(1)
        label, figs = _split_row(ln.stripped)
        offset = ln.start + (len(ln.text) - len(ln.text.lstrip()))
        if not figs:
            pending.append(ln)
            continue
        # "9.3" then "8" on the next line: a figure broken by a line wrap.
        if not label and not pending and rows and len(figs) == 1 \
                and _continues_figure(rows[-1], ln.stripped):
            _join_into(doc, rows[-1], ln, offset, unit)
            continue
        # A lone figure right under a row (no label between) is that row's last
        # cell pushed to the next line ("… 10 93.81%" / "9.3").
        if not label and not pending and rows and len(figs) == 1 and rows[-1].line >= ln.number - 2 \
                and any(c.quantity and c.quantity.unit == "%" for c in rows[-1].cells):
            rows[-1].cells.append(_cell(doc, offset + figs[0][0], offset + figs[0][1], unit))
            continue
        pre = [p.stripped for p in pending]
        heads = [p for p in pre if HEADER_WORDS.search(p)]
        full_header = any(len(HEADER_WORDS.findall(p)) >= 2 for p in pre)
        if heads and (len(heads) >= 2 or full_header) and rows:
            # A new header: the rows so far were another table.
            if _enough_rows(rows, header):
                yield Table(title, unit, rows, "rows", rows[0].line)
            rows, title = [], ""
        if heads and not rows:
            title, header = _split_title(pre)
            pre = []
        full_label = "".join(pre) + label
        span = None
        if label:
            span = doc.view.raw_span(offset, offset + len(label))
        elif pending and pre:
            span = doc.view.raw_span(pending[0].start, pending[-1].end)
        cells = [_cell(doc, offset + s, offset + e, unit) for s, e in figs]
        rows.append(Row(full_label, span, cells, ln.number, header))
        pending = []
    if _enough_rows(rows, header):
        yield Table(title, unit, rows, "rows", rows[0].line)


def _is_cell_block(block: list[segment.Line]) -> bool:
    """A table exported one cell per line without tabs: header cells, then a label
    line and one line per figure ("三级指标\n分值\n得分\n资助参保人数\n10\n12").

    Every line holds a label alone or one figure alone, and the label lines
    before the first figure name at least two columns.
    """
    kinds = []
    for ln in block:
        label, figs = _split_row(ln.stripped)
        if label and figs:
            return False
        if len(figs) > 1:
            return False
        kinds.append("fig" if figs else "label")
    if kinds.count("fig") < 2 or "fig" not in kinds:
        return False
    head = [ln.stripped for ln, k in zip(block, kinds[:kinds.index("fig")]) if k == "label"]
    return sum(bool(HEADER_WORDS.search(h)) for h in head) >= 2


def _enough_rows(rows: list[Row], header: list[str] = ()) -> bool:
    """Two rows make a table; one row will do when it is an execution row (… 执行率 …)
    or a scored indicator under a header naming 分值 and 得分."""
    if len(rows) >= 2:
        return True
    if len(rows) != 1:
        return False
    cells = rows[0].cells
    if len(cells) >= 5 and any(c.quantity is not None and c.quantity.unit == "%" for c in cells):
        return True
    if len(cells) >= 3:
        words = header[0].split() if len(header) == 1 else list(header)
        if len(words) == len(cells) + 1 and None not in _execution_columns(words[1:]):
            return True  # "项目 预算 支出 执行率" over one project's row
    return len(cells) >= 2 and _names_scores(header)


def _names_scores(header: list[str] | tuple[str, ...]) -> bool:
    text = " ".join(header)
    return "分值" in text and "得分" in text


def _split_title(pre: list[str]) -> tuple[str, list[str]]:
    """Caption and header cells of the lines above a table's first row."""
    i = len(pre)
    while i > 0 and (HEADER_WORDS.search(pre[i - 1]) or len(pre[i - 1]) <= 12):
        i -= 1
    title = pre[i - 1] if i > 0 else (pre[0] if pre else "")
    return title[:30], pre[i:]


def _continues_figure(row: Row, text: str) -> bool:
    last = row.cells[-1].text if row.cells else ""
    return "." in last and text.isdigit() and len(text) <= 2


def _join_into(doc: models.Document, row: Row, ln: segment.Line, offset: int, unit: str) -> None:
    """Rebuild the last cell of ``row`` over two lines ("9.3" + "8" → 9.38)."""
    last = row.cells[-1]
    start = _view_index(doc, last.span.start)
    if start is not None:
        row.cells[-1] = _cell(doc, start, offset + len(ln.stripped), unit, wrapped=True)


def _view_index(doc: models.Document, raw_offset: int) -> int | None:
    import bisect

    i = bisect.bisect_left(doc.view.offsets, raw_offset)
    return i if i < len(doc.view.offsets) and doc.view.offsets[i] == raw_offset else None


# ---------------------------------------------------------------- claims


def claims_from(tables: list[Table]) -> list[models.Claim]:
    """Claims the tables state, in document order.

    A self-evaluation sheet prints its execution row (预算数 … 执行率 得分) above
    the indicator rows, often with prose in between; its score still counts
    towards the sheet's 总分, so it is carried to the next score sheet.
    """
    out: list[models.Claim] = []
    carried: list[tuple[models.Quantity, models.Quantity]] = []
    previous: Table | None = None
    for table in sorted(tables, key=lambda t: t.first_line):
        if table.layout == "cells":
            out.extend(_row_crosscasts(table))
            if previous is not None:
                out.extend(_balances(previous, table))
            previous = table
        elif table.layout == "tabs" and table.rows:
            # A header that names its last column 小计/合计 cross-casts tab tables too.
            out.extend(_row_crosscasts(table, named_only=True))
        execution = list(_execution_rows(table))
        out.extend(execution)
        own = [(c.weight, c.awarded) for c in execution
               if isinstance(c, models.ScoreClaim) and c.weight is not None]
        sheet = _is_score_sheet(table)
        has_total = any(r.is_sheet_total if sheet else r.is_score_total for r in table.rows)
        if sheet and not (own and not has_total):
            out.extend(_score_sheet(table, [] if own else carried))
            if has_total:
                carried = []
        else:
            # The funding block of a flattened 自评表 mixes amounts with 分值 and
            # 执行率 in one row and its header cannot be aligned: not footed.
            if table.layout != "rows" or not re.search(r"分值|得分|执行率", " ".join(table.header)) \
                    or _aligned_rate_table(table):
                out.extend(_column_footings(table))
            out.extend(_data_mentions(table))
            out.extend(_header_ratios(table))
        if own and not has_total:
            carried = own
    return out


def _aligned_rate_table(table: Table) -> bool:
    """"资金用途 到位资金 实际支出 执行率" over rows of exactly one figure per
    column: a budget table with a rate column, not a 自评表 funding block."""
    header = " ".join(table.header)
    if re.search(r"分值|得分", header):
        return False
    words = header.split()
    return len(words) >= 3 and bool(table.rows) and all(
        len(r.cells) == len(words) - 1 for r in table.rows)


def _is_score_sheet(table: Table) -> bool:
    return any("得分" in "".join(r.header) for r in table.rows) or any(
        r.is_score_total for r in table.rows)


class _SheetWords:
    """:func:`_opens_sheet` of a growing block, updated one line at a time."""

    __slots__ = ("tail", "score", "key", "total_row")

    def __init__(self) -> None:
        self.tail = ""  # the last character, for a word split over two lines
        self.score = self.key = self.total_row = False

    def add(self, stripped: str) -> None:
        text = self.tail + stripped
        self.score = self.score or "得分" in text
        self.key = self.key or "分值" in text or "指标" in text
        self.total_row = self.total_row or stripped.startswith("总分")
        if text:
            self.tail = text[-1]

    @property
    def opens(self) -> bool:
        return self.score and self.key


def _opens_sheet(lines: list[str]) -> bool:
    text = "".join(lines)
    return "得分" in text and ("分值" in text or "分\n值" in text or "指标" in text)


def _indicator_name(label: str) -> str:
    name = _GROUP_WORDS.sub("", label)
    return name.strip(" ：:") or label


def _as_score(q: models.Quantity) -> models.Quantity:
    return q.model_copy(update={"unit": "分", "exact": q.decimals == 0})


_FIRST_ITEM = re.compile(r"^\s*(?:1[、.．](?!\d)|[（(]1[）)])")


def _children(rows: list[Row], i: int) -> tuple[list[Row], bool]:
    """Rows that row ``i`` totals, and whether they are all of its parts.

    A bottom 合计 totals every earlier row, a top 合计/汇总 every later one; a
    category row followed by "1、…" totals its numbered items; a row followed by
    "其中：" rows has those as a selection of its parts (not exhaustive).
    """
    row = rows[i]
    same = [r for r in rows if r.header == row.header]
    rows, i = same, same.index(row)
    nxt = rows[i + 1] if i + 1 < len(rows) else None
    if row.is_total and nxt is not None and nxt.is_sub:
        pass  # "年度资金总额" followed by "其中：中央补助 / 省级资金 / …": read below
    elif row.is_total:
        if i > 0 and (not rows[i - 1].is_total or SUBTOTAL_ROW.search(rows[i - 1].label)):
            return _top_level(_rows_above(rows, i)), True
        return _top_level([r for r in rows[i + 1:] if not r.is_sub and not r.is_total]), True
    if nxt is None:
        return [], True
    # "2.公务用车购置及运行维护费" over "（1）购置费" and "（2）运行维护费": an item and its parts.
    if _OUTLINE_TOP.match(row.label) and _OUTLINE_SUB.match(nxt.label):
        subs = []
        for r in rows[i + 1:]:
            if not _OUTLINE_SUB.match(r.label):
                break
            subs.append(r)
        return subs, True
    if _FIRST_ITEM.match(nxt.label) and not row.is_item:
        items = []
        for r in rows[i + 1:]:
            if r.is_item:
                items.append(r)
            elif r.is_total or _FIRST_ITEM.match(r.label) or (r.label and not r.is_sub
                                                               and not items[-1:]):
                break
            elif r.label.endswith(("：", ":")):
                break
        return items, True
    if nxt.is_sub:
        subs = [nxt]
        for r in rows[i + 2:]:
            if r.is_item or r.is_total or r.is_sub or r.label.endswith(("：", ":")):
                break
            subs.append(r)
        return subs, False
    return [], True


_OUTLINE_TOP = re.compile(r"^\s*\d{1,2}[、.．](?!\d)")
_OUTLINE_SUB = re.compile(r"^\s*[（(]\d{1,2}[）)]")


def _top_level(rows: list[Row]) -> list[Row]:
    """"1.…" rows without their "（1）…" sub-rows: a total adds its items, not
    an item and its own parts twice."""
    if any(_OUTLINE_TOP.match(r.label) for r in rows) and any(_OUTLINE_SUB.match(r.label)
                                                             for r in rows):
        return [r for r in rows if not _OUTLINE_SUB.match(r.label)]
    return rows


def _rows_above(rows: list[Row], i: int) -> list[Row]:
    """Parts of a total printed below its rows.

    A 小计 totals the rows since the previous total; a grand total adds up its
    小计 rows and the rows no 小计 covers, never a 小计 and its own rows twice.
    """
    if SUBTOTAL_ROW.search(rows[i].label):
        start = max((k + 1 for k in range(i) if rows[k].is_total), default=0)
        return [r for r in rows[start:i] if not r.is_sub]
    parts: list[Row] = []
    for r in rows[:i]:
        if r.is_sub or (r.is_total and not SUBTOTAL_ROW.search(r.label)):
            continue
        parts.append(r)
    # Rows a later 小计 took are not parts of the grand total themselves.
    covered: set[int] = set()
    run: list[Row] = []
    for r in rows[:i]:
        if r.is_sub:
            continue
        if r.is_total:
            if SUBTOTAL_ROW.search(r.label):
                covered.update(id(x) for x in run)
            run = []
        else:
            run.append(r)
    return [r for r in parts if id(r) not in covered]


# Cells that mean "nothing here" in Chinese tables, like an empty cell.
_BLANK = re.compile(r"^(?:—+|-+|/|无|－|–)?$")
# Columns that hold weights, scores or rates: never sums of the rows above.
# Columns that do not add up: scores, rates, and growth printed without its % ("增长%").
_NOT_A_SUM = re.compile(r"分值|得分|率|[%％]|增长|增幅|增速|同比")


def _column_footings(table: Table) -> Iterator[models.BreakdownClaim]:
    rows = table.rows
    width = max((len(r.cells) for r in rows), default=0)
    for i, row in enumerate(rows):
        children, exhaustive = _children(rows, i)
        if len(children) < (2 if exhaustive else 1):
            continue
        names = _column_names(row.header, len(row.cells))
        for col in range(width):
            total = row.figure(col)
            if total is None or total.unit == "%":
                continue
            header = names[col] if names and col < len(names) else None
            if header and _NOT_A_SUM.search(header):
                continue
            parts = [r.figure(col) for r in children]
            stated = [p for p in parts if p is not None]
            # Blank cells are zeros; with blanks one stated part may carry the total.
            if not stated or (len(stated) < 2 and len(children) < 2) or any(
                    p.unit == "%" for p in stated):
                continue
            # A cell with text among the parts: the column is not a sum.
            if any(not _BLANK.match(r.cells[col].text) for r, p in zip(children, parts)
                   if p is None and col < len(r.cells)):
                continue
            yield models.BreakdownClaim(
                total=total, parts=tuple(stated),
                part_labels=tuple(r.label for r, p in zip(children, parts) if p is not None),
                label=row.label, exhaustive=exhaustive, column=header,
                table=table.title or "表格",
            )


def _data_mentions(table: Table) -> Iterator[models.MentionClaim]:
    """Rates in data tables ("编制数 在职人数 控制率 / 34 29 85%") as named values.

    A column read in one row names one metric (the first header cell says what
    of). A column with a rate in several rows gives one metric per row: "A项目
    95%" and "B项目 90%" under 执行率 are two projects, not one rate stated
    twice. Such a row's rate is named by its label ("A项目执行率"), compared with
    the narrative but not with another table's row of the same label (two
    project sheets both have a 年度资金总额 row), and left out when the row has
    no label to name it by.
    """
    aligned_rows = [r for r in table.rows if len(r.header) == len(r.cells)]
    for row in aligned_rows:
        for idx, cell in enumerate(row.cells):
            q = cell.quantity
            if q is None or q.unit != "%":
                continue
            name = row.header[idx]
            if "率" not in name:
                continue  # only a named rate column says what its figures measure
            column_rows = [r for r in aligned_rows if r.header == row.header
                           and r.figure(idx) is not None and r.figure(idx).unit == "%"]
            scope = ""
            if len(column_rows) > 1:
                label = _indicator_name(row.label).strip()
                if not label or row.is_sub or (row.is_total and not label.endswith("率")):
                    continue
                name = label if label.endswith(name) else label + name
                scope = f"table@{table.first_line}"
            key = metrics.metric_key(name)
            if name and key is None and not scope:
                # "财政供养人员情况(人) | 编制数 | 在职人数 | 控制率": the first header cell
                # names what the rate is of.
                name = row.header[0] + name
                key = metrics.metric_key(name)
            if key:
                yield models.MentionClaim(metric=key, value=q, label=name, table=table.title,
                                          scope=scope)


# Data-driven relations must hold in all rows but this many, over at least
# _MIN_ROWS rows, before a row that breaks them is reported.
_MAX_BREAKING_ROWS = 1
_MIN_ROWS = 4
_MAX_PARTS = 5


def _sum_holds(total: models.Quantity | None, parts: list[models.Quantity | None]) -> bool:
    if total is None or any(p is None for p in parts):
        return False
    acc = quantities.Interval(Decimal(0), Decimal(0))
    for p in parts:
        acc = acc + quantities.interval_of(p, total.unit or None)
    return quantities.interval_of(total).overlaps(acc)


def _row_crosscasts(table: Table, *, named_only: bool = False) -> Iterator[models.BreakdownClaim]:
    """Each row's total column against its component columns.

    With a header whose first column is a 合计, the other columns are its
    parts. Without one (multi-level headers), a column that equals the sum of
    a few later columns in every row but at most one is taken as such a total.
    """
    rows = [r for r in table.rows if r.cells]
    width = min(len(r.cells) for r in rows)
    header = rows[0].header
    relations: list[tuple[int, tuple[int, ...], bool]] = []
    if header and len(header) == width and re.search(r"合计|总计|小计", header[0]) \
            and not named_only:
        relations.append((0, tuple(range(1, width)), False))
    elif header and len(header) == width and re.fullmatch(r"\s*(?:合计|总计|小计)\s*", header[-1]):
        # "项目 甲 乙 丙 小计": the last column totals the figure columns before it.
        parts = tuple(j for j in range(width - 1)
                      if not _NOT_A_SUM.search(header[j])
                      and any(r.figure(j) is not None for r in rows))
        if len(parts) >= 2:
            relations.append((width - 1, parts, False))
    elif len(rows) >= _MIN_ROWS and not named_only:
        for c in range(width - 2):
            found = None
            for size in range(2, min(_MAX_PARTS, width - c - 1) + 1):
                for subset in itertools.combinations(range(c + 1, width), size):
                    holds = [_sum_holds(r.figure(c), [r.figure(j) for j in subset]) for r in rows]
                    informative = sum(1 for r in rows if r.figure(c) and r.figure(c).value != 0
                                      and sum(1 for j in subset if r.figure(j)
                                              and r.figure(j).value != 0) >= 2)
                    if holds.count(False) <= _MAX_BREAKING_ROWS and informative >= 2:
                        found = subset
                        break
                if found:
                    break
            if found:
                relations.append((c, found, True))
    for c, subset, inferred in relations:
        for r in rows:
            total, parts = r.figure(c), [r.figure(j) for j in subset]
            if total is None or any(p is None for p in parts):
                continue
            yield models.BreakdownClaim(
                total=total, parts=tuple(parts),
                part_labels=tuple(header[j] if len(header) == width else f"第{j + 1}列"
                                  for j in subset),
                label=r.label, column=header[c] if len(header) == width else f"第{c + 1}列",
                inferred=inferred, table=table.title or "表格",
            )


def _balances(first: Table, second: Table) -> Iterator[models.DifferenceClaim]:
    """收入合计 − 支出合计 = 结余 across two tables with the same rows."""
    labels = [r.label for r in first.rows]
    if labels != [r.label for r in second.rows] or len(labels) < _MIN_ROWS:
        return
    width = min(len(r.cells) for r in second.rows)
    for j in range(1, width):
        holds = []
        for a_row, b_row in zip(first.rows, second.rows):
            a, b, d = a_row.figure(0), b_row.figure(0), b_row.figure(j)
            if a is None or b is None or d is None:
                holds.append(False)
                continue
            rng = quantities.interval_of(a) - quantities.interval_of(b, a.unit or None)
            holds.append(quantities.interval_of(d, a.unit or None).overlaps(rng))
        if holds.count(False) > _MAX_BREAKING_ROWS:
            continue
        for a_row, b_row in zip(first.rows, second.rows):
            a, b, d = a_row.figure(0), b_row.figure(0), b_row.figure(j)
            if a is not None and b is not None and d is not None:
                yield models.DifferenceClaim(stated=d, a=a, b=b, label=f"{a_row.label} 结余",
                                             table=second.title or "表格")
        return


_GROWTH_HEADER = re.compile(r"增长率|增速|增幅|增减率|变动率|同比")
_YEAR_IN = re.compile(r"((?:19|20)\d\d)\s*年")


def _column_names(header: list[str], ncells: int) -> list[str] | None:
    """The header's names of a row's figure cells, when they can be aligned: one
    name per cell, after the label column's name if the header prints it (the
    header line is the last one; a title may stand above it)."""
    candidates = [[h.strip() for h in header]] + [h.split() for h in reversed(header)]
    for names in candidates:
        if len(names) == ncells + 1:
            return names[1:]
        if len(names) == ncells:
            return names
    return None


_DIFF_NAME = re.compile(r"增减额|增减金额|变动额|增加额|差额|^增减$")
_THIS_YEAR = re.compile(r"本年|本期|当年")
_LAST_YEAR = re.compile(r"上年|上期|去年")


def _year_pair(names: list[str] | None, cells: list, i: int
               ) -> tuple[models.Quantity, models.Quantity, models.Quantity | None] | None:
    """(this year's, last year's, the change column's) figures for the rate at ``i``."""
    if names is None:
        return None
    k1, diff = i - 1, None
    if _DIFF_NAME.search(names[i - 1]) and i >= 3:
        k1, diff = i - 2, cells[i - 1].quantity
    k0 = k1 - 1
    a, b = cells[k0].quantity, cells[k1].quantity
    if a is None or b is None or "%" in (a.unit, b.unit):
        return None
    ya, yb = _YEAR_IN.search(names[k0]), _YEAR_IN.search(names[k1])
    if ya and yb and abs(int(ya.group(1)) - int(yb.group(1))) == 1:
        return (a, b, diff) if int(ya.group(1)) > int(yb.group(1)) else (b, a, diff)
    if _THIS_YEAR.search(names[k0]) and _LAST_YEAR.search(names[k1]):
        return a, b, diff
    if _LAST_YEAR.search(names[k0]) and _THIS_YEAR.search(names[k1]):
        return b, a, diff
    return None


def _header_ratios(table: Table) -> Iterator[models.RatioClaim]:
    """"编制数 实际在职人数 控制率 / 34 29 85%": a rate column after its two inputs."""
    for row in table.rows:
        cells = row.cells
        for i in range(2, len(cells)):
            rate, num, den = cells[i].quantity, cells[i - 1].quantity, cells[i - 2].quantity
            if rate is None or num is None or den is None or rate.unit != "%":
                continue
            if num.unit == "%" or den.unit == "%":
                continue
            header = " ".join(row.header)
            if "率" not in header and not _GROWTH_HEADER.search(header):
                continue
            if "预算" in header:
                continue
            names = _column_names(row.header, len(cells))
            rate_header = names[i] if names else (row.header[i] if i < len(row.header) else header)
            if _GROWTH_HEADER.search(rate_header):
                # "2022年 2023年 增长率": the rate column is growth on the column before;
                # "2024年 2023年 增减额 增减率" prints this year first and the change
                # between: the header's years say which column is which.
                pair = _year_pair(names, cells, i)
                if pair is None:
                    if len(_YEAR_IN.findall(header)) >= 2 or _DIFF_NAME.search(header):
                        continue  # the columns cannot be told apart: leave the row
                    yield models.GrowthClaim(stated=rate, current=num, previous=den,
                                             label=row.label or "增长率", table=table.title or "表格")
                    continue
                cur, prev, diff = pair
                if diff is not None:
                    yield models.DifferenceClaim(stated=diff, a=cur, b=prev,
                                                 label=f"{row.label}增减额",
                                                 table=table.title or "表格")
                yield models.GrowthClaim(stated=rate, current=cur, previous=prev,
                                         label=row.label or "增长率", table=table.title or "表格")
                continue
            yield models.RatioClaim(stated=rate, numerator=num, denominator=den,
                                    label=row.label or "控制率", table=table.title or "表格")


def _score_sheet(table: Table, carried: list[tuple[models.Quantity, models.Quantity]]
                 ) -> Iterator[models.Claim]:
    """Indicator rows (分值, 得分, 实际完成值) and the sheet's 总分 row."""
    scored: list[tuple[models.Quantity, models.Quantity]] = list(carried)
    group_start = len(scored)
    merged: list[tuple[int, str]] = []
    scope = f"sheet@{table.first_line}"
    for row in table.rows:
        figs = [c.quantity for c in row.cells if c.quantity is not None]
        if row.is_sheet_total:
            weight, score = _total_cells(table, row, figs)
            if score is not None and len(scored) >= 2:
                yield _score_total(table, score, [s for _, s in scored], row.label)
                if weight is not None:
                    yield _score_total(table, weight, [w for w, _ in scored], row.label)
            scored = []
            group_start = 0
            continue
        if len(figs) >= 5 and not any(q.unit == "%" for q in figs):
            continue  # a funding-source row of the execution table (资金来源 … 分值 得分)
        if any(q.unit == "%" for q in figs) and len(figs) >= 5:
            # The execution row (预算数 … 执行率 得分) counts towards the total.
            if table.layout != "tabs" and len(figs) >= 6:
                scored.append((_as_score(figs[-3]), _as_score(figs[-1])))
            elif table.layout == "tabs":
                w, a = row.figure(row.column("分值")), row.figure(row.column("得分", last=True))
                if w is not None and a is not None:
                    scored.append((_as_score(w), _as_score(a)))
            continue
        # A group's 小计 row ("过程小计 25 22.56") totals the group's rows since the
        # previous 小计; it is not an indicator of its own.
        if SUBTOTAL_ROW.search(row.label):
            group = scored[group_start:]
            weight, score = _total_cells(table, row, figs)
            if score is not None and len(group) >= 2:
                yield _score_total(table, score, [a for _, a in group], row.label)
                if weight is not None:
                    yield _score_total(table, weight, [w for w, _ in group], "分值" + row.label)
            group_start = len(scored)
            continue
        # Nor is a funding source row under 年度资金总额.
        if _FUND_SOURCE_ROW.search(row.label):
            continue
        weight, awarded, actual, rule, rate, target = _score_cells(table, row, figs)
        if weight is None or awarded is None or "%" in (weight.unit, awarded.unit):
            continue
        # A 执行率 column beside 分值 and 得分 means the score is rate × weight (JX503),
        # unless the row prints its own rule, which JX504 checks instead.
        if rate is not None and (rate.unit != "%" or (rule is not None and rule.text)):
            rate = None
        if _merged_score(table, row):
            table_note = (row.line, row.label)
            merged.append(table_note)
            continue
        name = _indicator_name(row.label)
        scored.append((weight, awarded))
        yield models.ScoreClaim(
            awarded=awarded, weight=weight, label=name,
            rule=rule.text if rule is not None and rule.text else None,
            rule_span=rule.span if rule is not None and rule.text else None,
            formula=_formula_cell(row), indicator_value=actual, execution_rate=rate,
            indicator_target=target,
            table=table.title or "评分表")
        if actual is not None and name:
            if not actual.unit and name.endswith("率"):
                actual = actual.model_copy(update={"unit": "%"})
            key = metrics.metric_key(name)
            if key:
                yield models.MentionClaim(metric=key, value=actual, label=name, scope=scope,
                                          table=table.title or "评分表")


_FUND_SOURCE_ROW = re.compile(r"^(?:其中[:：]?\s*)?(?:当年|本年)?(?:财政拨款|上年结转|其他资金)")


def _merged_score(table: Table, row: Row) -> bool:
    """得分 in a merged cell: the next row has its 分值 but no figure after it."""
    if table.layout != "tabs":
        return False
    idx = table.rows.index(row)
    nxt = table.rows[idx + 1] if idx + 1 < len(table.rows) else None
    if nxt is None or nxt.is_total or nxt.is_sheet_total or nxt.header != row.header:
        return False
    weight_i = nxt.column("分值", last=True)
    if weight_i is None or nxt.figure(weight_i) is None:
        return False
    return not any(c.quantity for c in nxt.cells[weight_i + 1:])


# Column names of a score sheet, most specific first. The indicator's value is
# the achieved one (实际完成值); 年度指标值 is the target and never taken as it,
# but a sheet that prints one value column and calls it 指标值 means the actual.
_RULE_COLUMNS = ("评价标准", "评分标准", "评分规则", "计分方法", "评分细则", "评分方法")
_VALUE_COLUMNS = ("实际完成值", "全年完成值", "完成值", "实际值", "完成情况", "评价情况", "评价结果")
_TARGET_COLUMN = re.compile(r"年度|目标|计划|预期")


def _first_column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        hit = next((i for i, h in enumerate(header) if name in h), None)
        if hit is not None:
            return hit
    return None


def _value_column(header: list[str]) -> int | None:
    hit = _first_column(header, _VALUE_COLUMNS)
    if hit is not None:
        return hit
    return next((i for i, h in enumerate(header)
                 if "指标值" in h and not _TARGET_COLUMN.search(h)), None)


def _target_column(header: list[str]) -> int | None:
    """年度指标值 / 目标值: the value the indicator was to reach."""
    value_i = _value_column(header)
    return next((i for i, h in enumerate(header) if i != value_i
                 and re.search(r"年度指标值|目标值|计划值|年度目标", h)
                 and not re.search(r"实际|完成", h)), None)


def _aligned_header(table: Table, row: Row) -> list[str] | None:
    """Column names of ``row.cells``, or None when they cannot be paired.

    Tab and cell tables name every cell; a flattened row holds only figures, so
    its header ("三级指标 分值 执行率 得分", or one cell per line) pairs with them
    when it has exactly one more column, the label's.
    """
    header = row.header
    if table.layout in ("tabs", "cells"):
        return header if header and len(header) == len(row.cells) else None
    words = header[0].split() if len(header) == 1 else list(header)
    if len(words) == len(row.cells) + 1:
        return words[1:]
    return None


def _score_cells(table: Table, row: Row, figs: list[models.Quantity]):
    """(weight, awarded, indicator value, rule text, execution rate, target) of one row."""
    none = None, None, None, None, None, None
    if table.layout == "tabs":
        score_i = row.column("得分", last=True)
        weight_i = None
        if score_i is not None:
            weight_i = max((i for i, h in enumerate(row.header[:score_i]) if "分值" in h),
                           default=None)
        awarded, weight = row.figure(score_i), row.figure(weight_i)
        if weight is None:
            return (*_shifted_score_cells(row), None, None)
        if awarded is None and weight is not None:
            # A row that lost an empty cell (no 指标说明): its score is its last figure.
            last = max((i for i, c in enumerate(row.cells) if c.text), default=None)
            if last is not None and last > (weight_i or 0) + 1:
                awarded = row.figure(last)
        if awarded is None or weight is None or row.is_sub:
            return none
        actual = row.figure(_value_column(row.header))
        rule_i = _first_column(row.header, _RULE_COLUMNS)
        rule = row.cells[rule_i] if rule_i is not None and rule_i < len(row.cells) else None
        rate = row.figure(_first_column(row.header, _RATE_COLUMNS))
        target = row.figure(_target_column(row.header))
        return _as_score(weight), _as_score(awarded), actual, rule, rate, target
    if row.is_sub:
        return none
    named = _aligned_header(table, row)
    if named is not None:
        score_i = max((i for i, h in enumerate(named) if "得分" in h), default=None)
        weight_i = max((i for i, h in enumerate(named[:score_i or 0]) if "分值" in h),
                       default=None)
        weight, awarded = row.figure(weight_i), row.figure(score_i)
        if weight is not None and awarded is not None and "%" not in (weight.unit, awarded.unit):
            actual = row.figure(_value_column(named))
            rate = row.figure(_first_column(named, _RATE_COLUMNS))
            target = row.figure(_target_column(named))
            return _as_score(weight), _as_score(awarded), actual, None, rate, target
    if len(figs) < 2 or any(q.unit not in ("", "分") for q in figs[-2:]):
        return none
    actual = figs[-3] if len(figs) >= 4 else None
    return _as_score(figs[-2]), _as_score(figs[-1]), actual, None, None, None


def _shifted_score_cells(row: Row):
    """A row that lost a cell before its 分值: weight is the first figure after the
    indicator name, the score the last figure, the rule the longest text between."""
    figs = [i for i, c in enumerate(row.cells) if c.quantity is not None]
    names = [i for i, c in enumerate(row.cells) if c.text and c.quantity is None
             and len(c.text) <= 20 and (not figs or i < figs[-1])]
    if len(figs) < 2 or not names:
        return None, None, None, None
    after = [i for i in figs if i > names[0]]
    if len(after) < 2:
        return None, None, None, None
    w, a = after[0], after[-1]
    texts = [row.cells[i] for i in range(w + 1, a) if row.cells[i].text]
    rule = max(texts, key=lambda c: len(c.text)) if texts else None
    return _as_score(row.cells[w].quantity), _as_score(row.cells[a].quantity), None, rule


def _formula_cell(row: Row) -> str | None:
    idx = row.column("指标说明")
    return row.cells[idx].text if idx is not None and idx < len(row.cells) else None


def _total_cells(table: Table, row: Row, figs: list[models.Quantity]
                 ) -> tuple[models.Quantity | None, models.Quantity | None]:
    """(weight total, score total) of a sheet's total row.

    A tab sheet names its columns; a flattened row ends with 分值 then 得分
    ("总分 100 90.88"), or holds the score alone.
    """
    named = table.layout == "tabs" and len(row.header) == len(row.cells)
    if named:
        score_i = row.column("得分", last=True)
        weight_i = row.column("分值")
        score = row.figure(score_i)
        if score is not None:
            weight = row.figure(weight_i) if weight_i is not None and weight_i < score_i else None
            return weight, score
    # Merged cells shift a total row's figures off its header (report 004's
    # "总分\t\t\t\t\t100\t85"): weight then score, last.
    if len(figs) >= 2:
        return figs[-2], figs[-1]
    # A lone figure off the 得分 column of a named 合计 row may be its weight.
    if figs and (row.is_score_total or not named):
        return None, figs[-1]
    return None, None


def _score_total(table: Table, total: models.Quantity,
                 parts: list[models.Quantity], label: str = "总分") -> models.BreakdownClaim:
    return models.BreakdownClaim(total=_as_score(total), parts=tuple(parts),
                                 label=label.strip(" ：:") or "总分",
                                 table=table.title or "评分表")


# Column names of an execution table, most specific first. The rate is against
# the full-year (adjusted) budget, so 年初预算 is never taken as the budget: a
# sheet printing both 年初预算数 and 全年预算数 divides by the latter, and one
# printing only 年初预算数 does not say which budget its rate uses.
_BUDGET_COLUMNS = ("调整后预算", "全年预算", "预算数（A）", "预算数(A)", "预算数", "预算")
_ACTUAL_COLUMNS = ("全年执行数", "执行数", "决算数", "实际支出", "支出数", "支出", "执行金额",
                   "决算")
_RATE_COLUMNS = ("执行率", "支出率")


def _execution_columns(header: list[str]) -> tuple[int | None, int | None, int | None]:
    """(budget, actual, rate) column indexes of an execution table's header.

    Header words vary between reports ("预算 / 支出 / 执行率", "全年预算数 /
    全年执行数 / 执行率", "调整后预算 / 实际支出 / 支出率"); each role takes the
    first column that names its most specific word. A column naming a rate is
    never the budget or the actual (预算执行率 contains 预算).
    """
    def find(names: tuple[str, ...], taken: set[int], *, rate: bool = False) -> int | None:
        for name in names:
            for i, h in enumerate(header):
                if i in taken or name not in h or ("率" in h) != rate:
                    continue
                if not rate and "年初" in h:
                    continue
                return i
        return None

    rate_i = find(_RATE_COLUMNS, set(), rate=True)
    budget_i = find(_BUDGET_COLUMNS, {rate_i} - {None})
    actual_i = find(_ACTUAL_COLUMNS, {rate_i, budget_i} - {None})
    return budget_i, actual_i, rate_i


def _execution_rows(table: Table) -> Iterator[models.Claim]:
    """预算数 / 执行数 / 执行率 (/ 分值 / 得分) rows of self-evaluation sheets.

    Tab tables name their columns; flattened rows follow the fixed order of the
    standard 自评表: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分.
    """
    for row in table.rows:
        figs = [c.quantity for c in row.cells if c.quantity is not None]
        if sum(q.unit == "%" for q in figs) != 1:
            continue
        if table.layout == "tabs":
            budget_i, actual_i, rate_i = _execution_columns(row.header)
            budget, actual, rate = row.figure(budget_i), row.figure(actual_i), row.figure(rate_i)
            weight = row.figure(row.column("分值"))
            score = row.figure(row.column("得分", last=True))
        elif (named := _aligned_header(table, row)) is not None \
                and None not in _execution_columns(named):
            # "项目 预算 支出 执行率" over "农技推广 380.00 352.13 93.67%": the header
            # pairs with the figures, so the columns are found by name.
            budget_i, actual_i, rate_i = _execution_columns(named)
            budget, actual, rate = row.figure(budget_i), row.figure(actual_i), row.figure(rate_i)
            weight = row.figure(_first_column(named, ("分值",)))
            score = row.figure(max((i for i, h in enumerate(named) if "得分" in h), default=None))
        else:
            p = next(i for i, q in enumerate(figs) if q.unit == "%")
            if p != 4 or len(figs) not in (5, 6):
                continue
            _, budget, actual, weight, rate = figs[:5]
            score = figs[5] if len(figs) == 6 else None
        if budget is None or actual is None or rate is None or rate.unit != "%":
            continue
        if budget.unit == "%" or actual.unit == "%":
            continue
        name = _indicator_name(row.label)
        yield models.RatioClaim(stated=rate, numerator=actual, denominator=budget,
                                label=(name if name.endswith("率") else name + "执行率")
                                if name else "执行率",
                                table=table.title or "自评表")
        # The 年度资金总额 row states the project's budget and outturn, which the
        # narrative restates (concept facts, see extract/concepts.py).
        if "资金总额" in row.label and "全年预算" in "".join(row.header):
            for key, q in (("全年预算数", budget), ("全年执行数", actual)):
                if not q.unit and table.unit:
                    q = q.model_copy(update={"unit": table.unit, "exact": False})
                yield models.MentionClaim(metric=f"concept:{key}", value=q, label=key,
                                          table=table.title or "自评表")
        if weight is not None and score is not None and weight.unit != "%" and score.unit != "%":
            yield models.ScoreClaim(awarded=_as_score(score), weight=_as_score(weight),
                                    execution_rate=rate, label="预算执行率",
                                    table=table.title or "自评表")
