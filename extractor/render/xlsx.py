"""Excel workbook: one row per finding, for reviewers who sort, filter and annotate.

The first sheet holds the findings under a header row, with frozen panes and an
auto-filter; a second sheet names the file and the counts. A batch of files
(:func:`render_batch`) is one workbook: a summary sheet with a row per file
(counts, or the reason a file could not be checked, and a link to its sheet),
then one findings sheet per report. Stated, recomputed,
difference and tolerance are written as numbers carrying the decimals the
report printed, so that a reviewer can sort by them; the text of the report is
never turned into a formula (a quote that starts with ``=`` stays text).
"""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from extractor import models
from extractor.render import htmlout, labels, review

__all__ = ["COLUMNS", "render", "render_batch"]

# key, Chinese header, English header, column width in Excel character units
# (a CJK character is about two of them).
COLUMNS = (
    ("no", "序号", "#", 6),
    ("code", "规则", "Rule", 9),
    ("severity", "级别", "Severity", 8),
    ("kind", "类型", "Kind", 12),
    ("message_zh", "说明（中文）", "Finding (Chinese)", 60),
    ("message_en", "说明（英文）", "Finding (English)", 60),
    ("line", "行", "Line", 7),
    ("column", "列", "Column", 7),
    ("quotes", "原文", "Source", 24),
    ("stated", "所述", "Stated", 14),
    ("recomputed", "应为", "Recomputed", 14),
    ("difference", "差额", "Difference", 12),
    ("tolerance", "容差", "Tolerance", 10),
    ("unit", "单位", "Unit", 7),
    ("formula", "计算", "Calculation", 44),
    ("suggestion", "建议", "Suggestion", 36),
    # A reviewer's verdict and note from the HTML page (render/review.py);
    # empty when the findings were not reviewed.
    ("verdict", "审核结论", "Verdict", 10),
    ("note", "审核备注", "Reviewer's note", 36),
)
_WRAPPED = {"message_zh", "message_en", "quotes", "formula", "suggestion", "note"}
_NUMERIC = {"stated", "recomputed", "difference", "tolerance"}
# Freeze the header row and the number/rule columns while scrolling.
_FREEZE = "C2"
# Excel keeps 15 significant digits; longer values are written as text so
# that no digit the report printed is lost.
_MAX_DIGITS = 15
_FILLS = {
    "error": PatternFill("solid", fgColor="F8D7DA"),
    "warning": PatternFill("solid", fgColor="FFF3CD"),
    "info": PatternFill("solid", fgColor="D9EAF7"),
}
_HEADER_FILL = PatternFill("solid", fgColor="E7EAEE")
_SHEETS = {"findings": ("问题清单", "Findings"), "summary": ("概况", "Summary"),
           "batch": ("汇总", "Summary")}
# Summary sheet of a batch: key, Chinese header, English header, width.
BATCH_COLUMNS = (
    ("source", "文件", "File", 48),
    ("status", "状态", "Status", 12),
    ("error", "错误", "Errors", 8),
    ("warning", "警告", "Warnings", 10),
    ("info", "提示", "Notes", 8),
    ("claims", "已核对的数量关系", "Relations checked", 12),
    ("sheet", "工作表", "Sheet", 24),
    ("reason", "原因", "Reason", 60),
)
# Excel's limits on sheet names: 31 characters, none of []:*?/\ .
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})
_SUMMARY = {
    "source": ("文件", "File"),
    "encoding": ("编码", "Encoding"),
    "backend": ("抽取方式", "Backend"),
    "claims": ("已核对的数量关系", "Relations checked"),
    "findings": ("问题数", "Findings"),
}


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _text(value: str) -> str:
    # PDF text carries form feeds and other control characters that the
    # xlsx XML cannot hold; openpyxl would raise on them.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _number(value: Decimal | None) -> tuple[object, str | None]:
    """A Decimal as an Excel value and a number format showing its printed decimals."""
    if value is None:
        return None, None
    if not value.is_finite():
        return str(value), None
    plain = Decimal(format(value, "f"))
    digits = plain.as_tuple()
    if len(digits.digits) > _MAX_DIGITS:
        return format(plain, "f"), None
    decimals = max(0, -digits.exponent) if isinstance(digits.exponent, int) else 0
    return plain, "#,##0" + ("." + "0" * decimals if decimals else "")


def _row(doc: models.Document, i: int, f: models.Finding, lang: str) -> dict[str, object]:
    line = col = None
    if f.spans:
        line, col = doc.line_col(min(f.spans[0].start, len(doc.raw)))
    return {
        "no": i,
        "code": f.code,
        "severity": labels.SEVERITY[lang].get(f.severity.value, f.severity.value),
        "kind": htmlout.kind_label(f.kind, lang),
        "message_zh": f.message.zh,
        "message_en": f.message.en,
        "line": line,
        "column": col,
        "quotes": "\n".join(doc.raw[s.start:s.end] for s in f.spans),
        "stated": f.stated,
        "recomputed": f.recomputed,
        "difference": f.difference,
        "tolerance": f.tolerance,
        "unit": f.unit,
        "formula": f.formula,
        "suggestion": f.suggestion.get(lang) if f.suggestion else "",
        "verdict": review.verdict_label(f.verdict, lang),
        "note": f.note,
    }


def _put(ws, row: int, col: int, value: object, number_format: str | None = None):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _text(value)
        # openpyxl treats a string starting with "=" as a formula; report text
        # must never become one.
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def _findings_sheet(ws, doc: models.Document, report: models.Report, lang: str) -> None:
    ws.title = _word(_SHEETS["findings"], lang)
    bold = Font(bold=True)
    for c, (_, zh, en, width) in enumerate(COLUMNS, 1):
        cell = _put(ws, 1, c, en if lang == "en" else zh)
        cell.font = bold
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    top_wrapped = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    for r, f in enumerate(report.findings, 2):
        values = _row(doc, r - 1, f, lang)
        for c, (key, *_rest) in enumerate(COLUMNS, 1):
            value = values[key]
            number_format = None
            if key in _NUMERIC:
                value, number_format = _number(value)  # type: ignore[arg-type]
            cell = _put(ws, r, c, value, number_format)
            cell.alignment = top_wrapped if key in _WRAPPED else top
            if key == "severity":
                cell.fill = _FILLS.get(f.severity.value, _HEADER_FILL)
    ws.freeze_panes = _FREEZE
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(report.findings) + 1)}"


def _summary_sheet(ws, doc: models.Document, report: models.Report, lang: str) -> None:
    ws.title = _word(_SHEETS["summary"], lang)
    counts = {s.value: 0 for s in models.Severity}
    for f in report.findings:
        counts[f.severity.value] += 1
    rows: list[tuple[str, object]] = [
        (_word(_SUMMARY["source"], lang), doc.source),
        (_word(_SUMMARY["encoding"], lang), report.encoding),
        (_word(_SUMMARY["backend"], lang), report.backend),
        (_word(_SUMMARY["claims"], lang), len(report.claims)),
        (_word(_SUMMARY["findings"], lang), len(report.findings)),
    ]
    rows += [(labels.SEVERITY[lang][s.value], counts[s.value]) for s in models.Severity]
    for r, (key, value) in enumerate(rows, 1):
        _put(ws, r, 1, key).font = Font(bold=True)
        _put(ws, r, 2, value)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 60


def _sheet_name(source: str, taken: set[str]) -> str:
    """A unique Excel sheet name from a file name (stem, shortened, made unique)."""
    import pathlib

    stem = pathlib.PurePath(source).stem.translate(_SHEET_NAME_BAD).strip("'") or "report"
    name = stem[:_SHEET_NAME_MAX]
    n = 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name = stem[:_SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def render_batch(results, lang: str = "zh") -> bytes:
    """Several reports as one workbook: a summary sheet, then a sheet per report.

    Args:
        results: :class:`extractor.batch.Result` objects, in input order. A
            file that could not be checked has a summary row with its reason
            and no sheet.
        lang: language of headers and labels.

    Returns:
        The workbook's bytes.
    """
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = _word(_SHEETS["batch"], lang)
    bold = Font(bold=True)
    for c, (_, zh, en, width) in enumerate(BATCH_COLUMNS, 1):
        cell = _put(summary, 1, c, en if lang == "en" else zh)
        cell.font = bold
        cell.fill = _HEADER_FILL
        summary.column_dimensions[get_column_letter(c)].width = width
    taken = {summary.title.lower()}
    top = Alignment(vertical="top", wrap_text=True)
    for r, result in enumerate(results, 2):
        values: dict[str, object] = {"source": result.source}
        if result.error is not None:
            values["status"] = labels.t("status_failed", lang)
            values["reason"] = result.reason(lang)
        else:
            report = result.report
            counts = {s.value: 0 for s in models.Severity}
            for f in report.findings:
                counts[f.severity.value] += 1
            values.update(counts, claims=len(report.claims))
            values["status"] = labels.t("status_findings" if report.findings else "status_clean",
                                        lang)
            ws = wb.create_sheet()
            _findings_sheet(ws, result.doc, report, lang)
            ws.title = _sheet_name(result.source, taken)
            values["sheet"] = ws.title
        for c, (key, *_rest) in enumerate(BATCH_COLUMNS, 1):
            cell = _put(summary, r, c, values.get(key))
            cell.alignment = top
            if key == "sheet" and values.get("sheet"):
                # An internal link (location), not a "#…" URL some viewers open as a file.
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{values['sheet']}'!A1")
                cell.style = "Hyperlink"
            if key == "status" and result.error is not None:
                cell.fill = _FILLS["error"]
    summary.freeze_panes = "B2"
    summary.auto_filter.ref = f"A1:{get_column_letter(len(BATCH_COLUMNS))}{max(1, summary.max_row)}"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(doc: models.Document, report: models.Report, lang: str = "zh") -> bytes:
    """The report as an .xlsx workbook.

    Args:
        doc: the checked document (for quotes and line/column).
        report: its report; every finding becomes one row, in report order.
        lang: language of headers and of the severity, kind and suggestion
            columns; both message languages are always written.

    Returns:
        The workbook's bytes.
    """
    wb = openpyxl.Workbook()
    _findings_sheet(wb.active, doc, report, lang)
    _summary_sheet(wb.create_sheet(), doc, report, lang)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
