"""Paths and URL segments made from content, confined by construction.

Every path segment that comes from content (a slug, an author key, a file name, a thread id)
passes ``segment_problem`` before it becomes part of a URL or a file name, and every URL
passes ``confine_url`` before a file is written for it. A segment never holds a separator, a
dot segment, a control character or a Windows-reserved character, and is short enough for
any file system, so ``join``-ing segments cannot leave the site folder. URLs are compared in
``url_key`` form (NFC, case-folded), so two spellings of one file on a case-insensitive disk
are a clash, not a silent overwrite.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = ["MAX_SEGMENT", "MAX_SLUG", "UnsafePath", "avatar_problem", "confine_url",
           "segment_problem", "shorten_slug", "slug_problem", "url_key"]

#: Longest slug made from a title (cut at a word boundary); explicit slugs may not exceed it.
MAX_SLUG = 80
#: Longest path segment of any kind: well under the 255-byte file-name limit, even in UTF-8.
MAX_SEGMENT = 200

_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.[^.]*)?$", re.IGNORECASE)
_SLUG = re.compile(r"^[\w][\w.\-]*$")


class UnsafePath(ValueError):
    """A content-derived path would leave its folder or cannot be a file name."""


def segment_problem(value: str, *, max_length: int = MAX_SEGMENT) -> str | None:
    """Why ``value`` cannot be one path segment, or ``None`` when it can."""
    if not value or not value.strip():
        return "is empty"
    if value in (".", "..") or value.startswith("."):
        return f"{value!r} starts with a dot; expected a plain name such as q3-results"
    if match := _BAD_CHARS.search(value):
        return (f"{value[:60]!r} contains {match.group()!r}; expected letters, digits and "
                "hyphens only (no slashes, no '..')")
    if value != value.strip() or value.endswith("."):
        return f"{value[:60]!r} starts or ends with a space or ends with a dot"
    if _RESERVED.match(value):
        return f"{value!r} is a reserved device name on Windows; expected another name"
    if len(value) > max_length or len(value.encode("utf-8")) > 2 * max_length:
        return f"is {len(value)} characters long; expected at most {max_length}"
    return None


def slug_problem(slug: str) -> str | None:
    """Why an explicit ``slug:`` is unusable, or ``None``."""
    problem = segment_problem(slug, max_length=MAX_SLUG)
    if problem:
        return problem
    if not _SLUG.match(slug):
        return (f"{slug[:60]!r} is not a slug; expected letters, digits, '-', '_' and '.' "
                "only, such as q3-results")
    return None


def shorten_slug(slug: str, limit: int = MAX_SLUG) -> str:
    """``slug`` cut to ``limit`` characters at a hyphen where possible."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    head = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut
    return head.strip("-") or cut


def confine_url(url: str) -> str:
    """Return site-relative ``url`` unchanged when every segment is safe.

    Raises:
        UnsafePath: ``url`` is absolute, holds a dot segment, or a segment cannot be a name.
    """
    if not url:
        return url
    if url.startswith("/"):
        raise UnsafePath(f"the URL {url[:80]!r} is not a plain path inside the site")
    for segment in url.rstrip("/").split("/"):
        problem = segment_problem(segment)
        if problem:
            raise UnsafePath(f"the URL {url[:80]!r} has a segment that {problem}")
    return url


def url_key(url: str) -> str:
    """The form in which two URLs are compared: NFC and case-folded, as a disk may see them."""
    return unicodedata.normalize("NFC", url).casefold()


def avatar_problem(avatar: str, docs_dir: Path) -> str | None:
    """Why ``avatar`` is not a local image inside ``docs_dir``, or ``None``.

    Only a relative path that resolves to an existing file inside ``docs_dir`` is accepted:
    anything with a scheme (``https:``, ``javascript:``, ``data:``), a host (``//``, ``\\\\``),
    a backslash, a control character or a ``..`` that leaves the folder is refused.
    """
    expected = "expected a local image path inside docs_dir, such as authors/dana.png"
    if re.search(r"[\x00-\x1f\x7f\\]", avatar) or re.match(r"^\s*([A-Za-z][\w+.\-]*:|/)",
                                                         avatar):
        return (f"got {avatar[:60]!r}; {expected} (the intranet loads nothing from outside, "
                "and no scheme, absolute path or backslash is allowed)")
    root = docs_dir.resolve()
    target = (root / avatar).resolve()
    if not target.is_relative_to(root):
        return f"got {avatar[:60]!r}, which is outside docs_dir; {expected}"
    if not target.is_file():
        return f"got {avatar[:60]!r}, but there is no such file in docs_dir; {expected}"
    return None
