"""The last word on an error nobody expected: a bilingual message, not a traceback.

The CLI promises a message in Chinese and English with exit 2 for anything
that stops a run. Known failures are :class:`~extractor.errors.JxError`s;
this module words the rest (out of memory, an operating-system error, a
bug) so that a reviewer sees what happened and what to do. ``JXCHECK_DEBUG=1``
adds the traceback for developers.
"""

from __future__ import annotations

import os
import traceback

__all__ = ["message"]


def message(exc: BaseException, lang: str = "zh") -> str:
    """A bilingual message for ``exc``, Chinese first unless ``lang`` is ``en``."""
    if isinstance(exc, MemoryError):
        zh = "内存不足，无法完成核查。请只提交报告正文，或拆分后分别核查。"
        en = "Out of memory: the check could not finish. Submit the report text only, or split it."
    elif isinstance(exc, OSError):
        where = f"（{exc.filename}）" if getattr(exc, "filename", None) else ""
        where_en = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        why = exc.strerror or type(exc).__name__
        zh = f"系统错误{where}：{why}。"
        en = f"System error{where_en}: {why}."
    else:
        zh = (f"内部错误：{type(exc).__name__}: {exc}。已完成的结果可能不完整；"
              "请把命令和输入报告给开发者（设置 JXCHECK_DEBUG=1 可看到详细信息）。")
        en = (f"Internal error: {type(exc).__name__}: {exc}. Please report the command and "
              "input to the developers (set JXCHECK_DEBUG=1 for details).")
    text = f"{en}\n{zh}" if lang == "en" else f"{zh}\n{en}"
    if os.environ.get("JXCHECK_DEBUG"):
        text += "\n" + "".join(traceback.format_exception(exc))
    return text
