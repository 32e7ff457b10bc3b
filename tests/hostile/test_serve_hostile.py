"""The serve page under hostile requests (issue 11): negative or missing
Content-Length, a client that gives up, checks without end, a flood."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse

import pytest

from extractor import limits, models, servecmd, workers

BAD = ("全年项目支出846.35万元，其中：设备购置费521.30万元、工程维护费182.15万元、"
       "人员培训费141.93万元。\n\n")


@contextlib.contextmanager
def _serving(**kw):
    srv = servecmd.make_server("127.0.0.1", 0, **kw)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv, srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def _raw(port: int, head: str, body: bytes = b"", *, half_close: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(head.encode("latin-1") + body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the body was read: the answer is still there
        if half_close:
            s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def _form(text: str) -> bytes:
    return urllib.parse.urlencode({"text": text, "lang": "zh", "backend": "rules"}).encode()


def _head(port: int, length: str | None, ctype="application/x-www-form-urlencoded") -> str:
    lines = ["POST /check HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Type: {ctype}",
             "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return "\r\n".join(lines) + "\r\n\r\n"


@pytest.mark.parametrize(("length", "status"), [("-1", b" 400 "), (None, b" 411 "),
                                                ("abc", b" 400 "), ("-999999999", b" 400 ")])
def test_bad_content_length_is_refused_without_reading(length, status):
    with _serving() as (_srv, port):
        # 2 MB follow the headers; none of it may be read for a bad length.
        reply = _raw(port, _head(port, length), b"x" * (2 << 20))
    assert reply.split(b"\r\n", 1)[0].find(status) > 0
    assert "Content-Length".encode() in reply


def test_short_body_is_a_refusal_not_a_hang():
    with _serving() as (_srv, port):
        t0 = time.monotonic()
        reply = _raw(port, _head(port, "1000"), _form(BAD)[:50], half_close=True)
    assert b" 400 " in reply.split(b"\r\n", 1)[0]
    assert time.monotonic() - t0 < 20


def test_a_client_that_leaves_cancels_its_check(monkeypatch):
    seen: list[bool] = []
    started = threading.Event()

    def slow_check(doc, backend="rules", *a, **kw):
        started.set()
        deadline = time.monotonic() + 20
        while not limits.expired() and time.monotonic() < deadline:
            time.sleep(0.02)
        budget = limits.current()
        seen.append(bool(budget and budget.cancelled))
        return models.Report(source=doc.source, encoding="utf-8", length=0, claims=[],
                             findings=[], backend=backend, stats={})

    monkeypatch.setattr(servecmd.pipeline, "check_document", slow_check)
    with _serving() as (_srv, port):
        body = _form(BAD)
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(_head(port, str(len(body))).encode() + body)
        assert started.wait(10)
        s.close()  # the reviewer closed the tab
        for _ in range(200):
            if seen:
                break
            time.sleep(0.05)
    assert seen == [True]


def test_per_request_time_limit_ends_with_a_note():
    with _serving(timeout_s=0.3) as (_srv, port):
        body = _form(BAD * 4000)
        reply = _raw(port, _head(port, str(len(body))), body)
    head, _, page = reply.partition(b"\r\n\r\n")
    assert b" 200 " in head.split(b"\r\n", 1)[0]
    assert "时间上限" in page.decode("utf-8")


def test_full_pool_answers_busy(monkeypatch):
    release = threading.Event()
    started = threading.Event()

    def blocking_check(doc, backend="rules", *a, **kw):
        started.set()
        release.wait(20)
        return models.Report(source=doc.source, encoding="utf-8", length=0, claims=[],
                             findings=[], backend=backend, stats={})

    monkeypatch.setattr(servecmd.pipeline, "check_document", blocking_check)
    with _serving(workers_n=1) as (srv, port):
        srv.pool = workers.Pool(1, waiting=0, timeout_s=60)
        body = _form(BAD)
        first = threading.Thread(target=_raw, args=(port, _head(port, str(len(body))), body))
        first.start()
        assert started.wait(10)
        reply = _raw(port, _head(port, str(len(body))), body)
        release.set()
        first.join(20)
    assert b" 503 " in reply.split(b"\r\n", 1)[0]
    assert "正忙" in reply.decode("utf-8") and "busy" in reply.decode("utf-8")


def test_client_gone_detects_a_closed_peer():
    a, b = socket.socketpair()
    try:
        assert not workers.client_gone(a)
        b.sendall(b"GET")  # data waiting is not a hang-up
        assert not workers.client_gone(a)
        a.recv(3)
        b.close()
        assert workers.client_gone(a)
    finally:
        a.close()


def test_pool_shutdown_cancels_running_checks():
    pool = workers.Pool(1, waiting=0, timeout_s=60)
    started = threading.Event()
    seen: list[bool] = []

    def endless():
        started.set()
        while not limits.expired():
            time.sleep(0.01)
        seen.append(limits.current().cancelled)

    def run():
        with contextlib.suppress(workers.TooSlow):
            pool.run(endless)

    runner = threading.Thread(target=run)
    runner.start()
    assert started.wait(10)
    pool.shutdown()
    runner.join(10)
    for _ in range(100):
        if seen:
            break
        time.sleep(0.05)
    assert seen == [True]
