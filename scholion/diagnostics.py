"""Located problems in content, and the ways they are shown to people and to CI.

Every content mistake becomes a :class:`Diagnostic` naming file, line and column, never an
exception with a traceback: contributors read these in a terminal or on a pull request, so the
wording is part of the interface and tests assert it exactly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, at a place in a file (1-based line and column; 0 means "the whole file",
    which sorts before the file's other problems and is shown as 1:1)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """``path:line:col`` as compilers, editors and CI annotations read it: a problem with
        the whole file is at its first line and column, never at the 0:0 no tool can open."""
        return f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}"

    def format_text(self) -> str:
        """``path:line:col: error: message`` then an indented hint, as compilers print them."""
        head = f"{self.where}: {self.severity}: {self.message}"
        return f"{head}\n  hint: {self.hint}" if self.hint else head

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so the pull request shows it on its line."""
        props = (
            f"file={_escape_property(self.path)},line={max(self.line, 1)},col={max(self.col, 1)}"
        )
        text = self.message + (f"\nhint: {self.hint}" if self.hint else "")
        return f"::{self.severity} {props},title=Scholion {self.severity}::{_escape_data(text)}"


class SiteError(Exception):
    """Base of the failures the command line reports without a traceback."""


class ContentError(SiteError):
    """The content has errors; carries every diagnostic found so all are reported in one run."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        errors = sum(d.is_error for d in self.diagnostics)
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in content")


class RenderError(SiteError):
    """A template or page failed to render (a bug in a template, not in content)."""


class OutputError(SiteError):
    """The output directory could not be written."""


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order, then position: the order a contributor fixes them in."""
    return sorted(set(diagnostics))


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def github_step_summary(diagnostics: Sequence[Diagnostic]) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY`` (GitHub shows only a step's first annotations)."""
    lines = ["## Scholion check", "", summary_line(diagnostics), ""]
    if diagnostics:
        lines += ["| Location | Severity | Problem | How to fix |", "| --- | --- | --- | --- |"]
        for d in diagnostics:
            cells = (f"`{d.path}:{d.line}:{d.col}`", str(d.severity), d.message, d.hint)
            lines.append("| " + " | ".join(_table_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def running_in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
