"""The Transcriber interface: an audio path in, text plus metadata out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

_OURS = ("transcribe", "notes", "bot")
"""Packages whose exceptions carry a message written for people (see notes.errors)."""

Progress = Callable[[float, float], None]
"""Called with (seconds of audio done, total seconds) as transcription advances."""
FileProgress = Callable[[int, float, float], None]
"""Called with (index of the file, seconds of it done, its total seconds): for each file, with
seconds strictly increasing, and last with (total, total) when its transcript is complete."""


class TranscriptionError(Exception):
    """A file could not be turned into text; the message says why in one line."""


class AudioError(TranscriptionError):
    """The file is missing, empty, not audio, corrupt or truncated."""


class NoSpeechError(TranscriptionError):
    """The audio decodes but holds no speech."""


class ModelError(TranscriptionError):
    """The speech model is missing, damaged or cannot load."""


class ServiceError(TranscriptionError):
    """A transcription server failed or timed out: not the note's fault, so it is kept and
    tried again."""


def explain(error: BaseException | None, *, named: bool = False) -> str:
    """The one line a person sees for `error`: the program's single wording of errors.

    An OS error says its reason (`no such file or directory`); any other error its first
    line, whitespace collapsed. With `named`, an error that is not voicenotes' own is prefixed
    by its type (`KeyError: 'x'`), since its message was not written for people. Defined
    here, in the package that imports no other, so that all three can use it.
    """
    if error is None:
        return "unknown error"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    lines = [line for line in str(error).splitlines() if line.strip()]
    first = " ".join(lines[0].split()) if lines else ""
    if named and not type(error).__module__.startswith(_OURS):
        return f"{type(error).__name__}: {first}" if first else type(error).__name__
    return first or type(error).__name__


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


class ManyTranscriber(Transcriber, Protocol):
    """A transcriber that loads ahead and takes many files at once (the engines)."""

    def load(self) -> None: ...

    def transcribe_many(
        self, audios: Sequence[Path], progress: FileProgress | None = None
    ) -> Iterator[Transcript | TranscriptionError]:
        """One result per file, in order: its Transcript, or the error saying why it has none."""
        ...
