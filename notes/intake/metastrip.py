"""Metadata taken out of a JPEG or PNG without decoding it: for images kept as sent.

An image too large to decode safely (or damaged) is kept as the author sent it, yet its
EXIF (GPS included), XMP, comments and text chunks must not reach the KB. The containers are
rewritten segment by segment, the picture's own bytes untouched: what a viewer needs to show
it (JFIF, the ICC profile, Adobe's colour transform, PNG's colour and transparency chunks)
stays, everything else goes. Other formats come back unchanged (`strip` says so).
"""

from __future__ import annotations

import struct

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"}
    | {b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCV", b"cLLI"}
)
"""Chunks that say how the picture looks; text, EXIF, time and private chunks are dropped."""

_APP0, _APP2, _APP14, _SOS, _EOI = 0xE0, 0xE2, 0xEE, 0xDA, 0xD9


def strip(data: bytes) -> bytes | None:
    """`data` without its metadata, or None when it is neither a JPEG nor a PNG that can be
    walked (the caller keeps it as it is, or not at all)."""
    try:
        if data.startswith(_PNG):
            return _png(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
    except (struct.error, ValueError):
        return None
    return None


def _png(data: bytes) -> bytes:
    out = bytearray(_PNG)
    at = len(_PNG)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        if kind in _PNG_KEPT:
            out += data[at:end]
        at = end
        if kind == b"IEND":
            break  # whatever follows the image is not the image
    return bytes(out)


def _jpeg(data: bytes) -> bytes:
    out = bytearray(b"\xff\xd8")
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1  # fill byte
            continue
        if marker == _SOS:
            end = data.rfind(b"\xff\xd9")
            scans = data[at : end + 2] if end > at else data[at:]  # a cut-short file: all
            return bytes(out + scans)  # the scans to the end of the image, nothing after
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        segment = data[at : at + 2 + length]
        if _kept_jpeg_segment(marker, segment[4:]):
            out += segment
        at += 2 + length
    raise ValueError("no image data")


def _kept_jpeg_segment(marker: int, body: bytes) -> bool:
    if marker == 0xFE:
        return False  # COM: a comment
    if marker == _APP0:
        return body.startswith(b"JFIF\x00")
    if marker == _APP2:
        return body.startswith(b"ICC_PROFILE\x00")
    if marker == _APP14:
        return body.startswith(b"Adobe")
    return not 0xE0 <= marker <= 0xEF  # other APPn: EXIF, XMP, maker notes, Photoshop IRB
