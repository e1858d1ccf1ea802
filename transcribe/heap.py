"""Keeping the heap from growing with the length of a recording (glibc's malloc).

Transcription allocates large buffers of a new size for every window (the VAD's, the
decoder's beams). glibc keeps what is freed in its heap for reuse, and holes of the wrong size
pile up: the VAD alone, over windows of 24 different lengths, kept 130 to 200 MB more
(tests/transcribe/test_engine.py), and a 5-minute note peaked some 100 MB higher. Asking glibc
to give its free pages back after each window and each batch keeps the process at the size of one
window's work, for no measurable CPU. (Fixing glibc's mmap threshold instead bounded memory
too, but cost half as much CPU again: every large buffer then faulted in fresh pages.)
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked_up = False


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim); a no-op elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            function = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc: no heap to trim this way
            return None
        function.argtypes = [ctypes.c_size_t]
        function.restype = ctypes.c_int
        _trim = function
    return _trim
