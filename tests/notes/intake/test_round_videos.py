"""A round video's speech takes the speech lane: the length cap, progress in the chat, and
`NAME.vtt` with its times, so the video is cited to the second like a voice note."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot import speechlane
from notes.drafting import library
from notes.drafting.answers import ROUTE, WRITE
from notes.intake import formats, timeline, videos
from notes.intake.filing import FiledNote, Materials
from notes.kb import KnowledgeBase
from notes.llm.client import LLMClient
from notes.settings import Settings
from notes.upkeep import check
from tests.bot.test_materials import settings as bot_settings
from tests.conftest import SPEECH_WORDS
from tests.notes.drafting.test_drafting import decision, resolves, route, run_pass, written
from tests.support.audio import speech_samples
from tests.support.materials import SENDER
from tests.support.openai_server import OpenAIServer, Reply, Request, answer, vision_answer
from tests.support.pictures import video_with_speech
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    bot_running,
    video_note_message,
)
from transcribe.audio import SAMPLE_RATE
from transcribe.engine import WhisperEngine

STEM = "20260204_102339_AlexeyDTC_msg"


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as running:
        yield running


@pytest.fixture
def llm() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture(scope="module")
def long_round_video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A round video of some 1:31 (Telegram's can run longer than the progress threshold):
    the speech clip six times over, 3 s apart."""
    clip = speech_samples()
    pause = np.zeros(int(SAMPLE_RATE * 3.0), dtype=np.float32)
    said = np.concatenate([part for _ in range(6) for part in (pause, clip)])
    path = tmp_path_factory.mktemp("round") / "round.mp4"
    seconds = said.size / SAMPLE_RATE
    return video_with_speech(path, seconds, width=240, height=240, speech=said).read_bytes()


def filed_answer(api: FakeBotAPI) -> list[object]:
    return [m for m in api.sent_to(OWNER.id) if m.text.startswith("Filed")]


@pytest.mark.timeout(400)
def test_a_round_video_shows_its_progress_and_is_filed_with_its_times(
    kb: KnowledgeBase,
    api: FakeBotAPI,
    llm: OpenAIServer,
    engine: WhisperEngine,
    long_round_video: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An edit at most every second (5 s in use): a fast machine still shows a step or two.
    monkeypatch.setattr(speechlane, "PROGRESS_EVERY_SECONDS", 1.0)
    llm.always("describe_image", vision_answer(kind="selfie video", visible_text=""))
    data = long_round_video
    api.queue(
        video_note_message(OWNER, 945, api.add_file(data), size=len(data), duration=91, date=FEB_4)
    )

    with bot_running(bot_settings(kb, api, llm), engine):
        api.wait_for(lambda: filed_answer(api), timeout=300, what="the filed round video")

    (answer,) = [m for m in api.sent_to(OWNER.id) if m.texts[0].startswith("Saved the")]
    assert answer.texts[0] == "Saved the round video. Filing…"
    shown = answer.texts[1:-1]
    assert shown and all(re.match(r"Transcribing… +\d+% of 1:3\d", t) for t in shown), shown
    assert answer.text.startswith(f"Filed {STEM}945_video.md: Duration: 1m 31s")
    note = kb.raw / f"{STEM}945_video.md"
    segments = timeline.read(kb.raw, note.name)
    assert segments and segments[-1].end > 80
    document = note.read_text(encoding="utf-8")
    span = formats.video_speech_span(document)
    assert span is not None
    said = document[span[0] : span[1]]
    assert " ".join(s.text for s in segments).split() == said.split()
    assert sum(word in said.lower() for word in SPEECH_WORDS) >= 3
    (pending,) = library.pending_notes(kb, print)
    assert pending.kind == "video" and pending.segments == tuple(segments)


def test_a_round_video_over_the_length_cap_is_filed_without_its_speech(
    kb: KnowledgeBase,
    api: FakeBotAPI,
    llm: OpenAIServer,
    engine: WhisperEngine,
    long_round_video: bytes,
) -> None:
    llm.always("describe_image", vision_answer(kind="selfie video", visible_text=""))
    data = long_round_video
    api.queue(video_note_message(OWNER, 946, api.add_file(data), size=len(data), date=FEB_4))

    with bot_running(bot_settings(kb, api, llm, VOICENOTES_MAX_MINUTES=1), engine):
        (done,) = api.wait_for(lambda: filed_answer(api), timeout=120, what="the answer")

    assert done.text.startswith(f"Filed {STEM}946_video.md: Duration: 1m 31s")
    assert "⚠ audio not transcribed:" in done.text and "VOICENOTES_MAX_MINUTES" in done.text
    text = (kb.raw / f"{STEM}946_video.md").read_text(encoding="utf-8")
    assert "### Audio transcript" not in text and "### Keyframe" in text
    assert not (kb.raw / f"{STEM}946.vtt").exists()
    assert (kb.raw / f"{STEM}946.mp4").read_bytes() == data


def claims(request: Request) -> str:
    """Paragraphs citing each timed source from its first time mark to its end."""
    found = []
    for source, end, marks in re.findall(
        r'<source id="(S\d+)"[^>]* time="[\d:]+-([\d:]+)">(.*?)</source>', request.user, re.S
    ):
        first = re.findall(r"\[(\d+:\d\d)\]", marks)[0]
        found.append(f"What I said in the video[^{source}@{first}-{end}].")
    return "\n\n".join(found)


@pytest.fixture
def round_video(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    engine: WhisperEngine,
    tmp_path: Path,
) -> FiledNote:
    """A 12-second round video filed as the bot files one, and routed into a new article."""
    path = tmp_path / f"{STEM}947.mp4"
    video = video_with_speech(path, seconds=12.0, width=240, height=240)
    m = Materials(kb, settings, transcriber=lambda: engine)
    filed = videos.file_video(m, video, path.stem, SENDER, None, kind="video_note", keep=True)
    server.on(ROUTE, route(decision(["S1"], "create", title="Round", folder="")))
    return filed


def cite_the_first_mark(request: Request) -> Reply:
    return written(claims(request), title="Round")


@pytest.mark.timeout(300)
def test_a_round_video_is_cited_to_the_second_with_a_link_to_the_video(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    round_video: FiledNote,
) -> None:
    assert (kb.raw / f"{STEM}947.vtt").is_file() and round_video.path.name == f"{STEM}947_video.md"
    server.on(WRITE, cite_the_first_mark)

    report = run_pass(settings, client=client)

    assert report.ok and [c.path for c in report.created] == ["articles/round.md"]
    (routed,) = server.requests_for(ROUTE)
    assert re.search(r'<source id="S1"[^>]* time="0:00-0:1\d">', routed.user)
    assert "Video info: Duration: 0m 12s" in routed.user and "[0:00]" in routed.user
    text = (kb.articles / "round.md").read_text(encoding="utf-8")
    found = re.findall(r"\) at (0:00\u20130:1\d), \[video\]\(([^)]+)\)", text)
    assert found and resolves(kb.articles / "round.md", text)
    assert found[0][1].startswith(f"../inbox/used/{STEM}947.mp4#t=0,1")
    assert {f"{STEM}947_video.md", f"{STEM}947.vtt", f"{STEM}947.mp4"} <= {
        p.name for p in kb.used.iterdir()
    }
    assert check.check_kb(kb).errors == []


@pytest.mark.timeout(300)
@pytest.mark.usefixtures("round_video")
def test_a_round_video_shown_as_a_figure_is_cited_at_the_video_the_figure_plays(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:

    def with_figure(request: Request) -> Reply:
        shown = {"source": "S1", "after": 1, "name": "Me", "alt": "Me talking", "caption": ""}
        body = claims(request)
        return answer(
            {"title": "Round", "tags": [], "description": "", "body": body, "figures": [shown]}
        )

    server.on(WRITE, with_figure)

    report = run_pass(settings, client=client)

    assert report.ok
    text = (kb.articles / "round.md").read_text(encoding="utf-8")
    assert '<video src="../assets/images/round/me.mp4"' in text
    found = re.findall(r"\[video\]\(([^)]+)\)", text)
    assert found and found[0].startswith("../assets/images/round/me.mp4#t=0,1")
    assert resolves(kb.articles / "round.md", text)
    assert check.check_kb(kb).errors == []


def test_only_a_long_recording_shows_progress_and_edits_stay_apart() -> None:
    now = 100.0
    long = speechlane.Advance(30.0, 91.0, 3.0)
    assert speechlane.due(long, (None, 0.0), now)
    assert not speechlane.due(speechlane.Advance(5.0, 59.0, 1.0), (None, 0.0), now)
    assert not speechlane.due(long, (long, now - 10), now)  # it did not move
    moved = speechlane.Advance(60.0, 91.0, 6.0)
    assert not speechlane.due(moved, (long, now - 1), now)  # too soon after the last edit
    assert speechlane.due(moved, (long, now - speechlane.PROGRESS_EVERY_SECONDS), now)
