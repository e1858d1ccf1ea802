"""A transcription server speaking the OpenAI audio API: the only module that sends audio away.

Audio leaves the machine only through `RemoteTranscriber`, and only when the author names a
server (`VOICENOTES_TRANSCRIBE_URL`). It asks for segments with their times, so a remote
transcript is filed exactly like a local one (wrapped text, `NAME.vtt`, time marks). A file
over the server's size limit is sent in parts cut at the quietest moment near each part's
end (transcribe.windows), as 16 kHz mono WAV, with the parts' times offset back into the
whole recording.
"""

from __future__ import annotations

import io
import logging
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from transcribe.audio import SAMPLE_RATE, AudioStream, Samples
from transcribe.base import (
    FileProgress,
    ModelError,
    NoSpeechError,
    Progress,
    Segment,
    ServiceError,
    Transcriber,
    Transcript,
    TranscriptionError,
    explain,
)
from transcribe.probe import declared_seconds
from transcribe.windows import windows

CUT_SEARCH_SECONDS = 20
"""A part ends at the quietest 100 ms of its last this many seconds."""
_FRAME = SAMPLE_RATE // 10
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemoteOptions:
    url: str
    """The server's API root, e.g. `https://api.groq.com/openai/v1`."""
    model: str = "whisper-large-v3"
    key: str | None = None
    language: str = "ru"
    """A language code, or `auto` to let the server detect it."""
    max_bytes: int = 25 * 1024 * 1024
    """The largest upload the server takes; a larger recording is sent in parts."""
    timeout: float = 300.0
    """Seconds for one upload and its answer, from connect to the last byte."""
    prompt: str | None = None
    """Text the recognizer continues from (the glossary), so terms keep their spelling."""

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/audio/transcriptions"


class RemoteTranscriber:
    """Transcribes through a server; a failure or time-out raises ServiceError (the note is
    kept and tried again), an answer without text raises NoSpeechError."""

    def __init__(self, options: RemoteOptions, client: httpx.Client | None = None) -> None:
        self.options = options
        self._client = client or httpx.Client(timeout=options.timeout)

    @property
    def model_id(self) -> str:
        return self.options.model

    def load(self) -> None:
        """Nothing to load: the model is the server's."""

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        """The server's transcript of `audio`; the audio is decoded here first, so a damaged
        file is an AudioError before anything is sent."""
        stream = AudioStream(audio)
        expected = declared_seconds(audio) or 0.0
        segments: list[Segment] = []
        language = ""
        for offset, name, payload in self._uploads(audio, stream):
            answer = self._ask(name, payload)
            language = language or str(answer.get("language") or "")
            segments += _segments(answer, offset)
            done = segments[-1].end if segments else offset
            if progress is not None and 0 < done < expected:
                progress(done, expected)
        text = " ".join(segment.text for segment in segments).strip()
        if not text:
            raise NoSpeechError(f"{audio.name}: the server heard no speech")
        total = round(stream.seconds, 2)
        if progress is not None:
            progress(total, total)
        language = _code(language) or self.options.language
        return Transcript(text, language, total, self.model_id, tuple(segments))

    def transcribe_many(
        self, audios: Sequence[Path], progress: FileProgress | None = None
    ) -> Iterator[Transcript | TranscriptionError]:
        return one_by_one(self, audios, progress)

    def _uploads(self, audio: Path, stream: AudioStream) -> Iterator[tuple[float, str, bytes]]:
        """(offset in seconds, file name, bytes) of each upload: the file itself when it fits,
        else WAV parts cut in pauses; `stream` is read to its end either way."""
        if audio.stat().st_size <= self.options.max_bytes:
            for _ in stream:  # decoded to check it and to know its length
                pass
            yield 0.0, audio.name, audio.read_bytes()
            return
        length = max(_FRAME, (self.options.max_bytes - 64) // 2)
        search = min(length, CUT_SEARCH_SECONDS * SAMPLE_RATE)
        parts = windows(stream, length, search, _FRAME)
        for index, (start, samples) in enumerate(parts):
            yield start / SAMPLE_RATE, f"{audio.stem}.part{index + 1}.wav", _wav(samples)

    def _ask(self, name: str, payload: bytes) -> dict[str, Any]:
        o = self.options
        data: dict[str, Any] = {
            "model": o.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        }
        if o.language not in ("", "auto"):
            data["language"] = o.language
        if o.prompt:
            data["prompt"] = o.prompt
        headers = {"Authorization": f"Bearer {o.key}"} if o.key else {}
        try:
            response = self._client.post(
                o.endpoint, data=data, files={"file": (name, payload)}, headers=headers
            )
        except httpx.HTTPError as error:
            raise ServiceError(f"transcription server unreachable: {explain(error)}") from None
        if response.status_code != 200:
            raise ServiceError(
                f"transcription server answered {response.status_code}: {_reason(response)}"
            )
        try:
            answer = response.json()
        except ValueError:
            raise ServiceError("transcription server answered something that is not JSON") from None
        if not isinstance(answer, dict):
            raise ServiceError("transcription server answered JSON that is not an object")
        return answer


def _segments(answer: dict[str, Any], offset: float) -> list[Segment]:
    """The answer's segments, moved by `offset`; one segment of the whole text if it has none."""
    found = answer.get("segments")
    if not isinstance(found, list) or not found:
        text = str(answer.get("text") or "").strip()
        end = float(answer.get("duration") or 0.0)
        return [Segment(offset, offset + end, text)] if text else []
    segments = []
    for item in found:
        try:
            start, end = float(item["start"]), float(item["end"])
            text = str(item["text"]).strip()
        except (KeyError, TypeError, ValueError):
            raise ServiceError("transcription server answered a segment without times") from None
        if text:
            segments.append(Segment(round(offset + start, 3), round(offset + end, 3), text))
    return segments


def _wav(samples: Samples) -> bytes:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


def _reason(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
        message = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        message = None
    return " ".join(str(message or response.reason_phrase or "error").split())[:200]


_NAMES = {"russian": "ru", "english": "en"}


def _code(language: str) -> str:
    """OpenAI's server names the language ("russian"); notes keep its code ("ru")."""
    lowered = language.strip().lower()
    return _NAMES.get(lowered, lowered if len(lowered) <= 3 else "")


class FallbackTranscriber:
    """The remote server first; when it fails or times out, the local engine."""

    def __init__(self, remote: Transcriber, local: Transcriber) -> None:
        self.remote, self.local = remote, local

    @property
    def model_id(self) -> str:
        """The remote model's: each transcript names the model that made it."""
        return self.remote.model_id

    def load(self) -> None:
        """The local engine loads when it is first needed."""

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        try:
            return self.remote.transcribe(audio, progress)
        except ServiceError as error:
            log.warning("transcription server failed (%s); transcribing here", explain(error))
            return self.local.transcribe(audio, progress)

    def transcribe_many(
        self, audios: Sequence[Path], progress: FileProgress | None = None
    ) -> Iterator[Transcript | TranscriptionError]:
        return one_by_one(self, audios, progress)


def one_by_one(
    transcriber: Transcriber, audios: Sequence[Path], progress: FileProgress | None
) -> Iterator[Transcript | TranscriptionError]:
    """The engine's transcribe_many for a transcriber that takes one file at a time."""
    for index, audio in enumerate(audios):
        report = None if progress is None else (lambda d, t, i=index: progress(i, d, t))
        try:
            yield transcriber.transcribe(audio, report)
        except ModelError:  # every file's error, as the engine's
            raise
        except TranscriptionError as error:
            yield error
