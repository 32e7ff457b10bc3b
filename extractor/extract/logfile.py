"""Where the LLM backend's logs go, and the redaction that keeps the API key out of them.

instructor, openai, httpx and jxcheck itself log through :mod:`logging`. With
no handler configured, Python's last-resort handler prints every WARNING to
stderr: instructor's validation failures (about 100 lines for one report) and,
when an endpoint echoes the key in an error body, the key itself. So:

* :func:`quiet` gives each of those loggers a handler of its own and stops
  propagation: nothing reaches stderr. Without ``--verbose`` the handler
  drops the records; with it (:func:`to_file`) they go to a log file.
* :func:`add_secret` registers the key; a log-record factory installed once
  for the whole process replaces every registered secret (and any bearer
  token) in the message, its arguments and the formatted traceback, for every
  logger, whoever configured its handlers (``jxcheck serve``, a host program).
"""

from __future__ import annotations

import logging
import os
import pathlib
import re
import threading

__all__ = ["LOGGERS", "add_secret", "default_path", "quiet", "redact_text", "to_file"]

# Loggers of jxcheck and of the libraries the LLM backend drives.
# jxcheck.llm, not all of "jxcheck": other modules keep their own handling.
LOGGERS = ("jxcheck.llm", "instructor", "openai", "httpx", "httpcore")
# The environment variable naming the log file of --verbose.
LOG_FILE_ENV = "JXCHECK_LOG_FILE"
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/\-]{8,}=*")
_MASK = "***"
# Keys shorter than this are not masked: masking "a" would garble every log line.
_MIN_SECRET = 4

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False
_handler: logging.Handler | None = None


def redact_text(text: str) -> str:
    """``text`` with every registered secret and bearer token masked."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return _BEARER.sub(r"\1" + _MASK, text)


def add_secret(secret: str | None) -> None:
    """Mask ``secret`` in every log record from now on (and install the factory)."""
    _install()
    if secret and len(secret) >= _MIN_SECRET:
        with _lock:
            _secrets.add(secret)


def _install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not break logging
        message = str(record.msg)
    record.msg, record.args = redact_text(message), None
    if record.exc_info and record.exc_info[1] is not None:
        # The traceback's last line repeats the exception text (an echoed
        # error body); format it now, redacted, so handlers use this text.
        record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))


class _Drop(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        return


def quiet() -> None:
    """Keep the LLM libraries' logs off stderr (they go to the log file of :func:`to_file`)."""
    global _handler
    _install()
    with _lock:
        if _handler is None:
            _handler = _Drop()
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if _handler not in logger.handlers:
                logger.addHandler(_handler)
            logger.propagate = False


def default_path() -> pathlib.Path:
    """``$JXCHECK_LOG_FILE``, else ``$XDG_CACHE_HOME/jxcheck/jxcheck.log``."""
    if os.environ.get(LOG_FILE_ENV):
        return pathlib.Path(os.environ[LOG_FILE_ENV]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(cache) / "jxcheck" / "jxcheck.log"


def to_file(path: pathlib.Path | None = None) -> pathlib.Path:
    """Send the LLM libraries' logs (DEBUG and up) to ``path`` (appended), redacted.

    Raises:
        OSError: the file cannot be opened.
    """
    global _handler
    target = path or default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    quiet()
    with _lock:
        old, _handler = _handler, handler
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if old is not None and old in logger.handlers:
                logger.removeHandler(old)
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG)
    return target
