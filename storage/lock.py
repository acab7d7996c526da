"""An exclusive, non-blocking lock on the archive: one writer (crawl) at a time.

The lock is ``flock`` on a file beside the database, so the kernel releases it when the
holding process dies: there are no stale locks to clean up. Within one process the lock is
re-entrant (the crawl entry point and the Scrapy extension both take it).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

_held: dict[Path, tuple[IO[str], int]] = {}


class ArchiveLocked(RuntimeError):  # noqa: N818 - reads as a state
    """Another process holds the archive's crawl lock."""


class LockError(OSError):
    """The lock file cannot be created or opened (read-only folder, no permission)."""


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file that guards ``db_path``."""
    p = Path(db_path).resolve()
    return p.with_name(p.name + ".lock")


def acquire(db_path: str | os.PathLike[str]) -> None:
    """Take the lock or raise :class:`ArchiveLocked` at once (never waits)."""
    path = lock_path(db_path)
    if path in _held:
        handle, count = _held[path]
        _held[path] = (handle, count + 1)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise LockError(exc.errno, f"cannot lock archive {db_path}: {path}: {exc.strerror}"
                        ) from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ArchiveLocked(f"{db_path} is being crawled by {holder}") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    _held[path] = (handle, 1)


def release(db_path: str | os.PathLike[str]) -> None:
    """Release one hold of the lock; the last release unlocks the file."""
    path = lock_path(db_path)
    if path not in _held:
        return
    handle, count = _held[path]
    if count > 1:
        _held[path] = (handle, count - 1)
        return
    del _held[path]
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    handle.close()
