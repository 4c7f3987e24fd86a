"""Slugs and stable URLs for posts and generated pages (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fireside.core.errors import Problem
from fireside.core.safepaths import UnsafePath, confine_url, shorten_slug, url_key

if TYPE_CHECKING:
    from fireside.core.content import Post

#: Placeholders ``post_url_format`` accepts.
POST_URL_FIELDS = ("slug", "yyyy", "mm", "dd", "file")
_ASCII_WORDS = re.compile(r"[a-z0-9]+")


def slugify(text: str, separator: str = "-") -> str:
    """Return a lowercase slug that keeps every script's letters and digits.

    Accents on Latin letters are dropped as before (``"Q3 results: növel"`` ->
    ``"q3-results-novel"``); other letters stay (``"Новости"`` -> ``"новости"``,
    ``"営業"`` -> ``"営業"``, ``"Straße"`` -> ``"straße"``). Every other run of characters
    becomes one ``separator``; other symbols (curly quotes, dashes …) are dropped, as
    before. Text with no letter or digit gives ``"post"``. At most ``safepaths.MAX_SLUG``
    characters, cut at a word boundary, so any title makes a usable file name.
    """
    if text.isascii():  # the loop below, for the usual title, in one step
        return shorten_slug(separator.join(_ASCII_WORDS.findall(text.lower()))) or "post"
    out: list[str] = []
    gap = False
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            # An accent on an ASCII letter is dropped; on any other letter (Cyrillic й,
            # Devanagari vowel signs …) it is part of the letter.
            if out and not gap and not out[-1].isascii():
                out.append(char)
            continue
        if char.isalnum() or unicodedata.category(char) == "Mc":
            if gap and out:
                out.append(separator)
            out.append(char.lower())
            gap = False
        elif char.isascii():
            gap = True
        # Other symbols (curly quotes, dashes …) are dropped without a break, as before.
    return shorten_slug(unicodedata.normalize("NFC", "".join(out))) or "post"


def join(*parts: str) -> str:
    """Join URL segments into a site-relative directory URL with one trailing slash."""
    cleaned = [p.strip("/") for p in parts if p and p.strip("/")]
    return "/".join(cleaned) + "/" if cleaned else ""


def post_url(post: Post, fmt: str, prefix: str) -> str:
    """Return the site-relative URL of ``post`` for the format, e.g. ``posts/{slug}``.

    Raises:
        UnsafePath: The URL would leave the site or cannot be a file name.
    """
    created = post.created
    values = {
        "slug": post.slug,
        "yyyy": f"{created.year:04d}",
        "mm": f"{created.month:02d}",
        "dd": f"{created.day:02d}",
        "file": post.src_uri.rsplit("/", 1)[-1].removesuffix(".md"),
    }
    return confine_url(join(prefix, fmt.format(**values)))


def check_post_url_format(fmt: str) -> str | None:
    """Return an error message when ``fmt`` uses an unknown placeholder, else ``None``."""
    names = re.findall(r"{([^{}]*)}", fmt)
    unknown = [n for n in names if n not in POST_URL_FIELDS]
    if unknown:
        return (f"unknown placeholder {{{unknown[0]}}}; expected any of "
                + ", ".join("{" + n + "}" for n in POST_URL_FIELDS))
    if "{slug}" not in fmt and "{file}" not in fmt:
        return "must contain {slug} or {file} so that every post has its own URL"
    return None


def assign_urls(posts: Iterable[Post], fmt: str, prefix: str, *,
                taken: dict[str, str] | None = None, shown: dict[str, str] | None = None,
                ) -> list[Problem]:
    """Set ``post.url`` for each post; report two sources mapping to one URL.

    URLs are compared in ``safepaths.url_key`` form, and a URL that would leave the site is
    an error naming the file, never a page written elsewhere.

    Arguments:
        posts: The posts (or sessions) to place.
        fmt: The URL format.
        prefix: The blog's URL prefix.
        taken: URLs already used, mapped to the file using them (updated in place).
        shown: ``src_uri`` -> the path to name in messages.
    """
    taken = {} if taken is None else taken
    shown = shown or {}
    problems: list[Problem] = []
    for post in posts:
        try:
            url = post_url(post, fmt, prefix)
        except UnsafePath as exc:
            field = "slug" if post.meta.slug else ("title" if "{slug}" in fmt else None)
            problems.append(Problem(shown.get(post.src_uri, post.src_uri), field, str(exc)))
            continue
        post.url = url
        other = taken.get(url_key(url))
        if other is not None:
            problems.append(Problem(
                shown.get(post.src_uri, post.src_uri), "slug",
                f"the URL /{url} is already used by {other}; expected a unique slug "
                "(set 'slug:' in one of them)"))
            continue
        taken[url_key(url)] = shown.get(post.src_uri, post.src_uri)
    return problems
