import base64
import shutil
from pathlib import Path

import pytest

from notes.intake import images, vision
from notes.kb import KnowledgeBase
from tests.support.openai_server import OpenAIServer, error, settings_for, vision_answer
from tests.support.pictures import photo_with_gps

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def jpeg() -> bytes:
    return images.prepare(photo_with_gps(800, 600)).jpeg


def test_the_image_goes_inline_and_the_answer_follows_the_schema(
    server: OpenAIServer, kb: KnowledgeBase, jpeg: bytes
) -> None:
    server.on("describe_image", vision_answer())
    settings = settings_for(server, kb.root, VOICENOTES_VISION_MODEL="local-vision")

    found = vision.describe(settings, jpeg, "мой скриншот")

    assert found.kind == "terminal screenshot"
    assert found.visible_text == "96 passed in 3.2s"
    assert found.suggested_name == "test-run-terminal"
    assert found.alt == "A terminal window reporting 96 passing tests."
    (request,) = server.requests
    assert request.body["model"] == "local-vision"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert "Caption: мой скриншот" in request.user
    (url,) = request.images
    assert base64.b64decode(url.removeprefix("data:image/jpeg;base64,")) == jpeg
    assert "api.telegram.org" not in str(request.body)


def test_no_vision_model_means_no_request(
    server: OpenAIServer, kb: KnowledgeBase, jpeg: bytes
) -> None:
    settings = settings_for(server, kb.root)
    with pytest.raises(vision.VisionUnavailable, match="VOICENOTES_VISION_MODEL"):
        vision.describe(settings, jpeg, None)
    assert server.requests == []


def test_a_model_that_fails_is_one_line(
    server: OpenAIServer, kb: KnowledgeBase, jpeg: bytes
) -> None:
    server.always("describe_image", error(400, "image input is not supported"))
    settings = settings_for(server, kb.root, VOICENOTES_VISION_MODEL="text-only")
    with pytest.raises(vision.VisionUnavailable) as caught:
        vision.describe(settings, jpeg, None)
    assert "HTTP 400" in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_answer_is_unavailable_too(
    server: OpenAIServer, kb: KnowledgeBase, jpeg: bytes
) -> None:
    from tests.support.openai_server import answer

    server.always("describe_image", answer({"kind": "x"}))
    settings = settings_for(server, kb.root, VOICENOTES_VISION_MODEL="m")
    with pytest.raises(vision.VisionUnavailable, match="does not match describe_image"):
        vision.describe(settings, jpeg, None)


def test_slug() -> None:
    assert vision.slug("Grok Parallel Agents.PNG") == "grok-parallel-agents"
    assert vision.slug("Схема!!") == ""


@pytest.mark.skipif(shutil.which("tesseract") is not None, reason="Tesseract is installed")
def test_without_tesseract_ocr_is_quietly_empty(jpeg: bytes) -> None:
    assert vision.ocr(jpeg) == ""


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_with_tesseract_ocr_reads_text(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 120), "white")
    ImageDraw.Draw(image).text((20, 40), "HELLO OCR 42", fill="black", font_size=40)
    out = tmp_path / "t.jpg"
    image.save(out)
    assert "HELLO" in vision.ocr(out.read_bytes()).upper()
