from pathlib import Path

from notes.intake.filing import Materials
from notes.intake.youtube import TIMEOUT, TimedSession, clock, load_video
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from tests.support.youtube_fake import FakeVideo, fake_session

ID = "dQw4w9WgXcQ"
RU = [(0.0, 2.0, "Привет, это доклад"), (65.5, 3.0, "про RAG и evals")]
EN = [(0.0, 2.0, "Hello, this is a talk")]


def test_russian_captions_come_first_with_timestamps_title_and_channel() -> None:
    session, _ = fake_session({ID: FakeVideo("Доклад", "Канал", {"en": EN, "ru:asr": RU})})
    video = load_video(ID, session)
    assert video.problem is None
    assert (video.title, video.channel, video.language, video.generated) == (
        "Доклад",
        "Канал",
        "ru",
        True,
    )
    assert video.transcript() == "0:00 Привет, это доклад\n1:05 про RAG и evals"


def test_english_then_whatever_exists() -> None:
    session, _ = fake_session({ID: FakeVideo(tracks={"de": [(0, 1, "Hallo")], "en": EN})})
    assert load_video(ID, session).language == "en"
    session, _ = fake_session({ID: FakeVideo(tracks={"de": [(0, 1, "Hallo")]})})
    video = load_video(ID, session)
    assert (video.language, video.transcript()) == ("de", "0:00 Hallo")


def test_transcripts_are_cached_per_video(tmp_path: Path) -> None:
    session, adapter = fake_session({ID: FakeVideo(tracks={"ru": RU})})
    first = load_video(ID, session, tmp_path)
    asked = len(adapter.requests)
    second = load_video(ID, session, tmp_path)
    assert second == first
    assert len(adapter.requests) == asked
    assert (tmp_path / f"{ID}.json").is_file()


def test_no_captions_unavailable_and_blocked_are_reasons_and_not_cached(tmp_path: Path) -> None:
    cases = {
        "the video has no captions": FakeVideo(tracks={}),
        "the video is unavailable": None,
        "YouTube is blocking requests from this machine": FakeVideo(
            playability="LOGIN_REQUIRED", reason="Sign in to confirm you’re not a bot"
        ),
        "the video is age-restricted": FakeVideo(
            playability="LOGIN_REQUIRED",
            reason="This video may be inappropriate for some users.",
        ),
    }
    for reason, fake in cases.items():
        session, _ = fake_session({ID: fake} if fake else {})
        video = load_video(ID, session, tmp_path)
        assert video.problem == reason
        assert video.lines == []
        assert video.url == f"https://www.youtube.com/watch?v={ID}"
    assert not list(tmp_path.iterdir())


def test_clock() -> None:
    assert [clock(s) for s in (0, 59.9, 61, 3600, 3725)] == [
        "0:00",
        "0:59",
        "1:01",
        "1:00:00",
        "1:02:05",
    ]


def test_every_request_to_youtube_has_a_timeout() -> None:
    """youtube-transcript-api sends its requests without one: a silent YouTube held the
    filing of a link for the job's whole 15 minutes."""
    session, plain = fake_session({ID: FakeVideo(tracks={"ru": RU})})
    load_video(ID, session)
    assert None in plain.timeouts  # the library's own requests, on a plain session
    session, adapter = fake_session({ID: FakeVideo(tracks={"ru": RU})}, TimedSession())

    video = load_video(ID, session)

    assert video.problem is None and len(adapter.timeouts) >= 3
    assert adapter.timeouts == [TIMEOUT] * len(adapter.timeouts)


def test_links_are_filed_with_a_timed_session(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    assert isinstance(Materials(kb, load_settings(kb.root)).youtube_session(), TimedSession)
