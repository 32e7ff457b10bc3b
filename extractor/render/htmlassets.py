"""The HTML report's stylesheet and script, inlined into every page.

Kept apart from the markup in ``htmlout.py`` because they are long and change
for other reasons (looks, keyboard, print). Both are pinned by SHA-256 in the
page's Content-Security-Policy, so any change here changes the hash there.

The script is plain ES2015 DOM code with no library: everything it needs is in
``data-*`` attributes written by ``htmlout.view``, so a page opened from a
``file://`` URL works. Without scripting the page still shows every finding,
every highlight and every numbered marker; controls that need the script
(filters, previous / next, export) are marked ``jx-needs-js`` and hidden.
"""

from __future__ import annotations

__all__ = ["FONT_STACK", "SCRIPT", "STYLE"]

# CJK-capable fonts in the order reviewers' machines have them: macOS,
# Windows, then Linux (Noto/Source Han, WenQuanYi as Debian ships it).
FONT_STACK = ('"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
              '"WenQuanYi Micro Hei",sans-serif')

STYLE = """
:root{--err:#c62828;--err-bg:rgba(229,57,53,.22);--warn:#9a5800;--warn-bg:rgba(255,171,0,.32);
--info:#1565c0;--info-bg:rgba(30,136,229,.18);--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
[hidden]{display:none!important}
.jx-view:not(.jx-js) .jx-needs-js{display:none!important}
body{margin:0;background:#f6f7f9;color:#1f2328;font-size:14px;line-height:1.6;
font-family:$FONTS}
.jx-view{padding:12px 16px}
.jx-head h1{font-size:20px;margin:0 0 4px}
.jx-head h1:focus{outline:2px solid #1f6feb;outline-offset:2px}
.jx-meta{color:var(--muted);margin:0 0 6px;word-break:break-all}
.jx-summary{margin:0 0 8px}
.jx-tally{color:var(--muted);margin-left:8px}
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
.jx-chip:focus-within{outline:2px solid #1f6feb}
.jx-shown,.jx-hint{color:var(--muted)}
.jx-banner{border:1px solid #f5c2c0;background:#fdecea;color:#8e1c1c;border-radius:6px;
padding:6px 10px;margin:0 0 10px;white-space:pre-line}
.jx-main{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:12px;
align-items:start}
.jx-panel{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;background:#fff;
border:1px solid var(--line);border-radius:8px}
.jx-panel:focus{outline:2px solid #1f6feb}
.jx-panel h2{position:sticky;top:0;z-index:2;margin:0;padding:6px 12px;font-size:15px;
background:#fff;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:4px 12px;
align-items:center}
.jx-nav{display:inline-flex;gap:6px;align-items:center;font-weight:normal;font-size:13px}
.jx-nav button,.jx-export{font:inherit;font-size:13px;padding:0 10px;border-radius:6px;
border:1px solid #1f6feb;background:#fff;color:#1f5fc8;cursor:pointer}
.jx-nav button:focus,.jx-export:focus{outline:2px solid #1f6feb;outline-offset:1px}
.jx-pos{font-variant-numeric:tabular-nums;min-width:4.5em;text-align:center}
.jx-keys{color:var(--muted)}
.jx-text{margin:0;padding:10px 12px 10px 4.6em;white-space:pre-wrap;overflow-wrap:anywhere;
tab-size:4;font-family:inherit;font-size:14px;line-height:1.75}
.jx-ln{display:inline-block;width:3.6em;margin-left:-4.6em;margin-right:1em;text-align:right;
color:#6e7781;font-size:12px;user-select:none;font-variant-numeric:tabular-nums}
.jx-ln::before{content:attr(data-n)}
.jx-tbl{display:table;border-collapse:collapse;margin:2px 0 2px -4.6em;white-space:normal}
.jx-tr{display:table-row}
.jx-tr>.jx-ln{display:table-cell;width:4.34em;margin:0;padding-right:1em;vertical-align:top}
.jx-td{display:table-cell;border:1px solid var(--line);padding:0 6px;vertical-align:top;
white-space:pre-wrap}
.jx-td:has(mark.jx-cur){background:#fff3bf}
.jx-tab{display:none}
mark.jx-hl{color:inherit;background:var(--bg);border-bottom:2px solid var(--c);border-radius:2px;
padding:0;cursor:pointer;scroll-margin-top:3em;scroll-margin-bottom:2em}
mark.jx-hl[data-n]::after{content:"[" attr(data-n) "]";font-size:10px;font-weight:600;
color:var(--c);vertical-align:super;line-height:1;margin-left:1px}
mark.jx-hl:focus{outline:2px dashed #1f2328;outline-offset:1px}
mark.jx-hl.jx-cur{outline:3px solid var(--c);outline-offset:1px;background:#ffe082}
mark.jx-hl.jx-cur[data-role]::before{content:attr(data-role);font-size:11px;line-height:1;
color:#fff;background:#1f2328;border-radius:3px;padding:1px 3px;margin-right:2px}
.jx-error{--c:var(--err);--bg:var(--err-bg)}
.jx-warning{--c:var(--warn);--bg:var(--warn-bg)}
.jx-info{--c:var(--info);--bg:var(--info-bg)}
mark.jx-hl.jx-off{background:transparent;border-bottom-color:transparent;cursor:auto}
mark.jx-hl.jx-off::after{content:none}
.jx-flash{animation:jx-flash 1.8s ease-out}
@keyframes jx-flash{0%,35%{box-shadow:0 0 0 4px #ff6d00}100%{box-shadow:0 0 0 4px transparent}}
.jx-list{list-style:none;margin:0;padding:8px}
.jx-f{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;
padding:6px 10px;margin:0 0 8px;cursor:pointer;background:#fff;scroll-margin-top:3em}
.jx-f:focus{outline:2px solid var(--c)}
.jx-f.jx-active{box-shadow:0 0 0 3px var(--c);background:#fffdf3}
.jx-fh{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline}
.jx-no{color:var(--muted);font-variant-numeric:tabular-nums;font-weight:600}
.jx-sev{font-weight:600;color:var(--c)}
.jx-code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#eef1f4;
border-radius:4px;padding:0 4px}
.jx-kind,.jx-loc{color:var(--muted);font-size:12px}
.jx-rule{font-size:12px;color:#1f5fc8}
.jx-msg{margin:4px 0}
.jx-calc{border-collapse:collapse;margin:4px 0;font-size:13px}
.jx-calc th{text-align:left;font-weight:normal;color:var(--muted);padding:0 10px 0 0;
vertical-align:top;white-space:nowrap}
.jx-calc td{padding:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.jx-why,.jx-sugg,.jx-group{margin:4px 0;font-size:13px}
.jx-why{color:var(--muted)}
.jx-group{background:#eef4ff;border-radius:4px;padding:2px 6px}
.jx-figs{margin:4px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 10px;
font-size:13px}
.jx-role{color:var(--muted);font-size:12px;margin-right:2px}
.jx-q{color:inherit;text-decoration:none;border-bottom:1px dashed var(--c)}
.jx-at{color:var(--muted);font-size:12px}
.jx-comp{color:var(--muted);font-size:12px}
.jx-cells{margin:6px 0 0;font-size:12px}
.jx-cells summary{color:var(--muted);cursor:pointer}
.jx-cells table{border-collapse:collapse;width:100%;margin-top:2px}
.jx-cells th,.jx-cells td{border:1px solid var(--line);padding:1px 4px;text-align:left;
vertical-align:top}
.jx-cells th{background:#f6f8fa;font-weight:normal;color:var(--muted)}
.jx-rv{border:0;border-top:1px dashed var(--line);margin:6px 0 0;padding:4px 0 0;display:flex;
flex-wrap:wrap;gap:4px 10px;align-items:center;font-size:13px;cursor:auto}
.jx-rv legend{float:left;color:var(--muted);padding:0;margin-right:2px}
.jx-rv label{display:inline-flex;gap:3px;align-items:center;cursor:pointer}
.jx-rv textarea{flex:1 1 100%;font:inherit;font-size:13px;min-height:2.2em;padding:2px 6px;
border:1px solid var(--line);border-radius:4px;resize:vertical}
.jx-f[data-v=confirmed] .jx-no::after{content:" ✓";color:#1a7f37}
.jx-f[data-v=false_positive]{opacity:.8}
.jx-f[data-v=false_positive] .jx-msg{text-decoration:line-through}
.jx-clean{padding:12px}
@media screen{.jx-f{content-visibility:auto;contain-intrinsic-size:auto 260px}}
.jx-printed{display:none}
@media (max-width:900px){.jx-main{grid-template-columns:1fr}
.jx-panel{position:static;max-height:70vh}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:14mm 12mm}
body{background:#fff;font-size:12px}
.jx-view{padding:0}
table.jx-printed{display:table}
.jx-sheet{width:100%;border-collapse:collapse;font-size:11px;margin:4px 0 8px}
.jx-sheet th,.jx-sheet td{border:1px solid #8c959f;padding:1px 4px;text-align:left;
vertical-align:top}
.jx-sheet tr{break-inside:avoid}
.jx-sheet td:nth-child(2){color:var(--c);font-weight:600;white-space:nowrap}
.jx-sheet td:first-child,.jx-sheet td:nth-child(3),.jx-sheet th{white-space:nowrap}
.jx-sheet th:last-child{width:16%}
.jx-main{display:flex;flex-direction:column;gap:6px}
.jx-findings{order:-1}
.jx-panel{position:static;max-height:none;overflow:visible;border:0}
.jx-panel h2{position:static;border-bottom:1px solid #1f2328}
.jx-bar,.jx-hint,.jx-nav,.jx-export,.jx-rule,.jx-tally,.jx-keys,.sv-top,.sv-form,.sv-dl,
.sv-what,.jx-why,.jx-figs{display:none!important}
.jx-calc,.jx-cells{font-size:11px}
.jx-list{padding:0}
.jx-f{break-inside:avoid;page-break-inside:avoid;cursor:auto;box-shadow:none!important;
background:#fff!important;margin:0 0 4px;padding:3px 8px}
.jx-cells{break-inside:avoid}
mark.jx-hl{border-bottom:2px solid var(--c);outline:none!important}
mark.jx-hl.jx-cur{background:var(--bg)}
mark.jx-hl.jx-cur[data-role]::before{content:none}
.jx-rv input,.jx-rv label:has(input:not(:checked)),.jx-rv textarea:placeholder-shown{
display:none}
.jx-rv textarea{border:0;padding:0;resize:none;min-height:0}
.jx-f:not([data-v]) .jx-rv:has(textarea:placeholder-shown){display:none}
}
""".replace("$FONTS", FONT_STACK)

SCRIPT = """
(function () {
  "use strict";
  var root = document.getElementById("jx-view");
  if (!root) { return; }
  var t0 = performance.now();
  root.classList.add("jx-js");
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
  var current = null;
  var curMarks = [];
  var posEl = root.querySelector(".jx-pos");

  function split(v) { return v ? v.split(" ") : []; }
  function shownCards() { return cards.filter(function (c) { return !c.hidden; }); }
  function flash(els) {
    els.forEach(function (el) {
      el.classList.remove("jx-flash");
      void el.offsetWidth;  // restart the animation on a second click
      el.classList.add("jx-flash");
    });
  }
  function updatePos() {
    if (!posEl) { return; }
    var list = shownCards();
    var k = current ? list.indexOf(current) + 1 : 0;
    posEl.textContent = (k ? String(k) : "\\u2013") + " / " + String(list.length);
  }
  // The current finding stays marked until another is chosen: its card is
  // outlined and each of its figures carries its role (合计, 分项, 分子 …).
  function setCurrent(card, scrollText, scrollCard) {
    curMarks.forEach(function (m) {
      m.classList.remove("jx-cur");
      m.removeAttribute("data-role");
    });
    curMarks = [];
    cards.forEach(function (c) {
      c.classList.remove("jx-active");
      c.removeAttribute("aria-current");
    });
    current = card || null;
    if (current) {
      current.classList.add("jx-active");
      current.setAttribute("aria-current", "true");
      var groups = split(current.getAttribute("data-g"));
      var roles = (current.getAttribute("data-r") || "").split("|");
      groups.forEach(function (g, j) {
        (byGroup[g] || []).forEach(function (m, n) {
          m.classList.add("jx-cur");
          if (n === 0 && roles[j]) { m.setAttribute("data-role", roles[j]); }
          curMarks.push(m);
        });
      });
      if (scrollText && curMarks.length) {
        curMarks[0].scrollIntoView({block: "center"});
        flash(curMarks);
      }
      if (scrollCard) {
        current.scrollIntoView({block: "nearest"});
        flash([current]);
      }
    }
    updatePos();
  }
  function step(delta) {
    var list = shownCards();
    if (!list.length) { return; }
    var k = current ? list.indexOf(current) : -1;
    k = k < 0 ? (delta > 0 ? 0 : list.length - 1)
              : (k + delta + list.length) % list.length;
    setCurrent(list[k], true, true);
    list[k].focus({preventScroll: true});
  }
  function showFinding(mark) {
    var ids = split(mark.getAttribute("data-f")).filter(function (i) { return visible[i]; });
    if (!ids.length) { return; }
    // Repeated clicks on a figure shared by several findings visit each in turn.
    var k = (parseInt(mark.getAttribute("data-k") || "0", 10)) % ids.length;
    mark.setAttribute("data-k", String(k + 1));
    setCurrent(byIndex[ids[k]], false, true);
  }

  root.addEventListener("click", function (ev) {
    var target = ev.target;
    var nav = target.closest("button[data-nav]");
    if (nav) { step(nav.getAttribute("data-nav") === "next" ? 1 : -1); return; }
    var link = target.closest("a.jx-q, a.jx-loc");
    if (link) {
      ev.preventDefault();
      var owner = link.closest("li.jx-f");
      if (owner !== current) { setCurrent(owner, false, false); }
      var els = byGroup[link.getAttribute("data-g")] || [];
      if (els.length) { els[0].scrollIntoView({block: "center"}); flash(els); }
      return;
    }
    var mark = target.closest("mark.jx-hl");
    if (mark) {
      if (!mark.classList.contains("jx-off")) { showFinding(mark); }
      return;
    }
    var card = target.closest("li.jx-f");
    if (card && !target.closest("details, a, input, label, textarea, fieldset, button")) {
      setCurrent(card, true, false);
    }
  });
  function typing(el) {
    return el && el.closest && el.closest("input, textarea, select, [contenteditable]");
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) { return; }
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t.matches) {
      if (t.matches("li.jx-f")) { ev.preventDefault(); setCurrent(t, true, false); return; }
      if (t.matches("mark.jx-hl")) { ev.preventDefault(); showFinding(t); return; }
    }
    if (ev.key === "n" || ev.key === "j") { ev.preventDefault(); step(1); }
    else if (ev.key === "p" || ev.key === "k") { ev.preventDefault(); step(-1); }
  });

  var shownEl = root.querySelector(".jx-shown");
  function filterState() {
    var on = {sev: {}, kind: {}, code: {}};
    root.querySelectorAll("input[data-filter]").forEach(function (inp) {
      on[inp.getAttribute("data-filter")][inp.value] = inp.checked;
    });
    return on;
  }
  function applyFilters() {
    var on = filterState();
    var shown = 0;
    visible = {};
    cards.forEach(function (c) {
      var show = on.sev[c.getAttribute("data-sev")] !== false &&
                 on.kind[c.getAttribute("data-kind")] !== false &&
                 on.code[c.getAttribute("data-code")] !== false;
      c.hidden = !show;
      if (show) { visible[c.getAttribute("data-i")] = true; shown += 1; }
    });
    marks.forEach(function (m) {
      var any = split(m.getAttribute("data-f")).some(function (i) { return visible[i]; });
      m.classList.toggle("jx-off", !any);
    });
    if (current && current.hidden) { setCurrent(null); }
    if (shownEl) {
      shownEl.textContent = shownEl.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", String(cards.length));
    }
    updatePos();
  }

  // Verdicts: kept in this browser under a key made of the report's text and
  // its findings, so two reports never share a review.
  var storeKey = "jxcheck-review:" + (root.getAttribute("data-store") || "");
  var tallyEl = root.querySelector(".jx-tally");
  function cardState(c) {
    var v = c.querySelector(".jx-rv input:checked");
    var note = c.querySelector(".jx-rv textarea");
    return {verdict: v ? v.value : null, note: note ? note.value : ""};
  }
  function reviewState() {
    var out = {};
    cards.forEach(function (c) {
      var s = cardState(c);
      if (s.verdict || s.note.trim()) { out[c.getAttribute("data-key")] = s; }
    });
    return out;
  }
  function markCard(c) {
    var s = cardState(c);
    if (s.verdict) { c.setAttribute("data-v", s.verdict); } else { c.removeAttribute("data-v"); }
    // The printed sheet's verdict column follows the card.
    var cell = document.getElementById("jx-sv" + c.getAttribute("data-i"));
    if (cell) {
      var checked = c.querySelector(".jx-rv input:checked");
      var label = checked ? checked.parentNode.textContent : "";
      var note = s.note.trim();
      cell.textContent = label && note ? label + cell.getAttribute("data-sep") + note
                                       : (label || note);
    }
  }
  function updateTally() {
    if (!tallyEl) { return; }
    var done = cards.filter(function (c) { return !!cardState(c).verdict; }).length;
    tallyEl.textContent = tallyEl.getAttribute("data-template")
      .replace("{done}", String(done)).replace("{total}", String(cards.length));
  }
  function saveReview() {
    try { localStorage.setItem(storeKey, JSON.stringify(reviewState())); } catch (e) { /* private mode */ }
  }
  function loadReview() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") { return; }
    cards.forEach(function (c) {
      var s = saved[c.getAttribute("data-key")];
      if (!s) { return; }
      c.querySelectorAll(".jx-rv input").forEach(function (inp) {
        inp.checked = inp.value === s.verdict;
      });
      var note = c.querySelector(".jx-rv textarea");
      if (note && typeof s.note === "string") { note.value = s.note; }
    });
  }
  loadReview();
  cards.forEach(markCard);
  updateTally();
  root.addEventListener("input", function (ev) {
    if (ev.target.closest(".jx-rv")) {
      markCard(ev.target.closest("li.jx-f"));
      updateTally();
      saveReview();
    }
  });
  root.addEventListener("change", function (ev) {
    if (ev.target.matches("input[data-filter]")) { applyFilters(); return; }
    if (ev.target.closest(".jx-rv")) {
      markCard(ev.target.closest("li.jx-f"));
      updateTally();
      saveReview();
    }
  });
  // For the local page's download form (servecmd.py): what is shown and judged.
  root.jxState = function () {
    var on = filterState();
    var hidden = {sev: [], kind: [], code: []};
    Object.keys(on).forEach(function (k) {
      Object.keys(on[k]).forEach(function (v) { if (!on[k][v]) { hidden[k].push(v); } });
    });
    return {verdicts: reviewState(), hidden: hidden};
  };
  // A copy of this page with the verdicts written into its markup, so the
  // review travels with the file and prints without the browser's storage.
  var exportBtn = root.querySelector("button.jx-export");
  if (exportBtn) {
    exportBtn.addEventListener("click", function () {
      var copy = document.documentElement.cloneNode(true);
      var view = copy.querySelector("#jx-view");
      view.classList.remove("jx-js");
      view.removeAttribute("data-ready");
      view.removeAttribute("data-ready-ms");
      var mine = root.querySelectorAll("li.jx-f");
      copy.querySelectorAll("li.jx-f").forEach(function (c, i) {
        var s = cardState(mine[i]);
        c.classList.remove("jx-active", "jx-flash");
        c.removeAttribute("aria-current");
        c.querySelectorAll(".jx-rv input").forEach(function (inp) {
          if (inp.value === s.verdict) { inp.setAttribute("checked", ""); }
          else { inp.removeAttribute("checked"); }
        });
        var note = c.querySelector(".jx-rv textarea");
        if (note) { note.textContent = s.note; }
      });
      copy.querySelectorAll("mark.jx-hl").forEach(function (m) {
        m.classList.remove("jx-cur", "jx-flash");
        m.removeAttribute("data-role");
        m.removeAttribute("data-k");
      });
      var blob = new Blob(["<!DOCTYPE html>\\n" + copy.outerHTML], {type: "text/html"});
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = exportBtn.getAttribute("data-file");
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  }
  updatePos();
  root.setAttribute("data-ready-ms", (performance.now() - t0).toFixed(1));
  root.setAttribute("data-ready", "1");
})();
"""
