"""LLM endpoint settings: environment variables over an optional TOML file.

Every setting has one environment variable and one key in the ``[llm]`` table
of a TOML file. The environment wins over the file, the file over the default.

=========================  ==================  ==========================================
Environment variable       TOML key ([llm])    Meaning (default)
=========================  ==================  ==========================================
JXCHECK_LLM_BASE_URL       base_url            OpenAI-compatible endpoint, e.g.
                                               ``http://127.0.0.1:8080/v1`` (required)
JXCHECK_LLM_API_KEY        api_key             bearer key; local servers need none.
                           api_key_env         name of another variable holding the key
JXCHECK_LLM_MODEL          model               model name sent with each request (required)
JXCHECK_LLM_MODE           mode                ``tools`` | ``json_schema`` | ``json``
                                               (default: chosen from the endpoint, see
                                               :data:`ENDPOINT_SPECS`)
JXCHECK_LLM_PROVIDER       provider            a row of :data:`ENDPOINT_SPECS` by name (default:
                                               matched from the base URL and the model)
JXCHECK_LLM_CONCURRENCY    concurrency         chunks in flight at once (4)
JXCHECK_LLM_TIMEOUT        timeout             seconds per HTTP request (120)
JXCHECK_LLM_MAX_RETRIES    max_retries         transport retries per request (3)
JXCHECK_LLM_REASKS         reasks              re-asks after an invalid answer (2)
JXCHECK_LLM_MAX_TOKENS     max_tokens          completion tokens per answer (8192)
JXCHECK_LLM_CHUNK_CHARS    chunk_chars         characters per chunk (8000)
JXCHECK_CACHE_DIR          cache_dir           answer cache; ``off`` disables it
                                               (``$XDG_CACHE_HOME/jxcheck/llm``)
JXCHECK_CONFIG             —                   path of the TOML file (else ``./jxcheck.toml``,
                                               else ``~/.config/jxcheck/config.toml``)
=========================  ==================  ==========================================

The key is never printed, logged or written: :class:`Settings` hides it from
``repr``, :func:`describe` shows only whether it is set, and :func:`redact`
removes it from any message that might echo it. jxcheck deliberately does not
fall back to ``OPENAI_API_KEY``/``OPENAI_BASE_URL``: a report must never be
sent to a hosted model because of a key that happened to be in the shell.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import tomllib
import types
from collections.abc import Mapping

from extractor import errors

__all__ = [
    "ENDPOINT_SPECS",
    "ENV",
    "MODES",
    "EndpointSpec",
    "Settings",
    "describe",
    "load",
    "redact",
]

# Settings key → environment variable (the table in the module docstring).
ENV = types.MappingProxyType({
    "base_url": "JXCHECK_LLM_BASE_URL",
    "api_key": "JXCHECK_LLM_API_KEY",
    "model": "JXCHECK_LLM_MODEL",
    "mode": "JXCHECK_LLM_MODE",
    "provider": "JXCHECK_LLM_PROVIDER",
    "concurrency": "JXCHECK_LLM_CONCURRENCY",
    "timeout": "JXCHECK_LLM_TIMEOUT",
    "max_retries": "JXCHECK_LLM_MAX_RETRIES",
    "reasks": "JXCHECK_LLM_REASKS",
    "max_tokens": "JXCHECK_LLM_MAX_TOKENS",
    "chunk_chars": "JXCHECK_LLM_CHUNK_CHARS",
    "cache_dir": "JXCHECK_CACHE_DIR",
})
CONFIG_ENV = "JXCHECK_CONFIG"
_TOML_TABLE = "llm"
_TOML_ONLY = frozenset({"api_key_env"})

# instructor modes jxcheck supports, by the name users write.
MODES = ("tools", "json_schema", "json")
# Values of JXCHECK_CACHE_DIR that turn the cache off.
_CACHE_OFF = frozenset({"off", "none", "0", "false", "no"})


@dataclasses.dataclass(frozen=True)
class EndpointSpec:
    """What a family of endpoints accepts; the first row whose host and model match wins.

    Attributes:
        name: the row's name (``JXCHECK_LLM_PROVIDER`` picks a row by it).
        host: matched against the base URL's host (and port).
        model: matched against the model name; ``None`` matches any.
        mode: the instructor mode used when ``JXCHECK_LLM_MODE`` is unset.
        strict: the endpoint accepts ``"strict": true`` JSON schemas (json_schema
            mode sends a strict-compatible schema and the flag).
        temperature: ``temperature`` is accepted (reasoning models refuse it).
        max_tokens: the name of the completion-token limit (``max_tokens`` or
            ``max_completion_tokens``); ``""`` to send none.
        grammar: the server compiles the schema into a grammar (llama.cpp):
            the schema sent bounds every string and list (quote 240
            characters, a figure or name 32, 12 parts), which stops a small
            model's runaway string; llama.cpp cannot parse the grammar of a
            much longer bound, and elsewhere bounds only cost tokens.
        note: one line for people (``jxcheck doctor``).
    """

    name: str
    host: re.Pattern[str]
    mode: str
    note: str
    model: re.Pattern[str] | None = None
    strict: bool = False
    temperature: bool = True
    max_tokens: str = "max_tokens"
    grammar: bool = False


_LOCAL_HOST = r"^(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)(:\d+)?$"

# The single source of truth for what each endpoint family accepts (compare
# instructor's PROVIDER_SPECS). Sources, as documented by each provider or
# measured here:
# - OpenAI: structured outputs with strict schemas; max_tokens is deprecated
#   for max_completion_tokens, and reasoning models (o1, o3, o4-mini, gpt-5)
#   refuse temperature.
# - DeepSeek: function calling on deepseek-chat; deepseek-reasoner has no
#   function calling and ignores sampling settings, so JSON mode.
# - DashScope (Qwen) compatible mode: function calling; no strict schemas.
# - vLLM (OpenAI-compatible server, port 8000 by default): guided decoding
#   through json_schema, which accepts the strict flag.
# - Ollama: ``format: json`` works for every model, tools only for some.
# - llama.cpp / llama-cpp-python server: TOOLS is grammar-constrained and
#   works; JSON_SCHEMA answers HTTP 500 with instructor >= 1.17 (issue #4).
ENDPOINT_SPECS = types.MappingProxyType({
    spec.name: spec for spec in (
        EndpointSpec("openai-reasoning", re.compile(r"(^|\.)openai\.com$"), "json_schema",
                     "OpenAI reasoning model: strict structured outputs, no temperature",
                     model=re.compile(r"^(o\d|gpt-5)", re.I), strict=True, temperature=False,
                     max_tokens="max_completion_tokens"),
        EndpointSpec("openai", re.compile(r"(^|\.)openai\.com$"), "json_schema",
                     "OpenAI strict structured outputs", strict=True,
                     max_tokens="max_completion_tokens"),
        EndpointSpec("deepseek-reasoner", re.compile(r"(^|\.)deepseek\.com$"), "json",
                     "DeepSeek reasoner: JSON mode, no function calling or temperature",
                     model=re.compile(r"reasoner|r1", re.I), temperature=False),
        EndpointSpec("deepseek", re.compile(r"(^|\.)deepseek\.com$"), "tools",
                     "DeepSeek function calling"),
        EndpointSpec("dashscope", re.compile(r"(^|\.)aliyuncs\.com$"), "tools",
                     "Qwen (DashScope compatible mode) function calling, no strict schemas"),
        EndpointSpec("vllm", re.compile(r":8000$"), "json_schema",
                     "vLLM: guided decoding through json_schema", strict=True),
        EndpointSpec("ollama", re.compile(r":11434$"), "json",
                     "Ollama: JSON mode works with every model"),
        EndpointSpec("llama.cpp", re.compile(_LOCAL_HOST), "tools",
                     "local server (llama.cpp, llama-cpp-python): grammar-constrained tools",
                     grammar=True),
        EndpointSpec("default", re.compile(r".*"), "tools", "OpenAI-compatible function calling"),
    )
})

_DEFAULTS: Mapping[str, object] = types.MappingProxyType({
    "concurrency": 4,
    "timeout": 120.0,
    "max_retries": 3,
    "reasks": 2,
    "max_tokens": 8192,
    "chunk_chars": 8000,
})
_INTS = frozenset({"concurrency", "max_retries", "reasks", "max_tokens", "chunk_chars"})
_FLOATS = frozenset({"timeout"})
# Lower bounds: a chunk shorter than this cannot hold a sentence and its context.
_MINIMA = {"concurrency": 1, "max_retries": 0, "reasks": 0, "max_tokens": 16,
           "chunk_chars": 200, "timeout": 1.0}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Resolved settings; ``sources`` says where each value came from."""

    base_url: str | None = None
    api_key: str | None = dataclasses.field(default=None, repr=False)
    model: str | None = None
    mode: str = ""
    provider: str = ""
    concurrency: int = 4
    timeout: float = 120.0
    max_retries: int = 3
    reasks: int = 2
    max_tokens: int = 8192
    chunk_chars: int = 8000
    cache_dir: pathlib.Path | None = None
    config_file: pathlib.Path | None = None
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def endpoint(self) -> str:
        """The base URL without a trailing slash (part of the cache key)."""
        return (self.base_url or "").rstrip("/")

    @property
    def spec(self) -> EndpointSpec:
        """The row of :data:`ENDPOINT_SPECS` that applies (``provider`` names one outright)."""
        if self.provider:
            return ENDPOINT_SPECS[self.provider]
        host = _host(self.endpoint)
        for spec in ENDPOINT_SPECS.values():
            if spec.host.search(host) and (spec.model is None
                                           or spec.model.search(self.model or "")):
                return spec
        return ENDPOINT_SPECS["default"]

    @property
    def resolved_mode(self) -> str:
        """The configured mode, else the endpoint's default."""
        return self.mode or self.spec.mode

    def require_endpoint(self) -> None:
        """Fail fast when no endpoint or model is configured.

        Raises:
            errors.ExtractionError: with the variables to set.
        """
        missing = [ENV[k] for k in ("base_url", "model") if not getattr(self, k)]
        if missing:
            names = "、".join(missing)
            raise errors.ExtractionError(
                f"未配置大模型端点：请设置 {names}（或在配置文件 [llm] 中写明 base_url 和 model），"
                "然后用 `jxcheck doctor` 检查；不需要模型时请使用默认的 --backend rules。",
                f"No LLM endpoint configured: set {', '.join(missing)} (or base_url and model "
                "in the [llm] table of a config file), then run `jxcheck doctor`; without a "
                "model use the default --backend rules.",
            )


def _host(url: str) -> str:
    m = re.match(r"^[a-z]+://([^/]+)", url, re.I)
    return (m.group(1) if m else url).lower().rsplit("@", 1)[-1]


def _config_path(env: Mapping[str, str], path: str | os.PathLike | None) -> pathlib.Path | None:
    if path is not None:
        return pathlib.Path(path)
    if env.get(CONFIG_ENV):
        return pathlib.Path(env[CONFIG_ENV])
    for candidate in (pathlib.Path("jxcheck.toml"),
                      pathlib.Path(env.get("XDG_CONFIG_HOME") or pathlib.Path.home() / ".config")
                      / "jxcheck" / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: pathlib.Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise errors.ExtractionError(f"配置文件不存在：{path}", f"Config file not found: {path}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise errors.ExtractionError(f"配置文件无法解析：{path}（{e}）",
                                     f"Cannot parse config file {path}: {e}") from e
    table = data.get(_TOML_TABLE, {})
    if not isinstance(table, dict):
        raise errors.ExtractionError(f"配置文件 {path} 的 [llm] 不是表",
                                     f"[llm] in {path} is not a table")
    unknown = set(table) - set(ENV) - _TOML_ONLY
    if unknown:
        raise errors.ExtractionError(
            f"配置文件 {path} 的 [llm] 中有未知的键：{', '.join(sorted(unknown))}",
            f"Unknown keys in [llm] of {path}: {', '.join(sorted(unknown))}",
        )
    return table


def _coerce(key: str, value: object, source: str) -> object:
    try:
        if key in _INTS:
            out: object = int(value)  # type: ignore[arg-type]
        elif key in _FLOATS:
            out = float(value)  # type: ignore[arg-type]
        else:
            out = str(value).strip()
    except (TypeError, ValueError) as e:
        raise errors.ExtractionError(f"{source} 的值无效：{value!r}",
                                     f"Invalid value in {source}: {value!r}") from e
    if key in _MINIMA and out < _MINIMA[key]:  # type: ignore[operator]
        raise errors.ExtractionError(f"{source} 不能小于 {_MINIMA[key]}",
                                     f"{source} must be at least {_MINIMA[key]}")
    if key == "provider" and out and out not in ENDPOINT_SPECS:
        raise errors.ExtractionError(
            f"{source} 必须是 {' | '.join(ENDPOINT_SPECS)} 之一，而不是 {out!r}",
            f"{source} must be one of {' | '.join(ENDPOINT_SPECS)}, not {out!r}",
        )
    if key == "mode" and out and out not in MODES:
        raise errors.ExtractionError(
            f"{source} 必须是 {' | '.join(MODES)} 之一，而不是 {out!r}",
            f"{source} must be one of {' | '.join(MODES)}, not {out!r}",
        )
    return out


def load(env: Mapping[str, str] | None = None, path: str | os.PathLike | None = None,
         **overrides: object) -> Settings:
    """Resolve settings from ``overrides`` > environment > TOML file > defaults.

    Args:
        env: the environment to read (``os.environ`` by default).
        path: a TOML file; else ``$JXCHECK_CONFIG``, ``./jxcheck.toml`` or
            ``~/.config/jxcheck/config.toml`` if present.
        **overrides: settings given in code (tests, the eval harness).

    Raises:
        errors.ExtractionError: unreadable file or invalid value (never for a
            missing endpoint: see :meth:`Settings.require_endpoint`).
    """
    env = os.environ if env is None else env
    cfg_path = _config_path(env, path)
    table = _read_toml(cfg_path) if cfg_path is not None else {}
    values: dict[str, object] = dict(_DEFAULTS)
    sources: dict[str, str] = {k: "default" for k in _DEFAULTS}
    for key, val in table.items():
        if key in _TOML_ONLY:
            continue
        values[key] = _coerce(key, val, f"{cfg_path} [llm].{key}")
        sources[key] = f"{cfg_path}"
    key_env = table.get("api_key_env")
    if key_env and env.get(str(key_env)):
        values["api_key"], sources["api_key"] = env[str(key_env)], f"${key_env}"
    for key, name in ENV.items():
        if env.get(name, "").strip():
            values[key] = _coerce(key, env[name], name)
            sources[key] = f"${name}"
    for key, val in overrides.items():
        if key not in ENV:
            raise TypeError(f"unknown setting: {key}")
        if val is not None:
            values[key] = val if key == "cache_dir" else _coerce(key, val, key)
            sources[key] = "argument"
    cache = values.pop("cache_dir", None)
    if cache is None:
        cache_dir: pathlib.Path | None = (
            pathlib.Path(env.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "jxcheck" / "llm")
        sources.setdefault("cache_dir", "default")
    elif str(cache).strip().lower() in _CACHE_OFF:
        cache_dir = None
    else:
        cache_dir = pathlib.Path(str(cache)).expanduser()
    return Settings(cache_dir=cache_dir, config_file=cfg_path, sources=sources,
                    **{k: v for k, v in values.items() if k in Settings.__dataclass_fields__})


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """``(name, shown value, source)`` rows for people; the key shows only as set/unset."""
    rows: list[tuple[str, str, str]] = []
    for key, name in ENV.items():
        src = settings.sources.get(key, "")
        if key == "api_key":
            shown = "已设置 / set" if settings.api_key else "未设置 / not set"
        elif key == "mode":
            shown = settings.resolved_mode
            src = src or f"endpoint default ({settings.spec.name}: {settings.spec.note})"
        elif key == "provider":
            spec = settings.spec
            shown = (f"{spec.name}: strict={'yes' if spec.strict else 'no'}, "
                     f"temperature={'yes' if spec.temperature else 'no'}, "
                     f"token limit={spec.max_tokens or 'none'}")
            src = src or "matched from the base URL and model"
        elif key == "cache_dir":
            shown = str(settings.cache_dir) if settings.cache_dir else "off"
        else:
            val = getattr(settings, key)
            shown = "未设置 / not set" if val in (None, "") else str(val)
        rows.append((name, shown, src or "—"))
    return rows


def redact(text: str, settings: Settings) -> str:
    """Remove the API key (and any bearer token) from a message before showing it."""
    if settings.api_key:
        text = text.replace(settings.api_key, "***")
    return re.sub(r"(?i)(bearer\s+)[A-Za-z0-9._~+/\-]{8,}=*", r"\1***", text)
