"""Run work items side by side with bounded concurrency and a per-step timeout.

A work item is a generator function: each value it yields is one finished step
(a backend run) sent back to the caller at once, and each step must come
within ``timeout`` seconds of the previous one. Items run in worker processes
(forked, so that they see the caller's state, including a backend registered
by a test), and an item that overruns is killed: a backend stuck on one report
costs that report, not the run. Where ``fork`` is not available, threads are
used; a thread that overruns is abandoned rather than killed.
"""

from __future__ import annotations

import collections
import dataclasses
import multiprocessing
import multiprocessing.connection
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any

__all__ = ["Event", "Task", "default_mode", "describe_error", "run_tasks"]

# How often the loop wakes to check deadlines when no worker has reported.
_POLL_SECONDS = 0.1


@dataclasses.dataclass(frozen=True)
class Task:
    """One work item: ``work(*args)`` yields one message per finished step."""

    key: Hashable
    work: Callable[..., Iterator[Any]]
    args: tuple = ()


@dataclasses.dataclass(frozen=True)
class Event:
    """Something a task did.

    ``kind`` is ``message`` (a yielded step: ``payload``), ``done``, ``error``
    (``payload`` says why: the exception's type, message and last frame) or
    ``timeout`` (``payload`` says how long it waited). ``seconds`` counts from
    the task's start. A task ends with exactly one of done/error/timeout.
    """

    key: Hashable
    kind: str
    payload: Any
    seconds: float


def default_mode() -> str:
    """``process`` where ``fork`` exists (Linux, macOS), else ``thread``."""
    return "process" if "fork" in multiprocessing.get_all_start_methods() else "thread"


def describe_error(exc: BaseException) -> str:
    """One line for a scoreboard: ``ValueError: boom (rules.py:42)``."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def run_tasks(
    tasks: Sequence[Task],
    on_event: Callable[[Event], None],
    *,
    jobs: int = 2,
    timeout: float | None = None,
    mode: str | None = None,
) -> None:
    """Run ``tasks``, at most ``jobs`` at a time, reporting every step to ``on_event``.

    Args:
        tasks: the work items.
        on_event: called in the calling thread, in the order events arrive.
        jobs: how many items may run at once (at least 1).
        timeout: seconds allowed for each step; ``None`` waits forever.
        mode: ``process`` or ``thread``; default :func:`default_mode`.
    """
    mode = mode or default_mode()
    jobs = max(1, jobs)
    if mode == "process":
        _run_processes(tasks, on_event, jobs, timeout)
    elif mode == "thread":
        _run_threads(tasks, on_event, jobs, timeout)
    else:
        raise ValueError(f"unknown mode {mode!r}")


def _work_loop(task: Task, send: Callable[[tuple[str, Any]], None]) -> None:
    try:
        for message in task.work(*task.args):
            send(("message", message))
    except BaseException as e:  # noqa: BLE001 - every failure becomes an event
        send(("error", describe_error(e)))
        return
    send(("done", None))


def _child(conn: multiprocessing.connection.Connection, task: Task) -> None:
    # A result that cannot be pickled fails in conn.send inside the loop and
    # comes back as an error event naming the pickling error.
    try:
        _work_loop(task, conn.send)
    finally:
        conn.close()


@dataclasses.dataclass
class _Running:
    task: Task
    process: Any
    started: float
    deadline: float


def _run_processes(tasks: Sequence[Task], on_event: Callable[[Event], None], jobs: int,
                   timeout: float | None) -> None:
    ctx = multiprocessing.get_context("fork")
    pending = collections.deque(tasks)
    running: dict[Any, _Running] = {}

    def finish(conn: Any) -> None:
        run = running.pop(conn)
        conn.close()
        run.process.join(timeout=5)
        if run.process.is_alive():  # pragma: no cover - a child ignoring its end
            run.process.kill()
            run.process.join()

    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.popleft()
                reader, writer = ctx.Pipe(duplex=False)
                # Buffered output would be written twice: once by each process.
                sys.stdout.flush()
                sys.stderr.flush()
                process = ctx.Process(target=_child, args=(writer, task), daemon=True)
                process.start()
                writer.close()
                now = time.monotonic()
                running[reader] = _Running(task, process, now, _deadline(now, timeout))
            wait = _POLL_SECONDS
            if timeout is not None:
                soonest = min(r.deadline for r in running.values())
                wait = max(0.0, min(wait, soonest - time.monotonic()))
            for conn in multiprocessing.connection.wait(list(running), timeout=wait):
                run = running[conn]
                now = time.monotonic()
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    run.process.join(timeout=5)
                    code = run.process.exitcode
                    kind, payload = "error", f"worker exited with code {code} before finishing"
                on_event(Event(run.task.key, kind, payload, now - run.started))
                if kind == "message":
                    run.deadline = _deadline(now, timeout)
                else:
                    finish(conn)
            now = time.monotonic()
            for conn, run in list(running.items()):
                if now >= run.deadline:
                    run.process.kill()
                    on_event(Event(run.task.key, "timeout",
                                   f"no result within {timeout:g} s; worker stopped",
                                   now - run.started))
                    finish(conn)
    finally:
        for conn, run in list(running.items()):
            run.process.kill()
            finish(conn)


def _run_threads(tasks: Sequence[Task], on_event: Callable[[Event], None], jobs: int,
                 timeout: float | None) -> None:
    pending = collections.deque(tasks)
    inbox: queue.Queue[tuple[int, str, Any]] = queue.Queue()
    running: dict[int, _Running] = {}
    serial = 0
    while pending or running:
        while pending and len(running) < jobs:
            task = pending.popleft()
            serial += 1
            number = serial

            def send(item: tuple[str, Any], number: int = number) -> None:
                inbox.put((number, *item))

            thread = threading.Thread(target=_work_loop, args=(task, send), daemon=True)
            now = time.monotonic()
            running[number] = _Running(task, thread, now, _deadline(now, timeout))
            thread.start()
        try:
            number, kind, payload = inbox.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            number = None
        now = time.monotonic()
        if number is not None and number in running:
            run = running[number]
            on_event(Event(run.task.key, kind, payload, now - run.started))
            if kind == "message":
                run.deadline = _deadline(now, timeout)
            else:
                del running[number]
        for number, run in list(running.items()):
            if now >= run.deadline:
                # A thread cannot be stopped: its later messages are dropped.
                on_event(Event(run.task.key, "timeout",
                               f"no result within {timeout:g} s; worker abandoned",
                               now - run.started))
                del running[number]


def _deadline(now: float, timeout: float | None) -> float:
    return float("inf") if timeout is None else now + timeout
