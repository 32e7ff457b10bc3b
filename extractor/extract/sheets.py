"""Self-evaluation sheets (自评表 / 评分表) read from their template, in any layout.

The national templates (部门整体 / 项目支出绩效自评表, third-party 评分表) fix
what a sheet holds, whatever the province or the export tool did to it:

* a funding block: a header ``年初预算数 全年预算数 全年执行数 分值 执行率 得分``
  (some columns may be missing) over a ``年度资金总额`` row and its sources
  ``其中：财政拨款 / 上年结转 / 其他资金``;
* indicator rows under a header naming, in some order, the indicator
  (三级指标 / 指标名称), 分值, a scoring rule (评分标准), the target
  (年度指标值), the achieved value (实际完成值) and 得分, grouped under
  一级指标 labels that may carry their weight ("产出指标(50分)");
* a 总分 / 合计 row.

Exports flatten the grid in many ways: one cell per line (PDF), cells between
pipes (web pages), runs of spaces (``pdftotext -layout``), tabs, single spaces,
or a whole sheet on one line with cells run together. This reader does not
rebuild the grid geometrically. It turns the sheet into a stream of cells,
types each cell (a bare number, a figure with a unit or comparator, text, a
group weight), and matches records against the column order the header
prints. What does not match the template is left alone: a sheet that cannot
be read yields no claim, never a guess.

Every pairing here is structural (a row and its header), so the claims are
not ``inferred``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from decimal import Decimal

from extractor import models, patterns, quantities, segment

__all__ = ["Cell", "cells", "claims_of", "quantity_of"]

# Column roles and the header words that name them, most specific first.
_ROLES: tuple[tuple[str, str], ...] = (
    ("reason", r"偏差原因[^\s|]{0,12}|未完成原因[^\s|]{0,12}|原因分析[^\s|]{0,8}|改进措施|备注"),
    ("rule", r"评价标准|评分标准|评分规则|计分方法|评分细则|评分方法|得分计算方法"),
    ("target", r"年度指标值|预期指标值(?:[（(]A[)）])?|年初指标值|全年指标值|目标值|计划值"),
    ("actual", r"实际完成指标值(?:[（(]B[)）])?|实际完成值|全年实际值|实际完成情况|完成值|实际值|"
               r"评价情况|评价结果"),
    ("weight", r"指标分值|分值|权重"),
    ("score", r"自评得分|评价得分|得分"),
    ("name", r"三级指标|指标名称|具体指标"),
)
_ROLE_RE = re.compile("|".join(f"(?P<{role}>{src})" for role, src in _ROLES))
# 指标值 alone (no 年度/目标) is the value the sheet reports as achieved.
_PLAIN_VALUE = re.compile(r"(?<![年度期目标划初全])指标值")

_FUND_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", r"年初预算数?"),
    # "全年(调整)预算数" whatever the bracket holds (OCR garbles it: "全年(If整)预算数").
    ("budget", r"全年(?:[（(][^（()）]{1,4}[)）])?预算数?|调整后预算数?|全年预算"),
    ("actual", r"全年执行数?|全年执行|执行数"),
    # 部门整体 and some provincial templates print the weight after the rate as
    # "执行率权重" / "权重" (年初预算数 … 执行率 执行率权重 执行率得分).
    ("weight", r"分值|权重"),
    ("rate", r"执行率"),
    ("score", r"得分"),
)
# "总额" alone is the row label of some provincial templates (年初预算 调整后预算数 …).
_FUND_TOTAL = re.compile(r"年度资金总额|资金总额|^\s*总额[:：]?\s*$")
# A source label may be wrapped in its cell ("其中：当年财政" over "拨款").
_FUND_SOURCES = re.compile(
    r"(?:其中[:：]?\s*)?(?:(?:当年|本年)?财政(?:拨款|资金)?|上年结转(?:资金)?|其他资金|"
    r"财政专户管理资金|单位资金)")

_FIGURE = re.compile(
    r"(?P<cmp>[≥≤><＞＜]=?)?\s*(?P<num>[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(?P<unit>%|万元|亿元|元|万|分)?")
_BARE = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?分?")
_GROUP_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_CJK = re.compile(r"[^\W\d_a-zA-Z]")
# A cell that starts with a figure but scores it is a rule ("100%计满分").
_RULE_WORDS = re.compile(r"计|扣|满分|得分|不得分|[，。；;]|,(?!\d{3})")
_TOTAL_LABEL = re.compile(r"^(?:总分|合计|总计|合计得分|得分合计|总得分|综合得分)[:：]?$")
_SUBTOTAL = re.compile(r"小计")
# "1.会议费", "2、接待费": a numbered label, not a figure with a unit.
_OUTLINE = re.compile(r"\s*\d{1,2}[、.．](?!\d)")
_EMPTY = re.compile(r"^[\s\-—－/／…]*$")
# The most indicator rows one sheet is read for (a cap that keeps the matching
# linear on hostile input; the largest real sheets have about 40).
_MAX_CELLS = 4000


@dataclasses.dataclass
class Cell:
    text: str
    start: int  # offsets in Document.view
    end: int
    kind: str = "T"  # N bare number, F figure, T text, G group weight, E empty

    def __post_init__(self) -> None:
        t = self.text
        if _EMPTY.match(t):
            self.kind = "E"
        elif _BARE.fullmatch(t):
            self.kind = "N"
        elif _GROUP_WEIGHT.fullmatch(t):
            self.kind = "G"
        elif _FIGURE.fullmatch(t) or (
                len(t) <= 16 and re.match(r"[≥≤><＞＜]?\s*\d", t)
                and len(_CJK.findall(t)) <= 4 and not _RULE_WORDS.search(t)
                and not _OUTLINE.match(t)):
            self.kind = "F"


def claims_of(doc: models.Document) -> list[models.Claim]:
    """Claims of every self-evaluation sheet of ``doc``."""
    lines = segment.lines_of(doc)
    out = list(_read(doc, cells(doc, lines, atomize=False), loose=False))
    # Lines whose cells are separated (tabs, pipes, runs of spaces) were read
    # above; the rest may hold a sheet with single spaces or none between cells.
    taken = [(c.key.span.start, c.key.span.end) for c in out]
    loose = [ln for ln in lines if not _SEPARATED.search(ln.text)]
    for c in _read(doc, cells(doc, loose, atomize=True), loose=True):
        key = c.key.span
        if not any(a < key.end and key.start < b for a, b in taken):
            out.append(c)
    return out


_SEPARATED = re.compile(r"\||\t|\S\s{2,}\S")


# ---------------------------------------------------------------- cells


# Cells: pipes, tabs, runs of spaces, and a single space between two figures
# ("总分  100 98.57").
_SPLIT_CELLS = re.compile(r"\s*\|\s*|\t+|\s{2,}|(?<=[\d%])\s(?=[-−≥≤]?\d)")
_SPLIT_ATOMS = re.compile(r"\s*\|\s*|\s+")
_SPLIT_PIPES = re.compile(r"\s*\|\s*|\t+")


def cells(doc: models.Document, lines: list[segment.Line], *, atomize: bool) -> list[Cell]:
    """The document as a stream of cells (``atomize`` also splits figures from text)."""
    text = doc.view.text
    out: list[Cell] = []
    for ln in lines:
        # Tab-separated sheets keep their empty cells, which a stream of cells
        # would lose; the table rebuilder reads them row by row instead.
        if "\t" in ln.text:
            continue
        if atomize:
            sep = _SPLIT_ATOMS
        else:
            # A single space splits figures only in a line laid out in columns;
            # elsewhere it is part of a cell ("≤100% 计 5 分").
            sep = _SPLIT_CELLS if _SEPARATED.search(ln.text) else _SPLIT_PIPES
        pieces = _pieces(text, ln.start, ln.end, sep)
        for start, end in pieces:
            if atomize:
                out.extend(_atoms(text, start, end))
            else:
                out.append(Cell(text[start:end], start, end))
        if len(out) > _MAX_CELLS * 50:
            break
    return [c for c in out if c.kind != "E"]


def _pieces(text: str, start: int, end: int, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in sep.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


_ATOM = re.compile(r"[≥≤><＞＜]?=?[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
                   r"(?:厘米|毫米|" + patterns.UNIT.pattern + r"|万|分(?![值数]))?")


def _atoms(text: str, start: int, end: int) -> Iterator[Cell]:
    """Split "安装坡面水标尺10≥266米≥266米10" into text and figure atoms.

    A figure inside brackets ("产出指标(70分)") stays in its text, except a group
    weight that stands alone.
    """
    pos = start
    for m in _ATOM.finditer(text, start, end):
        a, b = m.start(), m.end()
        before = text[max(start, a - 1):a]
        if before in "（(" and before:
            continue
        if a > pos:
            yield Cell(text[pos:a].strip(" :：…"), pos, a)
        yield Cell(text[a:b], a, b)
        pos = b
    if pos < end:
        yield Cell(text[pos:end].strip(" :：…"), pos, end)


# ---------------------------------------------------------------- reading


def _read(doc: models.Document, cells: list[Cell], *, loose: bool) -> Iterator[models.Claim]:
    """Claims of the sheets in ``cells``; ``loose`` when cells were cut out of
    running text, so that a row may have been missed: sums over rows then warn."""
    i = 0
    while i < len(cells):
        header = _header_at(cells, i)
        if header is not None:
            roles, end = header
            if {"weight", "score", "name"} <= set(roles):
                records, window, stop = _records(cells, end, roles)
                if records:
                    yield from _sheet_claims(doc, cells, window, records, stop, loose)
                    # Go on after the sheet (cells split while reading are not in ``cells``).
                    last = records[-1].score.end
                    i = max(end, next((k for k in range(end, len(cells)) if cells[k].start >= last),
                                      len(cells)))
                    continue
            elif {"weight", "name"} <= set(roles) and not {"score", "actual"} & set(roles):
                claim, stop = _weights_sheet(doc, cells, end, loose)
                if claim is not None:
                    yield claim
                    i = stop
                    continue
        fund = _fund_header_at(cells, i)
        if fund is not None:
            cols, fend = fund
            yield from _fund_claims(doc, cells, cols, fend)
            i = fend
            continue
        i += 1


def _header_at(cells: list[Cell], i: int) -> tuple[list[str], int] | None:
    """Column roles of a header starting at cell ``i``, and where the header ends."""
    if cells[i].kind != "T" or not _ROLE_RE.search(cells[i].text):
        return None
    roles: list[str] = []
    j = i
    while j < len(cells) and cells[j].kind == "T" and j - i < 14:
        found = _roles_in(cells[j].text)
        if not found and roles and not _looks_like_header_word(cells[j].text):
            break
        for r in found:
            # Columns named before the indicator column belong to another header
            # (a flattened sheet runs the funding header into this one).
            if r == "name":
                roles = []
            if r not in roles:
                roles.append(r)
        j += 1
    if len(roles) < 3:
        return None
    return roles, j


def _roles_in(text: str) -> list[str]:
    # "年度 指标值", "实际 完成值": header words wrapped inside their cell.
    text = re.sub(r"\s+", "", text)
    found = []
    for m in _ROLE_RE.finditer(text):
        role = m.lastgroup
        found.append(role)
    if _PLAIN_VALUE.search(text) and "target" not in found and "actual" not in found:
        found.append("actual")
    if re.fullmatch(r"[一二]级指标", text.strip()):
        return []
    return found


def _looks_like_header_word(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[一二三]级指标|绩效指标|指标|序号|评价指标|评价内容)", text.strip()))


def _record_regex(roles: list[str]) -> re.Pattern[str] | None:
    """The cell-kind pattern of one indicator row, in the header's column order.

    Columns after 得分 (a reason, a note on how scores are computed) are often
    left empty or hold free text: they are not part of the pattern, and what
    they hold is skipped as the next row's prefix.
    """
    parts = []
    if not {"name", "weight", "score"} <= set(roles) or roles.index("score") < roles.index("weight"):
        return None
    for role in roles[roles.index("name") + 1:roles.index("score") + 1]:
        if role == "weight":
            parts.append("(?P<weight>N)")
        elif role == "score":
            parts.append("(?P<score>N)")
        elif role == "rule":
            parts.append("(?P<rule>T+?)")
        elif role == "target":
            # A target run into the achieved value ("显著提升显著提升") leaves one cell.
            parts.append("(?P<target>[NFT])?")
        elif role == "actual":
            parts.append("(?P<actual>[NFT])")
    return re.compile(r"(?P<name>T)" + "".join(parts))


@dataclasses.dataclass
class _Record:
    name: Cell
    weight: Cell
    score: Cell
    rule: list[Cell]
    target: Cell | None
    actual: Cell | None
    group: Cell | None  # the nearest group weight above ("产出指标(50分)")


def _records(cells: list[Cell], start: int, roles: list[str]
             ) -> tuple[list[_Record], list[Cell], int]:
    """Indicator rows after a header, up to the sheet's total row or the end of the run."""
    pattern = _record_regex(roles)
    if pattern is None:
        return [], cells, start
    # A flattened sheet leaves the first indicator's name in the header's last
    # cell ("…得分未完成原因产出指标(70分)数量指标安装坡面水标尺").
    if start and cells[start - 1].kind == "T" and _trails_name(cells[start - 1].text):
        start -= 1
    window = cells[start:start + _MAX_CELLS]
    kinds = "".join(c.kind for c in window)
    out: list[_Record] = []
    pos = 0
    group: Cell | None = None
    misses = 0
    while pos < len(kinds):
        c = window[pos]
        if _TOTAL_LABEL.match(c.text):
            return out, window, pos
        if c.kind == "G" or (c.kind == "T" and _GROUP_WEIGHT.search(c.text)):
            group = c
        m = pattern.match(kinds, pos)
        if m is None and c.kind == "T" and pos + 1 < len(window):
            split = _split_weight(window[pos + 1])
            if split is not None:
                window[pos + 1:pos + 2] = split
                kinds = kinds[:pos + 1] + "".join(x.kind for x in split) + kinds[pos + 2:]
                m = pattern.match(kinds, pos)
        if m and not _SUBTOTAL.search(window[m.start("name")].text) \
                and not _TOTAL_LABEL.match(window[m.start("name")].text):
            rec = _Record(
                name=window[m.start("name")], weight=window[m.start("weight")],
                score=window[m.start("score")],
                rule=[window[k] for k in range(*m.span("rule"))] if "rule" in m.groupdict() and m.group("rule") else [],
                target=window[m.start("target")] if m.groupdict().get("target") else None,
                actual=window[m.start("actual")] if m.groupdict().get("actual") else None,
                group=group)
            if _plausible(rec):
                out.append(rec)
                pos = m.end()
                misses = 0
                continue
        pos += 1
        misses += 1
        # A sheet ends where rows stop matching for a while (prose follows).
        if out and misses > 40:
            return out, window, pos
    return out, window, pos


# The most rows, and the largest weight of one row, a weights-only sheet is read for.
_MAX_WEIGHT_ROWS = 60
_MAX_ROW_WEIGHT = 40


def _weights_sheet(doc: models.Document, cells: list[Cell], start: int, loose: bool
                   ) -> tuple[models.Claim | None, int]:
    """A 绩效评价指标表 that prints 分值 but no 得分: its weights foot to 总分.

    Every row ends with its weight (a bare number after the row's text or
    target), up to the 总分 / 合计 row; a weight run into a target printed
    as a bare number ("预计值210010" = 2100 | 10) is split where exactly one
    reading gives a whole weight of 1–30 and a target without a leading zero.
    A bare number that is not such a weight leaves the sheet unread: a row
    missed would make a right total look wrong.
    """
    weights: list[models.Quantity] = []
    prev = ""
    k = start
    while k < len(cells) and len(weights) <= _MAX_WEIGHT_ROWS:
        c = cells[k]
        if c.kind == "T" and _TOTAL_LABEL.match(c.text):
            break
        if c.kind == "G" or (c.kind == "T" and _GROUP_WEIGHT.search(c.text)):
            return None, k + 1  # group weights: the full reader's business
        if c.kind == "N":
            if prev not in ("T", "F"):
                return None, k + 1
            w = _num(c.text)
            cell = c
            if w is None or w != w.to_integral_value() and w % Decimal("0.5"):
                return None, k + 1
            if not 0 < w <= _MAX_ROW_WEIGHT:
                if prev != "T":
                    return None, k + 1
                cell = _split_target_weight(c)
                if cell is None:
                    return None, k + 1
            q = quantity_of(doc, cell, score=True)
            if q is None:
                return None, k + 1
            weights.append(q)
        prev = c.kind
        k += 1
    if k >= len(cells) or len(weights) < 3 or len(weights) > _MAX_WEIGHT_ROWS:
        return None, k + 1
    after = cells[k + 1] if k + 1 < len(cells) else None
    if after is None or after.kind != "N":
        return None, k + 1
    total = quantity_of(doc, after, score=True)
    if total is None or not 10 <= total.value <= 100:
        return None, k + 1
    claim = models.BreakdownClaim(total=total, parts=tuple(weights), label="分值合计",
                                  table="评价指标表", inferred=loose)
    return claim, k + 2


def _split_target_weight(cell: Cell) -> Cell | None:
    """The weight cell of "210010" read as target 2100 | weight 10, when only one fits."""
    digits = cell.text
    if not digits.isdigit():
        return None
    cands = [n for n in range(1, len(digits))
             if digits[0] != "0" and digits[n] != "0" and 1 <= int(digits[n:]) <= 30]
    if len(cands) != 1:
        return None
    n = cands[0]
    return Cell(digits[n:], cell.start + n, cell.end)


def _trails_name(text: str) -> bool:
    last = None
    for last in _ROLE_RE.finditer(text):
        pass
    return last is not None and len(_CJK.findall(text[last.end():])) >= 2


def _split_weight(cell: Cell) -> list[Cell] | None:
    """"20100%" → 20 | 100%: a weight run into the next figure by the export.

    Split only where exactly one reading gives a whole-number weight of 1–30
    and a figure without a leading zero.
    """
    if cell.kind != "F" or not cell.text[:1].isdigit():
        return None
    m = re.match(r"\d+", cell.text)
    digits = m.group(0)
    cands = [k for k in range(1, len(digits))
             if 1 <= int(digits[:k]) <= 30 and digits[k] != "0"]
    if len(cands) != 1:
        return None
    k = cands[0]
    return [Cell(cell.text[:k], cell.start, cell.start + k),
            Cell(cell.text[k:], cell.start + k, cell.end)]


def _plausible(rec: _Record) -> bool:
    w, s = _num(rec.weight.text), _num(rec.score.text)
    if w is None or s is None or not Decimal(0) < w <= 100 or s < 0 or s > 100:
        return False
    # A score far above its weight is a misread row, not a broken cap (得分 ≤ 分值
    # is checked for scores up to twice the weight).
    name = _indicator_name(rec.name.text)
    # An indicator's name is a label, not a sentence of the notes around the sheet.
    return (s <= 2 * w and _CJK.search(name) is not None and len(name) <= 40
            and not re.search(r"[。；;]", name))


def _num(text: str) -> Decimal | None:
    m = _BARE.fullmatch(text.strip())
    if not m:
        return None
    return quantities.parse_number(text.strip().rstrip("分"))


def quantity_of(doc: models.Document, cell: Cell, *, score: bool = False,
                bound: bool = False) -> models.Quantity | None:
    """The figure of a cell; ``bound`` for a target, which may carry ≥ or ≤."""
    view = doc.view.slice(cell.start, cell.end)
    toks = quantities.scan(view)
    tok = next((t for t in toks if bound or not t.quantity.approximate), None)
    if tok is None:
        return None
    q = tok.quantity
    if score:
        q = q.model_copy(update={"unit": "分", "exact": q.decimals == 0})
    return q


def _sheet_claims(doc: models.Document, cells: list[Cell], window: list[Cell],
                  records: list[_Record], stop: int, loose: bool) -> Iterator[models.Claim]:
    table = "自评表"
    scored: list[tuple[models.Quantity, models.Quantity]] = []
    fund = _fund_before(doc, cells, records[0].name)
    if fund is not None:
        scored.append(fund)
    groups: dict[int, tuple[Cell, list[models.Quantity]]] = {}
    for rec in records:
        weight = quantity_of(doc, rec.weight, score=True)
        awarded = quantity_of(doc, rec.score, score=True)
        if weight is None or awarded is None:
            continue
        scored.append((weight, awarded))
        rule_text = "".join(c.text for c in rec.rule) if rec.rule else None
        rule_span = (doc.view.raw_span(rec.rule[0].start, rec.rule[-1].end)
                     if rec.rule else None)
        actual = quantity_of(doc, rec.actual) if rec.actual is not None else None
        target = quantity_of(doc, rec.target, bound=True) if rec.target is not None else None
        name = _indicator_name(rec.name.text)
        if actual is not None and not actual.unit and name.endswith("率"):
            actual = actual.model_copy(update={"unit": "%"})
        yield models.ScoreClaim(
            awarded=awarded, weight=weight, label=name, rule=rule_text or None,
            rule_span=rule_span, indicator_value=actual, indicator_target=target,
            table=table)
        if rec.group is not None:
            groups.setdefault(rec.group.start, (rec.group, []))[1].append(weight)
    # A group's printed weight is the sum of its indicators' weights ("(50分)").
    closed = _closed_groups(doc, window, records, stop)
    for cell, weights in groups.values():
        m = _GROUP_WEIGHT.search(cell.text)
        if m is None or len(weights) < 2:
            continue
        a, b = cell.start + m.start(1), cell.start + m.end(1)
        total = quantities.make_quantity(m.group(1), "分", m.group(1),
                                         doc.view.raw_span(a, b))
        # A group may hold rows this reader skipped: only a sum above it is wrong,
        # unless the group is closed and every figure in it was read (then a sum
        # below it is reported too, as a warning: completeness is inferred).
        # A sum above the total is wrong whatever the group holds, and stays an error.
        whole = cell.start in closed and sum(w.value for w in weights) <= total.value
        yield models.BreakdownClaim(total=total, parts=tuple(weights), label="分值小计",
                                    exhaustive=whole, inferred=whole, table=table)
    total_row = window[stop] if stop < len(window) and _TOTAL_LABEL.match(window[stop].text) else None
    if total_row is None or len(scored) < 2:
        return
    figs = _total_figures(doc, window, stop + 1, loose)
    # 分值 then 得分: a lone figure may be either (an empty cell was dropped).
    if len(figs) != 2:
        return
    yield models.BreakdownClaim(total=figs[1], parts=tuple(s for _, s in scored),
                                label=total_row.text.strip(" :：") or "总分", table=table,
                                inferred=loose)
    yield models.BreakdownClaim(total=figs[0], parts=tuple(w for w, _ in scored),
                                label="分值合计", table=table, inferred=loose)


def _closed_groups(doc: models.Document, window: list[Cell], records: list[_Record],
                   stop: int) -> set[int]:
    """Starts of the group cells whose rows were all read.

    A group is closed by the next group label or the sheet's total row; it is
    whole when every bare number between its label and that end belongs to a
    row read (a row the reader skipped always leaves its weight behind), save
    the numbers of a note printed under a row (a line of sentences, "…记分。").
    """
    read = {id(c) for r in records
            for c in (r.name, r.weight, r.score, r.target, r.actual, *r.rule) if c is not None}
    starts = [c.start for c in window]
    out: set[int] = set()
    cells = [r.group for r in records if r.group is not None]
    order = list(dict.fromkeys(c.start for c in cells))
    has_total = stop < len(window) and _TOTAL_LABEL.match(window[stop].text)
    for n, g in enumerate(order):
        if n + 1 < len(order):
            end = order[n + 1]
        elif has_total:
            end = window[stop].start
        else:
            continue
        lo = next((k for k, s in enumerate(starts) if s > g), None)
        if lo is None:
            continue
        inside = [c for c in window[lo:] if c.start < end]
        if all(c.kind != "N" or id(c) in read or _in_note(doc, c) for c in inside):
            out.add(g)
    return out


def _in_note(doc: models.Document, cell: Cell) -> bool:
    text = doc.view.text
    a = text.rfind("\n", 0, cell.start) + 1
    b = text.find("\n", cell.end)
    return bool(re.search(r"[。；;]", text[a:b if b >= 0 else len(text)]))


_GROUP_LABEL = re.compile(r"指标(?:[（(]\d+分[)）])?|[（(]\d+分[)）]")


def _indicator_name(text: str) -> str:
    """The indicator's own name, without the group labels a flattened row puts before it."""
    tail = _GROUP_LABEL.split(text)[-1].strip(" :：")
    return tail if len(_CJK.findall(tail)) >= 2 else text.strip(" :：")


def _total_figures(doc: models.Document, cells: list[Cell], i: int,
                   loose: bool) -> list[models.Quantity]:
    """The bare figures right after a total label: 分值 then 得分, or 得分 alone."""
    out: list[models.Quantity] = []
    for c in cells[i:i + 3]:
        if c.kind != "N":
            break
        q = quantity_of(doc, c, score=True)
        if q is not None:
            out.append(q)
    if loose and len(out) == 1:
        out = _split_total(out[0]) or out
    return out[:2]


def _split_total(q: models.Quantity) -> list[models.Quantity] | None:
    """"总分100100" / "总分4030": 分值 and 得分 run together in flattened text.

    Split only where exactly one reading gives a total weight of 10–100 and a
    score no larger than it, neither with a leading zero.
    """
    m = re.fullmatch(r"(\d+)(\.\d+)?", q.raw)
    if m is None:
        return None
    digits, frac = m.group(1), m.group(2) or ""
    cands = [k for k in range(1, len(digits))
             if digits[k] != "0" and 10 <= int(digits[:k]) <= 100
             and Decimal(digits[k:] + frac) <= int(digits[:k])]
    if len(cands) != 1:
        return None
    k = cands[0]
    a, b = q.raw[:k], q.raw[k:]
    mid = q.span.start + k
    return [quantities.make_quantity(a, "分", a, models.Span(start=q.span.start, end=mid)),
            quantities.make_quantity(b, "分", b, models.Span(start=mid, end=q.span.end))]


# ---------------------------------------------------------------- funding block


def _fund_header_at(cells: list[Cell], i: int) -> tuple[list[str], int] | None:
    cols: list[str] = []
    j = i
    while j < len(cells) and j - i < 12 and cells[j].kind == "T":
        t = cells[j].text
        found = [role for role, src in _FUND_COLUMNS if re.search(src, t)]
        if not found:
            break
        # A header run into one cell keeps its columns in the order it prints them
        # (the weight comes before the rate in one template, after it in another).
        at = sorted((m.start(), role) for role, src in _FUND_COLUMNS
                    for m in re.finditer(src, t))
        for _, role in at:
            if role not in cols:
                cols.append(role)
        j += 1
    if not {"actual", "rate"} <= set(cols) or not ({"budget", "initial"} & set(cols)):
        return None
    return cols, j


def _fund_rows(doc: models.Document, cells: list[Cell], cols: list[str], start: int
               ) -> tuple[dict[str, models.Quantity] | None, list[dict[str, models.Quantity]]]:
    """The 年度资金总额 row and its source rows, as {column: figure}."""
    total: dict[str, models.Quantity] | None = None
    sources: list[dict[str, models.Quantity]] = []
    i = start
    end = min(len(cells), start + 60)
    # A flattened header runs into the row label: "…执行率(B/A)得分年度资金总额:".
    if start and start < len(cells):
        m = None
        for m in _FUND_TOTAL.finditer(cells[start - 1].text):
            pass
        if m is not None and not _CJK.search(cells[start - 1].text[m.end():]):
            total, i = _row_figures(doc, cells, start, cols)
        # The 部门整体 template has one funding row and labels it on the left of
        # its header ("部门预算执行情况(万元)"): its figures follow the header.
        elif cells[start].kind in ("N", "F"):
            total, i = _row_figures(doc, cells, start, cols)
            total = total or None
    while i < end:
        c = cells[i]
        if c.kind == "T" and _FUND_TOTAL.search(c.text) and total is None:
            total, i = _row_figures(doc, cells, i + 1, cols)
            continue
        if total is not None and c.kind == "T" and _FUND_SOURCES.fullmatch(c.text.strip(" :：")):
            row, i = _row_figures(doc, cells, i + 1, cols, amounts_only=True)
            sources.append(row)
            continue
        # The rest of a wrapped label ("拨款") is skipped; other text ends the block.
        if total is not None and c.kind == "T" and len(sources) >= 1 and len(c.text.strip()) > 4:
            break
        i += 1
    return total, sources


def _row_figures(doc: models.Document, cells: list[Cell], i: int, cols: list[str],
                 *, amounts_only: bool = False) -> tuple[dict[str, models.Quantity], int]:
    figs: list[Cell] = []
    j = i
    while j < len(cells) and cells[j].kind in ("N", "F") and len(figs) < len(cols):
        figs.append(cells[j])
        j += 1
    split = False
    if not amounts_only and 0 < len(figs) < len(cols):
        joined = _split_run(figs, cols)
        if joined is not None:
            figs, split = joined, True
        else:
            placed = _split_tail(figs, cols)
            if placed is not None:
                return _placed_row(doc, placed), j
    row: dict[str, models.Quantity] = {}
    if split:
        row["split"] = figs[0]  # marker, removed below
    if len(figs) == len(cols) or (amounts_only and figs):
        for k, (role, cell) in enumerate(zip(cols, figs)):
            if amounts_only and role not in ("initial", "budget", "actual"):
                # A source row leaves 分值 and 得分 empty ("—"); its own rate, if
                # printed, is the one percent figure after the amounts.
                rate = next((c for c in figs[k:] if c.text.endswith("%")), None)
                q = quantity_of(doc, rate) if rate is not None and "rate" in cols else None
                if q is not None:
                    row["rate"] = q
                break
            q = quantity_of(doc, cell, score=role in ("weight", "score"))
            if q is None:
                continue
            if role == "rate" and q.unit != "%":
                return {}, j
            row[role] = q
    if row.pop("split", None) is not None:
        # The rate was used to split the run, so it cannot be checked against it.
        row["_split"] = row.get("rate")  # type: ignore[assignment]
    return row, j


def _split_run(figs: list[Cell], cols: list[str]) -> list[Cell] | None:
    """Cells a flattened export ran together ("202010100.00%" = 20 | 20 | 10 | 100.00%).

    The digits before the rate are split into the missing columns; of the
    readings with a whole-number weight of 1–30 and no leading zeros, the one
    whose 执行数 ÷ 预算数 gives the printed rate is taken, when it is the only
    one. (The template's arithmetic picks the split, so that rate is not
    checked again; the weight and score it frees are.)
    """
    if "rate" not in cols:
        return None
    r = cols.index("rate")
    at = next((k for k, c in enumerate(figs) if c.text.endswith("%")), None)
    if at is None or at > r:
        return None
    need = r - at  # columns before the rate hidden in the rate's cell
    cell = figs[at]
    m = re.fullmatch(r"(\d+)(\.\d+)?%", cell.text)
    if m is None or need < 1 or len(figs) - at - 1 != len(cols) - r - 1:
        return None
    digits, frac = m.group(1), m.group(2) or ""
    # Real runs are a few cells of a few digits; longer ones are not tried
    # (the number of cuts grows as digits^columns).
    if len(digits) > 24:
        return None
    names = cols[at:r]
    hits = []
    for cut in _cuts(digits, need + 1):
        parts = [digits[a:b] for a, b in cut]
        if any(len(p) > 1 and p.startswith("0") for p in parts):
            continue
        rate = Decimal(parts[-1] + frac)
        vals = dict(zip(names, (Decimal(p) for p in parts[:-1])))
        if "weight" in vals and not 1 <= vals["weight"] <= 30:
            continue
        if rate > 200:
            continue
        known = {c: quantities.parse_number(f.text) for c, f in zip(cols[:at], figs[:at])}
        known.update(vals)
        budget, actual = known.get("budget", known.get("initial")), known.get("actual")
        # A zero read out of a run of digits is a cut in the wrong place far
        # more often than a project that spent nothing.
        if not budget or not actual:
            continue
        exact = actual / budget * 100
        if quantities.round_to(exact, len(frac) - 1 if frac else 0) == rate:
            hits.append(cut)
    if len(hits) != 1:
        return None
    out = list(figs[:at])
    for a, b in hits[0][:-1]:
        out.append(Cell(digits[a:b], cell.start + a, cell.start + b))
    a = hits[0][-1][0]
    out.append(Cell(cell.text[a:], cell.start + a, cell.end))
    out.extend(figs[at + 1:])
    return out


def _split_tail(figs: list[Cell], cols: list[str]) -> list[tuple[str, Cell]] | None:
    """A row whose 分值 and 得分, printed after the rate, ran into one cell ("76% 107.6").

    The amounts before the rate are all there or all blank (an OCR'd sheet
    drops empty cells); after the rate, one cell fewer than the columns, and
    the cell under 分值 splits into a whole-number weight of 1–30 and a score
    no larger than it, neither with a leading zero, in exactly one way. The
    rate plays no part in the split, so rate × weight = score is still checked.
    """
    if "rate" not in cols or "weight" not in cols or "score" not in cols:
        return None
    r, w = cols.index("rate"), cols.index("weight")
    if not (r < w and cols[w + 1:w + 2] == ["score"]):
        return None
    at = next((k for k, c in enumerate(figs) if c.text.endswith("%")), None)
    if at is None or at not in (0, r):
        return None
    tail, tail_cols = figs[at + 1:], cols[r + 1:]
    if len(tail) != len(tail_cols) - 1:
        return None
    k = w - r - 1
    cell = tail[k]
    m = re.fullmatch(r"(\d+)(\.\d+)?", cell.text)
    if m is None:
        return None
    digits, frac = m.group(1), m.group(2) or ""
    cands = [n for n in range(1, len(digits))
             if digits[0] != "0" and 1 <= int(digits[:n]) <= 30
             and (digits[n] != "0" or n == len(digits) - 1)
             and Decimal(digits[n:] + frac) <= int(digits[:n])]
    if len(cands) != 1:
        return None
    n = cands[0]
    split = [Cell(cell.text[:n], cell.start, cell.start + n),
             Cell(cell.text[n:], cell.start + n, cell.end)]
    out = list(zip(cols[:r], figs[:at])) + [("rate", figs[at])]
    out += list(zip(tail_cols, tail[:k] + split + tail[k + 1:]))
    return out


def _placed_row(doc: models.Document, placed: list[tuple[str, Cell]]) -> dict[str, models.Quantity]:
    row: dict[str, models.Quantity] = {}
    for role, cell in placed:
        q = quantity_of(doc, cell, score=role in ("weight", "score"))
        if q is None or (role == "rate" and q.unit != "%"):
            return {}
        row[role] = q
    return row


def _cuts(digits: str, n: int):
    """Every way to cut ``digits`` into ``n`` non-empty runs, as (start, end) pairs."""
    import itertools

    for marks in itertools.combinations(range(1, len(digits)), n - 1):
        bounds = (0, *marks, len(digits))
        yield list(zip(bounds, bounds[1:]))


def _fund_claims(doc: models.Document, cells: list[Cell], cols: list[str],
                 start: int) -> Iterator[models.Claim]:
    total, sources = _fund_rows(doc, cells, cols, start)
    if not total:
        return
    split = "_split" in total
    total.pop("_split", None)
    budget, actual, rate = total.get("budget") or total.get("initial"), total.get("actual"), \
        total.get("rate")
    if budget is not None and actual is not None and rate is not None and not split \
            and ("budget" in total or _rate_on_initial(cells, start)):
        yield models.RatioClaim(stated=rate, numerator=actual, denominator=budget,
                                label="执行率", table="自评表")
    weight, score = total.get("weight"), total.get("score")
    # The funding row weighs 5–20 points of 100; a 分值 of 100 printed there is
    # the whole sheet's, with the sheet's total score beside it, not rate × weight.
    if weight is not None and score is not None and weight.value <= 30:
        yield models.ScoreClaim(awarded=score, weight=weight, label="预算执行率",
                                execution_rate=rate, table="自评表")
    # The 年度资金总额 row states the project's budget and outturn: facts that the
    # narrative restates (JX401 compares them).
    head = "".join(c.text for c in cells[max(0, start - 10):start])
    unit_m = re.search(r"[（(](万元|元|亿元)[)）]|单位[:：]\s*(万元|元|亿元)", head)
    unit = (unit_m.group(1) or unit_m.group(2)) if unit_m else ""
    for role, key in (("initial", "年初预算数"), ("budget", "全年预算数"), ("actual", "全年执行数")):
        if role in total:
            q = total[role]
            if not q.unit and unit:
                q = q.model_copy(update={"unit": unit, "exact": False})
            yield models.MentionClaim(metric=f"concept:{key}", value=q, label=key,
                                      table="自评表")
    # Each source row's own 执行率 ("其中：财政拨款 7,800.00 8,320.00 7,700.00 — 92.45% —").
    for src in sources:
        # A source with no budget ("单位资金 0.00 0.00 0.00 0.00%") states no rate.
        if {"budget", "actual", "rate"} <= set(src) and src["rate"].unit == "%" \
                and src["budget"].value != 0:
            yield models.RatioClaim(stated=src["rate"], numerator=src["actual"],
                                    denominator=src["budget"], label="资金来源执行率",
                                    table="自评表")
    for role in ("initial", "budget", "actual"):
        whole = total.get(role)
        parts = [s[role] for s in sources if role in s]
        if whole is None or len(parts) < 2:
            continue
        yield models.BreakdownClaim(total=whole, parts=tuple(parts), label="资金来源",
                                    column={"initial": "年初预算数", "budget": "全年预算数",
                                            "actual": "全年执行数"}[role],
                                    exhaustive=len(parts) == len(sources) == 3,
                                    table="自评表")


def _rate_on_initial(cells: list[Cell], header_end: int) -> bool:
    """"年初预算数(A) 全年执行数(B) 执行率(B/A)": the header says the rate is on 年初预算."""
    head = "".join(c.text for c in cells[max(0, header_end - 12):header_end])
    return "B/A" in head.replace(" ", "") and "全年预算" not in head


def _fund_before(doc: models.Document, cells: list[Cell], first: Cell
                 ) -> tuple[models.Quantity, models.Quantity] | None:
    """(分值, 得分) of the funding block that opens the same sheet, if any."""
    idx = next((k for k, c in enumerate(cells) if c is first), None)
    if idx is None:
        return None
    for k in range(idx - 1, max(-1, idx - 120), -1):
        if cells[k].kind == "T" and _FUND_TOTAL.search(cells[k].text):
            for j in range(k, max(-1, k - 40), -1):
                fund = _fund_header_at(cells, j)
                if fund is not None:
                    total, _ = _fund_rows(doc, cells, fund[0], fund[1])
                    total.pop("_split", None) if total else None
                    if total and "weight" in total and "score" in total:
                        return total["weight"], total["score"]
            return None
    return None
