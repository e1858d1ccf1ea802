"""Photos filed end to end: real images with EXIF GPS, the vision model stand-in."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from notes.intake import photos
from notes.intake.filing import Materials
from notes.kb import KnowledgeBase
from tests.support.materials import CAPTION, SENDER, STEM, front, private_ok
from tests.support.openai_server import OpenAIServer, error, vision_answer
from tests.support.pictures import exif_of, photo_with_gps, size_of

pytestmark = pytest.mark.timeout(120)


def test_a_photo_is_stripped_described_and_filed_in_the_kb_photo_format(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    server.on("describe_image", vision_answer())
    m = Materials(kb, private_ok(server, kb, VOICENOTES_VISION_MODEL="vision"))

    filed = photos.file_image(m, photo_with_gps(), STEM, SENDER, CAPTION)

    image = kb.raw / f"{STEM}.jpg"
    assert filed.path == kb.raw / f"{STEM}_photo.md"
    assert dict(exif_of(image.read_bytes())) == {}
    assert size_of(image.read_bytes()) == (1500, 2000)
    meta = front(filed.path)
    assert meta["source"] == "telegram_photo"
    assert meta["image_file"] == f"{STEM}.jpg"
    assert meta["suggested_name"] == "test-run-terminal"
    text = filed.path.read_text(encoding="utf-8")
    assert "\n\n## Analysis of the Image\n\n### Type\nterminal screenshot\n" in text
    assert text.endswith(f"\n\nCaption: {CAPTION}")
    assert filed.problem is None
    assert filed.summary.startswith("terminal screenshot, 1500×2000: A terminal")


def test_without_a_model_the_photo_is_filed_pending_then_described_later(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    server.always("describe_image", error(503, "model is loading"))
    m = Materials(kb, private_ok(server, kb, VOICENOTES_VISION_MODEL="vision"))
    filed = photos.file_image(m, photo_with_gps(640, 480, 1), STEM, SENDER, CAPTION)

    assert filed.problem is not None and "HTTP 503" in filed.problem
    assert front(filed.path)["description"] == "pending"
    assert (kb.raw / f"{STEM}.jpg").is_file()
    before = filed.path.read_text(encoding="utf-8")

    server.always("describe_image", vision_answer(summary="Later description."))
    (done,) = photos.describe_pending(m)

    after = done.path.read_text(encoding="utf-8")
    assert "description: pending" not in after
    assert "### Main Content\nLater description." in after
    assert after.endswith(f"\n\nCaption: {CAPTION}")
    assert after.split("\n---\n")[0] == before.split("\n---\n")[0].replace(
        "description: pending",
        "alt: A terminal window reporting 96 passing tests.\nsuggested_name: test-run-terminal",
    )
    assert photos.describe_pending(m) == []


def test_bytes_that_are_not_an_image_are_kept_as_a_file_with_the_reason(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    m = Materials(kb, private_ok(server, kb))
    filed = photos.file_image(m, b"GIF89a but not really", STEM, SENDER, CAPTION)
    assert filed.path.name == f"{STEM}_file.md"
    assert filed.problem is not None and "image" in filed.problem
    assert (kb.raw / f"{STEM}.bin").read_bytes() == b"GIF89a but not really"
    assert filed.path.read_text(encoding="utf-8").endswith(f"Caption: {CAPTION}")


def test_an_image_over_the_pixel_budget_is_kept_as_sent_with_a_one_line_reason(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    out = io.BytesIO()
    Image.new("L", (9_000, 8_000)).save(out, "PNG")
    m = Materials(kb, private_ok(server, kb, VOICENOTES_VISION_MODEL="vision"))

    filed = photos.file_image(
        m, out.getvalue(), STEM, SENDER, CAPTION, original_filename="scan.png"
    )

    assert filed.path.name == f"{STEM}_file.md"
    assert filed.problem is not None and "too large to open safely" in filed.problem
    assert "\n" not in filed.problem
    assert (kb.raw / f"{STEM}.png").read_bytes() == out.getvalue()
    assert not (kb.raw / f"{STEM}.jpg").exists()
    assert server.requests == []
