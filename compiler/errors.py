"""Tegula's error classes.

Errors about a kernel's source carry its file, line and column and show the
offending line, like a Python ``SyntaxError``. Errors about call arguments are
plain ``TypeError``/``ValueError`` subclasses so that callers can catch them
the usual way.
"""

from __future__ import annotations

import linecache


class TegulaError(Exception):
    """Base class of every error Tegula raises on purpose."""


class TegulaCompileError(TegulaError):
    """A kernel uses something Tegula cannot compile; names file:line:col."""

    def __init__(self, message: str, filename: str = "<unknown>", line: int = 0, col: int = 0) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        self.source_line = linecache.getline(filename, line).rstrip("\n") if line > 0 else ""
        super().__init__(self._render())

    @property
    def location(self) -> str:
        return f"{self.filename}:{self.line}:{self.col}"

    def _render(self) -> str:
        text = f"{self.location}: error: {self.message}"
        if self.source_line:
            stripped = self.source_line.lstrip()
            indent = len(self.source_line) - len(stripped)
            caret = " " * max(self.col - 1 - indent, 0) + "^"
            text += f"\n    {stripped}\n    {caret}"
        return text


class TegulaArgumentError(TegulaError):
    """Base of the errors about a kernel call's arguments."""


class TegulaTypeError(TegulaArgumentError, TypeError):
    """An argument of the wrong kind or dtype."""


class TegulaValueError(TegulaArgumentError, ValueError):
    """An argument of the wrong shape, rank, device or layout, or a bad config."""


class BackendUnavailableError(TegulaError, RuntimeError):
    """The requested backend cannot run here; the message says why."""


class BackendCompileError(TegulaError, RuntimeError):
    """A backend failed to compile a kernel under a config; names the config."""

    def __init__(self, message: str, config: dict | None = None) -> None:
        self.config = dict(config or {})
        super().__init__(f"{message} (config: {self.config})" if config else message)


class PipelineError(TegulaError, ValueError):
    """A malformed pipeline string or an unknown pass or option."""
