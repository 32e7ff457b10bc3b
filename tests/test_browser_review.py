"""A reviewer's workflow in headless Chromium: the HTML report and ``jxcheck serve``.

Driven the way a reviewer works: keyboard only through the findings, verdicts
that survive a reload and go into the downloads, filters that the downloads
follow, a page that still reads without scripting, accessibility checked with
axe-core (vendored in ``tests/fixtures/axe``, MPL-2.0), and the report printed
to PDF by Chromium with background graphics off. Skips with the reason when
chromium, chromedriver or selenium is missing, as ``test_e2e_browser.py`` does.
Screenshots and PDFs go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import io
import json
import pathlib
import re
import subprocess
import urllib.parse

import openpyxl
import pytest
from test_e2e_browser import (
    ARTIFACTS,
    CHROMIUM_FLAGS,
    _browser_paths,
    _post,
    _ready,
    _submit,
    _wait,
    chromium_driver,
    serving,
)

from extractor import load, pipeline
from extractor.render import htmlout

AXE = pathlib.Path(__file__).resolve().parent / "fixtures" / "axe" / "axe.min.js"
SHARED_004 = (pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "reports"
              / "004_e20d99653f257002.txt")

@pytest.fixture(scope="module")
def server():
    with serving() as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_driver(tmp_path_factory.mktemp("chromium-review")) as driver:
        yield driver


@pytest.fixture(scope="module")
def browser_nojs(tmp_path_factory):
    with chromium_driver(tmp_path_factory.mktemp("chromium-nojs"), javascript=False) as driver:
        yield driver


@pytest.fixture()
def browser_eager(tmp_path):
    """A browser whose commands do not wait for a pending navigation, so the
    page can be driven while the server is still working on its POST."""
    with chromium_driver(tmp_path / "chromium-eager", page_load_strategy="none") as driver:
        yield driver


# Written for these tests: a 其中 list that does not add up (JX201), a rate
# that does not match (JX101) and a flattened table whose 合计 is wrong (JX202).
REVIEW = (
    "2023年度项目支出绩效自评报告\n"
    "一、项目资金情况\n"
    "本项目年度预算资金1,000万元，其中：中央财政资金500万元，省级财政资金300万元，"
    "市级财政资金100万元。\n"
    "全年实际支出900万元，完成年度预算1,000万元的95%。\n"
    "二、三公经费\n"
    "表1 三公经费支出表（万元）\n"
    "项目\t预算数\t决算数\n"
    "公务接待费\t10\t9\n"
    "公务用车运行维护费\t20\t18\n"
    "合计\t32\t27\n"
    "三、绩效目标完成情况\n"
    "全年共开展业务培训12期。\n"
)


def _report_page(tmp_path: pathlib.Path, text: str = REVIEW, name: str = "review.txt"):
    doc = load.from_text(text, name)
    report = pipeline.check_document(doc)
    path = tmp_path / (pathlib.Path(name).stem + ".html")
    path.write_text(htmlout.render(doc, report), encoding="utf-8")
    return path, report


def _open(driver, url: str) -> None:
    driver.get(url)
    _wait(driver, lambda: _ready(driver))


def _active(driver) -> dict:
    return driver.execute_script(
        "var a = document.activeElement;"
        "return {tag: a.tagName.toLowerCase(), id: a.id, cls: a.className,"
        "        key: a.getAttribute('data-key') || ''};")


def _keys(driver, *keys) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(driver)
    for k in keys:
        chain.send_keys(k)
    chain.perform()


def _pos(driver) -> str:
    return driver.execute_script("return document.querySelector('.jx-pos').textContent;")


def _current(driver) -> dict:
    return driver.execute_script(
        "var c = document.querySelector('li.jx-f.jx-active');"
        "var marks = Array.prototype.slice.call(document.querySelectorAll('mark.jx-cur'));"
        "return {code: c ? c.getAttribute('data-code') : null,"
        "        roles: marks.map(function (m) { return m.getAttribute('data-role'); })"
        "                    .filter(function (r) { return r; }),"
        "        marks: marks.length,"
        "        outline: marks.length ? getComputedStyle(marks[0]).outlineStyle : ''};")


# -- 1. the current finding, by keyboard only ------------------------------------

def test_browser_keyboard_only_review(browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    path, report = _report_page(tmp_path)
    codes = [f.code for f in report.findings]
    assert codes == ["JX201", "JX101", "JX202"], codes
    _open(browser, path.as_uri())
    assert _pos(browser) == "– / 3"

    # N: the first finding becomes current and stays outlined, its figures
    # told apart by role.
    _keys(browser, "n")
    cur = _current(browser)
    assert cur["code"] == "JX201" and _pos(browser) == "1 / 3"
    assert sorted(cur["roles"]) == sorted(["合计", "分项", "分项", "分项"])
    assert cur["outline"] == "solid"
    browser.execute_script("return new Promise(function (r) { setTimeout(r, 2000); });")
    assert _current(browser)["outline"] == "solid", "the current finding faded with the flash"
    _keys(browser, "n")
    cur = _current(browser)
    assert cur["code"] == "JX101" and _pos(browser) == "2 / 3"
    assert sorted(cur["roles"]) == sorted(["所述", "分子", "分母"])
    _keys(browser, "n", "n")
    assert _current(browser)["code"] == "JX201" and _pos(browser) == "1 / 3"  # wraps round
    _keys(browser, "p")
    assert _current(browser)["code"] == "JX202" and _pos(browser) == "3 / 3"
    browser.save_screenshot(str(ARTIFACTS / "review-current-finding.png"))

    # The buttons do the same.
    browser.find_element("css selector", 'button[data-nav="prev"]').click()
    assert _current(browser)["code"] == "JX101"

    # Tab from the top of the page reaches the text panel and then its
    # highlights; Enter on a highlight makes its finding current.
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    reached = None
    for _ in range(60):
        _keys(browser, Keys.TAB)
        a = _active(browser)
        if a["tag"] == "mark":
            reached = a
            break
    assert reached, "no highlight can be reached with Tab"
    title = browser.execute_script("return document.activeElement.getAttribute('title');")
    assert re.search(r"#1 JX201 合计不符", title), title
    _keys(browser, Keys.ENTER)
    assert _current(browser)["code"] == "JX201"
    # Enter on a focused card does the same.
    browser.execute_script("document.getElementById('jx-f2').focus();")
    _keys(browser, Keys.ENTER)
    assert _current(browser)["code"] == "JX202"
    # The table's cell of that finding is highlighted within rows and columns.
    cell = browser.execute_script(
        "var m = document.querySelector('mark.jx-cur');"
        "var td = m.closest('.jx-td');"
        "return {display: getComputedStyle(td).display,"
        "        bg: getComputedStyle(td).backgroundColor};")
    assert cell["display"] == "table-cell" and cell["bg"] not in ("rgba(0, 0, 0, 0)", "")


def test_browser_table_columns_line_up(browser, tmp_path):
    path, _ = _report_page(tmp_path)
    _open(browser, path.as_uri())
    lefts = browser.execute_script(
        "return Array.prototype.slice.call(document.querySelectorAll('.jx-tr')).map("
        "function (r) { return Array.prototype.slice.call(r.querySelectorAll('.jx-td'))"
        ".map(function (c) { return Math.round(c.getBoundingClientRect().left); }); });")
    assert len(lefts) == 4 and all(len(r) == 3 for r in lefts)
    for col in range(3):
        assert len({r[col] for r in lefts}) == 1, lefts
    browser.find_element("css selector", "mark[data-n]").screenshot(
        str(ARTIFACTS / "review-highlight.png"))
    browser.find_element("css selector", ".jx-tbl").screenshot(str(ARTIFACTS / "review-table.png"))


# -- 2. verdicts and notes ----------------------------------------------------------

def test_browser_verdicts_survive_reload_and_are_exported(browser, tmp_path):
    path, _ = _report_page(tmp_path, name="verdicts.txt")
    _open(browser, path.as_uri())
    browser.execute_script("localStorage.clear();")
    _open(browser, path.as_uri())
    card = browser.find_element("id", "jx-f0")
    card.find_element("css selector", 'input[value="false_positive"]').click()
    note = card.find_element("css selector", ".jx-rv textarea")
    note.send_keys("口径不同，已与财务科核对")
    browser.find_element("id", "jx-f1").find_element(
        "css selector", 'input[value="confirmed"]').click()
    tally = browser.find_element("css selector", ".jx-tally").text
    assert tally == "已审核 2 / 3 条"
    # The printed sheet (hidden on screen) follows the cards.
    sheet = browser.execute_script(
        "return [document.getElementById('jx-sv0').textContent,"
        "        document.getElementById('jx-sv1').textContent,"
        "        getComputedStyle(document.querySelector('.jx-sheet')).display];")
    assert sheet == ["误报：口径不同，已与财务科核对", "确认", "none"]

    _open(browser, path.as_uri())  # a reload keeps the review
    card = browser.find_element("id", "jx-f0")
    assert card.find_element("css selector", 'input[value="false_positive"]').is_selected()
    assert card.find_element("css selector", ".jx-rv textarea").get_attribute("value") == \
        "口径不同，已与财务科核对"
    assert card.get_attribute("data-v") == "false_positive"
    browser.save_screenshot(str(ARTIFACTS / "review-verdicts.png"))

    # "Save page with verdicts" writes a copy whose markup carries them.
    baked = browser.execute_script(
        "var out = null; var orig = URL.createObjectURL;"
        "URL.createObjectURL = function (b) { out = b; return 'blob:x'; };"
        "var click = HTMLAnchorElement.prototype.click;"
        "HTMLAnchorElement.prototype.click = function () {};"
        "document.querySelector('button.jx-export').click();"
        "URL.createObjectURL = orig; HTMLAnchorElement.prototype.click = click;"
        "return out.text();")
    assert '<input type="radio" name="jx-v0" value="false_positive" checked="">' in baked
    assert "口径不同，已与财务科核对</textarea>" in baked
    exported = tmp_path / "exported.html"
    exported.write_text(baked, encoding="utf-8")
    browser.execute_script("localStorage.clear();")
    _open(browser, exported.as_uri())  # no storage: the baked verdicts show
    assert browser.find_element("id", "jx-f1").find_element(
        "css selector", 'input[value="confirmed"]').is_selected()
    assert browser.find_element("css selector", ".jx-tally").text == "已审核 2 / 3 条"


# -- 3. printing ------------------------------------------------------------------------

def _print_pdf(html_path: pathlib.Path, pdf_path: pathlib.Path, profile: pathlib.Path) -> None:
    chromium, _ = _browser_paths()
    # --print-to-pdf prints without background graphics unless asked.
    cmd = [chromium, *[f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")],
           f"--user-data-dir={profile}", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf_path}", html_path.as_uri()]
    subprocess.run(cmd, check=True, timeout=180, capture_output=True)


def test_browser_print_004_findings_first_markers_visible(tmp_path):
    if not SHARED_004.is_file():
        pytest.skip("../shared/reports/004 is not present beside the repository (field "
                    "reports are not distributed with jxcheck)")
    pdfplumber = pytest.importorskip("pdfplumber")
    doc = load.load(SHARED_004)
    report = pipeline.check_document(doc)
    html_path = tmp_path / "004.html"
    html_path.write_text(htmlout.render(doc, report), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "print-004.pdf"
    _print_pdf(html_path, pdf_path, tmp_path / "print-profile")
    with pdfplumber.open(pdf_path) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
        first_page_image = pdf.pages[0].to_image(resolution=60)
        first_page_image.save(str(ARTIFACTS / "print-004-page1.png"))
    flat = ["".join(p.split()) for p in pages]
    # The text panel's heading is a line of its own ("非报告原文" in a card is not).
    heading = [any(line.strip() == "报告原文" for line in p.split("\n")) for p in pages]
    # The header: file, version, date and counts.
    assert "004_e20d99653f257002.txt" in flat[0] and "jxcheck0.1" in flat[0]
    errors = sum(f.severity.value == "error" for f in report.findings)
    assert f"共{errors}个错误" in flat[0] and "生成于" in flat[0]
    # No UI hints on paper.
    assert not any("点击问题" in p or "上一条" in p or "N/P键" in p for p in flat)
    # The sheet comes first: every finding's number and rule on the first two pages.
    sheet = "".join(flat[:2])
    for i, f in enumerate(report.findings, 1):
        word = {"error": "错误", "warning": "警告", "info": "提示"}[f.severity.value]
        assert f"{i}{word}{f.code}" in sheet, i
    # The text starts after the findings: every finding is on a page before it.
    text_start = heading.index(True)
    findings_pages = flat[:text_start + 1]
    joined = "".join(findings_pages)
    for i, f in enumerate(report.findings, 1):
        message = "".join(f.message.zh.split())[:12]
        assert message in joined, f"finding {i} ({f.code}) is not before the text"
    assert text_start <= 8, f"the findings take {text_start + 1} pages"
    # Every finding's number is a visible marker in the printed text.
    body = "".join(flat[text_start:])
    markers = set(re.findall(r"\[(\d+(?:,\d+)*)\]", body))
    numbers = {int(n) for m in markers for n in m.split(",")}
    missing = set(range(1, len(report.findings) + 1)) - numbers
    assert not missing, f"findings without a printed marker: {sorted(missing)}"
    print(f"\n[print] 004: {len(pages)} pages, findings on pages 1–{text_start + 1}, "
          f"{len(markers)} distinct markers")


# -- 4. accessibility (axe-core) ------------------------------------------------------

def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return {id: v.id, impact: v.impact, help: v.help, n: v.nodes.length,"
        "          target: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })};"
        "})); }, function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e)}]); });")
    return result


def _serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_browser_axe_report_and_local_page(browser, server, tmp_path):
    browser.set_script_timeout(120)
    # The harness itself finds problems: a picture without text and pale text.
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head><body>'
                   '<main><img src="x.png"><p style="color:#ddd;background:#fff">浅色文字</p>'
                   "</main></body></html>", encoding="utf-8")
    browser.get(bad.as_uri())
    assert {"image-alt", "color-contrast"} <= {v["id"] for v in _serious(_axe(browser))}
    path, _ = _report_page(tmp_path, name="axe.txt")
    _open(browser, path.as_uri())
    _keys(browser, "n")  # with a current finding, as a reviewer sees it
    report_issues = _serious(_axe(browser))
    browser.get(server + "/")
    front_issues = _serious(_axe(browser))
    browser.get(server + "/rules")
    rules_issues = _serious(_axe(browser))
    _submit(browser, server, REVIEW, type_it=False)
    result_issues = _serious(_axe(browser))
    assert not report_issues, report_issues
    assert not front_issues, front_issues
    assert not rules_issues, rules_issues
    assert not result_issues, result_issues


# -- 6. the local page --------------------------------------------------------------

def test_browser_serve_focus_filters_and_downloads(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.execute_script("localStorage.clear();")
    _submit(browser, server, REVIEW, type_it=False)
    # Focus moved to the results, which are in view.
    assert _active(browser)["id"] == "jx-results"
    top = browser.execute_script(
        "return document.getElementById('jx-results').getBoundingClientRect().top;")
    assert -2 <= top < 200
    # A rule filter: hide JX202; judge JX201.
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="code"][value="JX202"]').click()
    assert not browser.find_element(By.ID, "jx-f2").is_displayed()
    browser.find_element(By.ID, "jx-f0").find_element(
        By.CSS_SELECTOR, 'input[value="confirmed"]').click()
    browser.find_element(By.ID, "jx-f0").find_element(
        By.CSS_SELECTOR, ".jx-rv textarea").send_keys("与决算表一致")
    browser.save_screenshot(str(ARTIFACTS / "serve-review.png"))
    # What the download form sends once its button is pressed (the submit
    # listener fills it; the POST is replayed here to read the workbook).
    fields = browser.execute_script(
        "var f = document.getElementById('sv-dl');"
        "f.dispatchEvent(new Event('submit', {cancelable: true}));"
        "var out = {}; Array.prototype.forEach.call(f.elements, function (e) {"
        "  if (e.name && e.type === 'hidden') { out[e.name] = e.value; } });"
        "return out;")
    assert fields["hide_code"] == "JX202" and json.loads(fields["verdicts"])
    body = urllib.parse.urlencode({**fields, "format": "xlsx"}).encode("ascii")
    status, _, data = _post(server + "/download", body, "application/x-www-form-urlencoded")
    assert status == 200
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    assert [r[col["规则"]] for r in rows[1:]] == ["JX201", "JX101"]
    assert rows[1][col["审核结论"]] == "确认" and rows[1][col["审核备注"]] == "与决算表一致"


def test_browser_serve_sample_and_rules_one_click_away(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert "核查内容" in browser.find_element(By.CSS_SELECTOR, ".sv-what").text
    browser.find_element(By.LINK_TEXT, "试用示例报告").click()
    _wait(browser, lambda: _ready(browser))
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.jx-f")) >= 3
    rule_link = browser.find_element(By.CSS_SELECTOR, "li.jx-f a.jx-rule")
    code = rule_link.find_element(By.XPATH, "ancestor::li").get_attribute("data-code")
    rule_link.click()
    _wait(browser, lambda: browser.current_url.endswith(f"/rules/{code}"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(code)
    assert "What it does" in browser.page_source
    browser.save_screenshot(str(ARTIFACTS / "serve-rule-page.png"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "全部规则").click()
    _wait(browser, lambda: browser.current_url.split("?")[0].endswith("/rules"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")) >= 15


def test_browser_without_javascript(browser_nojs, server, tmp_path):
    from selenium.webdriver.common.by import By

    driver = browser_nojs
    path, report = _report_page(tmp_path, name="nojs.txt")
    driver.get(path.as_uri())
    assert driver.find_element(By.ID, "jx-view").get_attribute("data-ready") is None  # no script
    # Controls that need the script are not offered; the findings and their
    # numbered highlights are all there.
    for selector in (".jx-bar", ".jx-nav", ".jx-export", ".jx-hint", ".jx-rv"):
        assert not driver.find_element(By.CSS_SELECTOR, selector).is_displayed(), selector
    assert len([c for c in driver.find_elements(By.CSS_SELECTOR, "li.jx-f")
                if c.is_displayed()]) == len(report.findings)
    marker = driver.execute_script(
        "return getComputedStyle(document.querySelector('mark[data-n]'), '::after').content;")
    assert re.fullmatch(r'"\[\d+(,\d+)*\]"', marker), marker
    # A jumped-to figure lands below the panel's sticky heading.
    driver.find_element(By.CSS_SELECTOR, "#jx-f2 a.jx-loc").click()
    gap = driver.execute_script(
        "var id = location.hash.slice(1); var m = document.getElementById(id);"
        "var h = m.closest('.jx-panel').querySelector('h2');"
        "return m.getBoundingClientRect().top - h.getBoundingClientRect().bottom;")
    assert gap >= 0, f"the figure is {-gap:.0f}px under the heading"
    driver.save_screenshot(str(ARTIFACTS / "report-nojs.png"))
    # The local page without script: the form still posts and results show.
    driver.get(server + "/")
    area = driver.find_element(By.ID, "sv-text")
    area.click()  # chromedriver cannot focus by script here: scripting is off
    _keys(driver, REVIEW[:120])
    driver.find_element(By.CSS_SELECTOR, "#sv-form button[type=submit]").click()
    _wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "li.jx-f"))
    assert not driver.find_element(By.CSS_SELECTOR, ".jx-bar").is_displayed()


def test_browser_serve_shows_model_progress(browser_eager, server, monkeypatch):
    import threading
    import time

    from selenium.webdriver.common.by import By

    from extractor import servecmd

    browser = browser_eager
    reached, release = threading.Event(), threading.Event()
    real_check = pipeline.check_document

    def fake_check(doc, backend="rules", **options):
        # Stands in for the model backend: three of eight parts read, then wait.
        options["progress"](3, 8)
        reached.set()
        release.wait(30)
        return real_check(doc, "rules")

    # chromedriver answers nothing while a navigation is pending, so the page
    # reports what its progress bar shows through a request the server sees.
    asked: list[str] = []

    class Recording(dict):
        def get(self, key, default=None):
            asked.append(key)
            return super().get(key, default)

    monkeypatch.setattr(servecmd, "_PROGRESS", Recording())
    monkeypatch.setattr(servecmd.pipeline, "check_document", fake_check)
    browser.get(server + "/")
    _wait(browser, lambda: browser.find_elements(By.ID, "sv-text") and browser.execute_script(
        "return document.readyState === 'complete';"))
    browser.execute_script("arguments[0].value = arguments[1];",
                           browser.find_element(By.ID, "sv-text"), REVIEW)
    browser.execute_script(
        "document.querySelector('select[name=backend]').value = 'llm';"
        "var busy = document.getElementById('sv-busy');"
        "var bar = busy.querySelector('progress');"
        "var label = busy.querySelector('.sv-busy-text');"
        "new MutationObserver(function () {"
        "  if (!busy.hidden && bar.max === 8 && bar.value === 3) {"
        "    fetch('/progress?token=' + encodeURIComponent('shown:' + label.textContent));"
        "  }"
        "}).observe(busy, {subtree: true, attributes: true, childList: true,"
        "                  characterData: true});"
        "document.querySelector('#sv-form button[type=submit]').click();")
    try:
        assert reached.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(a.startswith("shown:") for a in asked):
            time.sleep(0.1)
        shown = [a for a in asked if a.startswith("shown:")]
        assert shown, "the progress bar never showed 3 of 8"
        assert shown[0] == "shown:大模型已读 3 / 8 段…"
    finally:
        release.set()
    _wait(browser, lambda: _ready(browser))


# -- 4. honest cards and one banner for model failures --------------------------------

def test_browser_honest_cards_and_model_failure_banner(browser, tmp_path):
    from decimal import Decimal

    from selenium.webdriver.common.by import By

    from extractor import models

    text = ("社会消费品零售总额增速9.9%。\n" + "".join(f"第{i}段，说明文字。\n" for i in range(2, 9))
            + "全年社会消费品零售总额增速9.8%。\n“三公”经费预算数为28元，其中公务接待费28万元。\n")
    doc = load.from_text(text, "honest.txt")

    def span(needle: str) -> models.Span:
        s = text.index(needle)
        return models.Span(start=s, end=s + len(needle))

    def finding(code, kind, severity, spans, zh, **kw):
        return models.Finding(code=code, name=code.lower(), kind=kind,
                              severity=models.Severity(severity),
                              message=models.Localized(zh=zh, en=zh), spans=spans, **kw)

    lines = text.split("\n")
    chunk_end = len(lines[0]) + 1 + len(lines[1]) + 1 + len(lines[2])
    findings = [
        finding("JX003", "input", "info", (models.Span(start=0, end=chunk_end),),
                "第 1–3 行未被模型读取：HTTP 503 Service Unavailable"),
        finding("JX401", "cross_reference", "error", (span("9.9%"), span("9.8%")),
                "前后数据不一致：「社会消费品零售总额增速」在第一处为 9.9%，另一处为 9.8%",
                stated=Decimal("9.9"), recomputed=Decimal("9.8"), unit="%"),
        finding("JX402", "unit", "error", (span("28元"),),
                "单位有误：“三公”经费预算数为 28元，应为 28万元",
                stated=Decimal("0.0028"), recomputed=Decimal(28), unit="万元"),
    ]
    report = models.Report(source="honest.txt", encoding="utf-8", length=len(text), claims=[],
                           findings=findings, backend="llm")
    path = tmp_path / "honest.html"
    path.write_text(htmlout.render(doc, report), encoding="utf-8")
    _open(browser, path.as_uri())
    banner = browser.find_element(By.CSS_SELECTOR, ".jx-banner")
    assert banner.is_displayed() and "大模型未能读取报告的 1 个部分" in banner.text
    # The unread part is not painted, and it is no card.
    assert browser.find_elements(By.CSS_SELECTOR, "mark.jx-info") == []
    assert [c.get_attribute("data-code") for c in
            browser.find_elements(By.CSS_SELECTOR, "li.jx-f")] == ["JX401", "JX402"]
    calc = browser.find_element(By.CSS_SELECTOR, "#jx-f1 .jx-calc").text
    assert "一处 9.9%（第 1 行" in calc and "另一处 9.8%（第 9 行" in calc
    assert "所述" not in calc and "应为" not in calc
    assert "所述 28元" in browser.find_element(By.CSS_SELECTOR, "#jx-f2 .jx-calc").text
    browser.save_screenshot(str(ARTIFACTS / "review-honest-cards.png"))
