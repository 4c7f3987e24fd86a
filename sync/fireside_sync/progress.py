"""A one-line progress bar for terminals (CI logs get only the summary)."""

from __future__ import annotations

import shutil
from typing import TextIO


class ProgressLine:
    """Redraws ``[#####     ] 12/40 posts/2026/...`` in place with ``\\r``."""

    def __init__(self, stream: TextIO, width: int = 24) -> None:
        self.stream = stream
        self.width = width
        self._drawn = 0

    def __call__(self, done: int, total: int, label: str) -> None:
        """Show that item ``done`` of ``total`` (named ``label``) is being worked on."""
        filled = self.width * done // max(total, 1)
        text = f"[{'#' * filled}{' ' * (self.width - filled)}] {done}/{total} {label}"
        columns = shutil.get_terminal_size((80, 20)).columns - 1
        text = text[:columns]
        self.stream.write("\r" + text.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(text)

    def clear(self) -> None:
        """Erase the line before the summary is printed."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0
