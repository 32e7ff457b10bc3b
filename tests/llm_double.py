"""A local test double of an OpenAI-compatible endpoint, serving answers the tests write.

Not a recording and never written to ``cassettes/``: each test gives a
``reply(n, request) -> (status, content_type, body)`` function that builds
the answer from the request it receives (a well-formed tool call, an HTML
page, an error body echoing the key …). Used where no real model can be
reached: the behaviour of jxcheck on a strong model's well-formed answers and
on a misbehaving endpoint.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable

__all__ = ["Double", "chunk_text", "content_answer", "tool_answer"]

Reply = Callable[[int, dict], tuple[int, str, bytes]]


def chunk_text(request: dict) -> str | None:
    """The report chunk inside a claims request (between the prompt's markers).

    ``None`` for another request (a scoring rule sent to be read).
    """
    user = request["messages"][-1]["content"] if len(request["messages"]) == 2 else \
        request["messages"][1]["content"]
    head, tail = "【报告片段开始】\n", "\n【报告片段结束】"
    if head not in user or tail not in user:
        return None
    start = user.index(head) + len(head)
    return user[start:user.index(tail)]


def tool_answer(request: dict, arguments: dict | str, *, finish: str = "stop") -> bytes:
    """A chat completion whose one tool call carries ``arguments`` (tools mode)."""
    name = request["tools"][0]["function"]["name"]
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return json.dumps({
        "id": "chatcmpl-double", "object": "chat.completion", "created": 0,
        "model": request.get("model", "double"),
        "choices": [{"index": 0, "finish_reason": finish, "message": {
            "role": "assistant", "content": None,
            "tool_calls": [{"id": "call-1", "type": "function",
                            "function": {"name": name, "arguments": args}}]}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }, ensure_ascii=False).encode("utf-8")


class Double:
    """A threaded HTTP server on 127.0.0.1; ``requests`` lists the parsed request bodies."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                return

            def do_GET(self) -> None:
                self._send(200, "application/json",
                           json.dumps({"object": "list", "data": [
                               {"id": "double", "object": "model"}]}).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
                with outer.lock:
                    outer.requests.append(body)
                    outer.headers.append(dict(self.headers))
                    n = len(outer.requests)
                status, ctype, payload = outer.reply(n, body)
                self._send(status, ctype, payload)

            def _send(self, status: int, ctype: str, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Double:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def content_answer(request: dict, content: dict | str, *, finish: str = "stop") -> bytes:
    """A chat completion whose message content is ``content`` (json_schema and json modes)."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return json.dumps({
        "id": "chatcmpl-double", "object": "chat.completion", "created": 0,
        "model": request.get("model", "double"),
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }, ensure_ascii=False).encode("utf-8")
