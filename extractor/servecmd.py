"""``jxcheck serve``: a local web page to paste or upload a report and read the result.

Standard library only (``http.server.ThreadingHTTPServer``), bound to
127.0.0.1 by default. The page posts the text or file to ``/check``, which
loads it with :func:`extractor.load.from_bytes`, runs
:func:`extractor.pipeline.check_document` and answers with the same result
view as the HTML report (:func:`extractor.render.htmlout.view`).

Nothing is written to disk and nothing is kept between requests: the result
page carries the input (base64) in its download form, and ``/download``
loads and checks it again and renders JSON, Markdown, HTML or xlsx from that
request's report. The page's only script is its own inline one, pinned by
hash in a Content-Security-Policy; it asks no other host for anything.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import html
import http.server
import ipaddress
import json
import pathlib
import re
import socket
import sys
import threading
import urllib.parse

from extractor import errors, load, models, pipeline, render, workers
from extractor.render import htmlout, review

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "add_arguments", "main", "make_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Offered in this order; rules is the offline default (DESIGN.md).
BACKENDS = ("rules", "llm", "hybrid")
# format → (content type, file extension); names as in render.FORMATS.
DOWNLOADS = {
    "json": ("application/json; charset=utf-8", "json"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
# load.from_bytes allows Word/PDF four times MAX_BYTES; a download form carries
# the input in base64 (4/3 as long), plus some room for the other fields.
MAX_DOC_BYTES = load.MAX_BYTES * 4
# Rule pages of this server, for the links on each finding.
RULE_PAGE = "/rules/{code}"
SAMPLE_NAME = "sample-report.txt"
MAX_BODY = MAX_DOC_BYTES * 4 // 3 + 256 * 1024
# A body over MAX_BODY is read and dropped up to this much, so the browser
# gets our message instead of a reset connection; past it we just close.
_MAX_DRAIN = 16 * MAX_BODY
_CHUNK = 64 * 1024
# Per-request time budget: the page is interactive, so far below the CLI's
# 600 s; a 5 MB report takes under a minute on two cores.
DEFAULT_TIMEOUT_S = 120.0
_CLIENT_IDLE_S = 60

_WORDS = {
    "title": ("jxcheck 本地核查", "jxcheck local check"),
    "intro": ("报告只在本机处理，不上传、不保存。",
              "The report is processed on this computer only; nothing is uploaded or stored."),
    "paste": ("粘贴报告正文", "Paste the report text"),
    "upload": ("或上传文件（.txt / .docx / .pdf）", "or upload a file (.txt / .docx / .pdf)"),
    "backend": ("抽取方式", "Backend"),
    "rules": ("规则（默认，离线）", "rules (default, offline)"),
    "llm": ("大模型（需先配置模型）", "LLM (needs a configured model)"),
    "hybrid": ("混合：规则 + 大模型", "hybrid: rules + LLM"),
    "lang": ("语言", "Language"),
    "submit": ("开始核查", "Check"),
    "working": ("正在核查…", "Checking…"),
    "limit": ("上限：文本 {txt} MB，Word/PDF {doc} MB。",
              "Limit: {txt} MB of text, {doc} MB for Word/PDF."),
    "download": ("下载结果：", "Download:"),
    "checked_file": ("已核查文件：{name}", "Checked file: {name}"),
    "refused_file": ("未能核查文件：{name}", "File not checked: {name}"),
    "what": ("核查内容", "What is checked"),
    "what_list": (("执行率等比率与其分子分母；合计与各分项（其中、合计行列）；增长率与差额；"
                   "评分表（得分 ≤ 分值、总分、按评分标准应得分）；同一指标前后数值；金额单位。"
                   "数字按报告印出的精度比较。"),
                  ("Rates against their numerator and denominator; totals against their "
                   "parts (其中, 合计 rows and columns); growth and differences; score sheets "
                   "(score ≤ weight, the total, the score the printed rule allows); one metric "
                   "stated twice; units of amounts. Figures are compared at the precision the "
                   "report prints.")),
    "all_rules": ("全部 {n} 条规则", "All {n} rules"),
    "sample": ("试用示例报告", "Try the sample report"),
    "no_sample": ("本安装未附带示例报告。", "This installation has no sample report."),
    "rules_title": ("核查规则", "Rules"),
    "rule_code": ("规则", "Rule"),
    "rule_name": ("名称", "Name"),
    "rule_severity": ("级别", "Severity"),
    "rule_summary": ("说明", "Summary"),
    "back": ("返回核查页", "Back to the check page"),
    "all_rules_link": ("全部规则", "All rules"),
    "chunks": ("大模型已读 {done} / {total} 段…", "The model has read {done} of {total} parts…"),
    "progress": ("正在核查，请稍候（大模型逐段阅读，较长的报告需要几分钟）…",
                 ("Checking (the model reads the report part by part; a long report takes "
                  "minutes)…")),
    "pasted": ("粘贴的文本", "pasted text"),
    "not_found": ("页面不存在。", "No such page."),
}
# Shown whatever the page language, as load's own messages are.
_EMPTY = "请粘贴报告正文或选择文件。\nPaste the report text or choose a file."
_TOO_LARGE = ("输入过大：文本上限 {txt} MB，Word/PDF 上限 {doc} MB。请只提交报告正文。\n"
              "Input too large: the limit is {txt} MB of text and {doc} MB for Word/PDF. "
              "Submit the report text only.")
_BAD_HOST = ("拒绝请求：主机名 {host} 不是本机地址。\n"
             "Request refused: host {host} is not this computer's address.")
_BAD_FORM = "无法读取提交的表单。\nThe submitted form could not be read."
_BAD_PAYLOAD = ("下载请求中的报告内容已损坏，请重新核查。\n"
                "The report in the download request is damaged; check it again.")
_BAD_FORMAT = "未知的下载格式：{fmt}\nUnknown download format: {fmt}"
_NO_READER = ("无法读取 {suffix} 文件：缺少读取模块 {module}。请改为粘贴报告正文。\n"
              "Cannot read {suffix} files: the reader module {module} is missing. "
              "Paste the report text instead.")
_INTERNAL = "内部错误：{err}\nInternal error: {err}"
_NO_LENGTH = ("请求缺少 Content-Length，无法读取。\n"
              "The request has no Content-Length and cannot be read.")
_BAD_LENGTH = ("请求的 Content-Length 无效（须为非负整数）。\n"
               "The request's Content-Length is invalid (it must be a whole number, 0 or more).")
_SHORT_BODY = ("请求内容不完整（比 Content-Length 声明的短）。\n"
               "The request body is shorter than its Content-Length.")
_BUSY = ("服务器正忙（同时核查的报告已达上限），请稍后重试。\n"
         "The server is busy (too many reports being checked at once); try again shortly.")
_TOO_SLOW = ("核查超过了 {s} 秒的时间上限，请缩短报告后重试，或用命令行的 --timeout 放宽上限。\n"
             "The check took longer than its {s} s limit; shorten the report, or use the "
             "command line with a larger --timeout.")

_SERVE_STYLE = """
.sv-top{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;padding:10px 16px;
background:#fff;border-bottom:1px solid var(--line)}
.sv-top h1{font-size:18px;margin:0}
.sv-top p{margin:0;color:var(--muted)}
.sv-form{margin:12px 16px;padding:12px;background:#fff;border:1px solid var(--line);
border-radius:8px}
.sv-form label{display:inline-flex;gap:6px;align-items:center}
.sv-form textarea{display:block;width:100%;min-height:10em;margin-top:4px;font:inherit;
padding:6px 8px;border:1px solid var(--line);border-radius:6px;resize:vertical}
.sv-row{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;margin-top:8px}
.sv-form select,.sv-form input[type=file]{font:inherit}
.sv-form button,.sv-dl button{font:inherit;padding:3px 14px;border-radius:6px;
border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
.sv-form button:disabled{opacity:.6;cursor:progress}
.sv-dl button{background:#fff;color:#1f6feb}
.sv-error{white-space:pre-line;color:var(--err);background:#fdecea;border:1px solid #f5c2c0;
border-radius:6px;padding:6px 10px;margin:8px 0 0}
.sv-note,.sv-limit{color:var(--muted);margin:6px 0 0;font-size:13px}
.sv-dl{margin:0 16px;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.sv-what{margin:12px 16px 0;padding:8px 12px;background:#fff;border:1px solid var(--line);
border-radius:8px}
.sv-what h2{font-size:15px;margin:0 0 4px}
.sv-what p{margin:0 0 4px}
.sv-what a{color:#1f5fc8}
.sv-busy{display:flex;gap:10px;align-items:center;margin-top:8px}
.sv-busy progress{width:16em;height:1em}
.sv-doc{margin:12px 16px;padding:10px 16px;background:#fff;border:1px solid var(--line);
border-radius:8px;max-width:60em}
.sv-doc h1{font-size:20px;margin:0 0 6px}
.sv-doc h2{font-size:16px;margin:12px 0 4px}
.sv-doc code{background:#eef1f4;border-radius:4px;padding:0 4px}
.sv-doc table{border-collapse:collapse}
.sv-doc th,.sv-doc td{border:1px solid var(--line);padding:2px 8px;text-align:left;
vertical-align:top}
.sv-doc a{color:#1f5fc8}
"""

# Checks sizes before a large upload starts and shows that work is under way;
# the server checks again, so the page also works with scripts off.
_SERVE_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("sv-form");
  if (!form) { return; }
  var box = document.getElementById("sv-error");
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (ev) {
    var max = Number(form.getAttribute("data-max"));
    var maxDoc = Number(form.getAttribute("data-max-doc"));
    var file = form.elements.file.files[0];
    var text = form.elements.text.value;
    var msg = "";
    if (file) {
      if (file.size > (/\\.(docx|pdf)$/i.test(file.name) ? maxDoc : max)) {
        msg = form.getAttribute("data-too-large");
      }
    } else if (!text.trim()) {
      msg = form.getAttribute("data-empty");
    } else if (new Blob([text]).size > max) {
      msg = form.getAttribute("data-too-large");
    }
    if (msg) {
      ev.preventDefault();
      box.textContent = msg;
      box.hidden = false;
      return;
    }
    button.disabled = true;
    button.textContent = button.getAttribute("data-working");
    // The browser waits for the whole answer; say that work is under way,
    // in words a screen reader announces, with a moving bar.
    var busy = document.getElementById("sv-busy");
    if (busy) { busy.hidden = false; }
    var backend = form.elements.backend.value;
    if (busy && backend !== "rules" && window.fetch && window.crypto) {
      // The model reads the report part by part: ask the server how far it is.
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      var token = Array.prototype.map.call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2); }).join("");
      form.elements.token.value = token;
      var bar = busy.querySelector("progress");
      var label = busy.querySelector(".sv-busy-text");
      var poll = function () {
        fetch("/progress?token=" + token, {cache: "no-store"})
          .then(function (r) { return r.json(); })
          .then(function (d) {
            if (d.total) {
              bar.max = d.total;
              bar.value = d.done;
              label.textContent = label.getAttribute("data-template")
                .replace("{done}", String(d.done)).replace("{total}", String(d.total));
            }
          })
          .catch(function () { /* the result page is on its way */ });
      };
      setInterval(poll, 700);
    }
  });
  // Coming back with the browser's Back button must not leave it disabled.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    button.textContent = button.getAttribute("data-label");
    var busy = document.getElementById("sv-busy");
    if (busy) { busy.hidden = true; }
  });
  // Results arrive below the form: take the reader there, or to the error.
  var view = document.getElementById("jx-view");
  var results = document.getElementById("jx-results");
  if (!box.hidden) {
    box.setAttribute("tabindex", "-1");
    box.focus();
  } else if (view && results) {
    results.focus({preventScroll: true});
    results.scrollIntoView({block: "start"});
  }
  // Downloads hold what the page shows: the filters' hidden findings stay
  // out, and the verdicts and notes go with them.
  var dl = document.getElementById("sv-dl");
  if (dl && view && view.jxState) {
    dl.addEventListener("submit", function () {
      var state = view.jxState();
      dl.elements.verdicts.value = JSON.stringify(state.verdicts);
      dl.elements.hide_sev.value = state.hidden.sev.join(" ");
      dl.elements.hide_kind.value = state.hidden.kind.join(" ");
      dl.elements.hide_code.value = state.hidden.code.join(" ");
    });
  }
})();
"""

_STYLE = htmlout.STYLE + _SERVE_STYLE
_SCRIPT = htmlout.SCRIPT + _SERVE_SCRIPT
_POLICY = htmlout.policy(_STYLE, _SCRIPT, form_action="'self'", connect="'self'")

# Progress of model runs under way: page token → (chunks done, chunks). Held
# only while a check runs; the page polls /progress with the token it sent.
_PROGRESS: dict[str, tuple[int, int]] = {}
_PROGRESS_LOCK = threading.Lock()
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

_NAME = re.compile(r'(?:^|;)\s*name="([^"]*)"')
_FILENAME = re.compile(r'(?:^|;)\s*filename="([^"]*)"')
_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))')


def _content_length(value: str | None) -> int:
    """The announced body length; a missing, malformed or negative one is refused.

    ``rfile.read(-1)`` reads to the end of the stream: ``Content-Length: -1``
    got past the body limit (200 MB read, 1.9 GB resident).
    """
    if value is None or not value.strip():
        raise _Refusal(411, _NO_LENGTH)
    try:
        length = int(value.strip())
    except ValueError:
        raise _Refusal(400, _BAD_LENGTH) from None
    if length < 0:
        raise _Refusal(400, _BAD_LENGTH)
    return length


class _Gone(Exception):
    """The client left while its check ran; no answer is sent."""


class _Refusal(Exception):
    """A request answered with a message page instead of a result."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _w(key: str, lang: str, **kw) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**kw)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _mb(nbytes: int) -> str:
    return f"{nbytes / 1024 / 1024:.0f}"


def _too_large() -> str:
    return _TOO_LARGE.format(txt=_mb(load.MAX_BYTES), doc=_mb(MAX_DOC_BYTES))


def _lang(value: str) -> str:
    return "en" if value == "en" else "zh"


def _form(lang: str, text: str, backend: str, error: str, note: str) -> str:
    options = "".join(
        f'<option value="{b}"{" selected" if b == backend else ""}>{_e(_w(b, lang))}</option>'
        for b in BACKENDS
    )
    langs = "".join(f'<option value="{code}"{" selected" if code == lang else ""}>{word}</option>'
                    for code, word in (("zh", "中文"), ("en", "English")))
    limit = _w("limit", lang, txt=_mb(load.MAX_BYTES), doc=_mb(MAX_DOC_BYTES))
    hidden = "" if error else " hidden"
    return (
        f'<form class="sv-form" id="sv-form" method="post" action="/check" '
        f'enctype="multipart/form-data" accept-charset="utf-8" data-max="{load.MAX_BYTES}" '
        f'data-max-doc="{MAX_DOC_BYTES}" data-too-large="{_e(_too_large())}" '
        f'data-empty="{_e(_EMPTY)}">'
        f'<label for="sv-text">{_e(_w("paste", lang))}</label>'
        # The newline after <textarea> keeps a leading blank line of the text:
        # HTML drops the first newline inside a textarea.
        f'<textarea id="sv-text" name="text" rows="10" spellcheck="false">\n{_e(text)}</textarea>'
        f'<div class="sv-row">'
        f'<label>{_e(_w("upload", lang))} <input type="file" name="file" '
        f'accept=".txt,.md,.docx,.pdf,text/plain"></label>'
        f'<label>{_e(_w("backend", lang))} <select name="backend">{options}</select></label>'
        f'<label>{_e(_w("lang", lang))} <select name="lang">{langs}</select></label>'
        f'<button type="submit" data-label="{_e(_w("submit", lang))}" '
        f'data-working="{_e(_w("working", lang))}">{_e(_w("submit", lang))}</button></div>'
        f'<input type="hidden" name="token" value="">'
        f'<div class="sv-busy" id="sv-busy" role="status" hidden>'
        f'<progress aria-label="{_e(_w("working", lang))}"></progress>'
        f'<span class="sv-busy-text" data-template="{_e(_w("chunks", lang, done="{done}", total="{total}"))}">'
        f'{_e(_w("progress", lang))}</span></div>'
        f'<p class="sv-limit">{_e(limit)}</p>'
        + (f'<p class="sv-note">{_e(note)}</p>' if note else "")
        + f'<p class="sv-error" id="sv-error" role="alert"{hidden}>{_e(error)}</p>'
        "</form>"
    )


def _downloads(lang: str, data: bytes, name: str, backend: str) -> str:
    # verdicts and hide_* are filled by the page's script from its review and
    # filters when a download is asked for; empty, the download is complete.
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{_e(v)}">'
        for k, v in (("payload", base64.b64encode(data).decode("ascii")), ("name", name),
                     ("backend", backend), ("lang", lang), ("verdicts", ""),
                     ("hide_sev", ""), ("hide_kind", ""), ("hide_code", ""))
    )
    buttons = "".join(
        f'<button type="submit" name="format" value="{fmt}">{label}</button>'
        for fmt, label in (("json", "JSON"), ("md", "Markdown"), ("html", "HTML"),
                           ("xlsx", "Excel (xlsx)"))
    )
    return (f'<form class="sv-dl" id="sv-dl" method="post" action="/download" '
            f'enctype="multipart/form-data">{hidden}<span>{_e(_w("download", lang))}</span>'
            f"{buttons}</form>")


def _page(lang: str, *, text: str = "", backend: str = "rules", error: str = "", note: str = "",
          result: tuple[models.Document, models.Report, bytes, str] | None = None) -> str:
    header = (f'<header class="sv-top"><h1>{_e(_w("title", lang))}</h1>'
              f'<p>{_e(_w("intro", lang))}</p></header>')
    body = [header, _form(lang, text, backend, error, note)]
    if result is not None:
        doc, report, data, name = result
        body.append(_downloads(lang, data, name, backend))
        body.append(htmlout.view(doc, report, lang, rule_url=RULE_PAGE))
    else:
        body.insert(1, _what(lang))
    return htmlout.page(_w("title", lang), "".join(body), lang, style=_STYLE, script=_SCRIPT,
                        form_action="'self'", connect="'self'")


def _what(lang: str) -> str:
    """What is checked, with the rules and a sample report one click away."""
    from extractor.checks import registry

    sample = (f' · <a href="/sample?lang={lang}">{_e(_w("sample", lang))}</a>'
              if _sample_path() else "")
    return (f'<section class="sv-what" aria-labelledby="sv-what-h">'
            f'<h2 id="sv-what-h">{_e(_w("what", lang))}</h2>'
            f'<p>{_e(_w("what_list", lang))}</p>'
            f'<p><a href="/rules?lang={lang}">'
            f'{_e(_w("all_rules", lang, n=len(registry.ALL_CODES)))}</a>{sample}</p></section>')


def _sample_path() -> pathlib.Path | None:
    """The bundled sample report: beside the package (checkout) or under share/ (install)."""
    for path in (pathlib.Path(__file__).resolve().parent.parent / "examples" / SAMPLE_NAME,
                 pathlib.Path(sys.prefix) / "share" / "jxcheck" / "examples" / SAMPLE_NAME):
        if path.is_file():
            return path
    return None


def _inline_md(text: str) -> str:
    """Escaped text with `code` spans."""
    parts = text.split("`")
    return "".join(f"<code>{_e(p)}</code>" if i % 2 else _e(p) for i, p in enumerate(parts))


def _markdown(text: str) -> str:
    """The small Markdown of rule pages (headings, paragraphs, code) as HTML, escaped."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().split("\n")
        if lines[0].startswith("# "):
            out.append(f"<h1>{_inline_md(lines[0][2:])}</h1>")
            lines = lines[1:]
        elif lines[0].startswith("## "):
            out.append(f"<h2>{_inline_md(lines[0][3:])}</h2>")
            lines = lines[1:]
        if lines:
            out.append("<p>" + "<br>".join(_inline_md(ln) for ln in lines) + "</p>")
    return "".join(out)


def _rules_page(lang: str, code: str | None) -> tuple[int, str]:
    from extractor.checks import docs, registry

    back = (f'<p><a href="/?lang={lang}">{_e(_w("back", lang))}</a>'
            + (f' · <a href="/rules?lang={lang}">{_e(_w("all_rules_link", lang))}</a>'
               if code else "") + "</p>")
    if code is not None:
        code = code.upper()
        if code not in registry.ALL_CODES:
            return 404, _doc_page(lang, f"{back}<p class=\"sv-error\">"
                                  f"{_e(_w('not_found', lang))}</p>", _w("rules_title", lang))
        return 200, _doc_page(lang, back + _markdown(docs.page(code)), f"{code} · jxcheck")
    rows = []
    for c in registry.ALL_CODES:
        lines = docs.page(c).split("\n")
        name = lines[0].split(" ", 2)[-1]
        severity = next((ln.split("·")[0].replace("Severity:", "").strip()
                         for ln in lines if ln.startswith("Severity:")), "")
        summary = next((ln for ln in lines[1:] if ln.strip() and not ln.startswith(("Severity:",
                                                                                  "#"))), "")
        rows.append(f'<tr><td><a href="/rules/{c}?lang={lang}">{c}</a></td><td>{_e(name)}</td>'
                    f"<td>{_e(severity)}</td><td>{_inline_md(summary)}</td></tr>")
    head = "".join(f"<th>{_e(_w(k, lang))}</th>"
                   for k in ("rule_code", "rule_name", "rule_severity", "rule_summary"))
    body = (f'{back}<h1>{_e(_w("rules_title", lang))}</h1><p>{_e(_w("what_list", lang))}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return 200, _doc_page(lang, body, _w("rules_title", lang))


def _doc_page(lang: str, inner: str, title: str) -> str:
    header = (f'<header class="sv-top"><p>{_e(_w("title", lang))}</p></header>')
    return htmlout.page(title, f'{header}<main class="sv-doc">{inner}</main>', lang,
                        style=_STYLE, script=_SCRIPT, form_action="'self'", connect="'self'")


def _parse_multipart(body: bytes, content_type: str) -> dict[str, tuple[bytes, str | None]]:
    """``multipart/form-data`` → ``{name: (bytes, filename or None)}``; first value wins."""
    m = _BOUNDARY.search(content_type)
    if not m:
        raise _Refusal(400, _BAD_FORM)
    boundary = (m.group(1) or m.group(2)).encode("latin-1")
    fields: dict[str, tuple[bytes, str | None]] = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        if data.endswith(b"\r\n"):
            data = data[:-2]
        disposition = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value
        name = _NAME.search(disposition)
        if name:
            filename = _FILENAME.search(disposition)
            fields.setdefault(name.group(1), (data, filename.group(1) if filename else None))
    return fields


def _parse_urlencoded(body: bytes) -> dict[str, tuple[bytes, str | None]]:
    pairs = urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True,
                                   encoding="utf-8", errors="replace")
    fields: dict[str, tuple[bytes, str | None]] = {}
    for k, v in pairs:
        fields.setdefault(k, (v.encode("utf-8"), None))
    return fields


def _field(form: dict[str, tuple[bytes, str | None]], name: str) -> str:
    return form.get(name, (b"", None))[0].decode("utf-8", "replace")


def _safe_name(filename: str) -> str:
    # Old browsers send the full Windows path; keep the file's own name.
    return pathlib.PurePosixPath(filename.replace("\\", "/")).name or "upload"


def _attachment(name: str, ext: str) -> str:
    stem = pathlib.PurePosixPath(name).stem if "." in name else "pasted"
    utf8 = urllib.parse.quote(f"jxcheck-{stem}.{ext}", safe="")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "report"
    return f"attachment; filename=\"jxcheck-{ascii_stem}.{ext}\"; filename*=UTF-8''{utf8}"


def _progress_hook(token: str):
    """A ``progress(done, total)`` for the model backend that /progress reports for ``token``."""

    def progress(done: int, total: int) -> None:
        with _PROGRESS_LOCK:
            _PROGRESS[token] = (done, total)

    return progress


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "jxcheck-serve"
    # Seconds a client may stay silent while sending its request: a
    # connection that trickles or stalls (slowloris) is dropped, not kept.
    timeout = _CLIENT_IDLE_S

    # -- plumbing -------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str | None,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # Reports are confidential drafts: no caching, no framing, no sniffing.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                # The client left before its answer: nothing to tell it.
                self.close_connection = True

    def _send_page(self, status: int, page: str) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8",
                   {"Content-Security-Policy": _POLICY})

    def _host_ok(self) -> bool:
        """Refuse a Host header naming another site (DNS rebinding) on a loopback server."""
        allowed = self.server.allowed_hosts  # type: ignore[attr-defined]
        host = (self.headers.get("Host") or "").strip().lower()
        if allowed is None or host in allowed:
            return True
        self._send_page(403, _page("zh", error=_BAD_HOST.format(host=host)))
        return False

    def _read_form(self) -> dict[str, tuple[bytes, str | None]]:
        body = self._read_body(_content_length(self.headers.get("Content-Length")))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            return _parse_multipart(body, content_type)
        if content_type.startswith("application/x-www-form-urlencoded"):
            return _parse_urlencoded(body)
        raise _Refusal(415, _BAD_FORM)

    def _read_body(self, length: int) -> bytes:
        """Read exactly ``length`` bytes, never more than ``MAX_BODY``.

        An announced body over the limit is drained (up to ``_MAX_DRAIN``) so
        the browser shows our message rather than a reset connection; a body
        that ends early is a refusal, not a hang on the rest.
        """
        if length > MAX_BODY:
            if length <= _MAX_DRAIN:
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(_CHUNK, remaining))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            else:
                self.close_connection = True
            raise _Refusal(413, _too_large())
        chunks, remaining = [], length
        while remaining > 0:
            try:
                chunk = self.rfile.read(min(_CHUNK, remaining))
            except TimeoutError:
                chunk = b""
            if not chunk:
                self.close_connection = True
                raise _Refusal(400, _SHORT_BODY)
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    # -- routes ---------------------------------------------------------

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        lang = _lang(query.get("lang", ["zh"])[0])
        if url.path in ("/", "/index.html"):
            self._send_page(200, _page(lang))
        elif url.path == "/rules" or url.path.startswith("/rules/"):
            code = url.path[len("/rules/"):] if url.path.startswith("/rules/") else None
            self._send_page(*_rules_page(lang, code or None))
        elif url.path == "/sample":
            self._sample(lang)
        elif url.path == "/progress":
            token = query.get("token", [""])[0]
            with _PROGRESS_LOCK:
                done, total = _PROGRESS.get(token, (0, 0))
            body = json.dumps({"done": done, "total": total}).encode("ascii")
            self._send(200, body, "application/json")
        elif url.path == "/favicon.ico":
            self._send(204, b"", None)
        else:
            self._send_page(404, _page(lang, error=_w("not_found", lang)))

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        path = urllib.parse.urlsplit(self.path).path
        if path not in ("/check", "/download"):
            self._send_page(404, _page("zh", error=_w("not_found", "zh")))
            return
        try:
            form = self._read_form()
        except _Refusal as r:
            # The unread rest of the request must not be taken for a new one.
            self.close_connection = True
            self._send_page(r.status, _page("zh", error=r.message))
            return
        lang = _lang(_field(form, "lang"))
        backend = _field(form, "backend") or "rules"
        try:
            if path == "/check":
                self._check(form, lang, backend)
            else:
                self._download(form, lang, backend)
        except _Gone:
            self.log_message("client left; its check was cancelled")

    def _check(self, form: dict, lang: str, backend: str) -> None:
        # Browsers send a textarea's line breaks as CRLF; the report had LF.
        text = _field(form, "text").replace("\r\n", "\n")
        file_data, filename = form.get("file", (b"", None))
        note = ""
        if filename and file_data:
            # A chosen file wins over the textarea.
            name = _safe_name(filename)
            data = file_data
            note = _w("checked_file", lang, name=name)
        elif text.strip():
            name, data = _w("pasted", lang), text.encode("utf-8")
        else:
            self._send_page(400, _page(lang, text=text, backend=backend, error=_EMPTY))
            return
        token = _field(form, "token")
        progress = _progress_hook(token) if backend != "rules" and _TOKEN.match(token) else None
        try:
            doc, report = self._run(data, name, backend, lang, progress)
        except _Refusal as r:
            # The file was refused: say so, not that it was checked.
            refused = _w("refused_file", lang, name=name) if note else ""
            self._send_page(r.status, _page(lang, text=text, backend=backend, error=r.message,
                                            note=refused))
            return
        finally:
            with _PROGRESS_LOCK:
                _PROGRESS.pop(token, None)
        self._send_page(200, _page(lang, text=text, backend=backend, note=note,
                                   result=(doc, report, data, name)))

    def _download(self, form: dict, lang: str, backend: str) -> None:
        fmt = _field(form, "format")
        if fmt not in DOWNLOADS:
            self._send_page(400, _page(lang, backend=backend, error=_BAD_FORMAT.format(fmt=fmt)))
            return
        name = _field(form, "name") or _w("pasted", lang)
        try:
            data = base64.b64decode(form.get("payload", (b"", None))[0], validate=True)
        except (binascii.Error, ValueError):
            data = b""
        if not data:
            self._send_page(400, _page(lang, backend=backend, error=_BAD_PAYLOAD))
            return
        try:
            verdicts = review.parse(_field(form, "verdicts"))
        except errors.JxError as e:
            self._send_page(400, _page(lang, backend=backend, error=e.message(lang)))
            return
        hidden = {k: set(_field(form, f"hide_{k}").split()) for k in ("sev", "kind", "code")}
        try:
            doc, report = self._run(data, name, backend, lang)
            # Verdict keys number the full list, so they go on before filtering.
            report = review.keep(review.apply(report, verdicts), hidden["sev"], hidden["kind"],
                                 hidden["code"])
            output = render.get(fmt)(doc, report, lang)
        except _Refusal as r:
            self._send_page(r.status, _page(lang, backend=backend, error=r.message))
            return
        body = output.encode("utf-8") if isinstance(output, str) else output
        content_type, ext = DOWNLOADS[fmt]
        self._send(200, body, content_type,
                   {"Content-Disposition": _attachment(name, ext)})

    def _sample(self, lang: str) -> None:
        """The bundled sample report, checked: what a result looks like, one click away."""
        path = _sample_path()
        if path is None:
            self._send_page(404, _page(lang, error=_w("no_sample", lang)))
            return
        data = path.read_bytes()
        try:
            doc, report = self._run(data, path.name, "rules", lang)
        except _Refusal as r:
            self._send_page(r.status, _page(lang, error=r.message))
            return
        self._send_page(200, _page(lang, text=data.decode("utf-8"), note=_w(
            "checked_file", lang, name=path.name), result=(doc, report, data, path.name)))

    def _run(self, data: bytes, name: str, backend: str, lang: str,
             progress=None) -> tuple[models.Document, models.Report]:
        """Load and check on the server's worker pool, under its time budget.

        Domain errors become a refusal with their own message; a full pool, a
        check past its time and a client that left are refusals too.
        """
        pool: workers.Pool = self.server.pool  # type: ignore[attr-defined]
        try:
            return pool.run(lambda: self._load_and_check(data, name, backend, progress),
                            client=self.connection)
        except workers.Busy as e:
            raise _Refusal(503, _BUSY) from e
        except workers.TooSlow as e:
            raise _Refusal(503, _TOO_SLOW.format(s=f"{pool.timeout_s:g}")) from e
        except workers.ClientGone as e:
            # Nobody is left to read an answer: stop here, quietly.
            self.close_connection = True
            raise _Gone() from e
        except _Refusal:
            raise
        except errors.JxError as e:
            # JxError messages carry both languages; the page's language first.
            raise _Refusal(422, e.message(lang)) from e
        except Exception as e:
            # Show the reviewer what broke and keep serving the next request.
            self.log_error("check failed: %r", e)
            raise _Refusal(500, _INTERNAL.format(err=f"{type(e).__name__}: {e}")) from e

    @staticmethod
    def _load_and_check(data: bytes, name: str, backend: str,
                        progress=None) -> tuple[models.Document, models.Report]:
        suffix = pathlib.PurePosixPath(name).suffix
        try:
            doc = load.from_bytes(data, name, suffix)
        except ModuleNotFoundError as e:
            # load imports the .docx/.pdf readers on use; one may not exist yet.
            raise _Refusal(422, _NO_READER.format(suffix=suffix or name, module=e.name)) from e
        options = {"progress": progress} if progress is not None else {}
        return doc, pipeline.check_document(doc, backend, **options)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allowed_hosts: set[str] | None = None
    # Checks run here, not on the connection's thread (see extractor.workers).
    pool: workers.Pool

    def server_close(self) -> None:
        super().server_close()
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.shutdown()


class _Server6(_Server):
    address_family = socket.AF_INET6


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout_s: float = DEFAULT_TIMEOUT_S,
                workers_n: int | None = None) -> http.server.ThreadingHTTPServer:
    """Bind the app; ``port=0`` picks a free port (see ``server.server_address``).

    Args:
        host: address to listen on.
        port: port, 0 for any free one.
        timeout_s: time budget of one request's check (0: none).
        workers_n: checks run at once (default: CPU cores, at most 4).

    Raises:
        OSError: the address cannot be bound (port in use, unknown host).
    """
    cls = _Server6 if ":" in host.strip("[]") else _Server
    server = cls((host.strip("[]"), port), _Handler)
    server.pool = workers.Pool(workers_n, timeout_s=timeout_s)
    if _is_loopback(host):
        bound = server.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]", host.lower()}
        server.allowed_hosts = {f"{n}:{bound}" for n in names} | (names if bound == 80 else set())
    return server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``jxcheck serve``."""
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"端口（默认 {DEFAULT_PORT}，0 为任选空闲端口）/ port")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help="监听地址（默认 127.0.0.1，仅本机）/ address to listen on")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                        help=f"每次核查的时间上限（默认 {DEFAULT_TIMEOUT_S:g} 秒）/ per-request limit")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="同时核查的报告数（默认为 CPU 核数，最多 4）/ checks at once")


def main(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when the address cannot be bound."""
    try:
        server = make_server(args.host, args.port,
                             timeout_s=getattr(args, "timeout", DEFAULT_TIMEOUT_S),
                             workers_n=getattr(args, "workers", None))
    except OSError as e:
        print(f"无法在 {args.host}:{args.port} 启动服务：{e.strerror or e}\n"
              f"Cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"jxcheck serve: http://{shown}:{port}/  （Ctrl+C 停止 / to stop）", flush=True)
    if not _is_loopback(args.host):
        print("注意：服务对其他计算机可见，报告内容可能被他人提交或查看。\n"
              "Note: the server is reachable from other computers.", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已停止 / stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
