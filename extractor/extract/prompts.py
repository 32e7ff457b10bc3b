"""Loads and validates the prompt files in ``prompts/``: every word sent to a model.

A prompt file is Markdown with a YAML front matter and ``## name`` sections::

    ---
    id: extract_claims
    version: 1
    variables: [chunk, section]
    description: one line for people
    ---
    ## system
    …instructions, with ${chunk} placeholders (string.Template)…
    ## user
    …

The front matter is checked with pydantic (``extra="forbid"``, as simonw/llm's
templates are); the file name must be ``<id>.md``. Every placeholder used in a
section must be declared in ``variables``, and every declared variable used,
so a typo fails when the file is loaded, not when a report is half done.
Rendering a section without one of its variables raises
:class:`~extractor.errors.PromptError` naming the missing ones; it never sends
a half-filled prompt.
"""

from __future__ import annotations

import functools
import os
import pathlib
import re
import string
import sys
import types
from collections.abc import Mapping

import pydantic
import yaml

from extractor import errors

__all__ = ["PROMPTS_DIR", "Prompt", "available", "load", "parse", "prompts_dir"]

# prompts/ sits next to the package in the repository (the design card's
# layout); JXCHECK_PROMPTS_DIR points elsewhere (an installed copy, tests).
PROMPTS_DIR = pathlib.Path(__file__).resolve().parents[2] / "prompts"
PROMPTS_ENV = "JXCHECK_PROMPTS_DIR"
_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.S)
_SECTION = re.compile(r"^## +(?P<name>[A-Za-z_][A-Za-z0-9_]*) *$", re.M)


class _Header(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
    id: str = pydantic.Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = pydantic.Field(ge=1)
    variables: tuple[str, ...] = ()
    description: str = ""


class Prompt:
    """One loaded prompt file: header fields plus named template sections."""

    __slots__ = ("id", "version", "variables", "description", "sections", "path")

    def __init__(self, header: _Header, sections: Mapping[str, str], path: pathlib.Path) -> None:
        self.id = header.id
        self.version = header.version
        self.variables = header.variables
        self.description = header.description
        self.sections = types.MappingProxyType(dict(sections))
        self.path = path

    @property
    def ref(self) -> str:
        """``id@version``, recorded with results and part of the cache key."""
        return f"{self.id}@{self.version}"

    def render(self, section: str, /, **values: object) -> str:
        """Fill one section.

        Raises:
            errors.PromptError: unknown section, a missing variable, or a value
                for a variable the file does not declare.
        """
        if section not in self.sections:
            raise errors.PromptError(
                f"提示词 {self.ref} 没有 “{section}” 部分",
                f"Prompt {self.ref} has no section {section!r}",
            )
        template = string.Template(self.sections[section])
        needed = set(template.get_identifiers())
        undeclared = set(values) - set(self.variables)
        if undeclared:
            raise errors.PromptError(
                f"提示词 {self.ref} 未声明变量：{', '.join(sorted(undeclared))}",
                f"Prompt {self.ref} does not declare: {', '.join(sorted(undeclared))}",
            )
        missing = sorted(needed - set(values))
        if missing:
            raise errors.PromptError(
                f"提示词 {self.ref} 的 “{section}” 缺少变量：{', '.join(missing)}",
                f"Prompt {self.ref} section {section!r} is missing variables: {', '.join(missing)}",
            )
        return template.substitute({k: str(v) for k, v in values.items()})

    def __repr__(self) -> str:
        return f"Prompt({self.ref}, sections={list(self.sections)})"


# Where a regular install puts them (pyproject's data-files).
INSTALLED_PROMPTS_DIR = pathlib.Path(sys.prefix) / "share" / "jxcheck" / "prompts"


def prompts_dir() -> pathlib.Path:
    if os.environ.get(PROMPTS_ENV):
        return pathlib.Path(os.environ[PROMPTS_ENV])
    if not PROMPTS_DIR.is_dir() and INSTALLED_PROMPTS_DIR.is_dir():
        return INSTALLED_PROMPTS_DIR
    return PROMPTS_DIR


def parse(text: str, path: pathlib.Path) -> Prompt:
    """Parse the text of a prompt file.

    Raises:
        errors.PromptError: no front matter, bad header, undeclared or unused variables.
    """
    m = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not m:
        raise errors.PromptError(f"提示词文件缺少 front matter：{path}",
                                 f"Prompt file has no front matter: {path}")
    try:
        header = _Header.model_validate(yaml.safe_load(m.group("meta")) or {})
    except (yaml.YAMLError, pydantic.ValidationError) as e:
        raise errors.PromptError(f"提示词文件头无效：{path}（{e}）",
                                 f"Invalid prompt header in {path}: {e}") from e
    if header.id != path.stem:
        raise errors.PromptError(f"提示词 id {header.id} 与文件名 {path.name} 不一致",
                                 f"Prompt id {header.id} does not match file name {path.name}")
    body = m.group("body")
    heads = list(_SECTION.finditer(body))
    if not heads:
        raise errors.PromptError(f"提示词文件没有 “## 名称” 部分：{path}",
                                 f"Prompt file has no '## name' sections: {path}")
    sections: dict[str, str] = {}
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        name = h.group("name")
        if name in sections:
            raise errors.PromptError(f"提示词 {path.name} 的 “{name}” 部分重复",
                                     f"Section {name!r} repeated in {path.name}")
        sections[name] = body[h.end():end].strip("\n")
    used: set[str] = set()
    for name, tmpl in sections.items():
        t = string.Template(tmpl)
        if not t.is_valid():
            raise errors.PromptError(f"提示词 {path.name} 的 “{name}” 中有无效的 $ 占位符",
                                     f"Invalid $ placeholder in section {name!r} of {path.name}")
        used.update(t.get_identifiers())
    undeclared = used - set(header.variables)
    unused = set(header.variables) - used
    if undeclared or unused:
        raise errors.PromptError(
            f"提示词 {path.name} 的变量不一致：未声明 {sorted(undeclared)}，未使用 {sorted(unused)}",
            f"Variables of {path.name} disagree: undeclared {sorted(undeclared)}, unused {sorted(unused)}",
        )
    return Prompt(header, sections, path)


@functools.lru_cache(maxsize=None)
def _load_cached(path: pathlib.Path, mtime_ns: int) -> Prompt:
    return parse(path.read_text(encoding="utf-8"), path)


def load(prompt_id: str, directory: pathlib.Path | None = None) -> Prompt:
    """Load ``<directory>/<prompt_id>.md`` (re-read when the file changes).

    Raises:
        errors.PromptError: the file is missing or malformed.
    """
    path = (directory or prompts_dir()) / f"{prompt_id}.md"
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError as e:
        raise errors.PromptError(f"找不到提示词文件：{path}", f"Prompt file not found: {path}") from e
    return _load_cached(path, mtime)


def available(directory: pathlib.Path | None = None) -> list[Prompt]:
    """Every prompt file of the directory, loaded (for ``jxcheck doctor``)."""
    d = directory or prompts_dir()
    return [load(p.stem, d) for p in sorted(d.glob("*.md")) if p.name.lower() != "readme.md"]
