"""Structural check of an Ogg stream: decoders skip damaged pages silently, we do not."""

from __future__ import annotations

import struct

CAPTURE = b"OggS"
_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, seq, crc, segs
_EOS_FLAG = 0x04


def is_ogg(data: bytes) -> bool:
    return data.startswith(CAPTURE)


def ogg_problem(data: bytes) -> str | None:
    """Describe why an Ogg file is damaged, or None when its pages are whole.

    A file cut mid-page is truncated; bytes between pages that are not a page are corruption.
    """
    offset = 0
    while offset < len(data):
        if len(data) - offset < _HEADER.size:
            return f"truncated: the last Ogg page header stops at byte {len(data)}"
        capture, version, flags, _, _, _, _, segments = _HEADER.unpack_from(data, offset)
        if capture != CAPTURE or version != 0:
            return f"corrupt: no Ogg page where one should start (byte {offset})"
        table_start = offset + _HEADER.size
        if table_start + segments > len(data):
            return "truncated: the last Ogg page is cut short"
        body = sum(data[table_start : table_start + segments])
        end = table_start + segments + body
        if end > len(data):
            return "truncated: the last Ogg page is cut short"
        if flags & _EOS_FLAG and end == len(data):
            return None
        offset = end
    return None
