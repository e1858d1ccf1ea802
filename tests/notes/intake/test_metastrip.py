"""Metadata out of JPEGs and PNGs kept as sent (too large to decode, or damaged), bytes of
the picture itself untouched."""

from __future__ import annotations

import io

from PIL import Image, ImageCms, PngImagePlugin

from notes.intake import metastrip, photos
from notes.intake.filing import Materials
from notes.kb import KnowledgeBase
from tests.support.materials import CAPTION, SENDER, STEM, private_ok
from tests.support.openai_server import OpenAIServer
from tests.support.pictures import GPS_IFD, exif_of, photo_with_gps

SECRET = b"GPS 55.7558N home of the author"


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def test_a_jpeg_loses_exif_xmp_and_comments_but_keeps_its_pixels_and_profile() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with Image.open(io.BytesIO(photo_with_gps(640, 480, orientation=1))) as photo:
        out = io.BytesIO()
        xmp = b"<x:xmpmeta><rdf:Description>" + SECRET + b"</rdf:Description></x:xmpmeta>"
        photo.save(out, "JPEG", exif=photo.getexif(), comment=SECRET, icc_profile=srgb, xmp=xmp)
    original = out.getvalue() + b"trailer after the image: " + SECRET
    assert GPS_IFD in exif_of(original) and original.count(SECRET) == 3

    stripped = metastrip.strip(original)

    assert stripped is not None
    assert SECRET not in stripped and b"Exif" not in stripped and b"Test Camera" not in stripped
    assert dict(exif_of(stripped)) == {}
    assert _pixels(stripped) == _pixels(original)
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.info.get("icc_profile") == srgb


def test_a_png_loses_every_text_and_exif_chunk_but_keeps_its_pixels() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Location", SECRET.decode(), zip=True)
    info.add_itxt("Description", SECRET.decode(), lang="en", tkey="note")
    image = Image.new("RGBA", (50, 40), (10, 120, 200, 128))
    exif = Image.Exif()
    exif[0x0110] = "Test Camera"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    original = out.getvalue()
    assert original.count(SECRET) == 2  # zTXt holds it compressed

    stripped = metastrip.strip(original)

    assert stripped is not None
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk in original and chunk not in stripped
    assert _pixels(stripped) == _pixels(original)


def test_a_cut_short_jpeg_still_loses_its_gps() -> None:
    whole = photo_with_gps(800, 600)
    stripped = metastrip.strip(whole[: len(whole) // 2])
    assert stripped is not None
    assert b"Exif" not in stripped and b"Test Camera" not in stripped


def test_other_formats_are_not_walked() -> None:
    assert metastrip.strip(b"GIF89a....") is None
    assert metastrip.strip(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIHDR") is None


def test_an_image_too_large_to_decode_is_kept_without_its_metadata(
    kb: KnowledgeBase,
) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    out = io.BytesIO()
    Image.new("L", (9_000, 8_000)).save(out, "PNG", pnginfo=info)
    with OpenAIServer() as server:
        m = Materials(kb, private_ok(server, kb))
        filed = photos.file_image(
            m, out.getvalue(), STEM, SENDER, CAPTION, original_filename="scan.png"
        )
    kept = (kb.raw / f"{STEM}.png").read_bytes()
    assert SECRET not in kept and SECRET in out.getvalue()
    assert filed.problem is not None
    assert filed.problem.endswith("; its metadata removed")
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (9_000, 8_000)
