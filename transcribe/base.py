"""The Transcriber interface: an audio path in, text plus metadata out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

Progress = Callable[[float, float], None]
"""Called with (seconds of audio done, total seconds) as transcription advances."""


class TranscriptionError(Exception):
    """A file could not be turned into text; the message says why in one line."""


class AudioError(TranscriptionError):
    """The file is missing, empty, not audio, corrupt or truncated."""


class NoSpeechError(TranscriptionError):
    """The audio decodes but holds no speech."""


class ModelError(TranscriptionError):
    """The speech model is missing, damaged or cannot load."""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration: float
    model: str
    segments: tuple[Segment, ...] = ()


class Transcriber(Protocol):
    @property
    def model_id(self) -> str: ...

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript: ...
