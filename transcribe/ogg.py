"""Structural check of an Ogg stream: decoders skip damaged pages silently, we do not."""

from __future__ import annotations

import io
import struct
from typing import BinaryIO

CAPTURE = b"OggS"
_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, seq, crc, segs
_EOS_FLAG = 0x04


def is_ogg(data: bytes) -> bool:
    return data.startswith(CAPTURE)


def ogg_problem(source: bytes | BinaryIO) -> str | None:
    """Describe why an Ogg file is damaged, or None when its pages are whole.

    A file cut mid-page is truncated; bytes between pages that are not a page are corruption.
    Only page headers are read (bodies are skipped), so a file of any size costs little memory.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    size = handle.seek(0, io.SEEK_END)
    offset = handle.seek(0)
    while offset < size:
        header = handle.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return f"truncated: the last Ogg page header stops at byte {size}"
        capture, version, flags, _, _, _, _, segments = _HEADER.unpack(header)
        if capture != CAPTURE or version != 0:
            return f"corrupt: no Ogg page where one should start (byte {offset})"
        table = handle.read(segments)
        if len(table) < segments:
            return "truncated: the last Ogg page is cut short"
        end = offset + _HEADER.size + segments + sum(table)
        if end > size:
            return "truncated: the last Ogg page is cut short"
        if flags & _EOS_FLAG and end == size:
            return None
        offset = handle.seek(end)
    return None
