"""Keeping the heap from growing with the length of a recording (glibc's malloc).

The one door to glibc's allocator: trimming its free pages, and how many arenas it keeps.

Transcription allocates large buffers of a new size for every window (the VAD's, the
decoder's beams). glibc keeps what is freed in its heap for reuse, and holes of the wrong size
pile up: the VAD alone, over windows of 24 different lengths, kept 130 to 200 MB more
(tests/transcribe/test_engine.py), and a 5-minute note peaked some 100 MB higher. Asking glibc
to give its free pages back after each window and each batch keeps the process at the size of one
window's work, for no measurable CPU. (Fixing glibc's mmap threshold instead bounded memory
too, but cost half as much CPU again: every large buffer then faulted in fresh pages.)

glibc also gives each new thread an arena of its own (up to 8 per core), and a window's
buffers land in whichever arena the thread that asks has: at the bot's peak its threads'
arenas held 145 MB in one run and 210 MB in the next, for the same four notes. One arena
shared by every thread peaks some 20 MB lower, for no measurable CPU or wall time
(bench/README.md).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from functools import cache
from typing import cast

M_ARENA_MAX = -8
"""mallopt's parameter for the most arenas glibc makes (malloc.h)."""
ARENAS = 1
"""Every thread shares the main arena: the threads that allocate much take turns anyway."""


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim); a no-op elsewhere."""
    trim = _glibc("malloc_trim", ctypes.c_size_t)
    if trim is not None:
        trim(0)


def share_one_arena() -> bool:
    """Have every thread the process starts from now on allocate from one arena, unless
    MALLOC_ARENA_MAX says otherwise; True when glibc took it.

    Call it before the process starts threads: glibc fixes its limit when it makes its ninth
    arena, and threads already running keep the arenas they have."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    mallopt = _glibc("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and bool(mallopt(M_ARENA_MAX, ARENAS))


@cache
def _glibc(name: str, *argtypes: type) -> Callable[..., int] | None:
    """glibc's function `name` taking `argtypes` and returning an int; None elsewhere."""
    try:
        function = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # not glibc: no such allocator to tune
        return None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return cast("Callable[..., int]", function)
