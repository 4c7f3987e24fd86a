"""Pages and assets the blog adds to the site, described without the engine.

The adapter turns each into MkDocs' ``File.generated``; nothing is ever written into the docs
folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: ``listed``: a page in the navigation; ``unlisted``: a page or asset outside it.
Listed = Literal["listed", "unlisted"]


@dataclass(frozen=True)
class GeneratedFile:
    """One generated file: its path in the site and its content (or the file to copy)."""

    src_uri: str
    """The path as if it were in the docs folder (``qa/index.md``, ``admin/config.yml``)."""
    content: str | bytes | None = None
    source: Path | None = None
    """A file to copy instead of ``content`` (an asset shipped with the package)."""
    listed: Listed = "unlisted"
    yields_to_docs: bool = False
    """A file of the same path in the docs folder wins (a hand-written index page); when
    ``False``, such a file is a conflict and an error."""
    conflict_hint: str = ""
    """What to do about a conflicting file in the docs folder."""
