"""New notes have the shape of the author's KB notes (tests/data/author_kb/, copied from it)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from notes.intake import formats, noteformats
from notes.intake.formats import Description, VideoInfo
from notes.intake.origin import Forward, Origin
from notes.markdown import frontmatter
from tests.conftest import DATA

KB = DATA / "author_kb"
WHEN = datetime(2026, 1, 22, 18, 20, 57, tzinfo=UTC)
ALEXEY = Origin("telegram", WHEN, 822266080, "AlexeyDTC", message_id=413, chat_id=-1003688590333)


def _shape(document: str) -> tuple[list[str], str]:
    """(front matter keys in order, the body with its text replaced by its line structure)."""
    yaml_text, rest = frontmatter.split(document)
    keys = [line.split(":", 1)[0] for line in yaml_text.splitlines()]
    return keys, rest


def _kb(name: str) -> str:
    return (KB / name).read_text(encoding="utf-8")


def _marked(theirs: str) -> str:
    """The author's note as voicenotes files it: `filed_by: voicenotes` ends the front matter."""
    end = theirs.index("\n---", 3)
    return theirs[:end] + "\nfiled_by: voicenotes" + theirs[end:]


def test_a_photo_note_has_the_kb_photo_shape() -> None:
    theirs = _kb("20260122_182057_AlexeyDTC_msg413_photo.md")
    description = Description(
        kind="terminal screenshot",
        summary="A terminal where all 96 tests pass.",
        visible_text="4. All 96 tests pass",
        alt="A terminal reporting 96 passing tests.",
        suggested_name="tests-pass-terminal",
    )
    caption = "мне постоянно нужно следить за клодом"
    ours = formats.photo_note(ALEXEY, "20260122_182057_AlexeyDTC_msg413.jpg", caption, description)

    their_keys, their_body = _shape(theirs)
    our_keys, our_body = _shape(ours)
    assert our_keys[: len(their_keys)] == their_keys
    assert yaml.safe_load(frontmatter.split(ours)[0])["image_file"] == (
        "20260122_182057_AlexeyDTC_msg413.jpg"
    )
    for body in (their_body, our_body):
        assert body.startswith("\n## Analysis of the Image\n\n### Type\n")
        assert re.search(r"\n### Visible Text\n```[a-z]*\n", body)
        assert not body.endswith("\n")
    assert our_body.endswith(f"\n\nCaption: {caption}")
    assert ours.startswith(
        theirs.split("image_file:")[0].replace("telegram_photo", "telegram_photo")
    )


def test_a_pending_photo_note_keeps_the_caption_and_any_ocr_text() -> None:
    ours = formats.photo_note(
        ALEXEY, "x.jpg", "подпись", None, pending="no vision model", ocr_text="print('hi')"
    )
    data = yaml.safe_load(frontmatter.split(ours)[0])
    assert data["description"] == "pending"
    assert ours.endswith(
        "No description yet: no vision model.\n\n### Visible Text (OCR)\n```\nprint('hi')\n```"
        "\n\nCaption: подпись"
    )


def test_a_file_note_has_the_kb_file_shape_with_and_without_caption() -> None:
    origin = Origin("telegram", WHEN, 129835960, "valeriia_kuka")
    theirs_with = _kb("20260123_121736_valeriia_kuka_msg488_file.md")
    theirs_without = _kb("20260123_121736_valeriia_kuka_msg486_file.md")
    with_caption = formats.file_note(origin, "kdp_cover.pdf", "N.pdf", "можно даже так")
    without = formats.file_note(origin, "kdp_cover.pdf", "N.pdf", None)
    assert _shape(with_caption)[0] == _shape(_marked(theirs_with))[0]
    assert with_caption.endswith("---\n\nCaption: можно даже так")
    assert theirs_with.endswith("---\n\nCaption: можно даже так")
    assert without.endswith("saved_as: N.pdf\nfiled_by: voicenotes\n---")
    assert theirs_without.endswith(".pdf\n---")


def test_a_text_file_note_holds_the_text_right_after_the_fence() -> None:
    theirs = _kb("20260216_081159_AlexeyDTC_msg1709.md")
    ours = formats.file_note(ALEXEY, "notes.md", None, None, inline_text="# Title\n\nbody")
    assert re.search(r"\n---\n[^\n]", theirs)
    assert ours.endswith("notes.md\nfiled_by: voicenotes\n---\n# Title\n\nbody")


def test_a_video_note_has_the_kb_video_shape() -> None:
    theirs = _kb("20260207_070935_AlexeyDTC_msg1080_video.md")
    info = VideoInfo("chatgpt-viewer.mp4", 34, 2144, 1240, 21888941)
    origin = Origin(
        "telegram",
        datetime(2026, 2, 7, 7, 9, 35, tzinfo=UTC),
        822266080,
        "AlexeyDTC",
        message_id=1080,
        chat_id=-1003688590333,
    )
    ours = formats.video_note(
        origin,
        info,
        "demo of chatgpt viewer with search - put it towards the end of the article",
        message_link="https://t.me/c/3688590333/1080",
    )
    assert ours == _marked(theirs)


def test_a_forward_records_its_origin_in_the_front_matter() -> None:
    forward = Forward(
        "channel",
        "Data Channel",
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        username="datachan",
        chat_id=-1001012345678,
        message_id=77,
    )
    origin = Origin("telegram", WHEN, 1, "a", forward=forward, group="g1")
    data = yaml.safe_load(frontmatter.split(formats.text_note(origin, "текст"))[0])
    assert data["forwarded_from"] == "Data Channel"
    assert data["forwarded_from_kind"] == "channel"
    assert data["forwarded_message_id"] == 77
    assert data["group"] == "g1"
    assert str(data["forwarded_date"]).startswith("2026-03-01")


def test_a_text_note_has_the_kb_text_shape() -> None:
    theirs = _kb("20260430_161137_AlexeyDTC_msg3780.md")
    origin = Origin(
        "telegram", datetime(2026, 4, 30, 16, 11, 37, tzinfo=UTC), 822266080, "AlexeyDTC"
    )
    body = frontmatter.split(theirs)[1].removeprefix("\n")
    assert formats.text_note(origin, body) == _marked(theirs)


def test_link_and_youtube_notes_parse_and_cite_their_url() -> None:
    fetched = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    link = formats.link_note(
        ALEXEY,
        "https://habr.com/ru/articles/1/",
        title="Как мы делали RAG",
        site="Хабр",
        fetched=fetched,
        markdown="Текст статьи.",
        kind="article",
    )
    data = yaml.safe_load(frontmatter.split(link)[0])
    assert data["source"] == "telegram_link"
    assert data["url"] == "https://habr.com/ru/articles/1/"
    assert str(data["fetched"]).startswith("2026-11-30")
    assert link.endswith("\n\n# Как мы делали RAG\n\nТекст статьи.\n")
    failed = formats.link_note(
        ALEXEY,
        "http://x.org",
        title="",
        site="x.org",
        fetched=fetched,
        markdown="",
        problem="HTTP 404",
    )
    assert failed.endswith("\n\nNot extracted: HTTP 404.\n\n<http://x.org>\n")
    video = formats.youtube_note(
        ALEXEY,
        "https://youtu.be/dQw4w9WgXcQ",
        title="Talk",
        channel="Chan",
        fetched=fetched,
        language="ru",
        transcript="0:01 Привет",
    )
    assert video.endswith("\n\n# Talk\n\n0:01 Привет\n")
    assert yaml.safe_load(frontmatter.split(video)[0])["captions"] == "manual"


def test_fence_outgrows_backticks_in_the_text() -> None:
    assert formats.fence("a\n```\nb") == "````\na\n```\nb\n````"


def test_every_new_note_reads_back_through_the_kb_reader(tmp_path: Path) -> None:
    """The notes drafting sees: each kind is read as the KB's reader reads the author's."""
    fetched = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    stem = "20260122_182057_AlexeyDTC_msg413"
    written = {
        f"{stem}_photo.md": formats.photo_note(
            ALEXEY, f"{stem}.jpg", "подпись", Description("chart")
        ),
        f"{stem}_file.md": formats.file_note(ALEXEY, "a.pdf", f"{stem}.pdf", "подпись"),
        f"{stem}_video.md": formats.video_note(ALEXEY, VideoInfo("v.mp4", 3, 2, 2, 9), "демо"),
        f"{stem}_link.md": formats.link_note(
            ALEXEY, "https://x.org", title="T", site="x.org", fetched=fetched, markdown="Текст."
        ),
        f"{stem}_youtube.md": formats.youtube_note(
            ALEXEY,
            "https://youtu.be/x",
            title="T",
            channel="C",
            fetched=fetched,
            language="ru",
            transcript="0:01 Привет",
        ),
        f"{stem}.md": formats.text_note(ALEXEY, "текст"),
    }
    kinds = {}
    for name, text in written.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        note = noteformats.read(path)
        kinds[name.removeprefix(stem)] = note.kind
        assert note.date == WHEN
        assert note.text.strip()
    assert kinds == {
        "_photo.md": "photo",
        "_file.md": "file",
        "_video.md": "video",
        "_link.md": "link",
        "_youtube.md": "youtube",
        ".md": "text",
    }
    assert noteformats.read(tmp_path / f"{stem}_photo.md").attachments == (f"{stem}.jpg",)
