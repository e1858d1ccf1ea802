"""The one place that writes files: a temporary file beside the target, then a rename.

Logs are the exception to the rename: `append_line` adds one line to the end of a file in a
single write, so lines already there are never rewritten.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def is_temporary(path: Path) -> bool:
    """True for the in-progress files this module leaves for a moment beside their target."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def write_bytes(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write `data` to `path` atomically. Without `overwrite`, an existing file is an error."""
    with _staged(path, overwrite=overwrite) as handle:
        handle.write(data)
    return path


def write_text(path: Path, text: str, *, overwrite: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def append_line(path: Path, line: str) -> Path:
    """Append `line` and a newline to `path` (created if missing) in one write, then fsync.

    A line left unfinished by an earlier crash is ended first, so the new line stays whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = line.rstrip("\n").encode("utf-8") + b"\n"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if size == 0:
        _fsync_dir(path.parent)
    return path


def copy_file(source: Path, target: Path, *, overwrite: bool = False) -> Path:
    """Copy `source` to `target` atomically (never a half-copied target)."""
    with _staged(target, overwrite=overwrite) as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1024 * 1024)
    return target


@contextlib.contextmanager
def _staged(path: Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, moved into place only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _commit(tmp, path, overwrite=overwrite)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def move_file(source: Path, target: Path, *, overwrite: bool = False) -> Path:
    """Move a file within one file system; never overwrites unless asked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _commit(source, target, overwrite=overwrite)
    source.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    _fsync_dir(source.parent)
    return target


def _commit(tmp: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
        return
    # A hard link fails if the target exists, so no second writer can slip in between.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise FileExistsError(f"{path} already exists; not overwriting it") from None
    except OSError:
        if path.exists():
            raise FileExistsError(f"{path} already exists; not overwriting it") from None
        os.rename(tmp, path)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
