"""Domain errors: every message is bilingual, Chinese first."""

from __future__ import annotations

__all__ = ["CheckError", "ExtractionError", "JxError", "LoadError", "OutputError", "PromptError"]


class JxError(Exception):
    """Base class; ``zh`` and ``en`` say the same thing for people."""

    exit_code = 2

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en

    def message(self, lang: str = "zh") -> str:
        return f"{self.zh}\n{self.en}" if lang != "en" else f"{self.en}\n{self.zh}"


class LoadError(JxError):
    """The input could not be read or decoded."""


class OutputError(JxError):
    """The results could not be written (bad ``-o``, full disk, closed stream)."""


class ExtractionError(JxError):
    """A backend could not produce claims (transport, model, configuration)."""


class PromptError(JxError):
    """A prompt file is missing, malformed, or a variable is missing."""


class CheckError(JxError):
    """A rule could not run; the pipeline turns this into an info finding."""
