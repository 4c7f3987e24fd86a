"""One sync at a time: an exclusive ``flock`` on ``<snapshots>/.sync.lock``.

The kernel drops a ``flock`` when its process dies, so the lock file a killed run leaves
behind is simply taken over. The file records the holder's PID for the error message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType

from fireside_sync.errors import LockError

LOCK_NAME = ".sync.lock"


class SyncLock:
    """Context manager holding the snapshots folder's lock.

    Raises:
        LockError: On entry, when another sync holds the lock.
    """

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> SyncLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                raise LockError(f"another sync (process {holder}) is already writing to "
                                f"{self.path.parent}; wait for it to finish") from None
            # The holder before us may have unlinked the file between our open and our lock.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self._fd)  # closing releases the flock
        self._fd = None
