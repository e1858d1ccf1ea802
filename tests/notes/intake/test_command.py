"""`voicenotes add` and `voicenotes describe` through the real command line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.cli import main
from tests.support.openai_server import TEST_KEY, OpenAIServer, error, vision_answer
from tests.support.pictures import exif_of, photo_with_gps
from tests.support.web_server import Route, WebServer, make_pdf

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, server: OpenAIServer) -> None:
    monkeypatch.delenv("VOICENOTES_KB", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("VOICENOTES_VISION_MODEL", "vision")
    monkeypatch.setenv("VOICENOTES_FETCH_PRIVATE", "1")


def test_add_files_a_photo_a_pdf_and_a_page(
    tmp_path: Path, server: OpenAIServer, web: WebServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.on("describe_image", vision_answer())
    photo = tmp_path / "screen.jpg"
    photo.write_bytes(photo_with_gps(1000, 800))
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(make_pdf(["Graphs of prompts"], "PGE"))
    page = web.page(
        "/post",
        "<html><body><article><h1>Post</h1><p>"
        + "A long enough paragraph. " * 12
        + "</p></article></body></html>",
    )
    kb = tmp_path / "kb"
    kb.mkdir()

    status = main(["add", str(photo), str(pdf), page, "--kb", str(kb), "--caption", "для статьи"])

    out = capsys.readouterr()
    assert status == 0, out.err
    lines = out.out.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(
        "terminal screenshot, 800×1000: A terminal showing a test run where all tests pass."
    )
    photo_note = next((kb / "inbox/raw").glob("*_screen_photo.md"))
    assert "\nsource: local_photo\n" in photo_note.read_text(encoding="utf-8")
    assert photo_note.read_text(encoding="utf-8").endswith("Caption: для статьи")
    (image,) = (kb / "inbox/raw").glob("*_screen.jpg")
    assert dict(exif_of(image.read_bytes())) == {}
    assert "Graphs of prompts" in next((kb / "inbox/raw").glob("*_paper_file.md")).read_text()
    link = next((kb / "inbox/raw").glob("*_127-0-0-1_post_link.md")).read_text()
    assert "\ntitle: Post\n" in link and "A long enough paragraph." in link


def test_problems_are_one_line_each_and_the_notes_are_kept(
    tmp_path: Path,
    server: OpenAIServer,
    web: WebServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.always("describe_image", error(500, "boom"))
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"this is text, not a png")
    photo = tmp_path / "later.jpg"
    photo.write_bytes(photo_with_gps(300, 200, 1))
    big = web.route("/huge", Route(stream_bytes=2 * 1024 * 1024))
    monkeypatch.setenv("VOICENOTES_FETCH_MAX_MB", "1")
    kb = tmp_path / "kb"
    kb.mkdir()

    status = main(
        ["add", str(fake), str(photo), big, str(tmp_path / "missing.txt"), "--kb", str(kb)]
    )

    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert any("fake.png: not an image" in line for line in err)
    assert any("later.jpg: not described yet" in line and "HTTP 500" in line for line in err)
    assert any("/huge: too large" in line for line in err)
    assert any(line.endswith("missing.txt: no such file") for line in err)
    raw = kb / "inbox/raw"
    assert next(raw.glob("*_fake_file.md")).is_file()
    assert next(raw.glob("*_later_photo.md")).is_file()
    assert next(raw.glob("*_huge_link.md")).is_file()

    server.always("describe_image", vision_answer())
    assert main(["describe", "--kb", str(kb)]) == 0
    assert "description: pending" not in next(raw.glob("*_later_photo.md")).read_text()
