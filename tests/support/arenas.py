"""How many malloc arenas a fresh process uses once four threads hold memory (glibc)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.support.paths import REPO_ROOT

_THREADS = """
import ctypes, tempfile, threading

libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
holding = threading.Barrier(5)
done = threading.Event()


def hold() -> None:
    kept = [bytearray(4096) for _ in range(64)]  # over 512 bytes each: from malloc
    holding.wait()
    done.wait()
    del kept


threads = [threading.Thread(target=hold) for _ in range(4)]
for thread in threads:
    thread.start()
holding.wait()
with tempfile.NamedTemporaryFile(suffix=".xml") as report:
    stream = libc.fopen(report.name.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(open(report.name).read().count("<heap nr="))
done.set()
"""


def arenas_used(prelude: str, env: dict[str, str] | None = None) -> int:
    """The arenas (`malloc_info`'s heaps) after `prelude` runs and four threads allocate."""
    code = textwrap.dedent(prelude) + _THREADS
    clean = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout)
