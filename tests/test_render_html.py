"""HTML and xlsx renderers: escaping, highlights, counts, language, workbook rows.

Reports here are built by hand (text + findings with known spans), so the
assertions do not depend on how well the rules backend extracts; one test runs
the real pipeline on a synthetic report with a planted 其中 error.
"""

from __future__ import annotations

import html
import html.parser
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest

from extractor import load, models, pipeline, render
from extractor.render import htmlout, xlsx

TEXT = (
    "2023年度部门整体支出绩效自评报告\n"
    "一、预算执行情况\n"
    "年度预算资金1,000万元，其中：基本支出500万元，项目支出300万元，其他支出100万元。\n"
    "全年实际支出900万元，预算执行率为95%。\n"
    "附注：<script>alert('x')</script> & <b>不是标签</b>\n"
    "=SUM(A1:A3)\x0c\n"
)


def _span(text: str, needle: str, nth: int = 0) -> models.Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return models.Span(start=start, end=start + len(needle))


def _q(s: models.Span, value: str, unit: str = "万元") -> models.Quantity:
    return models.Quantity(value=Decimal(value), unit=unit, raw=TEXT[s.start:s.end], span=s)


def _finding(code: str, kind: str, severity: str, spans: tuple[models.Span, ...],
             **kw) -> models.Finding:
    return models.Finding(
        code=code, name=f"{kind}-rule", kind=kind, severity=models.Severity(severity),
        message=models.Localized(zh=f"{code} 中文说明", en=f"{code} English message"),
        spans=spans, **kw,
    )


@pytest.fixture()
def doc() -> models.Document:
    return load.from_text(TEXT, "synthetic.txt")


@pytest.fixture()
def report(doc: models.Document) -> models.Report:
    total, a, b, c = (_span(TEXT, s) for s in ("1,000万元", "500万元", "300万元", "100万元"))
    rate, spent = _span(TEXT, "95%"), _span(TEXT, "900万元")
    footing = _finding(
        "JX201", "footing", "error", (total, a, b, c),
        stated=Decimal(1000), recomputed=Decimal(900), difference=Decimal(100),
        tolerance=Decimal("2.0"), unit="万元",
        formula="500万元 + 300万元 + 100万元 = 900 ≠ 1,000万元",
        suggestion=models.Localized(zh="核对合计数", en="Check the total"), claim_ids=("b1",),
    )
    ratio = _finding(
        "JX101", "rate", "warning", (rate, spent, total),
        stated=Decimal(95), recomputed=Decimal("90.00"), difference=Decimal("5.00"),
        unit="%", formula="900 ÷ 1,000 × 100% = 90.00%", claim_ids=("r1",),
    )
    formula_like = _finding("JX401", "cross_reference", "info", (_span(TEXT, "=SUM(A1:A3)"),))
    no_span = _finding("JX001", "input", "info", ())
    claims = [
        models.BreakdownClaim(id="b1", label="年度预算资金", table="表1 预算执行表",
                              total=_q(total, "1000"),
                              parts=(_q(a, "500"), _q(b, "300"), _q(c, "100")),
                              part_labels=("基本支出", "项目支出", "其他支出"), column="预算数"),
        models.RatioClaim(id="r1", stated=_q(rate, "95", "%"), numerator=_q(spent, "900"),
                          denominator=_q(total, "1000")),
    ]
    return models.Report(source=doc.source, encoding="utf-8", length=len(TEXT), claims=claims,
                         findings=[footing, ratio, formula_like, no_span], backend="rules")


class _Marks(html.parser.HTMLParser):
    """Collects the text under each highlight group and each finding card's groups."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []  # one entry per open element, group or None
        self.groups: dict[str, str] = {}
        self.group_class: dict[str, str] = {}
        self.cards: dict[str, dict[str, str]] = {}
        self.scripts = 0
        self.depth_errors = 0
        self.in_text = False
        self.text = ""
        self._void = {"meta", "link", "input", "br", "img"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "pre" and a.get("id") == "jx-text":
            self.in_text = True
        if tag == "li" and "jx-f" in (a.get("class") or ""):
            self.cards[a["data-i"]] = a
        if tag in self._void:
            return
        group = a.get("data-g") if tag == "mark" else None
        if group is not None:
            self.groups.setdefault(group, "")
            self.group_class[group] = a.get("class", "")
        self.open.append((tag, group))

    def handle_endtag(self, tag):
        if tag in self._void:
            return
        if not self.open or self.open[-1][0] != tag:
            self.depth_errors += 1
            return
        self.open.pop()
        if tag == "pre":
            self.in_text = False

    def handle_data(self, data):
        for _, group in self.open:
            if group is not None:
                self.groups[group] += data
        if self.in_text:
            self.text += data


def _parse(page: str) -> _Marks:
    p = _Marks()
    p.feed(page)
    p.close()
    return p


def test_html_escapes_report_text(doc, report):
    page = htmlout.render(doc, report)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or \
        "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in page
    parsed = _parse(page)
    assert parsed.scripts == 1  # only the page's own script
    assert parsed.depth_errors == 0
    # Line breaks and every character of the report survive (line numbers are
    # generated content, not text).
    assert parsed.text == TEXT


def test_html_highlights_every_finding_span(doc, report):
    parsed = _parse(htmlout.render(doc, report))
    for i, f in enumerate(report.findings):
        card = parsed.cards[str(i)]
        groups = card["data-g"].split() if card["data-g"] else []
        assert sorted(parsed.groups[g] for g in groups) == sorted(
            TEXT[s.start:s.end] for s in f.spans)
        for g in groups:
            assert f"jx-{f.severity.value}" in parsed.group_class[g] or f.severity.rank < 2
    # A figure in two findings is coloured by the worse one.
    total = TEXT[_span(TEXT, "1,000万元").start:_span(TEXT, "1,000万元").end]
    shared = [g for g, t in parsed.groups.items() if t == total]
    assert len(shared) == 1 and "jx-error" in parsed.group_class[shared[0]]


def test_html_nested_and_crossing_spans_stay_well_formed():
    text = "甲乙丙丁戊己庚辛壬癸"
    doc = load.from_text(text, "n.txt")
    findings = [
        _finding("JX201", "footing", "error", (models.Span(start=1, end=6),)),   # 乙丙丁戊己
        _finding("JX101", "rate", "warning", (models.Span(start=2, end=4),)),    # nested: 丙丁
        _finding("JX301", "growth", "info", (models.Span(start=5, end=9),)),     # crosses: 己庚辛壬
        _finding("JX302", "difference", "info", (models.Span(start=1, end=6),)),  # same as first
    ]
    report = models.Report(source="n.txt", encoding="utf-8", length=len(text), claims=[],
                           findings=findings, backend="rules")
    parsed = _parse(htmlout.render(doc, report))
    assert parsed.depth_errors == 0
    assert sorted(parsed.groups.values()) == sorted(["乙丙丁戊己", "丙丁", "己庚辛壬"])
    assert parsed.text == text
    assert parsed.cards["0"]["data-g"] == parsed.cards["3"]["data-g"]


def test_html_counts_by_severity(doc, report):
    page = htmlout.render(doc, report)
    for sev, n in (("error", 1), ("warning", 1), ("info", 2)):
        assert re.search(rf'value="{sev}" checked> [^<]+ <b>{n}</b>', page)
    assert "共 1 个错误、1 个警告、2 个提示（2 条数量关系已核对）" in page
    assert 'data-filter="kind" value="footing"' in page
    assert 'data-filter="kind" value="cross_reference"' in page


def test_html_shows_recomputation_and_table_cells(doc, report):
    page = htmlout.render(doc, report)
    assert "500万元 + 300万元 + 100万元 = 900 ≠ 1,000万元" in page
    # The stated figure as printed (separators kept), the rest in its style.
    assert "<th>所述</th><td>1,000万元</td>" in page
    assert "<th>应为</th><td>900 万元</td>" in page
    assert "<th>差额</th><td>100 万元</td>" in page
    assert "<th>容差</th><td>±2.0 万元</td>" in page
    assert "<th>应为</th><td>90.00%</td>" in page
    assert "表1 预算执行表" in page
    for label in ("基本支出", "项目支出", "其他支出", "预算数"):
        assert f"<td>{label}</td>" in page
    assert "无原文位置" in page  # the finding without spans is still listed


def test_html_is_self_contained(doc, report):
    page = htmlout.render(doc, report)
    assert '<meta charset="utf-8">' in page
    assert '"Noto Sans CJK SC"' in page and '"Microsoft YaHei"' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in html.unescape(page)


def test_html_english(doc, report):
    page = htmlout.render(doc, report, lang="en")
    assert '<html lang="en">' in page
    assert "JX201 English message" in page and "JX201 中文说明" not in page
    assert "Report text" in page and "Showing 4 of 4" in page
    assert "1 errors, 1 warnings, 2 notes" in page
    assert "line 3, col 7" in page
    assert 'lang="zh-CN"' in htmlout.render(doc, report)


def test_html_clean_report(doc):
    report = models.Report(source="s", encoding="utf-8", length=len(TEXT), claims=[],
                           findings=[], backend="rules")
    page = htmlout.render(doc, report)
    assert "未发现数字不一致。" in page and "<mark" not in page


def test_html_through_format_table(doc, report):
    assert render.get("html") is htmlout.render
    assert isinstance(render.get("html")(doc, report, "zh"), str)


def test_html_pipeline_planted_footing_error():
    text = ("一、项目资金情况\n"
            "2023年度项目预算资金总额为1,000万元，其中：中央财政资金500万元，"
            "省级财政资金300万元，市级财政资金100万元。\n")
    doc = load.from_text(text, "planted.txt")
    report = pipeline.check_document(doc)
    start = text.index("1,000万元")
    planted = [f for f in report.findings
               if f.kind == "footing" and any(s.start <= start < s.end for s in f.spans)]
    assert planted, "the planted 其中 error was not found"
    parsed = _parse(htmlout.render(doc, report))
    assert "1,000万元" in parsed.groups.values()


def test_cli_check_writes_html_file(tmp_path):
    from extractor import cli

    try:
        cli._parser()
    except ModuleNotFoundError as e:  # pragma: no cover - depends on sibling work
        pytest.skip(f"jxcheck's CLI cannot start yet: {e}")
    src = tmp_path / "report.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "report.html"
    cli.main(["check", str(src), "--format", "html", "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="jx-view"' in page
    xl = tmp_path / "report.xlsx"
    cli.main(["check", str(src), "--format", "xlsx", "-o", str(xl)])
    assert openpyxl.load_workbook(xl).worksheets[0]["A1"].value == "序号"


def _rows(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return wb, ws, rows[0], rows[1:]


def test_xlsx_one_row_per_finding(doc, report):
    data = xlsx.render(doc, report)
    assert isinstance(data, bytes)
    wb, ws, header, rows = _rows(data)
    assert len(rows) == len(report.findings)
    assert header[:6] == ("序号", "规则", "级别", "类型", "说明（中文）", "说明（英文）")
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["E"].width >= 40
    col = {h: i for i, h in enumerate(header)}
    first = rows[0]
    assert first[col["规则"]] == "JX201"
    assert first[col["级别"]] == "错误"
    assert first[col["说明（中文）"]] == "JX201 中文说明"
    assert first[col["说明（英文）"]] == "JX201 English message"
    assert (first[col["行"]], first[col["列"]]) == (3, 7)
    assert first[col["原文"]].split("\n") == ["1,000万元", "500万元", "300万元", "100万元"]
    assert first[col["所述"]] == 1000 and first[col["应为"]] == 900
    assert first[col["差额"]] == 100 and first[col["容差"]] == 2
    assert first[col["单位"]] == "万元"
    assert first[col["计算"]] == "500万元 + 300万元 + 100万元 = 900 ≠ 1,000万元"
    assert first[col["建议"]] == "核对合计数"
    assert ws.cell(row=3, column=col["应为"] + 1).number_format.endswith("0.00")
    # Report text starting with "=" stays text, and control characters are dropped.
    formula_row = rows[2]
    assert formula_row[col["原文"]] == "=SUM(A1:A3)"
    assert ws.cell(row=4, column=col["原文"] + 1).data_type == "s"
    assert rows[3][col["行"]] is None and rows[3][col["原文"]] is None
    assert len(wb.worksheets) == 2


def test_xlsx_english_headers(doc, report):
    _, _, header, rows = _rows(render.get("xlsx")(doc, report, "en"))
    assert header[:3] == ("#", "Rule", "Severity")
    assert rows[0][2] == "error"


# -- the reviewer's workflow (issue 14) -----------------------------------------

def _card_html(page: str, i: int) -> str:
    m = re.search(rf'<li class="jx-f[^"]*" id="jx-f{i}".*?</fieldset></li>', page, re.DOTALL)
    assert m, f"no card {i}"
    return m.group(0)


def test_html_roles_markers_titles_and_focusable_highlights(doc, report):
    page = htmlout.render(doc, report)
    parsed = _parse(page)
    # The footing's figures are told apart by role, in the order of its groups.
    assert parsed.cards["0"]["data-r"] == "合计|分项|分项|分项"
    assert parsed.cards["1"]["data-r"] == "所述|分子|分母"
    # Each highlighted figure is a keyboard stop with a numbered marker and
    # a hover title carrying the message of every finding on it.
    total = re.search(r'<mark id="jx-s\d+" tabindex="0" data-n="([\d,]+)"[^>]*title="([^"]*)"'
                      r'[^>]*>1,000万元', page)
    assert total, "the shared total is not a focusable, numbered highlight"
    assert total.group(1) == "1,2"
    assert "#1 JX201 JX201 中文说明" in html.unescape(total.group(2))
    assert "#2 JX101" in html.unescape(total.group(2))
    # Roles are shown beside each figure in the card too.
    assert '<span class="jx-role">合计</span>' in _card_html(page, 0)
    assert '<span class="jx-role">分母</span>' in _card_html(page, 1)
    # Previous / next and the k / N counter exist, and need the script.
    assert re.search(r'class="jx-nav jx-needs-js"><button type="button" data-nav="prev">上一条'
                     r'</button><span class="jx-pos" aria-live="polite">– / 4</span>', page)


def test_html_cross_reference_has_neutral_labels_and_both_places():
    text = "社会消费品零售总额增速9.9%。\n全年社会消费品零售总额增速9.8%。\n"
    d = load.from_text(text, "x.txt")
    a = text.index("9.9%")
    b = text.index("9.8%")
    f = _finding("JX401", "cross_reference", "error",
                 (models.Span(start=a, end=a + 4), models.Span(start=b, end=b + 4)),
                 stated=Decimal("9.9"), recomputed=Decimal("9.8"), unit="%")
    rep = models.Report(source="x.txt", encoding="utf-8", length=len(text), claims=[],
                        findings=[f], backend="rules")
    card = _card_html(htmlout.render(d, rep), 0)
    assert "<th>所述</th>" not in card and "<th>应为</th>" not in card
    assert "<th>一处</th><td>9.9%（第 1 行第 12 列）</td>" in card
    assert "<th>另一处</th><td>9.8%（第 2 行第 14 列）</td>" in card
    assert 'data-r="甲处|乙处"' in card
    en = _card_html(htmlout.render(d, rep, "en"), 0)
    assert "<th>one place</th><td>9.9% (line 1, col 12)</td>" in en


def test_html_computed_values_are_marked_and_never_linked():
    text = "“三公经费”控制率100%，实际支出2.4万元，预算7.8万元。\n"
    d = load.from_text(text, "c.txt")

    def q(needle: str, value: str, raw: str | None = None, unit: str = "") -> models.Quantity:
        s = text.index(needle)
        return models.Quantity(value=Decimal(value), unit=unit, raw=raw or needle,
                               span=models.Span(start=s, end=s + len(needle)))

    stated, spent, plan = q("100%", "100", unit="%"), q("2.4", "2.4"), q("7.8", "7.8")
    # jxcheck's own result spans its first input for display; it is no cell.
    computed = q("2.4", "30.77", raw="30.77%", unit="%")
    claim = models.ScoreClaim(id="s1", label="“三公经费”控制率", table="共性指标表",
                              awarded=stated, indicator_value=computed, value_source="formula",
                              value_inputs=(spent, plan))
    f = _finding("JX507", "score", "error", (stated.span, spent.span, plan.span),
                 stated=Decimal(100), recomputed=Decimal("30.77"), unit="%", claim_ids=("s1",))
    rep = models.Report(source="c.txt", encoding="utf-8", length=len(text), claims=[claim],
                        findings=[f], backend="rules")
    card = _card_html(htmlout.render(d, rep), 0)
    row = re.search(r"<tr><td>[^<]*</td><td></td><td>指标值</td><td>(.*?)</td><td>(.*?)</td></tr>",
                    card)
    assert row, card
    assert "30.77%" in row.group(1) and "计算值，非报告原文" in row.group(1)
    assert "<a" not in row.group(1) and row.group(2) == "—"
    # The inputs are named as such, not as the computed value's cell.
    assert 'data-r="得分|计算依据|计算依据"' in card


def test_html_groups_one_cause_and_repeated_passages():
    text = ("在职人员控制率85%。\n在职人员控制率100%，在职29人，编制34人。\n"
            "重复段：合计10万元，其中4万元、5万元。\n重复段：合计10万元，其中4万元、5万元。\n")
    d = load.from_text(text, "g.txt")

    def sp(needle: str, nth: int = 0) -> models.Span:
        s = -1
        for _ in range(nth + 1):
            s = text.index(needle, s + 1)
        return models.Span(start=s, end=s + len(needle))

    conflict = _finding("JX401", "cross_reference", "error", (sp("85%"), sp("100%")))
    formula = _finding("JX507", "score", "error", (sp("100%"), sp("29人"), sp("34人")))
    rep1 = _finding("JX201", "footing", "error", (sp("10万元"), sp("4万元"), sp("5万元")))
    rep2 = _finding("JX201", "footing", "error", (sp("10万元", 1), sp("4万元", 1), sp("5万元", 1)))
    rep = models.Report(source="g.txt", encoding="utf-8", length=len(text), claims=[],
                        findings=[conflict, formula, rep1, rep2], backend="rules")
    page = htmlout.render(d, rep)
    shared = "「100%」（第 2 行第 8 列）同时用于第 1、2 条：若此数有误，改此一处可同时消除第 1、2 条。"
    assert shared in _card_html(page, 0) and shared in _card_html(page, 1)
    repeated = "同样的问题在报告中出现 2 次（第 3、4 条）"
    assert repeated in _card_html(page, 2) and repeated in _card_html(page, 3)
    assert repeated not in _card_html(page, 0)


def test_html_severity_reason_rule_reference_and_separators(doc, report):
    page = htmlout.render(doc, report)
    assert "为何是“错误”" in _card_html(page, 0) and "为何是“警告”" in _card_html(page, 1)
    assert "规则说明：jxcheck rules JX201" in _card_html(page, 0)
    served = htmlout.view(doc, report, rule_url="/rules/{code}")
    assert 'href="/rules/JX201"' in served
    # Separators the report printed are kept in the recomputation.
    big = "合计12,345.6万元，其中10,000万元、2,000万元。\n"
    d = load.from_text(big, "b.txt")
    s = big.index("12,345.6万元")
    f = _finding("JX201", "footing", "error", (models.Span(start=s, end=s + 10),),
                 stated=Decimal("12345.6"), recomputed=Decimal(12000),
                 difference=Decimal("345.6"), unit="万元")
    card = _card_html(htmlout.render(d, models.Report(
        source="b", encoding="utf-8", length=len(big), claims=[], findings=[f],
        backend="rules")), 0)
    assert "<th>所述</th><td>12,345.6万元</td>" in card
    assert "<th>应为</th><td>12,000 万元</td>" in card


def test_html_unit_slip_shows_the_figure_as_printed():
    text = "“三公”经费预算数为28元，其中公务接待费28万元。\n"
    d = load.from_text(text, "u.txt")
    s = text.index("28元")
    f = _finding("JX402", "unit", "error", (models.Span(start=s, end=s + 3),),
                 stated=Decimal("0.0028"), recomputed=Decimal(28), unit="万元")
    card = _card_html(htmlout.render(d, models.Report(
        source="u", encoding="utf-8", length=len(text), claims=[], findings=[f],
        backend="rules")), 0)
    assert "<th>所述</th><td>28元</td>" in card and "0.0028" not in card


def test_html_verdicts_are_baked_in(doc, report):
    judged = report.model_copy(update={"findings": [
        report.findings[0].model_copy(update={"verdict": "false_positive",
                                              "note": "口径不同 <b>"}),
        *report.findings[1:]]})
    page = htmlout.render(doc, judged)
    card = _card_html(page, 0)
    assert 'data-v="false_positive"' in card
    assert '<input type="radio" name="jx-v0" value="false_positive" checked>' in card
    assert "口径不同 &lt;b&gt;</textarea>" in card
    assert 'data-key="1-JX201-' in card
    # A written-in verdict shows without the script; empty controls need it.
    assert '<fieldset class="jx-rv">' in card
    assert '<fieldset class="jx-rv jx-needs-js">' in _card_html(page, 1)
    assert "已审核 1 / 4 条" in page
    # The printed sheet lists every finding with its verdict.
    sheet = re.search(r'<table class="jx-sheet jx-printed">.*?</table>', page, re.DOTALL).group(0)
    assert sheet.count("<tr class=") == 4
    assert re.search(r'<td class="jx-sv" id="jx-sv0"[^>]*>误报：口径不同 &lt;b&gt;</td>', sheet)
    assert ".jx-printed{display:none}" in htmlout.STYLE
    assert 'class="jx-export jx-needs-js"' in page  # the standalone page can save itself
    # Two reports never share a storage key.
    other = htmlout.render(doc, report.model_copy(update={"findings": report.findings[:2]}))
    store = re.compile(r'data-store="([0-9a-f]+)"')
    assert store.search(page).group(1) != store.search(other).group(1)


def test_html_tables_are_rows_and_cells():
    text = ("表1 三公经费\n项目\t预算数\t决算数\n公务接待费\t10\t9\n合计\t12\t9\n"
            "说明：合计有误。\n")
    d = load.from_text(text, "t.txt")
    s = text.index("12")
    f = _finding("JX202", "footing", "error", (models.Span(start=s, end=s + 2),))
    page = htmlout.render(d, models.Report(source="t", encoding="utf-8", length=len(text),
                                           claims=[], findings=[f], backend="rules"))
    parsed = _parse(page)
    assert parsed.depth_errors == 0 and parsed.text == text
    table = re.search(r'<span class="jx-tbl">(.*?)</span><span class="jx-ln" data-n="5">',
                      page, re.DOTALL)
    assert table, "the three tab-separated lines are not one table"
    rows = table.group(1).split('<span class="jx-tr">')[1:]
    assert len(rows) == 3
    assert all(r.count('<span class="jx-td">') == 3 for r in rows)
    assert re.search(r'<span class="jx-td"><mark id="jx-s0"[^>]*>12</mark></span>', rows[2])
    # A single tabbed line in prose stays text.
    assert '<span class="jx-tbl">' not in htmlout.render(
        load.from_text("甲\t乙\n", "p.txt"),
        models.Report(source="p", encoding="utf-8", length=4, claims=[], findings=[],
                      backend="rules"))


def test_html_model_failures_are_one_banner():
    text = "".join(f"第{i}段，预算{i}万元。\n" for i in range(1, 9))
    d = load.from_text(text, "m.txt")
    lines = text.split("\n")
    failed = []
    pos = 0
    for i in range(3):
        block = len(lines[2 * i]) + 1 + len(lines[2 * i + 1])
        failed.append(models.Finding(
            code="JX003", name="model-chunk-failed", kind="input", severity=models.Severity.INFO,
            message=models.Localized(zh="模型未能读取：HTTP 503 Service Unavailable",
                                     en="not read by the model: HTTP 503"),
            spans=(models.Span(start=pos, end=pos + block),)))
        pos += block + 1
    rep = models.Report(source="m", encoding="utf-8", length=len(text), claims=[],
                        findings=failed, backend="llm")
    page = htmlout.render(d, rep)
    assert page.count('class="jx-banner"') == 1
    assert "大模型未能读取报告的 3 个部分（第 1–2 行、第 3–4 行、第 5–6 行）" in page
    assert "HTTP 503" in page
    assert "<mark" not in page and 'class="jx-f ' not in page


def test_html_print_and_no_script_rules():
    # The print layout and the no-script fallbacks are CSS; their effect is
    # checked in Chromium (test_browser_review.py), their presence here.
    assert "print-color-adjust:exact" in htmlout.STYLE
    assert ".jx-findings{order:-1}" in htmlout.STYLE
    assert "break-inside:avoid" in htmlout.STYLE
    assert ".jx-view:not(.jx-js) .jx-needs-js{display:none!important}" in htmlout.STYLE
    assert "scroll-margin-top" in htmlout.STYLE


def test_xlsx_and_json_export_verdicts(doc, report):
    from extractor.render import jsonout, review

    start = report.findings[0].spans[0].start
    verdicts = review.parse(json.dumps({
        f"1-JX201-{start}": {"verdict": "confirmed", "note": "已核对原表"},
        "2-JX101-0": {"verdict": "bogus", "note": ""}}))
    judged = review.apply(report, verdicts)
    _, _, header, rows = _rows(xlsx.render(doc, judged))
    col = {h: i for i, h in enumerate(header)}
    assert rows[0][col["审核结论"]] == "确认" and rows[0][col["审核备注"]] == "已核对原表"
    assert rows[1][col["审核结论"]] is None
    data = json.loads(jsonout.render(doc, judged))
    assert data["findings"][0]["verdict"] == "confirmed"
    assert data["findings"][0]["note"] == "已核对原表"
    assert data["findings"][1]["verdict"] is None and data["findings"][1]["note"] is None
    with pytest.raises(Exception) as e:
        review.parse("[1, 2]")
    assert "审核结论" in str(e.value.message("zh")) and "review data" in e.value.message("zh")


def test_html_word_locations_are_paragraphs_and_table_rows():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("2023年度项目支出绩效自评报告")
    d.add_paragraph("本项目年度预算资金1,000万元，其中：中央财政资金500万元，"
                    "省级财政资金300万元，市级财政资金100万元。")
    t = d.add_table(rows=2, cols=2)
    for r, row in enumerate((("项目", "预算数"), ("公务接待费", "10"))):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.add_paragraph("全年共开展培训12期。")
    buf = io.BytesIO()
    d.save(buf)
    doc = load.from_bytes(buf.getvalue(), "r.docx", ".docx")
    assert doc.place(doc.raw.index("公务接待费")) == "表 1 第 2 行"
    assert doc.place(doc.raw.index("培训")) == "第 3 段"
    assert doc.place(doc.raw.index("培训"), "en") == "paragraph 3"
    report = pipeline.check_document(doc)
    page = htmlout.render(doc, report)
    assert re.search(r'class="jx-loc"[^>]*>第 2 段（原文第 2 行）<', page)


def test_html_pdf_locations_are_pages():
    pytest.importorskip("reportlab", reason="reportlab is not installed: it builds the PDF")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page_lines in (("2023年度项目支出绩效自评报告", "一、项目情况"),
                       ("二、资金情况", "年度预算资金1,000万元，其中：中央财政资金500万元，",
                        "省级财政资金300万元，市级财政资金100万元。")):
        c.setFont("STSong-Light", 12)
        for k, line in enumerate(page_lines):
            c.drawString(60, 780 - 20 * k, line)
        c.showPage()
    c.save()
    doc = load.from_bytes(buf.getvalue(), "r.pdf", ".pdf")
    assert [p[1] for p in doc.places] == ["第 1 页", "第 2 页"]
    at = doc.raw.index("1,000万元")
    assert doc.place(at) == "第 2 页第 2 行"
    assert doc.place(at, "en") == "page 2, line 2"
    report = pipeline.check_document(doc)
    assert report.findings
    assert "第 2 页第 2 行（原文第 4 行）" in htmlout.render(doc, report)


def test_missing_indicator_words_keep_each_language_to_itself():
    from extractor.checks import jx5_scores

    zh, en = jx5_scores._missing_words("在职人员控制率", (
        "非零分母 / non-zero denominator", "在职人员数",
        "在职人员控制率（报告中有 2 个不同数值 / stated with 2 different values）"))
    assert zh == "非零分母、在职人员数、在职人员控制率（报告中有 2 个不同数值）"
    assert en == "non-zero denominator, 在职人员数, 在职人员控制率 (stated with 2 different values)"
    # An indicator missing "itself" lacks its actual value.
    assert jx5_scores._missing_words("资金使用合规性", ("资金使用合规性",)) == (
        "实际完成值", "its actual value")


def test_html_review_words_in_english(doc, report):
    page = htmlout.render(doc, report, lang="en")
    card = _card_html(page, 0)
    for words in ("Why an error", "About this rule: jxcheck rules JX201", "Reviewer&#x27;s note",
                  '<span class="jx-role">total</span>', "false positive"):
        assert words in card, words
    assert ">Previous</button>" in page and ">Next</button>" in page
    assert "0 of 4 reviewed" in page and "Save page with verdicts" in page
    # No Chinese words of the page itself in the English page's cards.
    assert not re.search(r"[审核确认误报待核为何是规则说明]", re.sub(r"<[^>]+>", "", card).replace(
        "JX201 中文说明", ""))
