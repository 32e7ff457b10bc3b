"""Where results are written: ``-o`` checked before any work, write failures
turned into bilingual :class:`~extractor.errors.OutputError` messages.

A bad ``-o`` (a directory, a missing folder, a read-only place) is found
before the report is read, so no work is wasted; a write that fails later
(a full disk) says why, and the text results then go to standard output so
they are not lost.
"""

from __future__ import annotations

import errno
import os
import pathlib

from extractor import errors

__all__ = ["check_target", "write_error"]


def check_target(path: str) -> None:
    """Raise :class:`errors.OutputError` when ``path`` cannot be written to."""
    p = pathlib.Path(path)
    if p.is_dir():
        raise errors.OutputError(
            f"无法写入：-o {path} 是一个目录，请给出文件名（如 {p / 'result.txt'}）。",
            f"Cannot write: -o {path} is a directory; give a file name "
            f"(such as {p / 'result.txt'}).",
        )
    parent = p.parent if str(p.parent) else pathlib.Path(".")
    if not parent.exists():
        raise errors.OutputError(
            f"无法写入：目录 {parent} 不存在（-o {path}）。请先创建该目录。",
            f"Cannot write: the folder {parent} does not exist (-o {path}). Create it first.",
        )
    if not parent.is_dir():
        raise errors.OutputError(
            f"无法写入：{parent} 不是目录（-o {path}）。",
            f"Cannot write: {parent} is not a folder (-o {path}).",
        )
    writable = os.access(p, os.W_OK) if p.exists() else os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise errors.OutputError(
            f"无法写入：没有写入 {path} 的权限。",
            f"Cannot write: permission denied for {path}.",
        )


def write_error(exc: OSError, path: str | None, fallback: bool = False) -> errors.OutputError:
    """A bilingual message for an ``OSError`` raised while writing results.

    Args:
        exc: the error.
        path: the ``-o`` file, or ``None`` for standard output.
        fallback: the results were written to standard output instead.
    """
    target_zh = path or "标准输出"
    target_en = path or "standard output"
    if exc.errno == errno.ENOSPC:
        why_zh, why_en = "磁盘已满", "the disk is full"
    elif exc.errno == errno.EDQUOT:
        why_zh, why_en = "磁盘配额已用完", "the disk quota is exhausted"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why_zh, why_en = "没有写入权限", "permission denied"
    elif exc.errno == errno.EISDIR:
        why_zh, why_en = "这是一个目录", "it is a directory"
    elif exc.errno == errno.ENOENT:
        why_zh, why_en = "目录不存在", "the folder does not exist"
    else:
        why_zh = why_en = exc.strerror or type(exc).__name__
    zh = f"无法写入结果到 {target_zh}：{why_zh}。"
    en = f"Cannot write the results to {target_en}: {why_en}."
    if fallback:
        zh += "结果已改为输出到标准输出。"
        en += " The results were written to standard output instead."
    return errors.OutputError(zh, en)
