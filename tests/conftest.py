"""Fixtures shared across test files. Per-area helpers live in tests/support/.

One fixture per wire-level fake, fresh for each test: `server` (the OpenAI-compatible server),
`api` (the Telegram Bot API), `web` (a local web server for links); `settings` and `client`
point at `server`. A test file defines its own only where it behaves differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from notes.kb import KnowledgeBase, lock
from notes.settings import Settings
from tests.support.openai_server import OpenAIServer, settings_for
from tests.support.telegram_server import FakeBotAPI
from tests.support.web_server import WebServer
from transcribe import EngineOptions
from transcribe.engine import WhisperEngine

if TYPE_CHECKING:
    from notes.llm.client import LLMClient

DATA = Path(__file__).parent / "data"
EXAMPLES = DATA / "examples"
SPEECH_OGG = DATA / "speech_ru.ogg"
"""12 s of real Russian read speech (see tests/data/README.md)."""
SPEECH_WORDS = ("спокойным", "ожидал", "безумном", "городе", "минуту", "лоб")


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb").ensure()


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    """The local OpenAI-compatible server (tests/support/openai_server.py)."""
    with OpenAIServer() as running:
        yield running


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    """The local Telegram Bot API server (tests/support/telegram_server.py)."""
    with FakeBotAPI() as running:
        yield running


@pytest.fixture
def web() -> Iterator[WebServer]:
    """A local web server for the links a test sends (tests/support/web_server.py)."""
    with WebServer() as running:
        yield running


@pytest.fixture
def settings(server: OpenAIServer, kb: KnowledgeBase) -> Settings:
    """Settings for `kb` with `server` as the LLM."""
    return settings_for(server, kb.root)


@pytest.fixture
def client(settings: Settings) -> Iterator[LLMClient]:
    """An LLM client on `settings` that gives up fast: 2 s a call, no retries."""
    from notes.llm.client import LLMClient  # openai is slow to import: only when used

    with LLMClient.from_settings(settings, timeout=2.0, max_retries=0) as llm:
        yield llm


@pytest.fixture
def no_user_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git sees no global or system configuration (a test file asks with `usefixtures`)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def no_git_identity(no_user_git_config: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """As `no_user_git_config`, and no identity or repository from the environment either."""
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ):
        monkeypatch.delenv(name, raising=False)


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


@dataclass(frozen=True)
class LongNote:
    """A real multi-minute voice note filed once per run: 10 copies of the clip, 6 s apart."""

    kb: KnowledgeBase
    transcript: Path
    spans: list[tuple[float, float]]
    """Where each copy of the speech lies in the recording, in seconds."""
    progress: list[tuple[float, float]]
    """(seconds done, total seconds), each as the engine reported it while transcribing."""


@pytest.fixture(scope="session")
def long_note(tmp_path_factory: pytest.TempPathFactory, engine: WhisperEngine) -> LongNote:
    """Transcribed by the real engine (about a minute), shared: copy its files, do not move."""
    from notes.intake.origin import Origin
    from notes.intake.voice import Recording, transcribe_into_inbox
    from tests.support import audio

    root = tmp_path_factory.mktemp("long")
    recording, spans = audio.spaced_speech(root / "long.ogg", copies=10, gap=6.0)
    kb = KnowledgeBase(root / "kb").ensure()
    voice = Recording(Origin("telegram", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), 42, "me"))
    progress: list[tuple[float, float]] = []
    filed = transcribe_into_inbox(
        kb, engine, recording, LONG_STEM, voice, lambda *report: progress.append(report)
    )
    return LongNote(kb, filed.path, spans, progress)


LONG_STEM = "20260301_093000_me_msg9"
