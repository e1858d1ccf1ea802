"""Images made safe to keep: the right way up, no larger than needed, no metadata at all.

Everything stored or sent to a model goes through `prepare`: EXIF (GPS included), XMP, ICC
comments and the like are dropped because the pixels are re-encoded into a fresh JPEG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from notes.errors import explain

MAX_SIDE = 2048
JPEG_QUALITY = 85
# A decompression bomb guard a little above a 100-megapixel photo.
Image.MAX_IMAGE_PIXELS = 120_000_000


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read. The message is one line for the user."""


@dataclass(frozen=True)
class PreparedImage:
    """A JPEG without metadata, oriented upright, at most MAX_SIDE on its longer side."""

    jpeg: bytes
    width: int
    height: int
    original_format: str
    original_width: int
    original_height: int
    frames: int


def prepare(data: bytes, *, max_side: int = MAX_SIDE) -> PreparedImage:
    """Orient, shrink and re-encode `data`; the first frame of an animation is kept.

    Raises NotAnImage for bytes that are not a readable image (truncated files included).
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            fmt = opened.format or "unknown"
            size = opened.size
            frames = int(getattr(opened, "n_frames", 1))
            opened.seek(0)
            _draft(opened, max_side)
            # Shrinking first (the box is square, so orientation does not matter) lets the
            # JPEG decoder skip detail and makes the rotation work on the small picture.
            opened.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(opened) or opened
            rgb = _flatten(upright)
    except UnidentifiedImageError:
        raise NotAnImage("not an image Pillow can read") from None
    except Image.DecompressionBombError as error:
        raise NotAnImage(f"the image is too large to open ({explain(error)[:160]})") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(f"the image is damaged ({explain(error)[:160]})") from None
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedImage(out.getvalue(), rgb.width, rgb.height, fmt, size[0], size[1], frames)


def _draft(image: Image.Image, max_side: int) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale when that still leaves its longer side
    within 10% of `max_side`: a 12-megapixel photo then decodes about four times faster."""
    if image.format != "JPEG":
        return
    width, height = image.size
    scale = max_side * 0.9 / max(width, height)
    if scale < 1:
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


def looks_like_image(data: bytes) -> bool:
    """True when Pillow recognises the bytes as an image (without decoding the pixels)."""
    try:
        with Image.open(io.BytesIO(data)):
            return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency is laid on white, palettes and greys are expanded."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
