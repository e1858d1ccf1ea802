import io

import pytest
from PIL import Image

from notes.materials import images
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
    assert not images.looks_like_image(data)


def test_a_truncated_jpeg_is_refused() -> None:
    whole = photo_with_gps(800, 600)
    with pytest.raises(images.NotAnImage, match="damaged"):
        images.prepare(whole[: len(whole) // 3])


def test_a_huge_photo_is_brought_under_the_limit() -> None:
    prepared = images.prepare(photo_with_gps(5000, 2500, orientation=1))
    assert max(prepared.width, prepared.height) <= images.MAX_SIDE
    assert prepared.width == 2 * prepared.height
