"""Fixed words of the human-readable outputs, in Chinese and English."""

from __future__ import annotations

__all__ = ["SEVERITY", "t"]

SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}

_WORDS = {
    "title": ("jxcheck 核查结果", "jxcheck findings"),
    "no": ("序号", "#"),
    "severity": ("级别", "Severity"),
    "code": ("规则", "Rule"),
    "line": ("行", "Line"),
    "message": ("说明", "Finding"),
    "quote": ("原文", "Source"),
    "stated": ("所述", "Stated"),
    "recomputed": ("应为", "Recomputed"),
    "clean": ("未发现数字不一致。", "No inconsistent figures found."),
    "summary": ("共 {error} 个错误、{warning} 个警告、{info} 个提示（{claims} 条数量关系已核对）",
                "{error} errors, {warning} warnings, {info} notes ({claims} relations checked)"),
    "file": ("文件", "File"),
    "formula": ("计算", "Calculation"),
    "suggestion": ("建议", "Suggestion"),
    "cell": ("单元格", "Cell"),
    "claims": ("已核对", "Checked"),
    "status": ("状态", "Status"),
    "status_clean": ("未发现问题", "clean"),
    "status_findings": ("有问题", "findings"),
    "status_failed": ("无法核查", "not checked"),
    "batch_title": ("汇总", "Summary"),
    "batch_summary": ("共 {files} 个文件（{failed} 个无法核查）：{error} 个错误、{warning} 个警告、"
                      "{info} 个提示（{claims} 条数量关系已核对）",
                      "{files} files ({failed} not checked): {error} errors, {warning} warnings, "
                      "{info} notes ({claims} relations checked)"),
    "binary_to_terminal": (
        "不能把 {fmt} 二进制内容写到终端：请用 -o 文件名.{fmt} 指定输出文件，或重定向到文件/管道。",
        "Refusing to write {fmt} (binary) to the terminal: give -o FILE.{fmt}, or redirect "
        "the output to a file or a pipe."),
}


def t(key: str, lang: str, **kw) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**kw)
