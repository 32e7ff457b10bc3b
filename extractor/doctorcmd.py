"""``jxcheck doctor``: what the LLM backend would use, and whether the endpoint answers.

It prints every setting with where it came from (environment variable,
config file or default), the prompt files and their versions, the cache, and
then asks the endpoint for its model list and (unless ``--no-chat``) one
very short chat completion. The API key is shown only as set / not set, and
error messages are redacted before printing.

Exit codes: 0 the endpoint is configured and answers; 1 it is not
configured or does not answer; 2 a bad config file.
"""

from __future__ import annotations

import argparse
import sys
import time

from extractor import errors
from extractor.extract import cache, config, prompts

__all__ = ["add_arguments", "main"]

EXIT_OK, EXIT_PROBLEM = 0, 1
# Enough for a one-character answer from any tokenizer, small enough to cost nothing.
_PING_TOKENS = 8
# A reasoning model's limit covers its hidden reasoning too.
_PING_TOKENS_REASONING = 512


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="TOML 配置文件 / config file ([llm] table)")
    parser.add_argument("--no-chat", action="store_true",
                        help="只检查模型列表，不发送对话请求 / only list models, send no chat request")
    parser.add_argument("--timeout", type=float, default=None,
                        help="本次检查的超时秒数 / timeout in seconds for these checks")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="说明文字的语言 / language of messages")


def _say(zh: str, en: str) -> None:
    print(f"{zh} / {en}")


def main(args: argparse.Namespace) -> int:
    settings = config.load(path=getattr(args, "config", None))
    print("jxcheck doctor")
    cfg = str(settings.config_file) if settings.config_file else ""
    _say(f"配置文件：{cfg or '无'}", f"config file: {cfg or 'none'}")
    spec = settings.spec
    _say(f"端点类型：{spec.name}（{spec.note}）", f"provider row: {spec.name} ({spec.note})")
    width = max(len(name) for name in config.ENV.values())
    for name, shown, source in config.describe(settings):
        print(f"  {name:<{width}}  {shown}    ({source})")
    try:
        refs = ", ".join(p.ref for p in prompts.available())
        _say(f"提示词（{prompts.prompts_dir()}）：{refs}", f"prompts: {refs}")
    except errors.PromptError as e:
        _say(f"提示词有误：{e.zh}", f"prompt problem: {e.en}")
        return EXIT_PROBLEM
    store = cache.Cache(settings.cache_dir)
    if store.enabled:
        _say(f"缓存：{settings.cache_dir}（{store.count()} 条）",
             f"cache: {settings.cache_dir} ({store.count()} entries)")
    else:
        _say("缓存：已关闭", "cache: off")
    try:
        settings.require_endpoint()
    except errors.ExtractionError as e:
        print(e.message(args.lang))
        return EXIT_PROBLEM
    return _probe(settings, args)


def _probe(settings: config.Settings, args: argparse.Namespace) -> int:
    import openai  # only here: the offline commands never import it

    from extractor.extract import logfile

    # openai/httpx logs stay off the terminal and never carry the key.
    logfile.quiet()
    logfile.add_secret(settings.api_key)

    timeout = args.timeout or min(settings.timeout, 30.0)
    client = openai.OpenAI(base_url=settings.base_url, api_key=settings.api_key or "not-needed",
                           timeout=timeout, max_retries=0)
    ok = True
    t0 = time.perf_counter()
    try:
        listed = [m.id for m in client.models.list()]
        dt = time.perf_counter() - t0
        _say(f"端点应答：GET /models 正常（{dt:.2f} 秒），模型：{', '.join(listed[:8]) or '（空）'}",
             f"endpoint answers: GET /models OK ({dt:.2f} s), models: {', '.join(listed[:8]) or '(none)'}")
        if listed and settings.model not in listed:
            _say(f"注意：配置的模型 {settings.model} 不在列表中（本地服务器常忽略模型名）",
                 f"note: model {settings.model} is not listed (local servers often ignore the name)")
    except openai.NotFoundError:
        _say("端点没有 /models 接口（部分服务如此），继续检查对话",
             "the endpoint has no /models (some do not); checking chat instead")
    except openai.APIError as e:
        ok = False
        msg = config.redact(_error_text(e), settings)
        _say(f"端点无应答：{msg}", f"endpoint does not answer: {msg}")
    if ok and not args.no_chat:
        ok = _chat(client, settings)
    if ok:
        _say(f"可以使用：jxcheck check --backend llm（模式 {settings.resolved_mode}）",
             f"ready: jxcheck check --backend llm (mode {settings.resolved_mode})")
    return EXIT_OK if ok else EXIT_PROBLEM


def _chat(client, settings: config.Settings) -> bool:
    import openai

    ping = prompts.load("doctor")
    spec = settings.spec
    # The ping is sent as the provider row says a request may be: a reasoning
    # model refuses temperature, and spends tokens thinking before it answers.
    options: dict = {}
    if spec.temperature:
        options["temperature"] = 0
    if spec.max_tokens:
        options[spec.max_tokens] = _PING_TOKENS if spec.temperature else _PING_TOKENS_REASONING
    t0 = time.perf_counter()
    try:
        resp = client.chat.completions.create(
            model=settings.model, messages=[{"role": "user", "content": ping.render("user")}],
            **options)
    except openai.APIError as e:
        msg = config.redact(_error_text(e), settings)
        _say(f"对话请求失败：{msg}", f"chat request failed: {msg}")
        return False
    dt = time.perf_counter() - t0
    text = ((resp.choices[0].message.content or "") if resp.choices else "").strip()
    tokens = resp.usage.total_tokens if resp.usage else 0
    shown = text[:20].replace("\n", " ")
    _say(f"对话正常（{dt:.2f} 秒，{tokens} 个 token）：{shown!r}",
         f"chat OK ({dt:.2f} s, {tokens} tokens): {shown!r}")
    return True


def _error_text(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    text = str(getattr(exc, "message", "") or exc)
    text = " ".join(text.split())[:200]
    return f"HTTP {status}: {text}" if status else f"{type(exc).__name__}: {text}"


if __name__ == "__main__":  # pragma: no cover
    ns = argparse.ArgumentParser()
    add_arguments(ns)
    sys.exit(main(ns.parse_args()))
