"""``jxcheck serve`` end to end: over HTTP, then in a real headless Chromium.

The HTTP tests always run. The browser tests drive Debian's ``chromium`` with
``chromedriver`` through selenium and skip with the reason when any of the three
is missing (``apt-get install -y chromium chromium-driver``; ``pip install
selenium``). ``JXCHECK_CHROMIUM`` / ``JXCHECK_CHROMEDRIVER`` point elsewhere.
Screenshots go to ``tests/artifacts/`` (git-ignored). The time to render a
~100 KB report is printed to the terminal, not asserted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import pathlib
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import openpyxl
import pytest

from extractor import load, pipeline, servecmd
from extractor.render import htmlout

ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"

# One planted error: the 其中 parts add up to 1,100, the total says 1,000.
PLANTED = (
    "2023年度部门整体支出绩效自评报告\n"
    "一、部门基本情况\n"
    "本部门2023年度项目预算资金总额为1,000万元，其中：中央财政资金500万元，"
    "省级财政资金300万元，市级财政资金300万元。\n"
    "二、绩效目标完成情况\n"
    "全年共开展业务培训12期，培训人员860人次。\n"
    "附：<script>alert('xss')</script>\n"
)
PLANTED_TOTAL = "1,000万元"


def synthetic_report(target_bytes: int = 100 * 1024) -> str:
    """A report of about ``target_bytes`` UTF-8 bytes; every fifth 其中 list is wrong."""
    out = ["2023年度部门整体支出绩效自评报告（合成测试文本）\n"]
    size = len(out[0].encode("utf-8"))
    i = 0
    while size < target_bytes:
        i += 1
        a, b, c = 100 + i, 200 + i, 50 + i
        total = a + b + c + (10 if i % 5 == 0 else 0)
        para = (
            f"（{i}）第{i}个子项目年度预算资金{total}万元，其中：中央财政资金{a}万元，"
            f"省级财政资金{b}万元，市级财政资金{c}万元。该项目按计划推进，"
            f"绩效目标基本完成，群众满意度较高，资金使用规范，未发现挪用情况。\n"
        )
        out.append(para)
        size += len(para.encode("utf-8"))
    return "".join(out)


# -- the server ---------------------------------------------------------------

@contextlib.contextmanager
def serving():
    """``jxcheck serve`` on a free port in a thread; yields its base URL."""
    srv = servecmd.make_server("127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def server():
    with serving() as url:
        yield url


_BOUNDARY = "----jxcheckTestBoundary7MA4YWxkTrZu0gW"


def _multipart(fields: dict[str, str], files: tuple[tuple[str, str, bytes], ...] = ()) -> bytes:
    out = b""
    for k, v in fields.items():
        out += (f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                .encode() + v.encode("utf-8") + b"\r\n")
    for k, filename, data in files:
        out += (f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                .encode() + data + b"\r\n")
    return out + f"--{_BOUNDARY}--\r\n".encode()


def _post(url: str, body: bytes, content_type: str | None = None,
          headers: dict[str, str] | None = None):
    ctype = content_type or f"multipart/form-data; boundary={_BOUNDARY}"
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _error_box(page: bytes) -> str:
    m = re.search(r'<p class="sv-error" id="sv-error" role="alert"( hidden)?>(.*?)</p>',
                  page.decode("utf-8"), re.DOTALL)
    assert m, "the page has no error box"
    return "" if m.group(1) else m.group(2)


def _check(server: str, text: str, **fields) -> tuple[int, dict, bytes]:
    form = {"text": text, "backend": "rules", "lang": "zh", **fields}
    return _post(server + "/check", _multipart(form, (("file", "", b""),)))


def test_serve_front_page(server):
    with urllib.request.urlopen(server + "/", timeout=10) as r:
        page = r.read().decode("utf-8")
        csp = r.headers["Content-Security-Policy"]
    assert '<textarea id="sv-text" name="text"' in page and 'type="file"' in page
    for backend in ("rules", "llm", "hybrid"):
        assert f'<option value="{backend}"' in page
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)


def test_serve_check_shows_result_view(server):
    # Browsers send textarea line breaks as CRLF.
    status, headers, body = _check(server, PLANTED.replace("\n", "\r\n"))
    page = body.decode("utf-8")
    assert status == 200, _error_box(body)
    assert 'id="jx-view"' in page and "JX201" in page
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert re.search(r"<mark id=\"jx-s\d+\"[^>]* class=\"jx-hl jx-error\"[^>]*>1,000万元</mark>",
                     page)
    assert headers["Cache-Control"] == "no-store"
    # The download form carries the input itself, not a server-side id.
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    assert base64.b64decode(payload).decode("utf-8") == PLANTED


@pytest.mark.parametrize("fmt", ["json", "md", "html", "xlsx"])
def test_serve_downloads(server, fmt):
    payload = base64.b64encode(PLANTED.encode("utf-8")).decode("ascii")
    body = urllib.parse.urlencode({"payload": payload, "name": "自评报告.txt", "backend": "rules",
                                   "lang": "zh", "format": fmt}).encode("ascii")
    status, headers, data = _post(server + "/download", body,
                                  "application/x-www-form-urlencoded")
    assert status == 200
    assert headers["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in headers["Content-Disposition"]
    assert "%E8%87%AA%E8%AF%84%E6%8A%A5%E5%91%8A" in headers["Content-Disposition"]
    if fmt == "json":
        assert "JX201" in [f["code"] for f in json.loads(data)["findings"]]
    elif fmt == "md":
        assert "JX201" in data.decode("utf-8")
    elif fmt == "html":
        assert 'id="jx-view"' in data.decode("utf-8")
    else:
        ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        assert "JX201" in [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_serve_uploaded_file_bytes_arrive_intact(server):
    # GB18030 bytes contain CR/LF-like and high bytes; the multipart reader
    # must hand them to load unchanged.
    data = PLANTED.replace("\n", "\r\n").encode("gb18030")
    body = _multipart({"text": "", "backend": "rules", "lang": "zh"},
                      (("file", "旧报告.txt", data),))
    status, _, page = _post(server + "/check", body)
    assert status == 200, _error_box(page)
    assert "已核查文件：旧报告.txt" in page.decode("utf-8")
    assert "JX201" in page.decode("utf-8")


def test_serve_over_limit_message_is_bilingual(server):
    text = "预" * (load.MAX_BYTES // 3 + 10)  # 3 bytes each in UTF-8
    status, _, page = _check(server, text)
    message = _error_box(page)
    assert status >= 400
    assert "输入过大" in message and "Input too large" in message


def test_serve_refuses_oversized_body_before_reading(server, monkeypatch):
    monkeypatch.setattr(servecmd, "MAX_BODY", 1024)
    status, _, page = _check(server, "预算" * 1000)
    assert status == 413
    message = _error_box(page)
    assert "输入过大" in message and "Input too large" in message


def test_serve_empty_input(server):
    status, _, page = _check(server, "   ")
    assert status == 400
    assert "请粘贴" in _error_box(page) and "Paste the report" in _error_box(page)


def test_serve_docx_without_reader_shows_load_message(server):
    body = _multipart({"text": "", "backend": "rules", "lang": "zh"},
                      (("file", "report.docx", b"PK\x03\x04 this is not a real Word file"),))
    status, _, page = _post(server + "/check", body)
    assert status >= 400
    assert _error_box(page).strip()
    with urllib.request.urlopen(server + "/", timeout=10) as r:  # still serving
        assert r.status == 200


def test_serve_llm_backend_fails_with_its_own_message(server):
    status, _, page = _check(server, PLANTED, backend="llm")
    # With no model configured the backend explains itself; with one, the
    # result view appears. Either way the server does not fail.
    assert status in (200, 422)
    if status == 422:
        assert _error_box(page).strip()


def test_serve_refuses_foreign_host_header(server):
    port = urllib.parse.urlsplit(server).port
    req = urllib.request.Request(server + "/", headers={"Host": f"attacker.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 403


def test_serve_main_reports_busy_port(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        assert servecmd.main(argparse.Namespace(host="127.0.0.1", port=port)) == 2
    err = capsys.readouterr().err
    assert "无法在" in err and "Cannot listen" in err


# -- the browser --------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)


def _browser_paths() -> tuple[str, str]:
    chromium = os.environ.get("JXCHECK_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    driver = os.environ.get("JXCHECK_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("chromium and chromedriver are not installed "
                    "(apt-get install -y chromium chromium-driver)")
    return chromium, driver


@contextlib.contextmanager
def chromium_driver(profile: pathlib.Path, *, javascript: bool = True,
                    page_load_strategy: str = "normal"):
    """Headless Debian chromium under selenium; skips when any of the three is missing."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install 'selenium>=4.11')")
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.page_load_strategy = page_load_strategy
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    # Both paths are given, so selenium needs no driver manager (which would
    # try the network).
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_driver(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def _wait(driver, predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def _ready(driver) -> bool:
    return driver.execute_script(
        "var v = document.getElementById('jx-view');"
        "return !!v && v.getAttribute('data-ready') === '1';")


def _submit(driver, server: str, text: str, type_it: bool) -> float:
    from selenium.webdriver.common.by import By

    driver.get(server + "/")
    area = driver.find_element(By.ID, "sv-text")
    area.clear()
    if type_it:
        area.send_keys(text)
    else:
        # Typing 100 KB key by key takes minutes; set it as a paste would.
        driver.execute_script("arguments[0].value = arguments[1];", area, text)
    assert driver.execute_script("return arguments[0].value;", area) == text
    t0 = time.perf_counter()
    driver.find_element(By.CSS_SELECTOR, "#sv-form button[type=submit]").click()
    _wait(driver, lambda: _ready(driver))
    return time.perf_counter() - t0


def test_browser_paste_submit_highlights_planted_error(browser, server):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    _submit(browser, server, PLANTED, type_it=True)
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert  # the report's <script> stayed text
    cards = [c for c in browser.find_elements(By.CSS_SELECTOR, "li.jx-f")
             if c.find_element(By.CSS_SELECTOR, ".jx-code").text == "JX201"]
    assert cards, "the planted footing error is not listed"
    card = cards[0]
    index = card.get_attribute("data-i")
    marks = [m for m in browser.find_elements(By.CSS_SELECTOR, "mark.jx-hl")
             if m.text == PLANTED_TOTAL and index in m.get_attribute("data-f").split()]
    assert marks, "the planted total is not highlighted"
    mark = marks[0]
    assert "jx-error" in mark.get_attribute("class") and mark.is_displayed()

    # Finding → text: the figures flash.
    card.find_element(By.CSS_SELECTOR, ".jx-msg").click()
    _wait(browser, lambda: "jx-flash" in mark.get_attribute("class"), 5)
    # Text → finding: the card becomes the active one.
    browser.execute_script("document.querySelectorAll('.jx-active')"
                           ".forEach(function (c) { c.classList.remove('jx-active'); });")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    mark.click()
    _wait(browser, lambda: "jx-active" in card.get_attribute("class"), 5)

    browser.save_screenshot(str(ARTIFACTS / "serve-planted-error.png"))

    # Severity filter: hiding errors hides the card and greys its highlight.
    chip = browser.find_element(By.CSS_SELECTOR, 'input[data-filter="sev"][value="error"]')
    chip.click()
    assert not card.is_displayed()
    assert "jx-off" in mark.get_attribute("class")
    chip.click()
    assert card.is_displayed() and "jx-off" not in mark.get_attribute("class")

    # The four downloads are offered from the same page.
    formats = [b.get_attribute("value")
               for b in browser.find_elements(By.CSS_SELECTOR, "#sv-dl button[name=format]")]
    assert formats == ["json", "md", "html", "xlsx"]


def test_browser_render_time_100kb(browser, server, tmp_path, capsys):
    from selenium.webdriver.common.by import By

    text = synthetic_report()
    nbytes = len(text.encode("utf-8"))
    doc = load.from_text(text, "synthetic-100k.txt")
    report = pipeline.check_document(doc)
    assert report.findings, "the synthetic report should have planted errors"

    # Through serve: paste, submit, wait for the result view to be ready.
    wall = _submit(browser, server, text, type_it=False)
    timing = browser.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "return {server: n.responseStart - n.requestStart,"
        "        render: n.loadEventEnd - n.responseStart,"
        "        script: Number(document.getElementById('jx-view')"
        "                       .getAttribute('data-ready-ms'))};")
    shown = len(browser.find_elements(By.CSS_SELECTOR, "li.jx-f"))
    assert shown == len(report.findings)
    browser.save_screenshot(str(ARTIFACTS / "serve-100kb.png"))

    # The standalone HTML report, opened from a file.
    page = tmp_path / "report-100k.html"
    page.write_text(htmlout.render(doc, report), encoding="utf-8")
    t0 = time.perf_counter()
    browser.get(page.as_uri())
    _wait(browser, lambda: _ready(browser))
    file_wall = time.perf_counter() - t0
    file_render = browser.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "return n.loadEventEnd - n.startTime;")
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.jx-f")) == len(report.findings)
    marks = len(browser.find_elements(By.CSS_SELECTOR, "mark.jx-hl"))
    assert marks >= len(report.findings)
    browser.save_screenshot(str(ARTIFACTS / "report-100kb.png"))

    with capsys.disabled():  # the figure belongs in the CI log, not in captured output
        print(f"\n[render-time] synthetic report {nbytes / 1024:.0f} KB, "
              f"{len(report.findings)} findings, {marks} highlight pieces")
        print(f"[render-time] serve: submit→ready {wall * 1000:.0f} ms "
              f"(server {timing['server']:.0f} ms, browser render {timing['render']:.0f} ms, "
              f"page script {timing['script']:.1f} ms)")
        print(f"[render-time] HTML file: load→ready {file_wall * 1000:.0f} ms "
              f"(navigation to load event {file_render:.0f} ms)")


# -- the reviewer's local page (issue 14) ------------------------------------

def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_serve_front_page_says_what_is_checked(server):
    status, page = _get(server + "/")
    assert status == 200
    assert "核查内容" in page and "合计与各分项" in page
    assert 'href="/rules?lang=zh"' in page and 'href="/sample?lang=zh"' in page
    status, page = _get(server + "/?lang=en")
    assert "What is checked" in page and "Try the sample report" in page


def test_serve_rules_pages(server):
    status, index = _get(server + "/rules")
    assert status == 200
    for code in ("JX003", "JX101", "JX201", "JX401", "JX507"):
        assert f'<a href="/rules/{code}?lang=zh">{code}</a>' in index
    status, page = _get(server + "/rules/jx201")
    assert status == 200
    assert "<h1>JX201 parts-do-not-sum-to-total</h1>" in page
    assert "<h2>What it does</h2>" in page and "<h2>Example</h2>" in page
    status, page = _get(server + "/rules/JX999")
    assert status == 404 and "页面不存在" in page


def test_serve_sample_report(server):
    status, page = _get(server + "/sample")
    assert status == 200, _error_box(page.encode())
    assert 'id="jx-view"' in page and "JX201" in page
    assert "已核查文件：sample-report.txt" in page
    # Each finding links to this server's rule page.
    assert 'class="jx-rule" href="/rules/JX201"' in page


def test_serve_refused_upload_is_not_called_checked(server):
    body = _multipart({"text": "", "backend": "rules", "lang": "zh"},
                      (("file", "binary.txt", bytes(range(256)) * 8),))
    status, _, page = _post(server + "/check", body)
    text = page.decode("utf-8")
    assert status >= 400 and _error_box(page).strip()
    assert "已核查文件：binary.txt" not in text
    assert "未能核查文件：binary.txt" in text


def test_serve_download_follows_filters_and_verdicts(server):
    payload = base64.b64encode(PLANTED.encode("utf-8")).decode("ascii")
    doc = load.from_text(PLANTED, "自评报告.txt")
    report = pipeline.check_document(doc)
    key = f"1-{report.findings[0].code}-{report.findings[0].spans[0].start}"
    fields = {"payload": payload, "name": "自评报告.txt", "backend": "rules", "lang": "zh",
              "verdicts": json.dumps({key: {"verdict": "pending", "note": "待财务科回复"}}),
              "hide_sev": "", "hide_kind": "", "hide_code": ""}
    status, _, data = _post(server + "/download",
                            urllib.parse.urlencode({**fields, "format": "json"}).encode(),
                            "application/x-www-form-urlencoded")
    assert status == 200
    first = json.loads(data)["findings"][0]
    assert (first["verdict"], first["note"]) == ("pending", "待财务科回复")
    # The HTML download has the verdict baked in.
    status, _, data = _post(server + "/download",
                            urllib.parse.urlencode({**fields, "format": "html"}).encode(),
                            "application/x-www-form-urlencoded")
    assert 'value="pending" checked' in data.decode("utf-8")
    assert "待财务科回复</textarea>" in data.decode("utf-8")
    # Hiding the finding's rule leaves it out of the download.
    fields["hide_code"] = report.findings[0].code
    status, _, data = _post(server + "/download",
                            urllib.parse.urlencode({**fields, "format": "json"}).encode(),
                            "application/x-www-form-urlencoded")
    assert report.findings[0].code not in [f["code"] for f in json.loads(data)["findings"]]
    # Damaged review data is refused with a message in both languages.
    fields["verdicts"] = "{not json"
    status, _, data = _post(server + "/download",
                            urllib.parse.urlencode({**fields, "format": "json"}).encode(),
                            "application/x-www-form-urlencoded")
    assert status == 400
    assert "审核结论" in _error_box(data) and "review data" in _error_box(data)


def test_serve_reports_model_progress(server, monkeypatch):
    # A stand-in for the model backend that reports two of five parts read and
    # waits: /progress must show it while the check is under way.
    reached, release = threading.Event(), threading.Event()
    real_check = pipeline.check_document

    def fake_check(doc, backend="rules", **options):
        options["progress"](0, 5)
        options["progress"](2, 5)
        reached.set()
        release.wait(10)
        return real_check(doc, "rules")

    monkeypatch.setattr(servecmd.pipeline, "check_document", fake_check)
    token = "t0k3n-abcdef12"
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(
        zip(("status", "headers", "body"), _check(server, PLANTED, backend="llm", token=token))))
    worker.start()
    assert reached.wait(10)
    with urllib.request.urlopen(f"{server}/progress?token={token}", timeout=10) as r:
        assert json.loads(r.read()) == {"done": 2, "total": 5}
    release.set()
    worker.join(20)
    assert result["status"] == 200
    with urllib.request.urlopen(f"{server}/progress?token={token}", timeout=10) as r:
        assert json.loads(r.read()) == {"done": 0, "total": 0}  # forgotten once done
    # The page may ask itself for it, and only itself.
    with urllib.request.urlopen(server + "/", timeout=10) as r:
        assert "connect-src 'self'" in r.headers["Content-Security-Policy"]
