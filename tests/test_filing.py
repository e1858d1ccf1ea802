"""Filing each kind end to end into a KB: real images, pages from a local server, the vision
stand-in, YouTube faked at the network edge, real faster-whisper on a video's audio."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from notes.kb import KnowledgeBase
from notes.markdown import frontmatter
from notes.materials import filing
from notes.materials.filing import Materials
from notes.materials.formats import Sender
from notes.settings import Settings
from tests.conftest import SPEECH_WORDS
from tests.support.openai_server import OpenAIServer, error, settings_for, vision_answer
from tests.support.pictures import exif_of, photo_with_gps, size_of, video_with_speech
from tests.support.web_server import Route, WebServer, make_pdf
from tests.support.youtube_fake import FakeVideo, fake_session
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(120)
WHEN = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
SENDER = Sender("telegram", WHEN, 822266080, "AlexeyDTC", message_id=5001, chat_id=822266080)
STEM = "20261130_100000_AlexeyDTC_msg5001"
CAPTION = "Возьми для статьи про тесты (research tag)"


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as running:
        yield running


def _settings(server: OpenAIServer, kb: KnowledgeBase, **extra: str) -> Settings:
    return settings_for(server, kb.root, VOICENOTES_FETCH_PRIVATE="1", **extra)


def _front(path: Path) -> dict[str, object]:
    return dict(yaml.safe_load(frontmatter.split(path.read_text(encoding="utf-8"))[0]))


def test_a_photo_is_stripped_described_and_filed_in_the_kb_photo_format(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    server.on("describe_image", vision_answer())
    m = Materials(kb, _settings(server, kb, VOICENOTES_VISION_MODEL="vision"))

    filed = filing.file_image(m, photo_with_gps(), STEM, SENDER, CAPTION)

    image = kb.raw / f"{STEM}.jpg"
    assert filed.path == kb.raw / f"{STEM}_photo.md"
    assert dict(exif_of(image.read_bytes())) == {}
    assert size_of(image.read_bytes()) == (1500, 2000)
    front = _front(filed.path)
    assert front["source"] == "telegram_photo"
    assert front["image_file"] == f"{STEM}.jpg"
    assert front["suggested_name"] == "test-run-terminal"
    text = filed.path.read_text(encoding="utf-8")
    assert "\n\n## Analysis of the Image\n\n### Type\nterminal screenshot\n" in text
    assert text.endswith(f"\n\nCaption: {CAPTION}")
    assert filed.problem is None
    assert filed.summary.startswith("terminal screenshot, 1500×2000: A terminal")


def test_without_a_model_the_photo_is_filed_pending_then_described_later(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    server.always("describe_image", error(503, "model is loading"))
    m = Materials(kb, _settings(server, kb, VOICENOTES_VISION_MODEL="vision"))
    filed = filing.file_image(m, photo_with_gps(640, 480, 1), STEM, SENDER, CAPTION)

    assert filed.problem is not None and "HTTP 503" in filed.problem
    assert _front(filed.path)["description"] == "pending"
    assert (kb.raw / f"{STEM}.jpg").is_file()
    before = filed.path.read_text(encoding="utf-8")

    server.always("describe_image", vision_answer(summary="Later description."))
    (done,) = filing.describe_pending(m)

    after = done.path.read_text(encoding="utf-8")
    assert "description: pending" not in after
    assert "### Main Content\nLater description." in after
    assert after.endswith(f"\n\nCaption: {CAPTION}")
    assert after.split("\n---\n")[0] == before.split("\n---\n")[0].replace(
        "description: pending",
        "alt: A terminal window reporting 96 passing tests.\nsuggested_name: test-run-terminal",
    )
    assert filing.describe_pending(m) == []


def test_bytes_that_are_not_an_image_are_kept_as_a_file_with_the_reason(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    m = Materials(kb, _settings(server, kb))
    filed = filing.file_image(m, b"GIF89a but not really", STEM, SENDER, CAPTION)
    assert filed.path.name == f"{STEM}_file.md"
    assert filed.problem is not None and "image" in filed.problem
    assert (kb.raw / f"{STEM}.bin").read_bytes() == b"GIF89a but not really"
    assert filed.path.read_text(encoding="utf-8").endswith(f"Caption: {CAPTION}")


def test_links_are_filed_one_note_each_and_failures_keep_the_url(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    article = (
        "<html><head><title>Evals in practice</title></head><body><article><h1>Evals in "
        "practice</h1><p>" + "Evals tell you whether the model does the job. " * 8 + "</p>"
        "<pre><code>pytest -q evals/\n</code></pre><p>"
        + "More text on evals here. " * 6
        + "</p></article></body></html>"
    )
    page = web.page("/evals", article)
    pdf = web.route(
        "/paper.pdf", Route(body=make_pdf(["A paper on graphs"]), content_type="application/pdf")
    )
    missing = web.url("/gone")
    session, _ = fake_session(
        {"dQw4w9WgXcQ": FakeVideo("Talk", "Chan", {"ru": [(1, 1, "Привет")]})}
    )
    m = Materials(kb, _settings(server, kb), youtube_session=lambda: session, now=lambda: WHEN)
    urls = [page, pdf, missing, "https://youtu.be/dQw4w9WgXcQ"]

    filed = filing.file_links(m, urls, STEM, SENDER, context="посмотри это")

    assert [f.path.name for f in filed] == [
        f"{STEM}_link.md",
        f"{STEM}_link2.md",
        f"{STEM}_link3.md",
        f"{STEM}_youtube.md",
    ]
    first = filed[0].path.read_text(encoding="utf-8")
    assert "```\npytest -q evals/\n```" in first
    assert _front(filed[0].path)["title"] == "Evals in practice"
    assert first.endswith("\n\nSent with: посмотри это\n")
    assert "A paper on graphs" in filed[1].path.read_text(encoding="utf-8")
    assert filed[2].problem == f"{missing}: the server answered HTTP 404"
    assert _front(filed[2].path)["problem"] == "the server answered HTTP 404"
    assert _front(filed[3].path)["channel"] == "Chan"
    assert "\n0:01 Привет\n" in filed[3].path.read_text(encoding="utf-8")
    # a second delivery of the same message files nothing twice
    assert filing.file_links(m, urls, STEM, SENDER) == []


def test_a_private_address_is_refused_but_still_filed(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    url = web.page("/a", "<p>intranet</p>")
    m = Materials(kb, settings_for(server, kb.root))
    (filed,) = filing.file_links(m, [url], STEM, SENDER)
    assert filed.problem is not None and "private or local address" in filed.problem
    assert web.hits == []
    assert _front(filed.path)["url"] == url


def test_documents_by_kind(server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path) -> None:
    m = Materials(kb, _settings(server, kb))
    text = tmp_path / "plan.md"
    text.write_text("# План\n\n- пункт", encoding="utf-8")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(make_pdf(["Graph of prompts"], "PGE"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnothing else")
    blob = tmp_path / "book.epub"
    blob.write_bytes(b"PK\x03\x04 an epub")

    as_text = filing.file_document(m, text, "plan.md", STEM + "a", SENDER, None)
    as_pdf = filing.file_document(m, pdf, "paper.pdf", STEM + "b", SENDER, "статья")
    as_broken = filing.file_document(m, broken, "broken.pdf", STEM + "c", SENDER, None)
    as_blob = filing.file_document(m, blob, "book.epub", STEM + "d", SENDER, "книга")

    assert as_text.path.read_text(encoding="utf-8").endswith(
        "original_filename: plan.md\n---\n# План\n\n- пункт"
    )
    pdf_note = as_pdf.path.read_text(encoding="utf-8")
    assert "## Text of paper.pdf\n\nGraph of prompts" in pdf_note
    assert pdf_note.endswith("Caption: статья")
    assert _front(as_pdf.path)["saved_as"] == f"{STEM}b.pdf"
    assert as_broken.problem is not None and "PDF" in as_broken.problem
    assert (kb.raw / f"{STEM}c.pdf").read_bytes() == broken.read_bytes()
    assert _front(as_blob.path)["saved_as"] == f"{STEM}d.epub"
    assert as_blob.problem is None


def test_an_image_sent_as_a_file_loses_its_gps(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path
) -> None:
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(photo_with_gps(1200, 900))
    m = Materials(kb, _settings(server, kb))
    filed = filing.file_document(m, photo, "IMG_0001.JPG", STEM, SENDER, None)
    assert filed.path.name == f"{STEM}_photo.md"
    assert _front(filed.path)["original_filename"] == "IMG_0001.JPG"
    assert dict(exif_of((kb.raw / f"{STEM}.jpg").read_bytes())) == {}
    assert not list(kb.raw.glob("*.JPG"))


def test_a_video_gets_metadata_its_speech_transcribed_and_a_keyframe_described(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path, engine: WhisperEngine
) -> None:
    server.on("describe_image", vision_answer(kind="screen recording", visible_text=""))
    video = video_with_speech(tmp_path / "demo.mp4", seconds=12.0)
    m = Materials(
        kb, _settings(server, kb, VOICENOTES_VISION_MODEL="vision"), transcriber=lambda: engine
    )
    filed = filing.file_video(
        m, video, STEM, SENDER, "demo", file_name="demo.mp4", message_link=None
    )
    front = _front(filed.path)
    assert (front["width"], front["height"], front["duration_seconds"]) == (320, 240, 12)
    assert front["keyframe_file"] == f"{STEM}.jpg"
    text = filed.path.read_text(encoding="utf-8").lower()
    assert "video info: duration: 0m 12s, resolution: 320x240" in text
    assert sum(word in text for word in SPEECH_WORDS) >= 3
    assert "### keyframe\n#### type\nscreen recording" in text
    assert filed.problem is None


def test_a_corrupt_video_is_filed_with_the_reason(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 1000)
    m = Materials(kb, _settings(server, kb))
    filed = filing.file_video(m, bad, STEM, SENDER, "clip", file_name="bad.mp4")
    assert filed.problem is not None and "decoder" in filed.problem
    assert filed.path.read_text(encoding="utf-8").endswith("Caption: clip\n")
