"""Speech chunks of one or more files, gathered into batches for the model.

The model's call itself (`decode`) is the engine's; here is the bookkeeping around it: which
file each chunk belongs to, batches decoded by a pool of worker threads with results applied in
the calling thread in the order the batches were made, each file's progress, and its result.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from transcribe import heap
from transcribe.advance import Advance
from transcribe.audio import SAMPLE_RATE, AudioStream, Samples
from transcribe.base import FileProgress, NoSpeechError, Segment, Transcript, TranscriptionError

Decoded = tuple[list["Chunk"], list[Any], Any]
"""The chunks of a batch, the model's segments for them, and its info (the language)."""
Decode = Callable[[list["Chunk"], FileProgress | None], Decoded]


@dataclass
class FileState:
    index: int
    stream: AudioStream | None = None
    segments: list[Segment] = field(default_factory=list)
    waiting: int = 0
    """Chunks queued for the model, not yet decoded."""
    read: bool = False
    error: TranscriptionError | None = None
    language: str | None = None
    advance: Advance = field(default_factory=Advance)
    shown: float = 0.0
    """The seconds done last reported."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Held while `advance` changes and is reported: windows are encoded in worker threads."""

    @property
    def total(self) -> float:
        return max(self.stream.declared, self.stream.seconds) if self.stream else 0.0

    def advanced(self, change: Callable[[Advance], None], progress: FileProgress | None) -> None:
        """Apply `change` to the file's advance and report how far the file has come, if that
        is further than last time (from any thread).

        Reports go in tenths of a second, strictly increasing, and stay short of the audio
        decoded so far: only the file's result reports it whole."""
        with self.lock:
            change(self.advance)
            done = math.floor(self.advance.done * 10) / 10
            if progress and self.stream and self.shown < done < self.stream.seconds - 0.1:
                self.shown = done
                progress(self.index, done, self.total)


@dataclass(frozen=True)
class Chunk:
    file: FileState
    audio: Samples
    start: float
    end: float
    """Where its speech begins and ends in the recording, in seconds."""


class Batches:
    """Chunks gathered into batches, decoded by a pool of worker threads; results applied
    in the calling thread, in the order the batches were made."""

    def __init__(
        self, decode: Decode, batch_size: int, parallel: int, progress: FileProgress | None
    ) -> None:
        self.decode = decode
        self.parallel = parallel
        self.progress = progress
        self.size = max(1, batch_size)
        self.queue: deque[Chunk] = deque()
        self.running: deque[Future[Decoded]] = deque()
        self.pool = ThreadPoolExecutor(parallel, thread_name_prefix="whisper")

    def __enter__(self) -> Batches:
        return self

    def __exit__(self, *_: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def add(self, chunk: Chunk) -> None:
        self.queue.append(chunk)
        chunk.file.waiting += 1
        if len(self.queue) >= self.size:
            self._submit([self.queue.popleft() for _ in range(self.size)])

    def drop(self, gone: FileState) -> None:
        """Forget the queued chunks of a file that failed (those running are ignored)."""
        kept = [chunk for chunk in self.queue if chunk.file is not gone]
        self.queue = deque(kept)
        gone.waiting = 0

    def finish(self) -> None:
        """Decode everything queued and wait for every batch."""
        while self.queue:
            count = min(self.size, len(self.queue))
            self._submit([self.queue.popleft() for _ in range(count)])
        while self.running:
            self._apply(self.running.popleft())

    def _submit(self, chunks: list[Chunk]) -> None:
        if len(self.running) >= self.parallel:
            self._apply(self.running.popleft())
        self.running.append(self.pool.submit(self.decode, chunks, self.progress))

    def _apply(self, future: Future[Decoded]) -> None:
        chunks, found, info = future.result()
        for chunk in chunks:
            chunk.file.language = chunk.file.language or info.language
        seconds = [start / SAMPLE_RATE for start in offsets(chunks)]
        for piece in found:
            chunk = chunks[bisect_right(seconds, piece.start + 0.01) - 1]
            text = piece.text.strip()
            if text and chunk.file.error is None:
                chunk.file.segments.append(Segment(chunk.start, chunk.end, text))
        heap.release_free_memory()  # else memory grows with the length of a recording
        for chunk in chunks:
            if chunk.file.error is not None:
                continue
            chunk.file.waiting -= 1
            chunk.file.advanced(Advance.decoded, self.progress)


def offsets(chunks: Sequence[Chunk]) -> list[int]:
    """Where each chunk begins in the samples of its batch, the chunks joined in order."""
    return list(accumulate((chunk.audio.size for chunk in chunks[:-1]), initial=0))


def result_of(
    done: FileState, progress: FileProgress | None, language: str | None, model_id: str
) -> Transcript | TranscriptionError:
    """A file's result once all its chunks are decoded: its error, NoSpeechError when no text
    was found, or its Transcript (segments in time order); reports the file done."""
    if done.error:
        return done.error
    assert done.stream is not None
    total = round(done.stream.seconds, 2)
    done.segments.sort(key=lambda segment: segment.start)
    text = " ".join(segment.text for segment in done.segments).strip()
    if not text:
        return NoSpeechError("no speech found (silence or noise only)")
    if progress:
        progress(done.index, total, total)
    language = done.language or language or ""
    return Transcript(text, language, total, model_id, tuple(done.segments))
