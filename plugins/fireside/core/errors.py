"""The one error tree: every expected failure is a ``FiresideError``.

Each entry point turns it into a message in one place: the MkDocs hooks (``adapter.plugin``,
as ``PluginError``) and the command line (``commands``, ``fireside_sync.cli``). Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


class FiresideError(Exception):
    """Base class for errors an author or maintainer can act on (never a bug)."""


class ConfigError(FiresideError):
    """``mkdocs.yml``, an environment variable or a file it names is unusable."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or questionable) in a content file.

    The message names the file, the line where known, the field, the bad value and the fix.
    """

    path: str
    """The file, relative to the project (e.g. ``content/posts/hello.md``)."""
    field: str | None
    """The front-matter field, or ``None`` for a whole-file problem."""
    message: str
    """What is wrong and what is expected."""
    line: int | None = None
    """1-based line in the file, where the YAML parser knows it."""
    severity: Severity = "error"
    """``error`` stops the build; ``warning`` fails it only under ``--strict``."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class CommandError(FiresideError):
    """A command's argument or input is unusable (an unknown author, a file that exists)."""


class ContentError(FiresideError):
    """One or more content files are invalid; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 content error" if count == 1 else f"{count} content errors"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))
