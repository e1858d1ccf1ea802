"""Keeping the heap from growing with the length of a recording (glibc's malloc).

glibc serves a large allocation with a mapping of its own and returns it when it is freed;
but after the first such free it raises that threshold to the size freed (up to 32 MB), so
later large buffers come from the heap and stay there. Transcription allocates large buffers
of a new size for every window (the VAD's, the decoder's beams), so a process kept growing
with the length of the recording: some 60 MB per minute of speech (bench/long_notes.py).
Fixing the threshold at glibc's initial value keeps them in mappings, returned when freed.
"""

from __future__ import annotations

import ctypes

M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter; setting it also stops the threshold from moving."""
MMAP_THRESHOLD = 128 * 1024


def return_large_buffers() -> bool:
    """Make every allocation of MMAP_THRESHOLD bytes or more a mapping of its own, returned to
    the system when freed. True when set; False where the C library has no mallopt."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
