"""HTML: one self-contained page with every finding's figures highlighted in place.

The page carries its own CSS and JavaScript (``htmlassets.py``) and asks for
nothing over the network: a Content-Security-Policy in a ``<meta>`` tag allows
only the page's own style and script (by SHA-256 hash) and no other source, so
a report file opened from an e-mail cannot phone home. The report text is
HTML-escaped, line breaks are kept, and each span that took part in a finding
is a ``<mark>`` coloured by the worst severity among its findings and numbered
with those findings (``[3,4]``), so the numbers survive printing in black and
white. Span boundaries are sorted as langextract's ``visualization.py`` does
(ends before starts at one position, shorter spans closing first, longer spans
opening first), so nested highlights nest; spans that cross are closed and
reopened so the markup stays well formed. Runs of tab-separated lines (tables
flattened by a PDF or Word export) are laid out as rows and cells.

The page is a reviewer's worksheet: a current finding with previous / next,
a verdict (确认 / 误报 / 待核) and a note per finding kept in the browser and
baked into exports (``review.py``), and a print layout that puts the findings
first. The result view (:func:`view`) is shared with ``jxcheck serve``.
Renderers never recompute or filter: the filters only hide findings in the
browser, and notes about shared figures or repeated passages are read off the
findings' own spans and messages.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
from collections.abc import Iterable
from decimal import Decimal

from extractor import models
from extractor.render import htmlassets, labels, review

__all__ = [
    "FONT_STACK",
    "KINDS",
    "MODEL_UNREAD_CODE",
    "RULE_URL",
    "SCRIPT",
    "STYLE",
    "kind_label",
    "page",
    "policy",
    "render",
    "span_roles",
    "table_cells",
    "view",
]

FONT_STACK = htmlassets.FONT_STACK
STYLE = htmlassets.STYLE
SCRIPT = htmlassets.SCRIPT

# A standalone page links nowhere (it must not reach the network, even on a
# click): it names the command that explains the rule. ``jxcheck serve``
# passes its own ``/rules/{code}`` pages.
RULE_URL = None
# The pipeline's code for a chunk the model did not read (checks/registry.py):
# such findings are summed up in one banner instead of one card per chunk.
MODEL_UNREAD_CODE = "JX003"

# Check kinds as Finding.kind names them (checks/*.py and pipeline.py).
KINDS = {
    "rate": ("比率", "Rate"),
    "footing": ("合计", "Footing"),
    "growth": ("增长率", "Growth"),
    "difference": ("差额", "Difference"),
    "cross_reference": ("前后不一致", "Cross-reference"),
    "unit": ("单位", "Unit"),
    "score": ("评分", "Score"),
    "input": ("输入", "Input"),
}

# Words this page needs beyond render/labels.py.
_WORDS = {
    "text": ("报告原文", "Report text"),
    "findings": ("问题清单", "Findings"),
    "filter_severity": ("按级别", "Severity"),
    "filter_kind": ("按类型", "Check kind"),
    "filter_code": ("按规则", "Rule"),
    "shown": ("显示 {shown} / {total} 条", "Showing {shown} of {total}"),
    "hint": ("点击问题可定位原文，点击高亮可回到对应问题；按 N / P 键切换下一条 / 上一条。",
             ("Click a finding to show it in the text; click a highlight to go back to "
              "its finding; keys N / P go to the next / previous finding.")),
    "at": ("第 {line} 行第 {col} 列", "line {line}, col {col}"),
    "no_span": ("无原文位置", "no place in the text"),
    "difference": ("差额", "Difference"),
    "tolerance": ("容差", "Tolerance"),
    "figures": ("涉及的数字", "Figures involved"),
    "table": ("表格", "Table"),
    "row": ("行项目", "Row"),
    "column": ("列", "Column"),
    "role": ("角色", "Role"),
    "value": ("数值", "Value"),
    "where": ("位置", "Where"),
    "backend": ("抽取方式", "Backend"),
    "kind": ("类型", "Kind"),
    "prev": ("上一条", "Previous"),
    "next": ("下一条", "Next"),
    "keys": ("（N / P 键）", "(keys N / P)"),
    "computed": ("计算值，非报告原文", "computed, not printed in the report"),
    "rule_page": ("规则说明", "About this rule"),
    "rule_cmd": ("规则说明：jxcheck rules {code}", "About this rule: jxcheck rules {code}"),
    "review": ("审核", "Review"),
    "note": ("审核备注", "Reviewer's note"),
    "note_for": ("第 {n} 条的审核备注", "Reviewer's note on finding {n}"),
    "tally": ("已审核 {done} / {total} 条", "{done} of {total} reviewed"),
    "export": ("导出带审核结论的页面", "Save page with verdicts"),
    "version": ("jxcheck {version}", "jxcheck {version}"),
    "generated": ("生成于 {when}", "made {when}"),
    "shared": ("「{quote}」（{at}）同时用于第 {nums} 条：若此数有误，改此一处可同时消除第 {nums} 条。",
               ("“{quote}” ({at}) is used by findings {nums}: if this figure is wrong, "
                "correcting it clears findings {nums} at once.")),
    "repeated": ("同样的问题在报告中出现 {count} 次（第 {nums} 条），多为段落重复，修改时请一并处理。",
                 ("The same finding appears {count} times (findings {nums}), most likely a "
                  "repeated passage; correct them together.")),
    "place_first": ("一处", "one place"),
    "place_other": ("另一处", "other place"),
    "model_failed": (("大模型未能读取报告的 {count} 个部分（{places}），这些部分未经模型核查；"
                      "其余部分的结果照常列出。原因：{reason}"),
                     ("The model could not read {count} parts of the report ({places}); those "
                      "parts were not checked by the model, the rest is listed as usual. "
                      "Reason: {reason}")),
    "lines": ("第 {a}–{b} 行", "lines {a}–{b}"),
}

# Why a finding has its severity (DESIGN.md: severity is certainty).
_SEVERITY_WHY = {
    "error": (("为何是“错误”：这些数字的对应关系在报告中是明确的（其中 / 合计、表格的行与列、"
               "印出的公式或同一指标），且差异超出了报告印出精度所允许的范围。"),
              ("Why an error: the report pairs these figures explicitly (其中 / 合计, a table's "
               "row and column, a printed formula or one metric) and they differ by more "
               "than their printed precision allows.")),
    "warning": (("为何是“警告”：这些数字的对应关系是按行文语序推断的，请先确认它们是否确指同一口径，"
                 "再看差异。"),
                ("Why a warning: the pairing of these figures is inferred from word order; "
                 "check that they refer to the same thing before judging the gap.")),
    "info": ("为何是“提示”：此处无法自动核对，或只是提醒，请人工查看。",
             ("Why a note: this could not be checked automatically, or is a reminder; "
              "look at it by hand.")),
}

# What each figure of a finding is. Keys are the roles of table_cells() plus
# those a finding's spans take beyond its claim's quantities.
_ROLES = {
    "total": ("合计", "total"),
    "part": ("分项", "part"),
    "stated": ("所述", "stated"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
    "current": ("本期", "current"),
    "previous": ("上期", "previous"),
    "a": ("被减数", "minuend"),
    "b": ("减数", "subtrahend"),
    "awarded": ("得分", "awarded"),
    "weight": ("分值", "weight"),
    "indicator_value": ("指标值", "indicator value"),
    "execution_rate": ("执行率", "execution rate"),
    "value": ("数值", "value"),
    "first": ("甲处", "place A"),
    "second": ("乙处", "place B"),
    "rule": ("评分标准", "scoring rule"),
    "input": ("计算依据", "input"),
}


def _w(key: str, lang: str, **kw) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**kw)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _list_sep(lang: str) -> str:
    return ", " if lang == "en" else "、"


def kind_label(kind: str, lang: str) -> str:
    """The reader's word for a check kind; unknown kinds are shown as named."""
    zh, en = KINDS.get(kind, (kind, kind))
    return en if lang == "en" else zh


def _role(role: str, lang: str) -> str:
    zh, en = _ROLES[role]
    return en if lang == "en" else zh


def _dec(value: Decimal, unit: str = "", thousands: bool = False) -> str:
    text = format(value, ",f" if thousands else "f")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _squeeze(text: str) -> str:
    """A quote on one line: flattened PDF text breaks numbers across lines."""
    return " ".join(text.split())


def table_cells(claim: models.Claim) -> list[tuple[str, str, str, models.Quantity]]:
    """The cells of a claim rebuilt from a table, as ``(role, row label, column, quantity)``.

    Row labels come from the claim itself (``label``, ``part_labels``, ``metric``);
    nothing is recomputed. A missing label is ``""``.
    """
    label = claim.label or ""
    cells: list[tuple[str, str, str, models.Quantity | None]] = []
    if isinstance(claim, models.BreakdownClaim):
        column = claim.column or ""
        cells.append(("total", label, column, claim.total))
        for i, part in enumerate(claim.parts):
            part_label = claim.part_labels[i] if i < len(claim.part_labels) else ""
            cells.append(("part", part_label, column, part))
    elif isinstance(claim, models.RatioClaim):
        cells += [("stated", label, "", claim.stated), ("numerator", label, "", claim.numerator),
                  ("denominator", label, "", claim.denominator)]
    elif isinstance(claim, models.GrowthClaim):
        cells += [("stated", label, "", claim.stated), ("current", label, "", claim.current),
                  ("previous", label, "", claim.previous)]
    elif isinstance(claim, models.DifferenceClaim):
        cells += [("stated", label, "", claim.stated), ("a", label, "", claim.a),
                  ("b", label, "", claim.b)]
    elif isinstance(claim, models.ScoreClaim):
        cells += [("awarded", label, "", claim.awarded), ("weight", label, "", claim.weight),
                  ("indicator_value", label, "", claim.indicator_value),
                  ("execution_rate", label, "", claim.execution_rate)]
    elif isinstance(claim, models.MentionClaim):
        cells.append(("value", claim.metric or label, "", claim.value))
    elif isinstance(claim, models.PartsGrowthClaim):
        cells += [("stated", label, "", claim.stated), ("total", label, "", claim.total)]
        cells += [("part", label, "", q) for q in (*claim.parts, *claim.part_rates)]
    elif isinstance(claim, models.ProductClaim):
        cells.append(("stated", label, "", claim.stated))
        cells += [("factor", label, "", f) for f in claim.factors]
    return [c for c in cells if c[3] is not None]  # type: ignore[misc]


def _is_computed(doc: models.Document, claim: models.Claim, role: str,
                 q: models.Quantity) -> bool:
    """A value jxcheck worked out (a formula's result), not a figure printed at its span."""
    if (isinstance(claim, models.ScoreClaim) and role == "indicator_value"
            and claim.value_source == "formula"):
        return True
    printed = doc.raw[q.span.start:q.span.end]
    return "".join(printed.split()) != "".join(q.raw.split())


def span_roles(doc: models.Document, f: models.Finding,
               claims: dict[str, models.Claim]) -> list[str]:
    """The role of each of ``f.spans`` (keys of the role words), from the finding's claims.

    A cross-reference's two statements are ``first`` / ``second`` (neither is
    presumed right); a printed scoring rule is ``rule``; a figure a formula
    used is ``input``. A span no claim names is ``stated`` when it comes
    first (findings list the stated figure first) and ``input`` after.
    """
    by_span: dict[tuple[int, int], str] = {}
    own = [claims[c] for c in f.claim_ids if c in claims]
    for claim in own:
        for role, _, _, q in table_cells(claim):
            if not _is_computed(doc, claim, role, q):
                by_span.setdefault((q.span.start, q.span.end), role)
        if isinstance(claim, models.ScoreClaim):
            if claim.rule_span is not None:
                by_span.setdefault((claim.rule_span.start, claim.rule_span.end), "rule")
            for q in claim.value_inputs:
                by_span.setdefault((q.span.start, q.span.end), "input")
    roles = []
    for k, s in enumerate(f.spans):
        if f.kind == "cross_reference":
            roles.append("first" if k == 0 else "second")
            continue
        role = by_span.get((s.start, s.end)) or ("stated" if k == 0 else "input")
        # A metric's value that a finding disputes is what the report states.
        roles.append("stated" if k == 0 and role == "value" else role)
    return roles


class _Groups:
    """Distinct highlighted spans, each with the findings that use it."""

    def __init__(self, doc: models.Document, findings: list[models.Finding],
                 skip: set[int]) -> None:
        n = len(doc.raw)
        self.spans: list[tuple[int, int]] = []
        self.findings: list[list[int]] = []
        self.by_span: dict[tuple[int, int], int] = {}
        self.of_finding: list[list[int | None]] = []
        for fi, f in enumerate(findings):
            ids: list[int | None] = []
            for s in f.spans:
                start, end = min(s.start, n), min(s.end, n)
                if end <= start or fi in skip:
                    # An empty span has nothing to highlight; it is still listed.
                    ids.append(None)
                    continue
                g = self.by_span.get((start, end))
                if g is None:
                    g = self.by_span[(start, end)] = len(self.spans)
                    self.spans.append((start, end))
                    self.findings.append([])
                if fi not in self.findings[g]:
                    self.findings[g].append(fi)
                ids.append(g)
            self.of_finding.append(ids)

    def open_tag(self, g: int, findings: list[models.Finding], first: bool, lang: str) -> str:
        fis = self.findings[g]
        worst = max((findings[i].severity for i in fis), key=lambda s: s.rank)
        # The hover title names every finding on this figure with its message.
        title = "\n".join(f"#{i + 1} {findings[i].code} {findings[i].message.get(lang)}"
                          for i in fis)
        extra = ""
        if first:
            # Only the first piece of a span is a keyboard stop and carries
            # the numbered marker, so a figure wrapped over lines counts once.
            nums = ",".join(str(i + 1) for i in fis)
            extra = f' id="jx-s{g}" tabindex="0" data-n="{nums}"'
        return (f'<mark{extra} class="jx-hl jx-{worst.value}" data-g="{g}" '
                f'data-f="{" ".join(map(str, fis))}" title="{_e(title)}">')


def _table_lines(raw: str) -> set[int]:
    """1-based numbers of lines that belong to a run of two or more tab-separated lines."""
    lines = raw.split("\n")
    tabbed = [("\t" in ln and ln.strip() != "") for ln in lines]
    out: set[int] = set()
    for i, t in enumerate(tabbed):
        if t and ((i > 0 and tabbed[i - 1]) or (i + 1 < len(tabbed) and tabbed[i + 1])):
            out.add(i + 1)
    return out


def _highlight(raw: str, groups: _Groups, findings: list[models.Finding], lang: str) -> str:
    """The escaped report text with ``<mark>`` per highlighted span, line numbers and tables."""
    points = []
    for g, (start, end) in enumerate(groups.spans):
        # langextract's order: at one position ends (0) before starts (1);
        # shorter spans close first and longer spans open first.
        points.append((start, 1, -(end - start), g))
        points.append((end, 0, end - start, g))
    points.sort()
    tables = _table_lines(raw)

    out: list[str] = []
    stack: list[int] = []
    written: set[int] = set()
    line = 1

    def open_(g: int) -> None:
        out.append(groups.open_tag(g, findings, g not in written, lang))
        written.add(g)

    def start_line(n: int) -> None:
        if n in tables:
            if n - 1 not in tables:
                out.append('<span class="jx-tbl">')
            out.append(f'<span class="jx-tr"><span class="jx-ln" data-n="{n}"></span>'
                       '<span class="jx-td">')
        else:
            out.append(f'<span class="jx-ln" data-n="{n}"></span>')

    def end_line(n: int, last: bool) -> None:
        # The line break itself stays in the text (copying keeps it); inside
        # a table it is hidden like the tabs, as rows already break.
        if n in tables:
            out.append("</span>" + ("" if last else '<span class="jx-tab">\n</span>') + "</span>")
            if last or n + 1 not in tables:
                out.append("</span>")
        elif not last:
            out.append("\n")

    def text(chunk: str) -> None:
        nonlocal line
        pos = 0
        while pos <= len(chunk):
            nl = chunk.find("\n", pos)
            piece = chunk[pos:] if nl < 0 else chunk[pos:nl]
            if line in tables and "\t" in piece:
                cells = piece.split("\t")
                for k, cell in enumerate(cells):
                    if k:
                        # Marks close at a cell border and reopen in the next
                        # cell, so each piece stays inside one cell.
                        out.append("</mark>" * len(stack))
                        out.append('</span><span class="jx-tab">\t</span><span class="jx-td">')
                        for g in stack:
                            open_(g)
                    if cell:
                        out.append(html.escape(cell, quote=False))
            elif piece:
                out.append(html.escape(piece, quote=False))
            if nl < 0:
                return
            # Close open highlights at a line break and reopen them after the
            # line number, so each piece of a mark stays on one line.
            out.append("</mark>" * len(stack))
            end_line(line, False)
            line += 1
            start_line(line)
            for g in stack:
                open_(g)
            pos = nl + 1

    start_line(1)
    cursor = 0
    for pos, is_start, _, g in points:
        if pos > cursor:
            text(raw[cursor:pos])
            cursor = pos
        if is_start:
            open_(g)
            stack.append(g)
            continue
        # A span that ends while a later one is still open crosses it: close
        # down to it and reopen the later ones, as HTML cannot overlap tags.
        i = stack.index(g)
        above = stack[i + 1:]
        out.append("</mark>" * (len(above) + 1))
        del stack[i:]
        for h in above:
            open_(h)
            stack.append(h)
    if cursor < len(raw):
        text(raw[cursor:])
    out.append("</mark>" * len(stack))
    end_line(line, True)
    return "".join(out)


def _counts(report: models.Report) -> dict[str, int]:
    counts = {s.value: 0 for s in models.Severity}
    for f in report.findings:
        counts[f.severity.value] += 1
    return counts


def _chips(name: str, items: Iterable[tuple[str, str, int, str]]) -> str:
    out = []
    for value, word, count, css in items:
        out.append(f'<label class="jx-chip {css}"><input type="checkbox" data-filter="{name}" '
                   f'value="{_e(value)}" checked> {_e(word)} <b>{count}</b></label>')
    return "".join(out)


def _printed(doc: models.Document, f: models.Finding) -> str:
    """The stated figure as the report prints it (its first span), or ``""``."""
    if not f.spans:
        return ""
    s = f.spans[0]
    quote = _squeeze(doc.raw[s.start:s.end])
    # A stated figure is short; a long first span is a sentence or a rule.
    return quote if quote and len(quote) <= 24 and any(ch.isdigit() for ch in quote) else ""


def _calc(doc: models.Document, f: models.Finding, lang: str) -> str:
    rows = []
    if f.formula:
        rows.append((labels.t("formula", lang), f.formula))
    printed = _printed(doc, f)
    thousands = "," in printed
    if f.kind == "cross_reference" and len(f.spans) >= 2:
        # Two statements of one figure: neither is presumed right.
        for key, s in (("place_first", f.spans[0]), ("place_other", f.spans[1])):
            quote = _squeeze(doc.raw[s.start:s.end])
            rows.append((_w(key, lang), f"{quote}（{_at(doc, s.start, lang)}）" if lang != "en"
                         else f"{quote} ({_at(doc, s.start, lang)})"))
    else:
        if f.stated is not None:
            # As printed: a unit slip's 28元 must not read as 0.0028 万元.
            rows.append((labels.t("stated", lang), printed or _dec(f.stated, f.unit, thousands)))
        if f.recomputed is not None:
            rows.append((labels.t("recomputed", lang), _dec(f.recomputed, f.unit, thousands)))
    if f.difference is not None:
        rows.append((_w("difference", lang), _dec(f.difference, f.unit, thousands)))
    if f.tolerance is not None:
        rows.append((_w("tolerance", lang), "±" + _dec(f.tolerance, f.unit, thousands)))
    if not rows:
        return ""
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="jx-calc">{body}</table>'


def _at(doc: models.Document, offset: int, lang: str) -> str:
    offset = min(offset, len(doc.raw))
    # A Word or PDF original is found by page, paragraph or table row, not by
    # a line of the extracted text (which is still given, for the text panel).
    place = doc.place(offset, lang)
    line, col = doc.line_col(offset)
    if place:
        return f"{place} (text line {line})" if lang == "en" else f"{place}（原文第 {line} 行）"
    return _w("at", lang, line=line, col=col)


def _figures(doc: models.Document, f: models.Finding, ids: list[int | None], roles: list[str],
             lang: str) -> str:
    items = []
    for span, g, role in zip(f.spans, ids, roles):
        quote = _e(_squeeze(doc.raw[span.start:span.end])) or "∅"
        where = _e(_at(doc, span.start, lang))
        tag = f'<span class="jx-role">{_e(_role(role, lang))}</span>'
        if g is None:
            items.append(f'<li>{tag}{quote} <span class="jx-at">{where}</span></li>')
        else:
            items.append(f'<li>{tag}<a class="jx-q" href="#jx-s{g}" data-g="{g}">{quote}</a> '
                         f'<span class="jx-at">{where}</span></li>')
    if not items:
        return ""
    return (f'<ul class="jx-figs" aria-label="{_e(_w("figures", lang))}">'
            + "".join(items) + "</ul>")


def _cells(doc: models.Document, f: models.Finding, claims: dict[str, models.Claim],
           spans: dict[tuple[int, int], int], lang: str) -> str:
    out = []
    for cid in f.claim_ids:
        claim = claims.get(cid)
        if claim is None or not claim.table:
            continue
        rows = []
        for role, row_label, column, q in table_cells(claim):
            if _is_computed(doc, claim, role, q):
                # Worked out by jxcheck: no cell of the report holds it, so no
                # link (it would land on another figure) and no place.
                value = (f'{_e(q.raw)} <span class="jx-comp">（{_e(_w("computed", lang))}）'
                         "</span>" if lang != "en" else
                         f'{_e(q.raw)} <span class="jx-comp">({_e(_w("computed", lang))})</span>')
                where = "—"
            else:
                g = spans.get((q.span.start, q.span.end))
                value = _e(q.raw)
                if g is not None:
                    value = f'<a class="jx-q" href="#jx-s{g}" data-g="{g}">{value}</a>'
                where = _e(_at(doc, q.span.start, lang))
            rows.append(f"<tr><td>{_e(row_label)}</td><td>{_e(column)}</td>"
                        f"<td>{_e(_role(role, lang))}</td><td>{value}</td><td>{where}</td></tr>")
        head = "".join(f"<th>{_e(_w(k, lang))}</th>"
                       for k in ("row", "column", "role", "value", "where"))
        out.append(f'<details class="jx-cells" open><summary>{_e(_w("table", lang))}{_colon(lang)}'
                   f'{_e(claim.table)}</summary><table><thead><tr>{head}</tr></thead>'
                   f'<tbody>{"".join(rows)}</tbody></table></details>')
    return "".join(out)


def _review(i: int, f: models.Finding, lang: str) -> str:
    options = "".join(
        f'<label><input type="radio" name="jx-v{i}" value="{v}"'
        f'{" checked" if f.verdict == v else ""}><span>{_e(review.verdict_label(v, lang))}'
        "</span></label>"
        for v in review.VERDICTS
    )
    note_label = _w("note_for", lang, n=i + 1)
    # Without the script a verdict cannot be kept, so empty controls are not
    # offered there; one written into the page is shown.
    needs = "" if f.verdict or f.note else " jx-needs-js"
    return (f'<fieldset class="jx-rv{needs}"><legend>{_e(_w("review", lang))}</legend>{options}'
            f'<textarea rows="1" aria-label="{_e(note_label)}" '
            f'placeholder="{_e(_w("note", lang))}">{_e(f.note)}</textarea></fieldset>')


def _groups_notes(doc: models.Document, findings: list[models.Finding], groups: _Groups,
                  shown: list[int], lang: str) -> dict[int, list[str]]:
    """Per finding, the notes that tie it to others: one shared figure, or a repeated passage."""
    notes: dict[int, list[str]] = {}
    sep = _list_sep(lang)
    shown_set = set(shown)
    for g, fis in enumerate(groups.findings):
        judged = [i for i in fis if i in shown_set and findings[i].severity.rank >= 1]
        if len(judged) < 2:
            continue
        start, end = groups.spans[g]
        nums = sep.join(str(i + 1) for i in judged)
        text = _w("shared", lang, quote=_squeeze(doc.raw[start:end]), at=_at(doc, start, lang),
                  nums=nums)
        for i in judged:
            notes.setdefault(i, []).append(text)
    same: dict[tuple[str, str], list[int]] = {}
    for i in shown:
        same.setdefault((findings[i].code, findings[i].message.zh), []).append(i)
    for members in same.values():
        if len(members) < 2:
            continue
        text = _w("repeated", lang, count=len(members),
                  nums=sep.join(str(i + 1) for i in members))
        for i in members:
            notes.setdefault(i, []).append(text)
    return notes


def _card(doc: models.Document, i: int, f: models.Finding, ids: list[int | None],
          claims: dict[str, models.Claim], spans: dict[tuple[int, int], int],
          notes: list[str], rule_url: str | None, lang: str) -> str:
    sev = f.severity.value
    roles = span_roles(doc, f, claims)
    pairs = [(g, r) for g, r in zip(ids, roles) if g is not None]
    seen: dict[int, str] = {}
    for g, r in pairs:
        seen.setdefault(g, r)
    groups = " ".join(str(g) for g in seen)
    role_words = "|".join(_role(r, lang) for r in seen.values())
    first = next(iter(seen), None)
    if f.spans and first is not None:
        loc = (f'<a class="jx-loc" href="#jx-s{first}" data-g="{first}">'
               f'{_e(_at(doc, f.spans[0].start, lang))}</a>')
    elif f.spans:
        loc = f'<span class="jx-loc">{_e(_at(doc, f.spans[0].start, lang))}</span>'
    else:
        loc = f'<span class="jx-loc">{_e(_w("no_span", lang))}</span>'
    sugg = ""
    if f.suggestion:
        sugg = (f'<p class="jx-sugg">{_e(labels.t("suggestion", lang))}{_colon(lang)}'
                f'{_e(f.suggestion.get(lang))}</p>')
    zh_why, en_why = _SEVERITY_WHY.get(sev, ("", ""))
    why = f'<p class="jx-why">{_e(en_why if lang == "en" else zh_why)}</p>'
    grouped = "".join(f'<p class="jx-group">{_e(n)}</p>' for n in notes)
    verdict = f' data-v="{f.verdict}"' if f.verdict else ""
    if rule_url:
        rule = (f'<a class="jx-rule" href="{_e(rule_url.format(code=f.code))}">'
                f'{_e(_w("rule_page", lang))}</a>')
    else:
        rule = f'<span class="jx-rule">{_e(_w("rule_cmd", lang, code=f.code))}</span>'

    return (
        f'<li class="jx-f jx-{sev}" id="jx-f{i}" data-i="{i}" '
        f'data-key="{_e(review.finding_key(i, f))}" data-sev="{sev}" data-kind="{_e(f.kind)}" '
        f'data-code="{_e(f.code)}" data-g="{groups}" data-r="{_e(role_words)}"{verdict} '
        f'tabindex="0">'
        f'<div class="jx-fh"><span class="jx-no">{i + 1}</span>'
        f'<span class="jx-sev">{_e(labels.SEVERITY[lang].get(sev, sev))}</span>'
        f'<code class="jx-code" title="{_e(f.name)}">{_e(f.code)}</code>'
        f'<span class="jx-kind">{_e(kind_label(f.kind, lang))}</span>{loc}{rule}</div>'
        f'<p class="jx-msg">{_e(f.message.get(lang))}</p>'
        f"{_calc(doc, f, lang)}{why}{sugg}{grouped}{_figures(doc, f, ids, roles, lang)}"
        f"{_cells(doc, f, claims, spans, lang)}{_review(i, f, lang)}</li>"
    )


def _banner(doc: models.Document, failed: list[models.Finding], lang: str) -> str:
    """One message for every chunk the model could not read (JX003), not one card each."""
    if not failed:
        return ""
    places = []
    for f in failed[:6]:
        if f.spans:
            a = doc.line_col(min(f.spans[0].start, len(doc.raw)))[0]
            b = doc.line_col(min(max(f.spans[0].end - 1, f.spans[0].start), len(doc.raw)))[0]
            places.append(_w("lines", lang, a=a, b=b))
    if len(failed) > 6:
        places.append("…")
    reasons = list(dict.fromkeys(f.message.get(lang) for f in failed))
    reason = reasons[0] + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else "")
    text = _w("model_failed", lang, count=len(failed), places=_list_sep(lang).join(places),
              reason=reason)
    return f'<p class="jx-banner" role="alert">{_e(text)}</p>'


def _verdict_text(f: models.Finding, lang: str) -> str:
    label = review.verdict_label(f.verdict, lang)
    return f"{label}{_colon(lang)}{f.note}" if label and f.note else (label or f.note)


def _sheet(doc: models.Document, findings: list[models.Finding], shown: list[int],
           lang: str) -> str:
    """The printed review sheet: one row per finding, before the cards and the text.

    Hidden on screen (the cards are the screen's list); the script keeps its
    verdict column in step with the cards.
    """
    head = "".join(f"<th>{_e(w)}</th>" for w in (
        labels.t("no", lang), labels.t("severity", lang), labels.t("code", lang),
        _w("where", lang), labels.t("message", lang), _w("review", lang)))
    rows = []
    for i in shown:
        f = findings[i]
        where = _at(doc, f.spans[0].start, lang) if f.spans else _w("no_span", lang)
        rows.append(
            f'<tr class="jx-{f.severity.value}"><td>{i + 1}</td>'
            f"<td>{_e(labels.SEVERITY[lang].get(f.severity.value, f.severity.value))}</td>"
            f"<td>{_e(f.code)}</td><td>{_e(where)}</td><td>{_e(f.message.get(lang))}</td>"
            f'<td class="jx-sv" id="jx-sv{i}" data-sep="{_e(_colon(lang))}">'
            f"{_e(_verdict_text(f, lang))}</td></tr>")
    return (f'<table class="jx-sheet jx-printed"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _stamp(lang: str) -> str:
    from extractor import __version__

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f'{_w("version", lang, version=__version__)} · {_w("generated", lang, when=when)}'


def view(doc: models.Document, report: models.Report, lang: str = "zh", *,
         rule_url: str | None = RULE_URL, export: bool = False) -> str:
    """The result view: counts, filters, highlighted text and the findings with verdicts.

    Args:
        doc: the document the report was made from (spans index ``doc.raw``).
        report: the run's report; every finding is shown (a finding's
            ``verdict`` and ``note`` are written into its review controls).
        lang: ``"zh"`` (default) or ``"en"``.
        rule_url: address of a rule's page, with ``{code}``; ``None`` names
            the ``jxcheck rules`` command instead of linking.
        export: offer a button that saves the page with its verdicts.

    Returns:
        An HTML fragment rooted at ``<div id="jx-view">``; :data:`STYLE` and
        :data:`SCRIPT` make it work.
    """
    findings = report.findings
    failed_idx = {i for i, f in enumerate(findings) if f.code == MODEL_UNREAD_CODE}
    shown = [i for i in range(len(findings)) if i not in failed_idx]
    groups = _Groups(doc, findings, failed_idx)
    claims: dict[str, models.Claim] = {}
    for c in report.claims:
        claims.setdefault(c.id, c)
    counts = _counts(report)
    sev_chips = _chips("sev", ((s.value, labels.SEVERITY[lang][s.value], counts[s.value],
                                f"jx-{s.value}") for s in models.Severity))
    kinds: dict[str, int] = {}
    codes: dict[str, int] = {}
    for i in shown:
        kinds[findings[i].kind] = kinds.get(findings[i].kind, 0) + 1
        codes[findings[i].code] = codes.get(findings[i].code, 0) + 1
    kind_chips = _chips("kind", ((k, kind_label(k, lang), n, "") for k, n in kinds.items()))
    code_chips = _chips("code", ((c, c, n, "") for c, n in sorted(codes.items())))
    total = len(shown)
    shown_template = _w("shown", lang, shown="{shown}", total="{total}")
    bar = (
        f'<div class="jx-bar jx-needs-js"><fieldset><legend>{_e(_w("filter_severity", lang))}'
        f"</legend>{sev_chips}</fieldset>"
        + (f'<fieldset><legend>{_e(_w("filter_kind", lang))}</legend>{kind_chips}</fieldset>'
           if kinds else "")
        + (f'<fieldset><legend>{_e(_w("filter_code", lang))}</legend>{code_chips}</fieldset>'
           if codes else "")
        + f'<span class="jx-shown" data-template="{_e(shown_template)}">'
        f'{_e(_w("shown", lang, shown=total, total=total))}</span></div>'
    )
    keys = [review.finding_key(i, f) for i, f in enumerate(findings)]
    store = hashlib.sha256((review.doc_hash(doc) + "\n" + "\n".join(keys)).encode()).hexdigest()
    if shown:
        notes = _groups_notes(doc, findings, groups, shown, lang)
        cards = "".join(_card(doc, i, findings[i], groups.of_finding[i], claims, groups.by_span,
                              notes.get(i, []), rule_url, lang) for i in shown)
        listing = f'<ol class="jx-list">{cards}</ol>'
        hint = f'<p class="jx-hint jx-needs-js">{_e(_w("hint", lang))}</p>'
    else:
        listing = f'<p class="jx-clean">{_e(labels.t("clean", lang))}</p>'
        hint = ""
    tally_template = _w("tally", lang, done="{done}", total="{total}")
    tally = (f'<span class="jx-tally jx-needs-js" data-template="{_e(tally_template)}">'
             f'{_e(_w("tally", lang, done=sum(1 for i in shown if findings[i].verdict), total=total))}'
             "</span>") if shown else ""
    export_btn = ""
    if export and shown:
        stem = doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "report"
        suffix = "-review" if lang == "en" else "-审核"
        export_btn = (f' <button type="button" class="jx-export jx-needs-js" '
                      f'data-file="{_e(f"jxcheck-{stem}{suffix}.html")}">'
                      f'{_e(_w("export", lang))}</button>')
    head = (
        f'<div class="jx-head"><h1 id="jx-results" tabindex="-1">{_e(labels.t("title", lang))}</h1>'
        f'<p class="jx-meta">{_e(labels.t("file", lang))}{_colon(lang)}{_e(doc.source)} · '
        f'{_e(_w("backend", lang))}{_colon(lang)}{_e(report.backend)} · {_e(_stamp(lang))}</p>'
        f'<p class="jx-summary">'
        f'{_e(labels.t("summary", lang, claims=len(report.claims), **counts))}{tally}{export_btn}'
        f"</p>{_banner(doc, [findings[i] for i in sorted(failed_idx)], lang)}"
        f"{_sheet(doc, findings, shown, lang) if shown else ''}{bar}{hint}</div>"
    )
    text = _highlight(doc.raw, groups, findings, lang)
    nav = (f'<span class="jx-nav jx-needs-js"><button type="button" data-nav="prev">'
           f'{_e(_w("prev", lang))}</button><span class="jx-pos" aria-live="polite">'
           f'– / {total}</span><button type="button" data-nav="next">{_e(_w("next", lang))}'
           f'</button><span class="jx-keys">{_e(_w("keys", lang))}</span></span>') if shown else ""
    return (
        f'<div class="jx-view" id="jx-view" data-total="{total}" data-store="{store[:24]}">{head}'
        f'<div class="jx-main"><section class="jx-panel jx-textpanel" tabindex="0" '
        f'aria-label="{_e(_w("text", lang))}">'
        f'<h2>{_e(_w("text", lang))}</h2><pre class="jx-text" id="jx-text">{text}</pre></section>'
        f'<section class="jx-panel jx-findings" aria-label="{_e(_w("findings", lang))}">'
        f'<h2>{_e(_w("findings", lang))}（{total}）{nav}</h2>{listing}</section></div></div>'
    )


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(style: str = STYLE, script: str = SCRIPT, form_action: str = "'none'",
           connect: str = "'none'") -> str:
    """A Content-Security-Policy that allows only this style and script, and no network.

    Args:
        style: the exact text of the page's one ``<style>`` element.
        script: the exact text of the page's one ``<script>`` element.
        form_action: where forms may post (``"'self'"`` for ``jxcheck serve``).
        connect: where the script may fetch from (``jxcheck serve`` asks
            itself for a model run's progress).
    """
    return (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
            f"img-src data:; base-uri 'none'; form-action {form_action}; connect-src {connect}")


def page(title: str, body: str, lang: str = "zh", *, style: str = STYLE, script: str = SCRIPT,
         form_action: str = "'none'", connect: str = "'none'") -> str:
    """A complete HTML document around ``body`` with inline style and script.

    Args:
        title: the ``<title>`` text (escaped here).
        body: trusted HTML for ``<body>``, such as :func:`view`'s output.
        lang: ``"zh"`` or ``"en"``, for ``<html lang>``.
        style: the stylesheet; :func:`policy` pins it by hash.
        script: the script; :func:`policy` pins it by hash.
        form_action: where forms may post.
        connect: where the script may fetch from.

    Returns:
        The page, with a Content-Security-Policy ``<meta>`` that allows nothing
        but this style and script.
    """
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{_e(policy(style, script, form_action, connect))}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        # An empty icon stops the browser asking a server for /favicon.ico.
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def render(doc: models.Document, report: models.Report, lang: str = "zh") -> str:
    """One self-contained HTML page for ``jxcheck check --format html``.

    Args:
        doc: the checked document.
        report: its report.
        lang: ``"zh"`` (default) or ``"en"``.

    Returns:
        The page as text (UTF-8 when written).
    """
    title = f"{labels.t('title', lang)} — {doc.source}"
    return page(title, view(doc, report, lang, export=True), lang)
