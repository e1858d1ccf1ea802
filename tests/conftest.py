"""Fixtures shared across test files. Per-area helpers live in tests/support/."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes import lock
from notes.kb import KnowledgeBase
from transcribe import EngineOptions
from transcribe.engine import WhisperEngine

DATA = Path(__file__).parent / "data"
EXAMPLES = DATA / "examples"
SPEECH_OGG = DATA / "speech_ru.ogg"
"""12 s of real Russian read speech (see tests/data/README.md)."""
SPEECH_WORDS = ("спокойным", "ожидал", "безумном", "городе", "минуту", "лоб")


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb").ensure()


@pytest.fixture(scope="session")
def engine() -> WhisperEngine:
    """The real faster-whisper engine with the embedded model, loaded once for the run."""
    whisper = WhisperEngine(EngineOptions())
    whisper.load()
    return whisper


@pytest.fixture
def speech_ogg(tmp_path: Path) -> Path:
    """A private copy of the speech clip, so a test may move or damage it."""
    copy = tmp_path / "speech_ru.ogg"
    copy.write_bytes(SPEECH_OGG.read_bytes())
    return copy


def lock_is_free(kb: KnowledgeBase) -> bool:
    """No drafting pass holds the KB's lock (taking it for a moment to find out)."""
    try:
        with lock.hold(kb):
            return True
    except lock.Busy:
        return False
