import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from notes.intake import images
from tests.support.pictures import GPS_IFD, exif_of, photo_with_gps, size_of


def test_gps_and_all_exif_are_gone_and_the_photo_stands_upright() -> None:
    original = photo_with_gps(4000, 3000, orientation=6)
    assert GPS_IFD in exif_of(original)

    prepared = images.prepare(original)

    assert dict(exif_of(prepared.jpeg)) == {}
    assert b"Exif" not in prepared.jpeg[:200]
    # orientation 6 means "rotate 90°": the landscape pixels become a portrait picture,
    # decoded at half scale (within 10% of the 2048-px limit)
    assert (prepared.width, prepared.height) == (1500, 2000)
    assert size_of(prepared.jpeg) == (1500, 2000)
    assert (prepared.original_width, prepared.original_height) == (4000, 3000)


def test_small_images_are_not_enlarged() -> None:
    prepared = images.prepare(photo_with_gps(640, 480, orientation=1))
    assert (prepared.width, prepared.height) == (640, 480)
    assert dict(exif_of(prepared.jpeg)) == {}


def test_transparent_png_becomes_a_jpeg_on_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (255, 0, 0, 0)).save(out, "PNG")
    prepared = images.prepare(out.getvalue())
    with Image.open(io.BytesIO(prepared.jpeg)) as image:
        assert image.format == "JPEG"
        assert image.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)


def test_an_animated_gif_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (30, 20), color) for color in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    prepared = images.prepare(out.getvalue())
    assert prepared.frames == 2
    with Image.open(io.BytesIO(prepared.jpeg)) as image:
        red, _, blue = image.convert("RGB").getpixel((5, 5))
        assert red > 200 and blue < 50


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.4 not an image at all", b"hello world" * 100],
    ids=["empty", "pdf", "text"],
)
def test_bytes_that_are_not_an_image_are_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(images.NotAnImage) as caught:
        images.prepare(data)
    assert "\n" not in str(caught.value)


def test_a_truncated_jpeg_is_refused() -> None:
    whole = photo_with_gps(800, 600)
    with pytest.raises(images.NotAnImage, match="damaged"):
        images.prepare(whole[: len(whole) // 3])


def test_a_huge_photo_is_brought_under_the_limit() -> None:
    prepared = images.prepare(photo_with_gps(5000, 2500, orientation=1))
    assert max(prepared.width, prepared.height) <= images.MAX_SIDE
    assert prepared.width == 2 * prepared.height


SECRET = "GPS 55.7558N 37.6173E home of the author"


def test_a_jpeg_comment_is_not_carried_over() -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG", comment=SECRET.encode())
    assert SECRET.encode() in out.getvalue()

    prepared = images.prepare(out.getvalue())

    assert SECRET.encode() not in prepared.jpeg
    with Image.open(io.BytesIO(prepared.jpeg)) as image:
        assert "comment" not in image.info


@pytest.mark.parametrize("keyword", ["comment", "Comment", "Description", "GPS"])
def test_png_text_chunks_of_every_kind_are_dropped(keyword: str) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text(keyword, SECRET)
    info.add_text(keyword + "z", SECRET, zip=True)
    info.add_itxt(keyword + "i", SECRET, lang="en", tkey="note")
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "PNG", pnginfo=info)

    prepared = images.prepare(out.getvalue())

    assert SECRET.encode() not in prepared.jpeg
    assert b"55.7558" not in prepared.jpeg
    with Image.open(io.BytesIO(prepared.jpeg)) as image:
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


def test_a_colour_profile_is_applied_then_dropped() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG", icc_profile=srgb, quality=95)

    prepared = images.prepare(out.getvalue())

    with Image.open(io.BytesIO(prepared.jpeg)) as image:
        assert "icc_profile" not in image.info
        assert image.getpixel((5, 5)) == pytest.approx((200, 40, 40), abs=6)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header says `width`×`height` and whose pixel data is cut short."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)


@pytest.mark.parametrize("size", [(16_000, 15_000), (12_000, 10_000), (9_000, 8_000)])
def test_an_image_over_the_pixel_budget_is_refused_from_its_header(size: tuple[int, int]) -> None:
    started = time.monotonic()
    with pytest.raises(images.TooLarge, match=r"too large to open safely .*the limit is 50\)"):
        images.prepare(_png_header_only(*size))
    assert time.monotonic() - started < 1.0  # nothing was decoded


def test_a_real_png_over_the_budget_is_refused_before_its_pixels_are_read() -> None:
    out = io.BytesIO()
    Image.new("L", (9_000, 8_000)).save(out, "PNG")
    with pytest.raises(images.TooLarge) as caught:
        images.prepare(out.getvalue())
    assert "\n" not in str(caught.value)
    assert "9000×8000, 72 megapixels" in str(caught.value)


def test_a_huge_jpeg_counts_at_the_scale_it_is_decoded_at() -> None:
    """A 192-megapixel JPEG decodes at 1/8 scale (3 megapixels): it is not refused for its
    size. (Its data is cut short here, so it is refused as damaged instead.)"""
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (1, 2, 3)).save(out, "JPEG")
    data = out.getvalue()
    sof = data.index(b"\xff\xc0")
    huge = data[: sof + 5] + struct.pack(">HH", 12_000, 16_000) + data[sof + 9 : 2000]
    with pytest.raises(images.NotAnImage) as caught:
        images.prepare(huge)
    assert not isinstance(caught.value, images.TooLarge)
