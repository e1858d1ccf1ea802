"""Videos filed end to end: real faster-whisper on the audio, the vision stand-in on a keyframe."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.intake import videos
from notes.intake.filing import Materials
from notes.kb import KnowledgeBase
from tests.conftest import SPEECH_WORDS
from tests.support.materials import SENDER, STEM, front, private_ok
from tests.support.openai_server import OpenAIServer, error, vision_answer
from tests.support.pictures import video_with_speech
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(120)


def test_a_video_gets_metadata_its_speech_transcribed_and_a_keyframe_described(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path, engine: WhisperEngine
) -> None:
    server.on("describe_image", vision_answer(kind="screen recording", visible_text=""))
    video = video_with_speech(tmp_path / "demo.mp4", seconds=12.0)
    m = Materials(
        kb, private_ok(server, kb, VOICENOTES_VISION_MODEL="vision"), transcriber=lambda: engine
    )
    filed = videos.file_video(
        m, video, STEM, SENDER, "demo", file_name="demo.mp4", message_link=None
    )
    meta = front(filed.path)
    assert (meta["width"], meta["height"], meta["duration_seconds"]) == (320, 240, 12)
    assert meta["keyframe_file"] == f"{STEM}.jpg"
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
    m = Materials(kb, private_ok(server, kb))
    filed = videos.file_video(m, bad, STEM, SENDER, "clip", file_name="bad.mp4")
    assert filed.problem is not None and "decoder" in filed.problem
    assert filed.path.read_text(encoding="utf-8").endswith("Caption: clip\n")


def test_a_keyframe_the_model_could_not_see_is_described_later_and_nothing_else_changes(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path, engine: WhisperEngine
) -> None:
    server.on("describe_image", error(503, "loading"))
    video = video_with_speech(tmp_path / "round.mp4", seconds=6.0, width=240, height=240)
    settings = private_ok(server, kb, VOICENOTES_VISION_MODEL="vision")
    m = Materials(kb, settings, transcriber=lambda: engine)
    filed = videos.file_video(m, video, STEM, SENDER, "смотри", kind="video_note", keep=True)
    waiting = filed.path.read_text(encoding="utf-8")
    assert "\n\n### Keyframe\nNot described yet: " in waiting and waiting.endswith(".\n")
    assert videos.describe_pending(m) == []  # the model still fails: left as it is
    assert filed.path.read_text(encoding="utf-8") == waiting

    server.on("describe_image", vision_answer(kind="selfie", visible_text=""))
    (done,) = videos.describe_pending(m)

    text = filed.path.read_text(encoding="utf-8")
    keep = waiting[: waiting.index("\n\n### Keyframe\n")]
    assert "### Audio transcript (ru" in keep and "\n\nCaption: смотри\n\n" in keep
    assert text == keep + "\n\n### Keyframe\n#### Type\nselfie\n\n" + text.split("selfie\n\n")[1]
    assert text.endswith("\n#### Alt Text\nA terminal window reporting 96 passing tests.\n")
    assert done.path == filed.path
    request = server.requests_for("describe_image")[-1]
    assert "смотри" in request.user
    assert videos.describe_pending(m) == []
