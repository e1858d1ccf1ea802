"""The bot's materials end to end: the real Application against the fake Bot API, pages from
a local web server, the vision stand-in, YouTube faked at the network edge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import jobs
from bot.attempts import MAX_ATTEMPTS
from bot.jobs import Job, forward_dict
from notes.intake import inbox
from notes.intake.origin import Forward
from notes.kb import KnowledgeBase, names
from notes.markdown import frontmatter
from notes.settings import Settings, load_settings
from tests.conftest import SPEECH_WORDS
from tests.support.jobrecords import material_job
from tests.support.openai_server import TEST_KEY, OpenAIServer, error, vision_answer
from tests.support.pictures import exif_of, photo_with_gps, video_with_speech
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    SentMessage,
    User,
    bot_running,
    document_message,
    forwarded,
    from_channel,
    from_hidden,
    from_user,
    in_group,
    photo_message,
    text_link,
    text_message,
    video_message,
    video_note_message,
)
from tests.support.web_server import Route, WebServer, make_pdf
from tests.support.youtube_fake import FakeVideo, fake_session
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)
STEM = "20260204_102339_AlexeyDTC_msg"
ARTICLE = (
    "<html><head><title>Evals</title></head><body><article><h1>Evals in practice</h1><p>"
    + "Evals tell you whether the model does the job. " * 10
    + "</p><pre><code>pytest -q evals/\n</code></pre></article></body></html>"
)


@pytest.fixture
def llm() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


def settings(kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_ALLOWED_USERS": [OWNER.id],
        "TELEGRAM_API_BASE_URL": api.url,
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": TEST_KEY,
        "VOICENOTES_VISION_MODEL": "vision",
        "VOICENOTES_FETCH_PRIVATE": True,
    }
    return load_settings(kb.root, **(values | extra))


def answers(api: FakeBotAPI, count: int) -> list[SentMessage]:
    """The owner's answers once `count` of them read "Filed" or say why not."""
    done = [
        m
        for m in api.sent_to(OWNER.id)
        if not m.text.startswith("Saved the") and "Filing…" not in m.text
    ]
    return done if len(done) >= count else []


def front(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(frontmatter.split(path.read_text(encoding="utf-8"))[0]))


def test_a_photo_with_a_hidden_link_in_its_caption(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    llm.on("describe_image", vision_answer())
    page = web.page("/evals", ARTICLE)
    caption = "Возьми в статью, и вот статья"
    entities = [text_link(caption.index("статья"), len("статья"), page)]
    api.queue(
        photo_message(
            OWNER,
            900,
            api.add_file(photo_with_gps()),
            caption=caption,
            caption_entities=entities,
            date=FEB_4,
        )
    )

    with bot_running(settings(kb, api, llm), engine):
        done = api.wait_for(lambda: answers(api, 2), what="two answers")

    texts = "\n".join(m.text for m in done)
    assert f"Filed {STEM}900_photo.md: terminal screenshot, 1500×2000" in texts
    assert f"Filed {STEM}900_link.md: Evals" in texts
    assert all(len(m.texts) == 2 for m in done), "each acknowledgement is edited into its answer"
    assert dict(exif_of((kb.raw / f"{STEM}900.jpg").read_bytes())) == {}
    photo = (kb.raw / f"{STEM}900_photo.md").read_text(encoding="utf-8")
    assert photo.endswith(f"Caption: {caption}")
    assert front(kb.raw / f"{STEM}900_link.md")["url"] == page
    (request,) = llm.requests
    assert api.token not in str(request.body)
    assert request.images[0].startswith("data:image/jpeg;base64,")
    assert jobs.FILING.pending(kb) == []


def test_an_album_is_one_group(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    llm.always("describe_image", vision_answer())
    for number in (901, 902):
        api.queue(
            photo_message(
                OWNER,
                number,
                api.add_file(photo_with_gps(600, 400, 1)),
                caption="альбом" if number == 901 else None,
                media_group_id="777",
                date=FEB_4,
            )
        )

    with bot_running(settings(kb, api, llm), engine):
        api.wait_for(lambda: answers(api, 2), what="two answers")

    groups = {front(kb.raw / f"{STEM}{n}_photo.md")["group"] for n in (901, 902)}
    assert groups == {"album777"}


def test_forwards_then_a_comment_are_one_group_with_their_origins(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    page = web.page("/evals", ARTICLE)
    juan = User(4242, "juanpp", "Juan")
    api.queue(
        forwarded(
            text_message(OWNER, 910, "Новый ответ по поводу контента", FEB_4),
            from_user(juan, FEB_4 - 3600),
        )
    )
    api.queue(
        forwarded(
            text_message(OWNER, 911, "Пост из канала", FEB_4),
            from_channel(-1001012345678, "Data Channel", 55, FEB_4 - 7200),
        )
    )
    api.queue(
        forwarded(text_message(OWNER, 912, "Скрытый автор", FEB_4), from_hidden("Anon", FEB_4))
    )
    api.queue(text_message(OWNER, 913, f"Это от Juan Perez Prim, его статья {page}", FEB_4 + 30))
    api.queue(text_message(OWNER, 914, "А это уже другая заметка", FEB_4 + 600))

    with bot_running(settings(kb, api, llm), engine):
        api.wait_for(lambda: answers(api, 6), what="six answers")

    comment_note = kb.raw / "20260204_102409_AlexeyDTC_msg913.md"
    user, channel, hidden = (front(kb.raw / f"{STEM}{n}.md") for n in (910, 911, 912))
    comment = front(comment_note)
    assert (user["forwarded_from"], user["forwarded_from_kind"]) == ("Juan", "user")
    assert user["forwarded_from_username"] == "juanpp"
    assert (channel["forwarded_from"], channel["forwarded_message_id"]) == ("Data Channel", 55)
    assert channel["forwarded_chat_id"] == -1001012345678
    assert hidden["forwarded_from_kind"] == "hidden_user"
    assert "forwarded_from" not in comment
    assert {user["group"], channel["group"], hidden["group"], comment["group"]} == {"forwards910"}
    assert comment_note.read_text(encoding="utf-8").endswith(f"Juan Perez Prim, его статья {page}")
    assert front(kb.raw / "20260204_102409_AlexeyDTC_msg913_link.md")["group"] == "forwards910"
    assert inbox.note_path(kb, names.text_note_name("20260204_103339_AlexeyDTC_msg914"))


def test_documents_and_bad_input_each_get_one_line_and_a_note(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    pdf = make_pdf(["Graphs of prompts"], "PGE")
    api.queue(
        document_message(
            OWNER,
            920,
            api.add_file(pdf),
            file_name="paper.pdf",
            mime_type="application/pdf",
            caption="статья",
            date=FEB_4,
        )
    )
    api.queue(
        document_message(
            OWNER,
            921,
            api.add_file(b"%PDF-1.4 broken"),
            file_name="bad.pdf",
            mime_type="application/pdf",
            date=FEB_4,
        )
    )
    api.queue(
        document_message(
            OWNER,
            922,
            api.add_file(b"not a png"),
            file_name="shot.png",
            mime_type="image/png",
            date=FEB_4,
        )
    )
    api.queue(
        video_message(
            OWNER,
            923,
            api.add_file(b"x", declared_size=60 * 1024 * 1024),
            size=60 * 1024 * 1024,
            duration=95,
            width=1920,
            height=1080,
            caption="демо",
            date=FEB_4,
        )
    )
    big = web.route("/huge", Route(stream_bytes=3 * 1024 * 1024))
    api.queue(text_message(OWNER, 924, f"глянь {big} и http://127.0.0.1:9/admin", FEB_4))

    run = settings(kb, api, llm, VOICENOTES_FETCH_MAX_MB=1)
    with bot_running(run, engine):
        done = api.wait_for(lambda: answers(api, 6), what="six answers")

    texts = "\n".join(m.text for m in done)
    assert f"Filed {STEM}920_file.md: PGE: PDF" in texts
    assert "the PDF is damaged or unreadable" in texts
    assert "not an image Pillow can read" in texts
    assert "too big to download through the Bot API" in texts
    assert "too large" in texts
    for number, suffix in (
        (920, "_file.md"),
        (921, "_file.md"),
        (922, "_file.md"),
        (923, "_video.md"),
        (924, "_link.md"),
        (924, "_link2.md"),
    ):
        assert (kb.raw / f"{STEM}{number}{suffix}").is_file()
    video = front(kb.raw / f"{STEM}923_video.md")
    assert (video["duration_seconds"], video["width"], video["file_size_bytes"]) == (
        95,
        1920,
        62914560,
    )


def test_localhost_links_are_refused_without_the_switch(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    url = web.page("/private", ARTICLE)
    api.queue(text_message(OWNER, 930, f"читай {url}", FEB_4))
    with bot_running(settings(kb, api, llm, VOICENOTES_FETCH_PRIVATE=False), engine):
        api.wait_for(lambda: answers(api, 2), what="answers")
    assert web.hits == []
    assert "private or local address" in (kb.raw / f"{STEM}930_link.md").read_text()


def test_youtube_links_and_a_video_with_speech(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine, tmp_path: Path
) -> None:
    llm.always("describe_image", vision_answer(kind="screen recording"))
    session, _ = fake_session(
        {"dQw4w9WgXcQ": FakeVideo("Доклад", "Канал", {"ru": [(5, 2, "Привет")]})}
    )
    clip = video_with_speech(tmp_path / "clip.mp4", seconds=12.0).read_bytes()
    api.queue(
        text_message(
            OWNER,
            940,
            "https://youtu.be/dQw4w9WgXcQ и https://youtube.com/shorts/AAAAAAAAAAA",
            FEB_4,
        )
    )
    api.queue(
        video_message(OWNER, 941, api.add_file(clip), size=len(clip), caption="демо", date=FEB_4)
    )

    with bot_running(settings(kb, api, llm), engine) as bot:
        bot.application.bot_data["voicenotes"].worker.filing.materials.youtube_session = lambda: (
            session
        )
        done = api.wait_for(lambda: answers(api, 3), what="answers")

    texts = "\n".join(m.text for m in done)
    assert f"Filed {STEM}940_youtube.md: Доклад — Канал (ru captions to 0:05)" in texts
    assert f"{STEM}940_youtube2.md" in texts and "the video is unavailable" in texts
    note = (kb.raw / f"{STEM}941_video.md").read_text(encoding="utf-8").lower()
    assert "### audio transcript" in note and "### keyframe" in note


def test_a_round_video_is_a_video_note_with_its_speech_and_keyframe_and_itself_kept(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine, tmp_path: Path
) -> None:
    llm.on("describe_image", vision_answer(kind="selfie video", visible_text=""))
    clip = video_with_speech(tmp_path / "round.mp4", seconds=12.0, width=240, height=240)
    data = clip.read_bytes()
    api.queue(video_note_message(OWNER, 945, api.add_file(data), size=len(data), date=FEB_4))

    with bot_running(settings(kb, api, llm), engine):
        (done,) = api.wait_for(lambda: answers(api, 1), what="the answer")

    note = kb.raw / f"{STEM}945_video.md"
    meta = front(note)
    assert meta["source"] == "telegram_video_note"
    assert (meta["width"], meta["height"], meta["duration_seconds"]) == (240, 240, 12)
    assert (meta["saved_as"], meta["keyframe_file"]) == (f"{STEM}945.mp4", f"{STEM}945.jpg")
    assert "file_name" not in meta
    assert (kb.raw / f"{STEM}945.mp4").read_bytes() == data
    text = note.read_text(encoding="utf-8")
    assert "\n\nVideo info: Duration: 0m 12s, Resolution: 240x240, Size: 0.1 MB\n\n" in text
    assert "View video on Telegram" not in text  # a private chat has no message links
    transcript = text.split("### Audio transcript (", 1)[1].split("### Keyframe", 1)[0].lower()
    assert sum(word in transcript for word in SPEECH_WORDS) >= 3
    assert "### Keyframe\n#### Type\nselfie video" in text
    assert done.text.startswith(f"Filed {STEM}945_video.md: Duration: 0m 12s, Resolution: 240x240")
    said = done.text.split(" — ", 1)[1].lower()  # one line of what it holds: its speech
    assert sum(word in said for word in SPEECH_WORDS) >= 2
    assert "Saved the round video. Filing…" in api.sent_to(OWNER.id)[0].texts
    assert not list(kb.raw.glob("*_transcript.txt")) and not list(kb.audio.iterdir())
    assert jobs.FILING.pending(kb) == []


def test_a_round_video_in_a_group_links_to_its_message_and_keeps_its_length_when_too_big(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    group = -1003688590333
    too_big = api.add_file(b"\x00" * 100, declared_size=30 * 1024 * 1024)
    message = video_note_message(OWNER, 946, too_big, size=30 * 1024 * 1024, length=384)
    api.queue(in_group(message | {"date": FEB_4}, group))

    with bot_running(settings(kb, api, llm, TELEGRAM_ALLOWED_GROUPS=[group]), engine):
        api.wait_for(
            lambda: [m for m in api.sent_to(group) if m.text.startswith("Filed")],
            what="the answer in the group",
        )

    text = (kb.raw / f"{STEM}946_video.md").read_text(encoding="utf-8")
    assert "\n\n[View video on Telegram](https://t.me/c/3688590333/946)\n\n" in text
    assert "Video info: Duration: 0m 12s, Resolution: 384x384, Size: 30.0 MB\n" in text
    assert "saved_as" not in front(kb.raw / f"{STEM}946_video.md")


def owner_job(kind: str, message_id: int, **changes: Any) -> Job:
    """The record of the owner's material of `kind`, message `message_id` sent on 4 February."""
    when = datetime.fromtimestamp(FEB_4, UTC)
    owner = {"user_id": OWNER.id, "username": "AlexeyDTC", "chat_id": OWNER.id}
    return material_job(
        f"{STEM}{message_id}", kind, when, message_id=message_id, **owner, **changes
    )


def test_a_message_saved_before_a_crash_is_filed_at_the_next_start(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    llm.always("describe_image", vision_answer())
    job = owner_job(
        "photo",
        950,
        file_id=api.add_file(photo_with_gps(500, 300, 1)),
        caption="до падения",
        ack_message_id=12345,
    )
    jobs.save(kb, job)

    with bot_running(settings(kb, api, llm), engine):
        (done,) = api.wait_for(lambda: answers(api, 1), what="the answer")

    assert done.text.startswith(f"After a restart: Filed {STEM}950_photo.md")
    assert (
        (kb.raw / f"{STEM}950_photo.md").read_text(encoding="utf-8").endswith("Caption: до падения")
    )
    assert jobs.FILING.pending(kb) == []


def test_a_material_whose_try_the_process_died_in_has_that_try_counted(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    """The one attempts rule: a try found marked running at a start counts; the last one
    allowed gives the message up, told once; one with tries left is filed."""
    llm.always("describe_image", vision_answer())
    base = owner_job(
        "links",
        955,
        urls=[web.page("/evals", ARTICLE)],
        running=True,
    )
    jobs.save(kb, replace(base, attempts=MAX_ATTEMPTS - 1))  # it killed the process twice
    jobs.save(kb, replace(base, stem=f"{STEM}956", message_id=956, attempts=0))

    with bot_running(settings(kb, api, llm), engine):
        told = api.wait_for(lambda: answers(api, 2), what="both answers")

    by_message = {m.reply_to: m.text for m in told}
    assert by_message[955] == f"After a restart: gave up on a message after {MAX_ATTEMPTS} tries."
    assert by_message[956].startswith(f"After a restart: Filed {STEM}956_link.md")
    assert not (kb.raw / f"{STEM}955_link.md").exists()
    assert jobs.FILING.pending(kb) == []


def test_a_round_video_saved_before_a_crash_is_filed_at_the_next_start(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine, tmp_path: Path
) -> None:
    llm.always("describe_image", vision_answer())
    data = video_with_speech(tmp_path / "r.mp4", seconds=2.0, width=240, height=240).read_bytes()
    job = owner_job(
        "video_note",
        951,
        file_id=api.add_file(data),
        file_size=len(data),
        width=240,
        height=240,
        duration=2,
        forward=forward_dict(Forward("channel", "Data", datetime(2026, 2, 1, tzinfo=UTC))),
        ack_message_id=12345,
    )
    jobs.save(kb, job)
    # received as a recording by an earlier version, which transcribes it at this start
    (kb.audio / f"{STEM}952.mp4").write_bytes(data)
    api.queue(video_note_message(OWNER, 952, api.add_file(data), date=FEB_4))

    with bot_running(settings(kb, api, llm), engine):
        replies = api.wait_for(lambda: answers(api, 2), what="the answers")

    done, again = sorted(replies, key=lambda m: m.text.startswith("Already"))

    assert done.text.startswith(f"After a restart: Filed {STEM}951_video.md")
    meta = front(kb.raw / f"{STEM}951_video.md")
    assert meta["source"] == "telegram_video_note"
    assert (meta["forwarded_from"], meta["forwarded_from_kind"]) == ("Data", "channel")
    assert jobs.FILING.pending(kb) == []
    assert again.text == f"Already received: {STEM}952."
    assert not (kb.raw / f"{STEM}952_video.md").exists()


def test_status_counts_material_notes_and_photos_waiting_for_a_description(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    llm.always("describe_image", error(503, "loading"))
    api.queue(photo_message(OWNER, 960, api.add_file(photo_with_gps(400, 300, 1)), date=FEB_4))

    with bot_running(settings(kb, api, llm), engine):
        (filed,) = api.wait_for(lambda: answers(api, 1), what="the answer")
        api.queue(text_message(OWNER, 961, "/status", FEB_4))
        status = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "Materials:" in m.text], what="/status"
        )

    assert "⚠ not described yet" in filed.text and "HTTP 503" in filed.text
    assert "Materials: 1 note waiting (1 photo(s) or keyframe(s) to describe" in status[0].text


def test_edits_update_an_undrafted_note_and_follow_up_a_drafted_one(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, engine: WhisperEngine
) -> None:
    drafted = "---\nsource: telegram\ndate: 2026-02-04T10:23:39+00:00\nuser_id: 822266080\n"
    drafted += "username: AlexeyDTC\n---\n\nчерновик"
    (kb.used / f"{STEM}971.md").write_text(drafted, encoding="utf-8")
    api.queue(text_message(OWNER, 970, "первая версия", FEB_4))

    with bot_running(settings(kb, api, llm), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the text filed")
        edit = text_message(OWNER, 970, "вторая версия", FEB_4) | {"edit_date": FEB_4 + 60}
        api.queue(edit, kind="edited_message")
        api.queue(
            text_message(OWNER, 971, "исправлено", FEB_4) | {"edit_date": FEB_4 + 90},
            kind="edited_message",
        )
        replies = api.wait_for(
            lambda: api.sent_to(OWNER.id)[1:] if len(api.sent_to(OWNER.id)) >= 3 else None,
            what="two edit replies",
        )

    texts = [m.text for m in replies]
    text_note = names.text_note_name(f"{STEM}970")
    assert f"Updated {text_note} with your edit." in texts
    assert f"Already drafted, so I filed {STEM}971_edited.md saying what changed." in texts
    assert (kb.raw / text_note).read_text(encoding="utf-8").endswith("\n\nвторая версия")
    assert (kb.used / f"{STEM}971.md").read_text(encoding="utf-8") == drafted
    follow_up = (kb.raw / f"{STEM}971_edited.md").read_text(encoding="utf-8")
    assert "\ndate: 2026-02-04T10:25:09+00:00\n" in follow_up
    assert follow_up.endswith("It now reads:\n\nисправлено")


def test_a_link_an_edit_adds_is_filed_whether_the_note_was_drafted_or_not(
    kb: KnowledgeBase, api: FakeBotAPI, llm: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    old, new = web.page("/old", ARTICLE), web.page("/evals", ARTICLE)
    drafted = "---\nsource: telegram\ndate: 2026-02-04T10:23:39+00:00\nuser_id: 822266080\n"
    drafted += f"username: AlexeyDTC\n---\n\nчерновик {old}"
    (kb.used / f"{STEM}981.md").write_text(drafted, encoding="utf-8")
    drafted_link = f"---\nsource: telegram_link\nurl: {old}\n---\n\nold"
    (kb.used / f"{STEM}981_link.md").write_text(drafted_link, encoding="utf-8")
    api.queue(text_message(OWNER, 980, "первая версия", FEB_4))

    def edit(number: int, text: str, seconds: int) -> dict[str, Any]:
        return text_message(OWNER, number, text, FEB_4) | {"edit_date": FEB_4 + seconds}

    def filed_links(count: int) -> list[SentMessage]:
        done = [m for m in api.sent_to(OWNER.id) if m.text.startswith(f"Filed {STEM}98")]
        done = [m for m in done if "_link" in m.text]
        return done if len(done) >= count else []

    with bot_running(settings(kb, api, llm), engine):
        api.wait_for(lambda: api.sent_to(OWNER.id), what="the text filed")
        api.queue(edit(980, f"вторая версия, см. {new}", 60), kind="edited_message")
        api.queue(edit(981, f"исправлено: {old} и {new}", 90), kind="edited_message")
        api.wait_for(lambda: filed_links(2), what="the two links filed")
        api.queue(edit(981, f"исправлено: {old} и {new}", 90), kind="edited_message")
        api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "already reads so" in m.text],
            what="the same edit, delivered again, answered",
        )

    texts = [m.text for m in api.sent_to(OWNER.id)]
    for name in ("980_link.md", "981_link2.md"):
        assert any(t.startswith(f"Filed {STEM}{name}: Evals in practice (") for t in texts)
    assert sum("your edit added" in m.texts[0] for m in api.sent_to(OWNER.id)) == 2
    assert web.hits == ["/evals", "/evals"]  # the drafted note's link is not fetched again
    assert f"Already drafted, so I filed {STEM}981_edited.md saying what changed." in texts
    assert (kb.raw / f"{STEM}980.md").read_text(encoding="utf-8").endswith(f"см. {new}")
    for number, name in ((980, "_link.md"), (981, "_link2.md")):
        meta = front(kb.raw / f"{STEM}{number}{name}")
        assert (meta["url"], meta["source"]) == (new, "telegram_link")
    assert front(kb.raw / f"{STEM}981_link2.md")["date"] == datetime(
        2026, 2, 4, 10, 25, 9, tzinfo=UTC
    )
    assert (kb.used / f"{STEM}981_link.md").read_text(encoding="utf-8") == drafted_link
    assert sorted(p.name for p in kb.raw.glob("*_link*.md")) == [
        f"{STEM}980_link.md",
        f"{STEM}981_link2.md",
    ]
    assert jobs.FILING.pending(kb) == []


def test_an_edit_s_links_leave_out_those_being_filed_and_carry_an_earlier_edit_s(
    kb: KnowledgeBase,
) -> None:
    from bot.filinglane import forget as _forget
    from bot.materials import _added_links

    a, b, c = "https://a.org/", "https://b.org/", "https://c.org/"
    when = datetime.fromtimestamp(FEB_4, UTC)
    base = material_job(f"{STEM}990", "links", when, username="u", message_id=990)
    jobs.save(kb, replace(base, urls=[a]))  # the message's own links, still filing
    edit = replace(base, kind="edit_links", urls=[a, b])
    assert _added_links(kb, edit) == replace(edit, urls=[b])
    first = replace(edit, urls=[b])
    jobs.save(kb, first)  # that edit's job, still filing
    assert _added_links(kb, replace(edit, urls=[a, b])) is None  # the same edit, again
    second = _added_links(kb, replace(edit, urls=[a, b, c]))
    assert second == replace(edit, urls=[b, c])
    jobs.save(kb, second)
    _forget(kb, first)  # the first job ends: the second's record stays
    assert [j.urls for j in jobs.FILING.pending(kb) if j.kind == "edit_links"] == [[b, c]]
    _forget(kb, second)
    assert [j.kind for j in jobs.FILING.pending(kb)] == ["links"]
    assert _added_links(kb, replace(edit, urls=[a])) is None


def test_the_answer_fits_one_telegram_message(tmp_path: Path) -> None:
    from bot.materialtexts import answer
    from bot.replies import MESSAGE_LIMIT, utf16_length
    from notes.intake.filing import FiledNote

    many = [
        FiledNote(tmp_path / f"N_link{n}.md", "link", "A long title " * 10, "timed out " * 5)
        for n in range(60)
    ]
    text = answer(many)
    assert utf16_length(text) <= MESSAGE_LIMIT
    assert text.endswith("more filed.")
    assert answer([]) == "Nothing new to file."
