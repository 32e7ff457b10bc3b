"""``jxcheck``: argv → pipeline → renderer → exit code, and nothing else.

Exit codes: 0 no finding at or above ``--fail-on``; 1 such findings; 2 bad
usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pathlib
import sys

# Only light modules at import time: `jxcheck --version` and `--help` must not
# wait for pydantic models, rich or the rules (issue 13); each command imports
# what it needs.
from extractor import __version__, errors, fatal

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# --format choices; kept here (not read from extractor.render) so that building
# the parser imports nothing. tests/test_cli.py keeps the two in step.
_FORMATS = ("concise", "html", "json", "md", "terminal", "xlsx")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a bilingual hint (argparse already uses 2)."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse plumbing
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误 / usage error: {message}\n")


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    p = _Parser(prog="jxcheck", description="核查预算绩效自评报告中的数字 / "
                "Check the numbers in budget performance self-evaluation reports.")
    p.add_argument("--version", action="version", version=f"jxcheck {__version__}",
                   help="显示版本 / show the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           help="子命令（jxcheck COMMAND --help 查看其选项）/ "
                                "a command (jxcheck COMMAND --help shows its options)")

    c = sub.add_parser("check", help="核查报告 / check reports",
                       description="核查报告中的数字 / check the numbers in reports")
    c.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR",
                   help="报告文件（.txt/.md/.docx/.pdf/.xlsx/.xls/.doc/.wps）或目录（逐个核查其中的报告），"
                        "- 表示标准输入 / report files or folders (every report under them); - for stdin")
    c.add_argument("--format", "-f", choices=_FORMATS, default="terminal",
                   help="输出格式 / output format: terminal（表格，默认 / a table, the default）、"
                        "concise（每行一条：文件:行:列: 规则 说明 / one line per finding）、"
                        "json、md、html、xlsx（多个文件时为一个工作簿 / one workbook for many files）")
    c.add_argument("--output", "-o", metavar="FILE",
                   help="写入文件而非标准输出 / write to a file instead of standard output")
    c.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="说明文字的语言（默认中文）/ language of messages (default: Chinese)")
    c.add_argument("--backend", default="rules",
                   help="rules（默认，离线）、llm 或 hybrid / rules (default, offline), llm or hybrid")
    c.add_argument("--select", action="append", default=[], metavar="CODE",
                   help="只运行这些规则（可用前缀，如 JX1）/ run only these rules (codes or prefixes)")
    c.add_argument("--ignore", action="append", default=[], metavar="CODE",
                   help="不运行这些规则 / do not run these rules")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error",
                   help="出现该级别及以上的问题时退出码为 1（默认 error）/ "
                        "exit 1 on findings at or above this severity (default: error)")
    c.add_argument("--no-info", action="store_true",
                   help="不显示“提示”级别的说明 / hide info notes (rounding notes, unread tables)")
    c.add_argument("--quiet", "-q", action="store_true",
                   help="只输出问题：不显示提示、标题、汇总行和进度条 / "
                        "findings only: no info notes, title, summary line or progress bar")
    c.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="并行核查的进程数（默认 0：每个 CPU 一个）/ worker processes (default 0: one per CPU)")
    c.add_argument("--summary", action="store_true",
                   help="多个文件时只输出汇总表 / with several files, print only the summary table")
    c.add_argument("--ocr", action="store_true",
                   help="对没有文字层的 PDF 做文字识别（需要 tesseract 与 chi_sim）/ "
                        "read scanned PDFs with OCR (needs tesseract with chi_sim)")
    c.add_argument("--color", action="store_true",
                   help="彩色终端输出 / coloured terminal output")
    # The default lives in extractor.limits (DEFAULT_TIMEOUT_S), imported only
    # when a check runs: `--version` must not load the loaders (issue 13).
    c.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="每份报告的时间上限，超时则输出已完成部分的结果并附提示（默认 600 秒，"
                        "0 为不限）/ time allowed per report; when it runs out, the findings "
                        "so far are shown with a note (default 600 s; 0: no limit)")
    c.add_argument("--verbose", action="store_true",
                   help="模型调用与校验的日志写入日志文件（$JXCHECK_LOG_FILE，默认 "
                   "~/.cache/jxcheck/jxcheck.log），从不写到终端 / log model calls and "
                   "validation to a log file, never to the terminal")

    r = sub.add_parser("rules", help="列出规则或显示规则说明 / list rules or explain one")
    r.add_argument("code", nargs="?", help="规则代码，如 JX201 / a rule code, e.g. JX201")
    r.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="说明文字的语言 / language of the page")

    # Subcommands whose work lives in its own module; each module exposes
    # add_arguments(parser) and main(args) -> exit code. Only the one being
    # run is imported (eval pulls in the evaluation harness, serve the HTML
    # renderer); the others are listed by name and help alone.
    wanted = _command_of(argv)
    for name, help_text in _SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == wanted:
            _subcommand(name).add_arguments(sp)
    return p


def _command_of(argv: list[str] | None) -> str | None:
    """The subcommand named on the command line (the first word that is not an option)."""
    for word in sys.argv[1:] if argv is None else argv:
        if not word.startswith("-"):
            return word
    return None


def _subcommand(name: str):
    try:
        return importlib.import_module(f"extractor.{name}cmd")
    except ModuleNotFoundError as e:
        # Only a missing optional dependency may make a subcommand unavailable.
        if e.name and e.name.startswith("extractor"):
            raise
        raise errors.JxError(
            f"命令 {name} 不可用：缺少模块 {e.name}。请重新安装：pip install -e '.[test]'",
            f"Command {name} is not available: module {e.name} is missing. Reinstall with "
            "pip install -e '.[test]'.",
        ) from e


# name → help; implemented in extractor/<name>cmd.py
_SUBCOMMANDS = {
    "eval": "在金标准上评测抽取与核查 / score backends against gold annotations",
    "doctor": "检查模型端点配置 / show the LLM configuration and test the endpoint",
    "serve": "本地网页：粘贴报告并查看结果 / a local page to paste a report into",
}


def main(argv: list[str] | None = None) -> int:
    args = None
    try:
        args = _parser(argv).parse_args(argv)
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command in _SUBCOMMANDS:
            return _subcommand(args.command).main(args)
    except errors.JxError as e:
        print(e.message(getattr(args, "lang", "zh")), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `jxcheck rules | head`: the reader left; Python's docs recommend
        # pointing stdout at devnull so the interpreter's flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - a person gets a message, never a traceback
        print(fatal.message(e, getattr(args, "lang", "zh")), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


def _default_timeout() -> float:
    from extractor import limits

    return limits.DEFAULT_TIMEOUT_S


def _split_codes(values: list[str]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _check(args: argparse.Namespace) -> int:
    from extractor import batch, render
    from extractor.checks import registry

    select, ignore = _split_codes(args.select), _split_codes(args.ignore)
    registry.select(select, ignore)  # validate codes before reading anything
    if args.format in render.BINARY and not args.output and sys.stdout.isatty():
        # Binary on a terminal is garbage on screen and may leave it in a bad state.
        from extractor.render import labels

        raise errors.JxError(*(labels.t("binary_to_terminal", lang, fmt=args.format)
                               for lang in ("zh", "en")))
    if args.output:
        from extractor import outfile

        outfile.check_target(args.output)
    if args.verbose:
        from extractor.extract import logfile

        try:
            print(f"日志 / log: {logfile.to_file()}", file=sys.stderr)
        except OSError as e:
            raise errors.LoadError(f"无法写入日志文件：{e}", f"Cannot write the log file: {e}") from e
    pending = batch.expand(args.inputs)
    many = len(pending) > 1 or any(pathlib.Path(i).is_dir() for i in args.inputs if i != "-")
    if many and args.format == "html":
        # One page shows one report's text; pages glued together are not a page.
        raise errors.JxError(
            "html 格式一次只能输出一个报告；多个文件请用 --format xlsx、json 或 terminal。",
            "The html format shows one report; for several files use --format xlsx, json or "
            "terminal.",
        )
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    load_options = {"ocr": True} if args.ocr else {}
    with _progress(len(pending), enabled=many and not args.quiet) as step:
        results = batch.run(pending, args.backend, select, ignore, jobs=jobs, on_done=step,
                            load_options=load_options,
                            timeout=_default_timeout() if args.timeout is None else args.timeout)
    for r in results:
        if r.error is not None:
            # Also on stderr, as it happens in a single-file run: a script
            # reading stdout still sees why a file is missing.
            print(r.message(args.lang), file=sys.stderr)
    # The exit code counts every finding, shown or not (--fail-on info with --no-info).
    code = batch.worst_exit(results, args.fail_on)
    if args.no_info or args.quiet:
        _hide_info(results)
    outputs = _render(results, args, many)
    try:
        _write(outputs, args.output)
    except BrokenPipeError:
        raise  # `jxcheck check … | head`: the reader left; main() ends quietly
    except OSError as e:
        from extractor import outfile

        # A full disk after the work is done: keep text results on stdout.
        fallback = bool(args.output) and all(isinstance(o, str) for o in outputs)
        if fallback:
            _write(outputs, None)
        raise outfile.write_error(e, args.output, fallback) from e
    return code


def _hide_info(results) -> None:
    """Drop info notes before rendering (renderers never filter)."""
    from extractor import models

    for r in results:
        if r.report is not None:
            r.report = r.report.model_copy(update={"findings": [
                f for f in r.report.findings if f.severity is not models.Severity.INFO]})


def _render(results, args: argparse.Namespace, many: bool) -> list[str | bytes]:
    """The chosen format for one file or a batch (one JSON document, one workbook)."""
    from extractor import render

    ok = [r for r in results if r.ok]
    if args.format == "json" and many:
        from extractor.render import jsonout

        return [jsonout.render_batch(results, args.lang)]
    if args.format == "xlsx" and many:
        from extractor.render import xlsx

        return [xlsx.render_batch(results, args.lang)]
    if args.format in ("terminal", "concise"):
        return _render_text(results, args, many)
    return [render.get(args.format)(r.doc, r.report, args.lang) for r in ok]


def _render_text(results, args: argparse.Namespace, many: bool) -> list[str]:
    from extractor.render import concise, terminal

    to_terminal = not args.output and sys.stdout.isatty()
    color = args.color and not args.output
    width = _width(to_terminal)
    out: list[str] = []
    for r in results:
        if not r.ok or (many and args.summary):
            continue
        if args.format == "concise":
            out.append(concise.render(r.doc, r.report, args.lang))
        else:
            out.append(terminal.render(r.doc, r.report, args.lang, color=color, width=width,
                                       quiet=args.quiet))
    if args.quiet:
        return out
    if args.format == "concise":
        out.append(concise.render_summary(results, args.lang, many))
    elif many:
        out.append(terminal.render_summary(results, args.lang, color=color, width=width))
    return out


def _width(to_terminal: bool) -> int:
    """The terminal's width; a pipe or file gets the old fixed width (or $COLUMNS)."""
    import shutil

    from extractor.render import terminal

    if to_terminal or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size((terminal.DEFAULT_WIDTH, 24)).columns
    return terminal.DEFAULT_WIDTH


class _progress:
    """A progress bar on stderr while files are checked; off unless stderr is a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.enabled:
            return lambda result: None
        return self._step

    def _step(self, result) -> None:
        if self.bar is None:
            # Started on the first finished file, after the workers were
            # forked (rich refreshes from a thread; forking next to it is unsafe).
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(file=sys.stderr), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("核查 / checking", total=self.total)
        self.bar.advance(self.task)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _write(outputs: list[str | bytes], path: str | None) -> None:
    if path:
        target = pathlib.Path(path)
        if outputs and isinstance(outputs[0], bytes):
            target.write_bytes(b"".join(o for o in outputs if isinstance(o, bytes)))
        else:
            target.write_text("".join(str(o) for o in outputs), encoding="utf-8")
        return
    for o in outputs:
        if isinstance(o, bytes):
            sys.stdout.buffer.write(o)
        else:
            sys.stdout.write(o)
    sys.stdout.flush()


def _rules(args: argparse.Namespace) -> int:
    from extractor.checks import docs, registry

    if args.code:
        print(docs.page(args.code.upper()))
        return EXIT_OK
    for code, cls in registry.CHECKS.items():
        summary = (cls.__doc__ or "").strip().splitlines()[0]
        print(f"{code}  {cls.name:<28} {cls.severity_text():<13} {summary}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
