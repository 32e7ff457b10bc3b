"""load → extract → check → sort: the whole run for one document."""

from __future__ import annotations

import time
from collections.abc import Iterable

from extractor import extract, limits, load, models
from extractor.checks import base, registry

__all__ = ["check_document", "run"]


def run(
    source: str,
    backend: str = "rules",
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    **backend_options,
) -> tuple[models.Document, models.Report]:
    """Check one input (a path, or ``-`` for stdin).

    Raises:
        errors.LoadError: unreadable input.
        errors.ExtractionError: a backend that cannot run at all.
    """
    doc = load.load(source)
    return doc, check_document(doc, backend, select, ignore, **backend_options)


def check_document(
    doc: models.Document,
    backend: str = "rules",
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    **backend_options,
) -> models.Report:
    """Extract claims from ``doc`` with ``backend`` and run the selected checks."""
    select, ignore = list(select), list(ignore)
    checks = registry.select(select, ignore)
    t0 = time.perf_counter()
    extractor = extract.get(backend, **backend_options)
    claims = extractor.extract(doc)
    t1 = time.perf_counter()
    ctx = base.CheckContext(doc, claims)
    findings: list[models.Finding] = []
    budget = limits.current()
    skipped: list[str] = []
    if budget is not None and budget.expired():
        budget.grace()
    for check in checks:
        if budget is not None and budget.expired():
            skipped.append(check.code)  # out of time: report what ran
            continue
        try:
            findings.extend(check.run(ctx))
        except Exception as e:  # noqa: BLE001 - a rule must never stop the run
            if registry.is_enabled(registry.RULE_ERROR_CODE, select, ignore):
                findings.append(_rule_error(check, e))
    findings.extend(_note(doc, n) for n in doc.notes
                    if registry.is_enabled(n[0], select, ignore))
    if registry.is_enabled(registry.MODEL_UNREAD_CODE, select, ignore):
        findings.extend(_unread(doc, f) for f in getattr(extractor, "failures", ()) or ())
    if budget is not None and (budget.stopped_at or skipped):
        # Never left out, even with --ignore JX001: without it a partial
        # result would read as a complete one.
        findings.append(_out_of_time(doc, budget, skipped))
    findings = _dedupe(findings)
    if doc.doubtful:
        findings = [_doubted(doc, f) for f in findings]
    findings.sort(key=lambda f: (f.spans[0].start if f.spans else -1, f.code))
    t2 = time.perf_counter()
    stats: dict[str, int | float | str] = {
        "extract_seconds": round(t1 - t0, 4),
        "check_seconds": round(t2 - t1, 4),
        "claims": len(claims),
        "findings": len(findings),
    }
    stats.update(getattr(extractor, "usage", {}) or {})
    if budget is not None and (budget.stopped_at or skipped):
        stats["stopped"] = "cancelled" if budget.cancelled else "timeout"
    return models.Report(
        source=doc.source, encoding=doc.encoding, length=len(doc.raw), claims=claims,
        findings=findings, backend=backend, stats=stats,
    )


def _out_of_time(doc: models.Document, budget: limits.Budget,
                 skipped: list[str]) -> models.Finding:
    """The info note of a run stopped by its time budget: where reading stopped."""
    offsets = [o for o, _ in budget.stopped_at if o is not None]
    zh_parts, en_parts = [], []
    spans: tuple[models.Span, ...] = ()
    if offsets:
        line = doc.line_col(offsets[0])[0]
        zh_parts.append(f"第 {line} 行起的文字未核查")
        en_parts.append(f"the text from line {line} on was not checked")
        spans = (models.Span(start=offsets[0], end=offsets[0]),)
    elif any(what == "tables" for _, what in budget.stopped_at):
        zh_parts.append("表格未核查")
        en_parts.append("the tables were not checked")
    if skipped:
        zh_parts.append(f"规则 {'、'.join(skipped)} 未运行")
        en_parts.append(f"rules {', '.join(skipped)} did not run")
    if budget.cancelled:
        zh_head, en_head = "核查已取消", "The check was cancelled"
    else:
        zh_head = f"核查超过时间上限（{budget.seconds:g} 秒，--timeout）"
        en_head = f"The check ran past its time limit ({budget.seconds:g} s, --timeout)"
    return models.Finding(
        code=registry.RULE_ERROR_CODE, name="time-limit", kind="input",
        severity=models.Severity.INFO,
        message=models.Localized(
            zh=f"{zh_head}：{'；'.join(zh_parts)}。其余结果只来自已核查的部分；可放宽 --timeout 后重试。",
            en=f"{en_head}: {'; '.join(en_parts)}. The other findings come from the checked "
               "part only; raise --timeout and run again.",
        ),
        spans=spans,
    )


def _rule_error(check: base.Check, exc: Exception) -> models.Finding:
    return models.Finding(
        code=registry.RULE_ERROR_CODE, name="rule-error", kind="input",
        severity=models.Severity.INFO,
        message=models.Localized(
            zh=f"规则 {check.code} 无法运行：{type(exc).__name__}: {exc}",
            en=f"Rule {check.code} could not run: {type(exc).__name__}: {exc}",
        ),
        spans=(),
    )


def _unread(doc: models.Document, failure: tuple[int, models.Span, str]) -> models.Finding:
    _, span, error = failure
    first, last = doc.line_col(span.start)[0], doc.line_col(max(span.start, span.end - 1))[0]
    return models.Finding(
        code=registry.MODEL_UNREAD_CODE, name="model-chunk-failed", kind="input",
        severity=models.Severity.INFO,
        message=models.Localized(
            zh=f"第 {first}–{last} 行未经模型抽取（{error}），其余部分已核对；请重试或人工核对这一段",
            en=f"Lines {first}-{last} were not read by the model ({error}); the rest was "
               "checked. Run again or check this part by hand",
        ),
        spans=(span,),
    )


def _note(doc: models.Document, note: tuple) -> models.Finding:
    code, span, zh, en = note
    name = "rule-error" if code == registry.RULE_ERROR_CODE else "table-unreadable"
    return models.Finding(
        code=code, name=name, kind="input", severity=models.Severity.INFO,
        message=models.Localized(zh=zh, en=en), spans=(span,) if span.end > span.start else (),
    )


def _doubted(doc: models.Document, f: models.Finding) -> models.Finding:
    """An error resting on a figure OCR was unsure of is a warning: the digit
    may be misread, so the mistake may be the scanner's, not the report's."""
    if f.severity is not models.Severity.ERROR:
        return f
    if not any(s.overlaps(d) or (s.start == d.start) for s in f.spans for d in doc.doubtful):
        return f
    return f.model_copy(update={
        "severity": models.Severity.WARNING,
        "message": models.Localized(
            zh=f.message.zh + "（所涉数字经文字识别（OCR）读出且置信度低，请对照原件核实）",
            en=f.message.en + " (a figure involved was read by OCR with low confidence; check it "
                              "against the scan)",
        ),
    })


def _dedupe(findings: list[models.Finding]) -> list[models.Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.code, tuple((s.start, s.end) for s in f.spans))
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
