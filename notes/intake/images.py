"""Images made safe to keep: the right way up, no larger than needed, no metadata at all.

Everything stored or sent to a model goes through `prepare`: the pixels are re-encoded into a
fresh JPEG that carries no metadata at all: no EXIF (GPS included), XMP, ICC profile, JPEG
comment (COM) nor PNG text (tEXt/iTXt/zTXt). A picture with a colour profile is converted to
sRGB first, so dropping the profile keeps its colours.

An image whose decode would need more than MAX_DECODE_PIXELS is refused from its header,
before any pixel is decoded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from notes.errors import explain
from notes.intake import colours

MAX_SIDE = 2048
JPEG_QUALITY = 85
MAX_DECODE_PIXELS = 50_000_000
"""Pixels one decode may hold. Pillow keeps 4 bytes a pixel (RGB is padded to 32 bits): a
50-megapixel PNG peaks near 280 MB with its resizing (measured). A JPEG counts at the
reduced scale it is decoded at (`_draft`), so a 200-megapixel phone photo passes; a PNG or
TIFF of that size does not."""
MAX_HEADER_PIXELS = 64 * MAX_DECODE_PIXELS
"""Even a JPEG decoded at 1/8 scale must stay within MAX_DECODE_PIXELS."""
# Pillow's own guard warns (and, at twice the figure, raises) inside `Image.open`; the
# checks in `prepare` replace it, with a reason fit for the chat.
Image.MAX_IMAGE_PIXELS = None


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read. The message is one line for the user."""


class TooLarge(NotAnImage):
    """The image is too large to decode safely (told from its header, nothing decoded)."""


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

    Raises NotAnImage for bytes that are not a readable image (truncated files included),
    TooLarge (a NotAnImage) before decoding one whose decode exceeds MAX_DECODE_PIXELS.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            fmt = opened.format or "unknown"
            size = opened.size
            _draft(opened, max_side)  # sets the scale of the decode; decodes nothing yet
            _check_size(size, opened.size)
            frames = int(getattr(opened, "n_frames", 1))
            opened.seek(0)
            # Shrinking first (the box is square, so orientation does not matter) lets the
            # JPEG decoder skip detail and makes the rotation work on the small picture.
            opened.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(opened) or opened
            rgb = _flatten(colours.to_srgb(upright))
    except NotAnImage:
        raise
    except UnidentifiedImageError:
        raise NotAnImage("not an image Pillow can read") from None
    except Image.DecompressionBombError as error:
        raise NotAnImage(f"the image is too large to open ({explain(error)[:160]})") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(f"the image is damaged ({explain(error)[:160]})") from None
    # Pillow writes the JPEG comment of `info` (a COM segment, or a PNG text chunk named
    # "comment") into the new file unless asked not to: nothing of `info` is carried over.
    rgb.info = {}
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, comment=b"")
    return PreparedImage(out.getvalue(), rgb.width, rgb.height, fmt, size[0], size[1], frames)


def _check_size(header: tuple[int, int], decoded: tuple[int, int]) -> None:
    pixels = header[0] * header[1]
    if pixels > MAX_HEADER_PIXELS or decoded[0] * decoded[1] > MAX_DECODE_PIXELS:
        raise TooLarge(
            f"too large to open safely ({header[0]}×{header[1]}, {pixels / 1e6:.0f} megapixels;"
            f" the limit is {MAX_DECODE_PIXELS / 1e6:.0f})"
        )


def _draft(image: Image.Image, max_side: int) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale when that still leaves its longer side
    within 10% of `max_side`: a 12-megapixel photo then decodes about four times faster."""
    if image.format != "JPEG":
        return
    width, height = image.size
    scale = max_side * 0.9 / max(width, height)
    if scale < 1:
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency is laid on white, palettes and greys are expanded."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
