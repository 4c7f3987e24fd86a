"""The page output store: each page's rendered HTML from the last build, kept on disk.

Engine-independent: the adapter decides which pages may be reused and computes their keys
(``adapter/page_outputs.py``); this module keeps bytes. Two files in ``.cache/fireside/``:

- ``outputs.bin``: a token line, then the pages' UTF-8 HTML back to back;
- ``outputs.idx``: a header line ``{"schema_version":1,"token":"…"}``, then one line per page
  ``{"page":"posts/hello/index.html","key":"<sha256>","offset":…,"length":…}``.

A build reads the index (small) and reads a page's bytes only when its key matches. New pages
are appended to the blob and the index is replaced atomically, so a build killed half-way
leaves the previous index, which only points at bytes that were complete. When more than half
of the blob is pages no index points at, it is written anew under a new token; an index whose
token is not the blob's is ignored (every page is a miss), never misread.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

__all__ = ["OutputStore"]

SCHEMA_VERSION = 1
BLOB_FILE = "outputs.bin"
INDEX_FILE = "outputs.idx"


class OutputStore:
    """Rendered pages by output path, each under the key it was rendered with."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.hits = self.misses = 0
        self._token = ""
        self._index: dict[str, tuple[str, int, int]] = {}
        """Page → (key, offset, length) in the blob."""
        self._dirty = False
        self._blob: int | None = None
        """A read handle on the blob, opened on the first lookup."""
        self._appending: BinaryIO | None = None
        """The blob opened for appending, on the first new page of a build."""
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            self._token, self._index = _read_index(self.directory / INDEX_FILE)

    @property
    def size(self) -> int:
        """How many pages the store holds."""
        return len(self._index)

    def holds(self, page: str) -> bool:
        """Whether the store has an output for ``page`` (perhaps under another key)."""
        return page in self._index

    def get(self, page: str, key: str) -> str | None:
        """The HTML kept for ``page`` under ``key``, else ``None``."""
        entry = self._index.get(page)
        if entry is None or entry[0] != key:
            self.misses += 1
            return None
        try:
            data = os.pread(self._reader(), entry[2], entry[1])
        except OSError:
            data = b""
        if len(data) != entry[2]:  # a truncated blob: render again
            self.misses += 1
            return None
        self.hits += 1
        return data.decode("utf-8", "surrogatepass")

    def put(self, page: str, key: str, html: str) -> None:
        """Keep ``html`` for ``page`` under ``key`` (appended to the blob at once)."""
        data = html.encode("utf-8", "surrogatepass")
        try:
            blob = self._appender()
            offset = blob.seek(0, os.SEEK_END)
            blob.write(data)
        except OSError:
            return  # a read-only or full disk: the build goes on without keeping the page
        self._index[page] = (key, offset, len(data))
        self._dirty = True

    def save(self, used: set[str] | None = None) -> None:
        """Write the index; keep only the pages in ``used`` (all when ``None``)."""
        if used is not None:
            stale = self._index.keys() - used
            for page in stale:
                del self._index[page]
            self._dirty |= bool(stale)
        if not self._dirty:
            return
        with contextlib.suppress(OSError):
            if self._appending is not None:
                self._appending.flush()
            self._compact_if_wasteful()
            _write_atomically(self.directory / INDEX_FILE, "".join(
                json.dumps(line, separators=(",", ":")) + "\n" for line in [
                    {"schema_version": SCHEMA_VERSION, "token": self._token},
                    *({"page": page, "key": key, "offset": offset, "length": length}
                      for page, (key, offset, length) in sorted(self._index.items()))]))
            self._dirty = False
        self.close()

    def discard(self) -> None:
        """Forget this build's pages (the previous index still points at complete bytes)."""
        self.close()

    def close(self) -> None:
        """Release the blob's handles."""
        if self._blob is not None:
            os.close(self._blob)
            self._blob = None
        if self._appending is not None:
            self._appending.close()
            self._appending = None

    def _reader(self) -> int:
        if self._blob is None:
            self._blob = os.open(self.directory / BLOB_FILE, os.O_RDONLY)
        return self._blob

    def _appender(self) -> BinaryIO:
        if self._appending is None:
            path = self.directory / BLOB_FILE
            if not self._token or not _blob_has_token(path, self._token):
                self._new_blob()
            self._appending = path.open("ab")
        return self._appending

    def _new_blob(self) -> None:
        """Start an empty blob under a new token (the old index no longer applies)."""
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._token = secrets.token_hex(16)
        self._index = {}
        _write_atomically(self.directory / BLOB_FILE, self._token + "\n")

    def _compact_if_wasteful(self) -> None:
        path = self.directory / BLOB_FILE
        size = path.stat().st_size
        live = sum(length for _, _, length in self._index.values())
        if size <= 2 * live + 1_048_576:
            return
        token = secrets.token_hex(16)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{BLOB_FILE}.", suffix=".tmp")
        index: dict[str, tuple[str, int, int]] = {}
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(f"{token}\n".encode())
                for page, (key, offset, length) in self._index.items():
                    data = os.pread(self._reader(), length, offset)
                    if len(data) == length:
                        index[page] = (key, out.tell(), length)
                        out.write(data)
            self.close()
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self._token, self._index = token, index


def _read_index(path: Path) -> tuple[str, dict[str, tuple[str, int, int]]]:
    """The token and entries of an index file whose token is its blob's (else none).

    Raises:
        OSError: The file cannot be read.
        ValueError: A line is not JSON.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    token = header.get("token") if type(header) is dict else None
    if (header.get("schema_version") != SCHEMA_VERSION or type(token) is not str
            or not _blob_has_token(path.with_name(BLOB_FILE), token)):
        return "", {}
    index: dict[str, tuple[str, int, int]] = {}
    for line in lines[1:]:
        record = json.loads(line)
        page, key = record["page"], record["key"]
        offset, length = record["offset"], record["length"]
        if type(page) is str and type(key) is str and type(offset) is int \
                and type(length) is int and offset > len(token) and length >= 0:
            index[page] = (key, offset, length)
    return token, index


def _blob_has_token(path: Path, token: str) -> bool:
    try:
        with path.open("rb") as blob:
            return blob.read(len(token) + 1) == f"{token}\n".encode()
    except OSError:
        return False


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
