"""One drafting pass at a time per knowledge base, across processes (watcher, bot, CLI).

An advisory `flock` on `.voicenotes/draft.lock`: the kernel drops it when the holder exits,
so a crashed pass never leaves the KB locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from notes.kb import KnowledgeBase

LOCK_NAME = "draft.lock"


class Busy(RuntimeError):
    """Another drafting pass holds the lock of this knowledge base."""


@contextlib.contextmanager
def hold(kb: KnowledgeBase) -> Iterator[None]:
    """Hold the KB's drafting lock for the body of the `with`; raise Busy if it is taken."""
    fd = _open(kb)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy("another drafting pass is running on this knowledge base") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_held(kb: KnowledgeBase) -> bool:
    """True while some pass holds the lock; creates nothing when there is no lock file."""
    if not (kb.state / LOCK_NAME).exists():
        return False
    try:
        with hold(kb):
            return False
    except Busy:
        return True


def _open(kb: KnowledgeBase) -> int:
    kb.state.mkdir(parents=True, exist_ok=True)
    return os.open(kb.state / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
