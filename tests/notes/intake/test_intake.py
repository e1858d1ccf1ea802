from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from notes.intake import inbox, timeline, transcripts
from notes.intake.inbox import AlreadyFiled
from notes.intake.origin import Forward, Origin
from notes.intake.voice import (
    Recording,
    engine_options,
    max_seconds,
    transcribe_into_inbox,
    transcript_note,
)
from notes.settings import load_settings
from tests.conftest import SPEECH_WORDS
from tests.support import audio
from transcribe import AudioError, NoSpeechError, Transcript
from transcribe.engine import WhisperEngine
from transcribe.probe import TooLongError

WHEN = datetime(2026, 3, 1, 9, 30, 0, tzinfo=UTC)
STEM = "20260301_093000_me_msg5"
VOICE = Recording(Origin("telegram", WHEN, 42, "me"))


def test_filed_transcript_has_the_example_shape(kb, engine, speech_ogg):
    filed = transcribe_into_inbox(kb, engine, speech_ogg, STEM, VOICE)
    assert filed.path == kb.raw / f"{STEM}_transcript.txt"
    document = filed.path.read_text(encoding="utf-8")
    assert document.startswith(
        "---\nsource: telegram_voice\ndate: 2026-03-01T09:30:00+00:00\nuser_id: 42\n"
        f"username: me\naudio_file: {STEM}.ogg\nduration: 12.12\nlanguage: ru\n"
        "model: whisper-base (embedded)\nfiled_by: voicenotes\n---\n\n"
    )
    note = transcripts.parse(document)
    assert sum(word in note.text.lower() for word in SPEECH_WORDS) >= len(SPEECH_WORDS) - 1
    assert (kb.audio / f"{STEM}.ogg").read_bytes() == speech_ogg.read_bytes()


def test_audio_already_in_the_kb_is_not_copied(kb, engine, speech_ogg):
    kept = inbox.keep_audio(kb, speech_ogg, f"{STEM}.ogg")
    filed = transcribe_into_inbox(kb, engine, kept, STEM, VOICE)
    assert transcripts.parse(filed.path.read_text()).header.audio_file == f"{STEM}.ogg"
    assert [p.name for p in kb.audio.iterdir()] == [f"{STEM}.ogg"]


def test_second_filing_is_refused_before_transcribing(kb, engine, speech_ogg):
    transcribe_into_inbox(kb, engine, speech_ogg, STEM, VOICE)
    speech_ogg.write_bytes(b"")  # would fail to decode if it were transcribed again
    with pytest.raises(AlreadyFiled):
        transcribe_into_inbox(kb, engine, speech_ogg, STEM, VOICE)


@pytest.mark.parametrize("bad", ["silence", "truncated"])
def test_failure_writes_nothing(kb, engine, speech_ogg, tmp_path, bad):
    path = (
        audio.silence_wav(tmp_path / "quiet.wav")
        if bad == "silence"
        else audio.truncated_copy(speech_ogg, tmp_path / "cut.ogg")
    )
    with pytest.raises((NoSpeechError, AudioError)):
        transcribe_into_inbox(kb, engine, path, STEM, VOICE)
    assert list(kb.raw.iterdir()) == []
    assert list(kb.audio.iterdir()) == []


def test_the_cache_folder_in_the_kb_env_file_is_where_the_model_is_assembled(
    kb, tmp_path, monkeypatch
):
    monkeypatch.delenv("VOICENOTES_CACHE_DIR", raising=False)
    cache = tmp_path / "model-cache"
    (kb.root / ".env").write_text(f"VOICENOTES_CACHE_DIR={cache}\n", encoding="utf-8")
    options = engine_options(load_settings(kb.root))
    assert options.cache_dir == cache
    WhisperEngine(options).load()
    [assembled] = (cache / "models").iterdir()
    assert assembled.name.startswith("whisper-base-")


def test_a_recording_over_the_cap_is_kept_but_not_transcribed(kb, engine, speech_ogg):
    with pytest.raises(TooLongError, match=r"over the 0\.1 min limit"):
        transcribe_into_inbox(kb, engine, speech_ogg, STEM, VOICE, max_seconds=6.0)
    assert list(kb.raw.iterdir()) == []
    assert (kb.audio / f"{STEM}.ogg").read_bytes() == speech_ogg.read_bytes()


def test_the_cap_comes_from_the_settings(kb, monkeypatch):
    monkeypatch.setenv("VOICENOTES_MAX_MINUTES", "90")
    assert max_seconds(load_settings(kb.root)) == 5400
    monkeypatch.setenv("VOICENOTES_MAX_MINUTES", "0")
    assert max_seconds(load_settings(kb.root)) is None


@pytest.mark.timeout(300)
def test_a_note_that_is_mostly_silence_files_its_few_words_at_their_time(kb, engine, tmp_path):
    speech = audio.speech_samples()
    quiet = np.zeros(audio.SAMPLE_RATE * 60, dtype=np.float32)
    path = audio.encode(
        tmp_path / "quiet.ogg", np.concatenate([quiet, speech, quiet]), "libopus", rate=48_000
    )
    filed = transcribe_into_inbox(kb, engine, path, STEM, VOICE)
    note = transcripts.parse(filed.path.read_text(encoding="utf-8"))
    assert sum(word in note.text.lower() for word in SPEECH_WORDS) >= len(SPEECH_WORDS) - 1
    cues = timeline.read(kb.raw, filed.path.name)
    assert cues and abs(cues[0].start - 60.0) < 1.0 and cues[-1].end < 60.0 + 12.2 + 1.0
    assert filed.transcript.duration == pytest.approx(132.1, abs=0.1)


def test_a_forwarded_recording_keeps_its_origin_after_the_transcript_keys():
    forward = Forward("hidden_user", "Anon: Ёж", datetime(2026, 2, 28, 23, 5, tzinfo=UTC))
    recording = Recording(
        Origin("telegram", WHEN, 42, "me", forward=forward), caption="мой комментарий"
    )
    result = Transcript("Привет.", "ru", 3.5, "whisper-base")
    document = transcripts.render(transcript_note(recording, f"{STEM}.ogg", result))
    assert document == (
        "---\nsource: telegram_voice\ndate: 2026-03-01T09:30:00+00:00\nuser_id: 42\n"
        f"username: me\naudio_file: {STEM}.ogg\nduration: 3.5\nlanguage: ru\n"
        "model: whisper-base\nforwarded_from: 'Anon: Ёж'\nforwarded_from_kind: hidden_user\n"
        "forwarded_date: 2026-02-28T23:05:00+00:00\n---\n\nПривет.\n\nCaption: мой комментарий"
    )
    extra = transcripts.parse(document).header.extra
    assert extra["forwarded_from"] == "Anon: Ёж"
    assert extra["forwarded_date"] == datetime(2026, 2, 28, 23, 5, tzinfo=UTC)
