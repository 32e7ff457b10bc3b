"""A bounded pool that runs checks for the serve page, each under a time budget,
cancelled when its client goes away.

``ThreadingHTTPServer`` starts a thread per connection: fifty pasted 5 MB
reports would be fifty checks at once, and a browser tab that is closed
left its check running for minutes. Here a fixed number of workers run the
checks, a few more requests may wait, the rest are told to come back; each
check runs under a :class:`~extractor.limits.Budget`, and the request's
thread watches the client's socket while it waits, cancelling the budget
when the client has hung up.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import os
import select
import socket
import threading
from collections.abc import Callable
from typing import TypeVar

from extractor import limits

__all__ = ["Busy", "ClientGone", "Pool", "TooSlow", "client_gone"]

T = TypeVar("T")

# How often a waiting request looks at its client's socket (seconds).
_POLL_S = 0.25
# Time a worker gets past its budget before the request stops waiting: the
# checks' grace (limits.Budget.grace) plus slack for rendering.
_SLACK_S = 5.0


class Busy(Exception):
    """All workers and waiting places are taken."""


class ClientGone(Exception):
    """The client closed its connection; its check was cancelled."""


class TooSlow(Exception):
    """The check did not end within its budget and grace (it is left to finish)."""


class Pool:
    """At most ``workers`` checks at once, ``waiting`` more queued, the rest refused."""

    def __init__(self, workers: int | None = None, waiting: int | None = None,
                 timeout_s: float = limits.DEFAULT_TIMEOUT_S) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.waiting = self.workers * 2 if waiting is None else waiting
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(self.workers + self.waiting)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="jxcheck-check")
        self._budgets: set[limits.Budget] = set()
        self._lock = threading.Lock()

    def run(self, fn: Callable[[], T], client: socket.socket | None = None) -> T:
        """Run ``fn`` on a worker under a fresh budget and return its result.

        Raises:
            Busy: no place is free.
            ClientGone: ``client`` hung up; the budget was cancelled.
            TooSlow: the budget and its grace ran out and ``fn`` still runs.
            Exception: whatever ``fn`` raised.
        """
        if not self._slots.acquire(blocking=False):
            raise Busy()
        budget = limits.Budget(self.timeout_s)
        ctx = contextvars.copy_context()
        with self._lock:  # before it can start, so that shutdown() sees it
            self._budgets.add(budget)
        try:
            future = self._executor.submit(ctx.run, _within, budget, fn)
        except RuntimeError:  # the executor is shut down
            self._done(budget)
            raise Busy() from None
        future.add_done_callback(lambda _f: self._done(budget))
        limit = (self.timeout_s * 1.25 + _SLACK_S + limits.GRACE_MIN_S) if self.timeout_s else None
        waited = 0.0
        while True:
            try:
                return future.result(timeout=_POLL_S)
            except concurrent.futures.TimeoutError:
                waited += _POLL_S
            if client is not None and client_gone(client):
                budget.cancel()
                raise ClientGone()
            if limit is not None and waited > limit:
                budget.cancel()
                raise TooSlow()

    def _done(self, budget: limits.Budget) -> None:
        with self._lock:
            self._budgets.discard(budget)
        self._slots.release()

    def shutdown(self) -> None:
        """Cancel queued and running checks and stop accepting new ones, so
        that Ctrl+C does not wait for a long check to finish."""
        with self._lock:
            for budget in self._budgets:
                budget.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)


def _within(budget: limits.Budget, fn: Callable[[], T]) -> T:
    with limits.budget(budget):
        return fn()


def client_gone(sock: socket.socket) -> bool:
    """Whether the peer of ``sock`` has closed the connection.

    A socket that is readable but has nothing to peek at is at end of file:
    the client hung up. Data waiting (a pipelined request) is not a hang-up.
    """
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True
