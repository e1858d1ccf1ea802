"""A transcription server speaking the OpenAI audio API, over real HTTP: the same notes as the
local engine's, parts cut in pauses for a server's size limit, failures kept or done locally."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import jobs
from notes.intake.origin import Origin
from notes.intake.transcribers import transcriber_for
from notes.intake.voice import Recording, transcribe_into_inbox
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from tests.bot.test_speechqueue import only_outcome, saved_note
from tests.conftest import LONG_STEM, SPEECH_WORDS, LongNote
from tests.support import audio
from tests.support.audio_api import AudioApiServer
from transcribe import ServiceError
from transcribe.engine import WhisperEngine
from transcribe.remote import FallbackTranscriber, RemoteOptions, RemoteTranscriber

pytestmark = pytest.mark.timeout(180)
VOICE = Recording(Origin("telegram", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), 42, "me"))


def remote(api: AudioApiServer, **options: object) -> RemoteTranscriber:
    return RemoteTranscriber(RemoteOptions(url=api.url, **options))  # type: ignore[arg-type]


def cues(vtt: Path) -> list[tuple[float, float]]:
    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    found = re.findall(r"(\d+:\d\d:\d\d\.\d+) --> (\d+:\d\d:\d\d\.\d+)", vtt.read_text())
    return [(seconds(a), seconds(b)) for a, b in found]


def front_matter(note: Path) -> list[str]:
    lines = note.read_text(encoding="utf-8").split("\n")
    return lines[: lines.index("---", 1) + 1]


def test_a_long_note_is_filed_exactly_as_the_local_engine_files_it(
    long_note: LongNote, tmp_path: Path
) -> None:
    recording, spans = audio.spaced_speech(tmp_path / "long.ogg", copies=10, gap=6.0)
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    with AudioApiServer() as api:
        filed = transcribe_into_inbox(kb, remote(api, key="k-123"), recording, LONG_STEM, VOICE)

    local_head, remote_head = front_matter(long_note.transcript), front_matter(filed.path)
    differs = [(a, b) for a, b in zip(local_head, remote_head, strict=True) if a != b]
    assert differs == [("model: whisper-base (embedded)", "model: whisper-large-v3")], differs
    assert filed.path.name == long_note.transcript.name
    body = filed.path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert max(len(line) for line in body.splitlines()) <= 100  # wrapped as the engine's
    times = cues(kb.raw / f"{LONG_STEM}.vtt")
    assert len(times) == len(spans)
    for (start, end), (want_start, want_end) in zip(times, spans, strict=True):
        assert abs(start - want_start) < 1 and abs(end - want_end) < 1
    assert api.uploads[0].authorization == "Bearer k-123"
    assert api.uploads[0].fields["response_format"] == "verbose_json"
    assert api.uploads[0].fields["language"] == "ru"


def test_a_recording_over_the_server_s_limit_is_sent_in_parts_cut_in_pauses(
    tmp_path: Path,
) -> None:
    recording, spans = audio.spaced_speech(
        tmp_path / "long.wav", copies=6, gap=6.0, codec="pcm_s16le"
    )
    limit = 1_500_000  # about 47 s of 16 kHz WAV: the 3-minute recording in four parts
    assert recording.stat().st_size > limit
    with AudioApiServer(max_bytes=limit) as api:
        transcript = remote(api, max_bytes=limit).transcribe(recording)
    assert len(api.uploads) >= 2 and all(u.size <= limit for u in api.uploads)
    segments = [(s.start, s.end) for s in transcript.segments]
    # each part's times moved to where the part lies: every segment inside a span of speech,
    # every span's start and end found (a part may end in a pause inside the clip itself)
    assert all(any(a - 0.3 <= s and e <= b + 0.3 for a, b in spans) for s, e in segments)
    assert all(any(abs(a - s) < 1 for s, _ in segments) for a, _ in spans), segments
    assert all(any(abs(b - e) < 1 for _, e in segments) for _, b in spans), segments
    assert transcript.duration == pytest.approx(spans[-1][1], abs=0.1)


def test_a_server_that_fails_or_answers_late_or_garbage_is_one_line(
    tmp_path: Path, speech_ogg: Path
) -> None:
    cases = [
        ({"status": 503}, {}, r"^transcription server answered 503: the server"),
        ({"delay": 3}, {"timeout": 0.5}, r"^transcription server unreachable: "),
        ({"garbage": True}, {}, r"not JSON$"),
    ]
    for server, options, message in cases:
        with AudioApiServer(**server) as api, pytest.raises(ServiceError, match=message):  # type: ignore[arg-type]
            remote(api, **options).transcribe(speech_ogg)


def test_a_failing_server_keeps_the_note_and_tries_it_again_later(kb: KnowledgeBase) -> None:
    record = saved_note(kb, 7)
    with AudioApiServer(status=500) as api:
        outcome = only_outcome(kb, remote(api), record)
    assert outcome.retry and outcome.retry_in == 60.0
    assert "kept and tried again in 1 min" in (outcome.error or "")
    assert (kb.audio / record.audio_name).is_file()
    assert [r.message_id for r in jobs.SPEECH.pending(kb)] == [7]
    assert not list(kb.raw.glob("*_transcript.txt"))


def test_with_the_local_fallback_a_failing_server_s_note_is_transcribed_here(
    engine: WhisperEngine, speech_ogg: Path
) -> None:
    with AudioApiServer(status=500) as api:
        transcript = FallbackTranscriber(remote(api), engine).transcribe(speech_ogg)
        assert len(api.uploads) == 1
    assert transcript.model == engine.model_id
    assert any(word in transcript.text.lower() for word in SPEECH_WORDS)


def test_the_settings_choose_the_transcriber_and_audio_leaves_only_when_told(
    tmp_path: Path,
) -> None:
    assert isinstance(transcriber_for(load_settings(tmp_path)), WhisperEngine)
    server = load_settings(tmp_path, VOICENOTES_TRANSCRIBE_URL="http://127.0.0.1:9/v1")
    assert isinstance(transcriber_for(server), RemoteTranscriber)
    assert isinstance(transcriber_for(server, model="embedded"), WhisperEngine)
    both = load_settings(
        tmp_path,
        VOICENOTES_TRANSCRIBE_URL="http://127.0.0.1:9/v1",
        VOICENOTES_TRANSCRIBE_FALLBACK="local",
        VOICENOTES_TRANSCRIBE_KEY="a-secret-key",
    )
    assert isinstance(transcriber_for(both), FallbackTranscriber)
    assert "a-secret-key" in both.secrets()


def test_the_command_line_files_a_note_through_the_server(
    tmp_path: Path, speech_ogg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notes.cli import main

    KnowledgeBase(tmp_path / "kb").ensure()
    with AudioApiServer() as api:
        monkeypatch.setenv("VOICENOTES_TRANSCRIBE_URL", api.url)
        monkeypatch.setenv("VOICENOTES_TRANSCRIBE_MODEL", "whisper-large-v3-turbo")
        assert main(["transcribe", "--kb", str(tmp_path / "kb"), str(speech_ogg)]) == 0
    (note,) = (tmp_path / "kb" / "inbox" / "raw").glob("*_transcript.txt")
    assert "model: whisper-large-v3-turbo\n" in note.read_text(encoding="utf-8")
    assert "speech 1.0" in note.read_text(encoding="utf-8")
