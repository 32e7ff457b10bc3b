"""HTML: one self-contained page with every finding's figures highlighted in place.

The page carries its own CSS and JavaScript and asks for nothing over the
network: a Content-Security-Policy in a ``<meta>`` tag allows only the page's
own style and script (by SHA-256 hash) and no other source, so a report file
opened from an e-mail cannot phone home. The report text is HTML-escaped, line
breaks are kept, and each span that took part in a finding is a ``<mark>``
coloured by the worst severity among its findings. Span boundaries are sorted
as langextract's ``visualization.py`` does (ends before starts at one position,
shorter spans closing first, longer spans opening first), so nested highlights
nest; spans that cross are closed and reopened so the markup stays well formed.

The result view (:func:`view`) is shared with ``jxcheck serve``. Renderers never
recompute or filter: the severity and kind filters only hide findings in the
browser.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from decimal import Decimal

from extractor import models
from extractor.render import labels

__all__ = [
    "FONT_STACK",
    "KINDS",
    "SCRIPT",
    "STYLE",
    "kind_label",
    "page",
    "policy",
    "render",
    "table_cells",
    "view",
]

# CJK-capable fonts in the order reviewers' machines have them: macOS,
# Windows, then Linux (Noto/Source Han, WenQuanYi as Debian ships it).
FONT_STACK = ('"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
              '"WenQuanYi Micro Hei",sans-serif')

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
    "shown": ("显示 {shown} / {total} 条", "Showing {shown} of {total}"),
    "hint": ("点击问题可定位原文，点击高亮可回到对应问题。",
             ("Click a finding to show it in the text; "
              "click a highlight to go back to its finding.")),
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
}

# What each quantity of a claim is, for the table-cell list.
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
}

STYLE = """
:root{--err:#c62828;--err-bg:rgba(229,57,53,.22);--warn:#a15c00;--warn-bg:rgba(255,171,0,.32);
--info:#1565c0;--info-bg:rgba(30,136,229,.18);--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:#f6f7f9;color:#1f2328;font-size:14px;line-height:1.6;
font-family:$FONTS}
.jx-view{padding:12px 16px}
.jx-head h1{font-size:20px;margin:0 0 4px}
.jx-meta{color:var(--muted);margin:0 0 6px;word-break:break-all}
.jx-summary{margin:0 0 8px}
.jx-bar{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:0 0 10px}
.jx-bar fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px;
align-items:center}
.jx-bar legend{float:left;color:var(--muted);margin-right:4px;padding:0}
.jx-chip{display:inline-flex;align-items:center;gap:4px;border:1px solid var(--line);
border-radius:999px;padding:1px 10px 1px 6px;background:#fff;cursor:pointer;user-select:none}
.jx-chip b{font-variant-numeric:tabular-nums}
.jx-chip.jx-error{border-color:var(--err);color:var(--err)}
.jx-chip.jx-warning{border-color:var(--warn);color:var(--warn)}
.jx-chip.jx-info{border-color:var(--info);color:var(--info)}
.jx-shown,.jx-hint{color:var(--muted)}
.jx-main{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:12px;
align-items:start}
.jx-panel{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;background:#fff;
border:1px solid var(--line);border-radius:8px}
.jx-panel h2{position:sticky;top:0;z-index:2;margin:0;padding:6px 12px;font-size:15px;
background:#fff;border-bottom:1px solid var(--line)}
.jx-text{margin:0;padding:10px 12px 10px 4.6em;white-space:pre-wrap;overflow-wrap:anywhere;
tab-size:4;font-family:inherit;font-size:14px;line-height:1.75}
.jx-ln{display:inline-block;width:3.6em;margin-left:-4.6em;margin-right:1em;text-align:right;
color:#8c959f;font-size:12px;user-select:none;font-variant-numeric:tabular-nums}
.jx-ln::before{content:attr(data-n)}
mark.jx-hl{color:inherit;background:var(--bg);border-bottom:2px solid var(--c);border-radius:2px;
padding:0;cursor:pointer}
.jx-error{--c:var(--err);--bg:var(--err-bg)}
.jx-warning{--c:var(--warn);--bg:var(--warn-bg)}
.jx-info{--c:var(--info);--bg:var(--info-bg)}
mark.jx-hl.jx-off{background:transparent;border-bottom-color:transparent;cursor:auto}
.jx-flash{animation:jx-flash 1.8s ease-out}
@keyframes jx-flash{0%,35%{outline:3px solid #ff6d00;outline-offset:1px;background:#ffe082}
100%{outline:3px solid transparent}}
.jx-list{list-style:none;margin:0;padding:8px}
.jx-f{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;
padding:6px 10px;margin:0 0 8px;cursor:pointer;background:#fff}
.jx-f:focus{outline:2px solid var(--c)}
.jx-f.jx-active{box-shadow:0 0 0 2px var(--c)}
.jx-fh{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline}
.jx-no{color:var(--muted);font-variant-numeric:tabular-nums}
.jx-sev{font-weight:600;color:var(--c)}
.jx-code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#eef1f4;
border-radius:4px;padding:0 4px}
.jx-kind,.jx-loc{color:var(--muted);font-size:12px}
.jx-msg{margin:4px 0}
.jx-calc{border-collapse:collapse;margin:4px 0;font-size:13px}
.jx-calc th{text-align:left;font-weight:normal;color:var(--muted);padding:0 10px 0 0;
vertical-align:top;white-space:nowrap}
.jx-calc td{padding:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.jx-sugg{margin:4px 0;font-size:13px}
.jx-figs{margin:4px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 10px;
font-size:13px}
.jx-q{color:inherit;text-decoration:none;border-bottom:1px dashed var(--c)}
.jx-at{color:var(--muted);font-size:12px}
.jx-cells{margin:6px 0 0;font-size:12px}
.jx-cells summary{color:var(--muted);cursor:pointer}
.jx-cells table{border-collapse:collapse;width:100%;margin-top:2px}
.jx-cells th,.jx-cells td{border:1px solid var(--line);padding:1px 4px;text-align:left;
vertical-align:top}
.jx-cells th{background:#f6f8fa;font-weight:normal;color:var(--muted)}
.jx-clean{padding:12px}
@media (max-width:900px){.jx-main{grid-template-columns:1fr}
.jx-panel{position:static;max-height:70vh}}
@media print{.jx-panel{position:static;max-height:none;overflow:visible}.jx-bar{display:none}}
""".replace("$FONTS", FONT_STACK)

# Plain ES2015 DOM code, no libraries: everything it needs is in data-*
# attributes written by view(), so the page works from a file:// URL.
SCRIPT = """
(function () {
  "use strict";
  var root = document.getElementById("jx-view");
  if (!root) { return; }
  var t0 = performance.now();
  var marks = Array.prototype.slice.call(root.querySelectorAll("mark.jx-hl"));
  var cards = Array.prototype.slice.call(root.querySelectorAll("li.jx-f"));
  var byGroup = {};
  var byIndex = {};
  marks.forEach(function (m) {
    var g = m.getAttribute("data-g");
    (byGroup[g] || (byGroup[g] = [])).push(m);
  });
  cards.forEach(function (c) { byIndex[c.getAttribute("data-i")] = c; });
  var visible = {};
  cards.forEach(function (c) { visible[c.getAttribute("data-i")] = true; });

  function flash(els) {
    els.forEach(function (el) {
      el.classList.remove("jx-flash");
      void el.offsetWidth;  // restart the animation on a second click
      el.classList.add("jx-flash");
    });
  }
  function activate(card) {
    cards.forEach(function (c) { c.classList.remove("jx-active"); });
    if (card) { card.classList.add("jx-active"); }
  }
  function showGroups(groups) {
    var els = [];
    groups.forEach(function (g) { els = els.concat(byGroup[g] || []); });
    if (!els.length) { return; }
    els[0].scrollIntoView({block: "center", behavior: "smooth"});
    flash(els);
  }
  function groupsOf(card) {
    var g = card.getAttribute("data-g");
    return g ? g.split(" ") : [];
  }
  function showFinding(mark) {
    var ids = mark.getAttribute("data-f").split(" ").filter(function (i) { return visible[i]; });
    if (!ids.length) { return; }
    // Repeated clicks on a figure shared by several findings visit each in turn.
    var k = (parseInt(mark.getAttribute("data-k") || "0", 10)) % ids.length;
    mark.setAttribute("data-k", String(k + 1));
    var card = byIndex[ids[k]];
    activate(card);
    card.scrollIntoView({block: "center", behavior: "smooth"});
    flash([card]);
  }

  root.addEventListener("click", function (ev) {
    var target = ev.target;
    var link = target.closest("a.jx-q, a.jx-loc");
    if (link) {
      ev.preventDefault();
      activate(link.closest("li.jx-f"));
      showGroups([link.getAttribute("data-g")]);
      return;
    }
    var mark = target.closest("mark.jx-hl");
    if (mark) {
      if (!mark.classList.contains("jx-off")) { showFinding(mark); }
      return;
    }
    var card = target.closest("li.jx-f");
    if (card && !target.closest("details, a, input, label")) {
      activate(card);
      showGroups(groupsOf(card));
    }
  });
  root.addEventListener("keydown", function (ev) {
    var card = ev.target.closest && ev.target.closest("li.jx-f");
    if (card && ev.target === card && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      activate(card);
      showGroups(groupsOf(card));
    }
  });

  var shownEl = root.querySelector(".jx-shown");
  function applyFilters() {
    var on = {sev: {}, kind: {}};
    root.querySelectorAll("input[data-filter]").forEach(function (inp) {
      on[inp.getAttribute("data-filter")][inp.value] = inp.checked;
    });
    var shown = 0;
    visible = {};
    cards.forEach(function (c) {
      var show = on.sev[c.getAttribute("data-sev")] !== false &&
                 on.kind[c.getAttribute("data-kind")] !== false;
      c.hidden = !show;
      if (show) { visible[c.getAttribute("data-i")] = true; shown += 1; }
    });
    marks.forEach(function (m) {
      var any = m.getAttribute("data-f").split(" ").some(function (i) { return visible[i]; });
      m.classList.toggle("jx-off", !any);
    });
    if (shownEl) {
      shownEl.textContent = shownEl.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", String(cards.length));
    }
  }
  root.addEventListener("change", function (ev) {
    if (ev.target.matches("input[data-filter]")) { applyFilters(); }
  });
  root.setAttribute("data-ready-ms", (performance.now() - t0).toFixed(1));
  root.setAttribute("data-ready", "1");
})();
"""


def _w(key: str, lang: str, **kw) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**kw)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def kind_label(kind: str, lang: str) -> str:
    """The reader's word for a check kind; unknown kinds are shown as named."""
    zh, en = KINDS.get(kind, (kind, kind))
    return en if lang == "en" else zh


def _role(role: str, lang: str) -> str:
    zh, en = _ROLES[role]
    return en if lang == "en" else zh


def _dec(value: Decimal, unit: str = "") -> str:
    text = format(value, "f")
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
    return [c for c in cells if c[3] is not None]  # type: ignore[misc]


class _Groups:
    """Distinct highlighted spans, each with the findings that use it."""

    def __init__(self, doc: models.Document, findings: list[models.Finding]) -> None:
        n = len(doc.raw)
        self.spans: list[tuple[int, int]] = []
        self.findings: list[list[int]] = []
        self.by_span: dict[tuple[int, int], int] = {}
        self.of_finding: list[list[int | None]] = []
        for fi, f in enumerate(findings):
            ids: list[int | None] = []
            for s in f.spans:
                start, end = min(s.start, n), min(s.end, n)
                if end <= start:
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

    def open_tag(self, g: int, findings: list[models.Finding], first: bool) -> str:
        fis = self.findings[g]
        worst = max((findings[i].severity for i in fis), key=lambda s: s.rank)
        codes = " · ".join(dict.fromkeys(findings[i].code for i in fis))
        ident = f' id="jx-s{g}"' if first else ""
        return (f'<mark{ident} class="jx-hl jx-{worst.value}" data-g="{g}" '
                f'data-f="{" ".join(map(str, fis))}" title="{_e(codes)}">')


def _highlight(raw: str, groups: _Groups, findings: list[models.Finding]) -> str:
    """The escaped report text with one ``<mark>`` per highlighted span and line numbers."""
    points = []
    for g, (start, end) in enumerate(groups.spans):
        # langextract's order: at one position ends (0) before starts (1);
        # shorter spans close first and longer spans open first.
        points.append((start, 1, -(end - start), g))
        points.append((end, 0, end - start, g))
    points.sort()

    out: list[str] = ['<span class="jx-ln" data-n="1"></span>']
    stack: list[int] = []
    written: set[int] = set()
    line = 1

    def open_(g: int) -> None:
        out.append(groups.open_tag(g, findings, g not in written))
        written.add(g)

    def text(chunk: str) -> None:
        nonlocal line
        for i, piece in enumerate(chunk.split("\n")):
            if i:
                # Close open highlights at a line break and reopen them after
                # the line number, so each piece of a mark stays on one line.
                out.append("</mark>" * len(stack))
                line += 1
                out.append(f'\n<span class="jx-ln" data-n="{line}"></span>')
                for g in stack:
                    open_(g)
            if piece:
                out.append(html.escape(piece, quote=False))

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


def _calc(f: models.Finding, lang: str) -> str:
    rows = []
    if f.formula:
        rows.append((labels.t("formula", lang), f.formula))
    if f.stated is not None:
        rows.append((labels.t("stated", lang), _dec(f.stated, f.unit)))
    if f.recomputed is not None:
        rows.append((labels.t("recomputed", lang), _dec(f.recomputed, f.unit)))
    if f.difference is not None:
        rows.append((_w("difference", lang), _dec(f.difference, f.unit)))
    if f.tolerance is not None:
        rows.append((_w("tolerance", lang), "±" + _dec(f.tolerance, f.unit)))
    if not rows:
        return ""
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="jx-calc">{body}</table>'


def _at(doc: models.Document, offset: int, lang: str) -> str:
    line, col = doc.line_col(offset)
    return _w("at", lang, line=line, col=col)


def _figures(doc: models.Document, f: models.Finding, ids: list[int | None], lang: str) -> str:
    items = []
    for span, g in zip(f.spans, ids):
        quote = _e(_squeeze(doc.raw[span.start:span.end])) or "∅"
        where = _e(_at(doc, min(span.start, len(doc.raw)), lang))
        if g is None:
            items.append(f'<li>{quote} <span class="jx-at">{where}</span></li>')
        else:
            items.append(f'<li><a class="jx-q" href="#jx-s{g}" data-g="{g}">{quote}</a> '
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
            g = spans.get((q.span.start, q.span.end))
            value = _e(q.raw)
            if g is not None:
                value = f'<a class="jx-q" href="#jx-s{g}" data-g="{g}">{value}</a>'
            rows.append(f"<tr><td>{_e(row_label)}</td><td>{_e(column)}</td>"
                        f"<td>{_e(_role(role, lang))}</td><td>{value}</td>"
                        f"<td>{_e(_at(doc, min(q.span.start, len(doc.raw)), lang))}</td></tr>")
        head = "".join(f"<th>{_e(_w(k, lang))}</th>"
                       for k in ("row", "column", "role", "value", "where"))
        out.append(f'<details class="jx-cells" open><summary>{_e(_w("table", lang))}{_colon(lang)}'
                   f'{_e(claim.table)}</summary><table><thead><tr>{head}</tr></thead>'
                   f'<tbody>{"".join(rows)}</tbody></table></details>')
    return "".join(out)


def _card(doc: models.Document, i: int, f: models.Finding, ids: list[int | None],
          claims: dict[str, models.Claim], spans: dict[tuple[int, int], int], lang: str) -> str:
    sev = f.severity.value
    groups = " ".join(str(g) for g in dict.fromkeys(g for g in ids if g is not None))
    first = next((g for g in ids if g is not None), None)
    if f.spans and first is not None:
        loc = (f'<a class="jx-loc" href="#jx-s{first}" data-g="{first}">'
               f'{_e(_at(doc, f.spans[0].start, lang))}</a>')
    elif f.spans:
        where = _at(doc, min(f.spans[0].start, len(doc.raw)), lang)
        loc = f'<span class="jx-loc">{_e(where)}</span>'
    else:
        loc = f'<span class="jx-loc">{_e(_w("no_span", lang))}</span>'
    sugg = ""
    if f.suggestion:
        sugg = (f'<p class="jx-sugg">{_e(labels.t("suggestion", lang))}{_colon(lang)}'
                f'{_e(f.suggestion.get(lang))}</p>')
    return (
        f'<li class="jx-f jx-{sev}" id="jx-f{i}" data-i="{i}" data-sev="{sev}" '
        f'data-kind="{_e(f.kind)}" data-g="{groups}" tabindex="0">'
        f'<div class="jx-fh"><span class="jx-no">{i + 1}</span>'
        f'<span class="jx-sev">{_e(labels.SEVERITY[lang].get(sev, sev))}</span>'
        f'<code class="jx-code" title="{_e(f.name)}">{_e(f.code)}</code>'
        f'<span class="jx-kind">{_e(kind_label(f.kind, lang))}</span>{loc}</div>'
        f'<p class="jx-msg">{_e(f.message.get(lang))}</p>'
        f"{_calc(f, lang)}{sugg}{_figures(doc, f, ids, lang)}"
        f"{_cells(doc, f, claims, spans, lang)}</li>"
    )


def view(doc: models.Document, report: models.Report, lang: str = "zh") -> str:
    """The result view: counts, filters, highlighted text and the findings list.

    Args:
        doc: the document the report was made from (spans index ``doc.raw``).
        report: the run's report; every finding is shown.
        lang: ``"zh"`` (default) or ``"en"``.

    Returns:
        An HTML fragment rooted at ``<div id="jx-view">``; :data:`STYLE` and
        :data:`SCRIPT` make it work.
    """
    findings = report.findings
    groups = _Groups(doc, findings)
    claims: dict[str, models.Claim] = {}
    for c in report.claims:
        claims.setdefault(c.id, c)
    counts = _counts(report)
    sev_chips = _chips("sev", ((s.value, labels.SEVERITY[lang][s.value], counts[s.value],
                                f"jx-{s.value}") for s in models.Severity))
    kinds: dict[str, int] = {}
    for f in findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    kind_chips = _chips("kind", ((k, kind_label(k, lang), n, "") for k, n in kinds.items()))
    total = len(findings)
    shown_template = _w("shown", lang, shown="{shown}", total="{total}")
    bar = (
        f'<div class="jx-bar"><fieldset><legend>{_e(_w("filter_severity", lang))}</legend>'
        f"{sev_chips}</fieldset>"
        + (f'<fieldset><legend>{_e(_w("filter_kind", lang))}</legend>{kind_chips}</fieldset>'
           if kinds else "")
        + f'<span class="jx-shown" data-template="{_e(shown_template)}">'
        f'{_e(_w("shown", lang, shown=total, total=total))}</span></div>'
    )
    if findings:
        cards = "".join(_card(doc, i, f, groups.of_finding[i], claims, groups.by_span, lang)
                        for i, f in enumerate(findings))
        listing = f'<ol class="jx-list">{cards}</ol>'
        hint = f'<p class="jx-hint">{_e(_w("hint", lang))}</p>'
    else:
        listing = f'<p class="jx-clean">{_e(labels.t("clean", lang))}</p>'
        hint = ""
    head = (
        f'<div class="jx-head"><h1>{_e(labels.t("title", lang))}</h1>'
        f'<p class="jx-meta">{_e(labels.t("file", lang))}{_colon(lang)}{_e(doc.source)} · '
        f'{_e(_w("backend", lang))}{_colon(lang)}{_e(report.backend)}</p>'
        f'<p class="jx-summary">'
        f'{_e(labels.t("summary", lang, claims=len(report.claims), **counts))}</p>'
        f"{bar}{hint}</div>"
    )
    text = _highlight(doc.raw, groups, findings)
    return (
        f'<div class="jx-view" id="jx-view" data-total="{total}">{head}'
        f'<div class="jx-main"><section class="jx-panel" aria-label="{_e(_w("text", lang))}">'
        f'<h2>{_e(_w("text", lang))}</h2><pre class="jx-text" id="jx-text">{text}</pre></section>'
        f'<aside class="jx-panel" aria-label="{_e(_w("findings", lang))}">'
        f'<h2>{_e(_w("findings", lang))}（{total}）</h2>{listing}</aside></div></div>'
    )


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(style: str = STYLE, script: str = SCRIPT, form_action: str = "'none'") -> str:
    """A Content-Security-Policy that allows only this style and script, and no network.

    Args:
        style: the exact text of the page's one ``<style>`` element.
        script: the exact text of the page's one ``<script>`` element.
        form_action: where forms may post (``"'self'"`` for ``jxcheck serve``).
    """
    return (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
            f"img-src data:; base-uri 'none'; form-action {form_action}")


def page(title: str, body: str, lang: str = "zh", *, style: str = STYLE, script: str = SCRIPT,
         form_action: str = "'none'") -> str:
    """A complete HTML document around ``body`` with inline style and script.

    Args:
        title: the ``<title>`` text (escaped here).
        body: trusted HTML for ``<body>``, such as :func:`view`'s output.
        lang: ``"zh"`` or ``"en"``, for ``<html lang>``.
        style: the stylesheet; :func:`policy` pins it by hash.
        script: the script; :func:`policy` pins it by hash.
        form_action: where forms may post.

    Returns:
        The page, with a Content-Security-Policy ``<meta>`` that allows nothing
        but this style and script.
    """
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{_e(policy(style, script, form_action))}">\n'
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
    return page(title, view(doc, report, lang), lang)
