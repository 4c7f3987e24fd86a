"""The plugin's one error boundary: every expected failure is a ``BlogPluginError``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


class BlogPluginError(Exception):
    """Base class for errors an author or maintainer can act on (never a bug)."""


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
    severity: str = "error"
    """``error`` stops the build; ``warning`` fails it only under ``--strict``."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class ContentError(BlogPluginError):
    """One or more content files are invalid; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 content error" if count == 1 else f"{count} content errors"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


def format_path(path: PurePath, root: PurePath) -> str:
    """Return ``path`` relative to ``root`` in POSIX form when possible, else as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
