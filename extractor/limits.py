"""Bounds on the work one document may cause: extracted-text size and wall-clock time.

The 5 MB limit on a plain-text report (``load.txt.MAX_BYTES``) is also the
limit on the text taken out of a .docx or .pdf, counted while it is taken
out (:class:`TextSize`), so a small file that expands to a huge text is
refused before it is held in memory.

Time is bounded per document by a :class:`Budget` (``--timeout``, the serve
page's per-request limit): long-running passes ask :func:`expired` between
units of work (paragraphs, tables, rules) and stop early; the pipeline then
reports the findings so far and an info note naming where reading stopped.
A budget can also be cancelled from outside (the serve page does so when its
client goes away).
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Iterable, Iterator

from extractor import errors
from extractor.load import txt

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "MAX_TEXT_BYTES",
    "Budget",
    "TextSize",
    "budget",
    "current",
    "expired",
]

# The same bound as a plain-text report: text from .docx/.pdf is checked by
# the same passes, so it may cost no more.
MAX_TEXT_BYTES = txt.MAX_BYTES
# Generous: the largest real report takes 0.1 s and a 5 MB synthetic one
# under a minute; ten minutes only stops a run that would otherwise hang.
DEFAULT_TIMEOUT_S = 600.0
# Least time the checks get after reading ran out of time (see Budget.grace).
GRACE_MIN_S = 5.0


class TextSize:
    """Counts the UTF-8 size of extracted text and refuses it past the limit."""

    def __init__(self, source: str, limit: int = MAX_TEXT_BYTES) -> None:
        self.source = source
        self.limit = limit
        self.total = 0

    def add(self, text: str | Iterable[str]) -> None:
        """Count ``text`` (a string or several); raise once over the limit.

        Raises:
            errors.LoadError: the extracted text is over the limit.
        """
        if isinstance(text, str):
            self.total += len(text.encode("utf-8")) + 1
        else:
            self.total += sum(len(t.encode("utf-8")) + 1 for t in text)
        if self.total > self.limit:
            mb = self.limit / 1024 / 1024
            raise errors.LoadError(
                f"输入过大：从 {self.source} 提取出的文字超过 {mb:.0f} MB 上限"
                "（与纯文本报告的上限相同）。请只提交报告正文。",
                f"Input too large: the text extracted from {self.source} is over the "
                f"{mb:.0f} MB limit (the same as for a plain-text report). Submit the report "
                "text only.",
            )


class Budget:
    """A wall-clock deadline for one document, and a flag to cancel it early."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds if self.seconds else None
        self._cancelled = threading.Event()
        # Where a pass stopped, as (offset in the normalised text, what stopped).
        self.stopped_at: list[tuple[int | None, str]] = []

    def cancel(self) -> None:
        """Stop the work at its next check (the client went away)."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def expired(self) -> bool:
        if self._cancelled.is_set():
            return True
        return self.deadline is not None and time.monotonic() > self.deadline

    def grace(self) -> None:
        """Give the checks time of their own once reading ran out of it.

        Reading (claim extraction) stops at the deadline; the checks of what
        was read then get a quarter of the budget more (at least
        :data:`GRACE_MIN_S`), so a run that timed out still reports the
        findings of the part it read instead of none.
        """
        if self.seconds and not self._cancelled.is_set():
            self.deadline = time.monotonic() + max(GRACE_MIN_S, self.seconds / 4)

    def stop(self, offset: int | None, what: str) -> None:
        """Record that ``what`` stopped at ``offset`` because the budget ran out."""
        self.stopped_at.append((offset, what))


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "jxcheck_budget", default=None)


@contextlib.contextmanager
def budget(value: Budget | float | None) -> Iterator[Budget]:
    """Make ``value`` (a Budget, or seconds; ``None``/0 for no limit) the current budget."""
    b = value if isinstance(value, Budget) else Budget(value)
    token = _current.set(b)
    try:
        yield b
    finally:
        _current.reset(token)


def current() -> Budget | None:
    """The budget of the document being checked, if any."""
    return _current.get()


def expired() -> bool:
    """Whether the current document's time is up (always ``False`` without a budget)."""
    b = _current.get()
    return b is not None and b.expired()
