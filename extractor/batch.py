"""Many reports in one run: folders expanded, files checked in parallel, a bad file reported.

A 财政局 reviews folders of .pdf / .docx / .txt reports. This module turns the
command line's inputs into a list of files, checks each one (in worker
processes with ``jobs > 1``, since the rules backend is pure Python and
CPU-bound), and returns one :class:`Result` per file in input order. A file
that cannot be read, or whose check fails for any reason, becomes a result
with its reason; the others go on.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
from collections.abc import Callable, Iterable, Sequence

from extractor import errors

__all__ = ["REPORT_SUFFIXES", "Result", "expand", "run", "worst_exit"]

# What a folder is searched for; anything else in it (images, zips, notes)
# is not a report and is skipped without a message.
REPORT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx", ".xls", ".doc", ".wps")
# Office writes "~$name.docx" lock files beside open documents; they are not reports.
_LOCK_PREFIX = "~$"


@dataclasses.dataclass
class Result:
    """One input's outcome: a document and its report, or the reason it has none.

    ``error`` is a (Chinese, English) pair rather than the exception itself,
    so that a result crosses a process boundary intact.
    """

    source: str
    doc: object | None = None  # models.Document; typed loosely to keep this import light
    report: object | None = None  # models.Report
    error: tuple[str, str] | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.report is not None

    def message(self, lang: str = "zh") -> str:
        """The failure reason, the chosen language first."""
        if self.error is None:
            return ""
        zh, en = self.error
        return f"{en}\n{zh}" if lang == "en" else f"{zh}\n{en}"

    def reason(self, lang: str = "zh") -> str:
        """The failure reason in one language, for a table cell."""
        if self.error is None:
            return ""
        return self.error[1] if lang == "en" else self.error[0]


def expand(inputs: Sequence[str]) -> list[Result]:
    """Command-line inputs → one pending result per file.

    A folder stands for the report files under it (recursively, sorted by
    path, hidden entries and Office lock files skipped); a folder without any
    is a failed result of its own, so that a mistyped folder is not silent.
    Files named explicitly are kept whatever their suffix: the loader says
    what is wrong with them.
    """
    out: list[Result] = []
    for item in inputs:
        path = pathlib.Path(item)
        if item == "-" or not path.is_dir():
            out.append(Result(item))
            continue
        found = sorted(
            p for p in path.rglob("*")
            if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()
            and not p.name.startswith((".", _LOCK_PREFIX))
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            kinds = "/".join(REPORT_SUFFIXES)
            out.append(Result(item, error=(
                f"目录中没有报告文件（{kinds}）：{item}",
                f"No report files ({kinds}) in folder: {item}",
            )))
        out.extend(Result(str(p)) for p in found)
    return out


def run(
    pending: Sequence[Result],
    backend: str = "rules",
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    load_options: dict | None = None,
    timeout: float | None = None,
) -> list[Result]:
    """Check every pending result; return them all, in the same order.

    Args:
        pending: results from :func:`expand`; those that already carry an
            error are passed through.
        backend, select, ignore: as :func:`extractor.pipeline.run`.
        jobs: worker processes; 1 (or a single file) checks in this process.
        on_done: called in this process after each file, in completion order
            (progress bars).
        load_options: keyword arguments for the loader (``ocr=True``).
        timeout: seconds allowed per file (:func:`extractor.limits.budget`);
            ``None`` or 0 for no limit.

    Returns:
        One result per pending entry, in input order.
    """
    select, ignore = list(select), list(ignore)
    options = dict(load_options or {})
    results: list[Result | None] = [r if r.error else None for r in pending]
    todo = [i for i, r in enumerate(pending) if r.error is None]
    for i, r in enumerate(pending):
        if r.error is not None and on_done:
            on_done(r)
    # Standard input can be read once, and only by this process.
    parallel = jobs > 1 and len(todo) > 1 and not any(pending[i].source == "-" for i in todo)
    if not parallel:
        for i in todo:
            results[i] = check_one(pending[i].source, backend, select, ignore, options, timeout)
            if on_done:
                on_done(results[i])
        return [r for r in results if r is not None]
    import concurrent.futures  # only a parallel batch pays for it (cold start, issue 13)

    _preload(backend)
    with _pool(min(jobs, len(todo))) as pool:
        # Every task is submitted before the caller's progress bar can start
        # a thread: workers are forked, and forking next to threads is unsafe.
        futures = {pool.submit(check_one, pending[i].source, backend, select, ignore, options,
                               timeout): i
                   for i in todo}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as e:  # noqa: BLE001 - a dead worker must not stop the batch
                results[i] = Result(pending[i].source, error=_internal(pending[i].source, e))
            if on_done:
                on_done(results[i])
    return [r for r in results if r is not None]


def check_one(source: str, backend: str, select: list[str], ignore: list[str],
              load_options: dict | None = None, timeout: float | None = None) -> Result:
    """Load and check one file; every failure becomes the result's reason."""
    import time

    from extractor import limits, load, pipeline

    t0 = time.perf_counter()
    try:
        # The budget covers reading too: a huge .docx can take long to unpack.
        with limits.budget(timeout):
            doc = load.load(source, **(load_options or {}))
            report = pipeline.check_document(doc, backend, select, ignore)
    except errors.JxError as e:
        return Result(source, error=(e.zh, e.en), seconds=time.perf_counter() - t0)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as e:  # noqa: BLE001 - one odd file must not lose the others
        return Result(source, error=_internal(source, e), seconds=time.perf_counter() - t0)
    return Result(source, doc=doc, report=report, seconds=time.perf_counter() - t0)


def worst_exit(results: Iterable[Result], fail_on: str) -> int:
    """0 clean, 1 a finding at or above ``fail_on`` in any file, 2 any file unreadable."""
    from extractor import models

    worst = 0
    threshold = None if fail_on == "never" else models.Severity(fail_on).rank
    for r in results:
        if r.error is not None:
            return 2
        if threshold is not None and any(f.severity.rank >= threshold
                                         for f in r.report.findings):  # type: ignore[union-attr]
            worst = 1
    return worst


def _preload(backend: str) -> None:
    """Import the pipeline and the backend's module before forking, so that
    every worker inherits them instead of importing them again."""
    import importlib

    from extractor import extract, load, pipeline  # noqa: F401 - imported for the workers

    target = extract.BACKENDS.get(backend)
    if target:
        try:
            importlib.import_module(target.split(":")[0])
        except ImportError:
            pass  # the workers report it per file, with its message


def _internal(source: str, exc: BaseException) -> tuple[str, str]:
    kind = type(exc).__name__
    return (f"无法核查 {source}：内部错误（{kind}: {exc}）。其余文件不受影响；请报告此问题。",
            f"Cannot check {source}: internal error ({kind}: {exc}). The other files are not "
            "affected; please report this.")


def _pool(workers: int):
    """A process pool of ``workers``."""
    import concurrent.futures
    import multiprocessing

    # fork shares the parent's imported modules and compiled patterns, so a
    # worker starts in milliseconds; elsewhere (macOS, Windows) spawn is the
    # only safe choice and each worker imports jxcheck once.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix" \
        and not _is_macos() else "spawn"
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method))


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"
