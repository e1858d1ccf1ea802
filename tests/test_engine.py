from __future__ import annotations

import pytest

from tests.conftest import SPEECH_WORDS
from tests.support import audio
from transcribe import EngineOptions, NoSpeechError
from transcribe.base import AudioError, ModelError
from transcribe.engine import WhisperEngine


def _words(text: str) -> str:
    return text.lower().replace("ё", "е")


def test_real_russian_speech_is_transcribed(engine, speech_ogg):
    progress: list[tuple[float, float]] = []
    result = engine.transcribe(speech_ogg, lambda done, total: progress.append((done, total)))
    found = [word for word in SPEECH_WORDS if word in _words(result.text)]
    assert len(found) >= len(SPEECH_WORDS) - 1, result.text
    assert result.language == "ru"
    assert result.duration == pytest.approx(12.1, abs=0.1)
    assert result.model == "whisper-base (embedded)"
    assert result.segments and result.segments[-1].end <= result.duration + 0.5
    assert progress[-1] == (result.duration, result.duration) or progress[-1][0] == progress[-1][1]


def test_model_is_loaded_once_per_process(engine):
    other = WhisperEngine(EngineOptions())
    assert other._model() is engine._model()


def test_language_auto_detects_russian(engine, speech_ogg):
    auto = WhisperEngine(EngineOptions(language="auto"))
    assert auto.transcribe(speech_ogg).language == "ru"


def test_silence_is_no_speech(engine, tmp_path):
    with pytest.raises(NoSpeechError, match="no speech"):
        engine.transcribe(audio.silence_wav(tmp_path / "quiet.wav"))


def test_bad_audio_fails_before_the_model(engine, tmp_path):
    (tmp_path / "x.ogg").write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        engine.transcribe(tmp_path / "x.ogg")


def test_glossary_becomes_the_initial_prompt():
    options = EngineOptions(glossary=("RAG", "LLM", "OpenAI"))
    assert options.initial_prompt() == "RAG, LLM, OpenAI."
    assert EngineOptions().initial_prompt() is None


def test_unknown_model_folder_is_a_clear_error(tmp_path, speech_ogg):
    broken = WhisperEngine(EngineOptions(model=str(tmp_path / "no-model-here")))
    with pytest.raises(ModelError, match="no such model folder"):
        broken.transcribe(speech_ogg)
