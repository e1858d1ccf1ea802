"""One bot per knowledge base: an advisory lock on `.voicenotes/bot.lock`.

Two bots on one KB would both answer the notes a crash left behind ("After a restart" twice)
and both poll Telegram. The kernel drops the lock when its holder exits, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from notes.kb import KnowledgeBase

LOCK_NAME = "bot.lock"


class AlreadyRunning(RuntimeError):
    """Another bot serves this knowledge base; the message says so in one line."""


@contextlib.contextmanager
def only_instance(kb: KnowledgeBase) -> Iterator[None]:
    """Hold the KB's bot lock for the body of the `with`; raise AlreadyRunning if taken."""
    kb.state.mkdir(parents=True, exist_ok=True)
    fd = os.open(kb.state / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(
                "another voicenotes bot is running on this knowledge base; stop it first"
            ) from None
        yield
    finally:
        os.close(fd)
