"""``jxcheck``: argv → pipeline → renderer → exit code, and nothing else.

Exit codes: 0 no finding at or above ``--fail-on``; 1 such findings; 2 bad
usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pathlib
import sys

from extractor import __version__, errors, models, pipeline, render
from extractor.checks import registry

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a bilingual hint (argparse already uses 2)."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse plumbing
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误 / usage error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jxcheck", description="核查预算绩效自评报告中的数字 / "
                "Check the numbers in budget performance self-evaluation reports.")
    p.add_argument("--version", action="version", version=f"jxcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="核查报告 / check reports")
    c.add_argument("inputs", nargs="+", help="报告文件（.txt/.md/.docx/.pdf），或 - 表示标准输入")
    c.add_argument("--format", "-f", choices=sorted(render.FORMATS), default="terminal")
    c.add_argument("--output", "-o", help="写入文件而非标准输出 / write to a file")
    c.add_argument("--lang", choices=("zh", "en"), default="zh")
    c.add_argument("--backend", default="rules", help="rules（默认）、llm 或 hybrid")
    c.add_argument("--select", action="append", default=[], metavar="CODE",
                   help="只运行这些规则（可用前缀，如 JX1）")
    c.add_argument("--ignore", action="append", default=[], metavar="CODE", help="不运行这些规则")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error",
                   help="出现该级别及以上的问题时退出码为 1（默认 error）")
    c.add_argument("--color", action="store_true", help="彩色终端输出")
    c.add_argument("--verbose", action="store_true",
                   help="模型调用与校验的日志写入日志文件（$JXCHECK_LOG_FILE，默认 "
                   "~/.cache/jxcheck/jxcheck.log），从不写到终端 / log model calls and "
                   "validation to a log file, never to the terminal")

    r = sub.add_parser("rules", help="列出规则或显示规则说明 / list rules or explain one")
    r.add_argument("code", nargs="?")
    r.add_argument("--lang", choices=("zh", "en"), default="zh")

    # Subcommands whose work lives in its own module; each module exposes
    # add_arguments(parser) and main(args) -> exit code.
    for name, help_text in _SUBCOMMANDS.items():
        try:
            module = importlib.import_module(f"extractor.{name}cmd")
        except ModuleNotFoundError as e:
            # Only a missing optional dependency may hide a subcommand.
            if e.name and e.name.startswith("extractor") and e.name != f"extractor.{name}cmd":
                raise
            continue
        sp = sub.add_parser(name, help=help_text)
        module.add_arguments(sp)
    return p


# name → help; implemented in extractor/<name>cmd.py
_SUBCOMMANDS = {
    "eval": "在金标准上评测抽取与核查 / score backends against gold annotations",
    "doctor": "检查模型端点配置 / show the LLM configuration and test the endpoint",
    "serve": "本地网页：粘贴报告并查看结果 / a local page to paste a report into",
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command in _SUBCOMMANDS:
            return importlib.import_module(f"extractor.{args.command}cmd").main(args)
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
    return EXIT_USAGE


def _split_codes(values: list[str]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _check(args: argparse.Namespace) -> int:
    select, ignore = _split_codes(args.select), _split_codes(args.ignore)
    registry.select(select, ignore)  # validate codes before reading anything
    if args.verbose:
        from extractor.extract import logfile

        try:
            print(f"日志 / log: {logfile.to_file()}", file=sys.stderr)
        except OSError as e:
            raise errors.LoadError(f"无法写入日志文件：{e}", f"Cannot write the log file: {e}") from e
    outputs: list[str | bytes] = []
    json_reports: list[dict] = []
    worst = EXIT_OK
    load_failed = False
    for source in args.inputs:
        try:
            doc, report = pipeline.run(source, args.backend, select, ignore)
        except errors.LoadError as e:
            # One unreadable file must not lose the others' results.
            print(e.message(args.lang), file=sys.stderr)
            load_failed = True
            continue
        if _fails(report, args.fail_on):
            worst = EXIT_FINDINGS
        if args.format == "json" and len(args.inputs) > 1:
            from extractor.render import jsonout

            json_reports.append(jsonout.report_dict(doc, report, args.lang))
        elif args.format == "terminal":
            outputs.append(render.get("terminal")(doc, report, args.lang,
                                                  color=args.color and not args.output))
        else:
            outputs.append(render.get(args.format)(doc, report, args.lang))
    if json_reports:
        outputs.append(json.dumps({"schema_version": json_reports[0]["schema_version"],
                                   "reports": json_reports}, ensure_ascii=False, indent=2) + "\n")
    _write(outputs, args.output)
    if load_failed:
        return EXIT_USAGE
    return worst


def _fails(report: models.Report, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = models.Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in report.findings)


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
    from extractor.checks import docs

    if args.code:
        print(docs.page(args.code.upper()))
        return EXIT_OK
    for code, cls in registry.CHECKS.items():
        summary = (cls.__doc__ or "").strip().splitlines()[0]
        print(f"{code}  {cls.name:<28} {cls.severity_text():<13} {summary}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
