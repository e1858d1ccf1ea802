"""The faster-whisper engine: the only module that imports faster_whisper."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.vad import VadOptions, get_speech_timestamps

from transcribe.audio import SAMPLE_RATE, AudioStream, Samples
from transcribe.base import (
    AudioError,
    ModelError,
    NoSpeechError,
    Progress,
    Segment,
    Transcript,
    TranscriptionError,
    explain,
)
from transcribe.chunks import Span, group_spans, speech_of
from transcribe.model import MODEL_ID, embedded_model_dir
from transcribe.options import EMBEDDED_MODEL, EngineOptions
from transcribe.windows import windows

WINDOW_SECONDS = 120
"""Audio is decoded and searched for speech this much at a time, so memory does not grow with
the length of a recording."""
CUT_SEARCH_SECONDS = 20
"""A window ends at the quietest 100 ms of its last this many seconds."""
_CUT_FRAME = SAMPLE_RATE // 10

FileProgress = Callable[[int, float, float], None]
"""Called with (index of the file, seconds of it done, its total seconds)."""

_load_lock = threading.Lock()


class _Whisper(WhisperModel):  # type: ignore[misc]
    """WhisperModel whose encoder takes a batch one 30-second window at a time.

    Self-attention over a window's 1500 frames needs about 50 MB per window at once, so a
    batch of 8 encoded together costs some 400 MB more than one; encoding windows one by one
    is hardly slower on a CPU, and the decoder still runs the whole batch at once (where
    batching pays)."""

    def encode(self, features: Any) -> Any:
        if features.ndim == 2 or features.shape[0] == 1:
            return super().encode(features)
        encode = super().encode
        parts = [np.asarray(encode(window[np.newaxis])) for window in features]
        return ctranslate2.StorageView.from_array(np.concatenate(parts))


@dataclass
class _File:
    index: int
    stream: AudioStream | None = None
    segments: list[Segment] = field(default_factory=list)
    waiting: int = 0
    """Chunks queued for the model, not yet decoded."""
    read: bool = False
    error: TranscriptionError | None = None
    language: str | None = None

    @property
    def total(self) -> float:
        return max(self.stream.declared, self.stream.seconds) if self.stream else 0.0


@dataclass(frozen=True)
class _Chunk:
    file: _File
    audio: Samples
    start: float
    end: float
    """Where its speech begins and ends in the recording, in seconds."""


class _Batches:
    """Chunks gathered into batches, decoded by a pool of worker threads; results applied
    in the calling thread, in the order the batches were made."""

    def __init__(self, engine: WhisperEngine, progress: FileProgress | None) -> None:
        self.engine = engine
        self.progress = progress
        self.size = max(1, engine.options.batch_size)
        self.queue: deque[_Chunk] = deque()
        self.running: deque[Future[tuple[list[_Chunk], list[Any], Any]]] = deque()
        self.pool = ThreadPoolExecutor(engine.options.parallel, thread_name_prefix="whisper")

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *_: object) -> None:
        for future in self.running:
            future.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def add(self, chunk: _Chunk) -> None:
        self.queue.append(chunk)
        chunk.file.waiting += 1
        if len(self.queue) >= self.size:
            self._submit([self.queue.popleft() for _ in range(self.size)])

    def drop(self, gone: _File) -> None:
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

    def _submit(self, chunks: list[_Chunk]) -> None:
        if len(self.running) >= self.engine.options.parallel:
            self._apply(self.running.popleft())
        self.running.append(self.pool.submit(self.engine._decode, chunks))

    def _apply(self, future: Future[tuple[list[_Chunk], list[Any], Any]]) -> None:
        chunks, found, info = future.result()
        for chunk in chunks:
            chunk.file.language = chunk.file.language or info.language
        seconds = list(accumulate((c.audio.size / SAMPLE_RATE for c in chunks[:-1]), initial=0.0))
        for piece in found:
            chunk = chunks[bisect_right(seconds, piece.start + 0.01) - 1]
            text = piece.text.strip()
            if text and chunk.file.error is None:
                chunk.file.segments.append(Segment(chunk.start, chunk.end, text))
        for chunk in chunks:
            if chunk.file.error is not None:
                continue
            chunk.file.waiting -= 1
            if self.progress:
                total = chunk.file.total
                self.progress(chunk.file.index, min(chunk.end, total), total)


class WhisperEngine:
    """Transcribes with faster-whisper on the CPU; the model loads once per process."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()

    @property
    def model_id(self) -> str:
        name = self.options.model
        return MODEL_ID if name == EMBEDDED_MODEL else f"faster-whisper {name}"

    def load(self) -> None:
        """Load the model now rather than on the first file."""
        self._model()

    def transcribe(self, audio: Path, progress: Progress | None = None) -> Transcript:
        """The text of `audio` with its segments (times in seconds from the start).

        Raises AudioError for a missing or damaged file (also when the damage shows only at
        its end), NoSpeechError when nothing is said, ModelError when the model cannot load.
        """
        report = (lambda _, done, total: progress(done, total)) if progress else None
        [result] = self.transcribe_many([audio], report)
        if isinstance(result, TranscriptionError):
            raise result
        return result

    def transcribe_many(
        self, audios: Sequence[Path], progress: FileProgress | None = None
    ) -> Iterator[Transcript | TranscriptionError]:
        """One result per file, in order: its Transcript, or the TranscriptionError saying
        why it has none. A file's result comes as soon as it is complete.

        Audio is decoded and searched for speech window by window (WINDOW_SECONDS, cut in a
        pause), and the speech of consecutive files shares the model's batches (when the
        language is fixed), so memory stays bounded whatever the length or number of files.
        Up to `options.parallel` batches are decoded at once, while the next audio is read.
        ModelError is raised, not returned: no file can be transcribed without the model.
        """
        with _Batches(self, progress) as batches:
            files: deque[_File] = deque()
            for index, path in enumerate(audios):
                current = _File(index)
                files.append(current)
                try:
                    for chunk in self._chunks(current, path):
                        batches.add(chunk)
                except AudioError as error:  # the model's errors are every file's: they propagate
                    current.error = error
                    batches.drop(current)
                current.read = True
                if self.options.language_code is None:  # detection must not mix files
                    batches.finish()
                while files and files[0].read and not files[0].waiting:
                    yield self._result(files.popleft(), progress)
            batches.finish()
            while files:
                yield self._result(files.popleft(), progress)

    def _chunks(self, current: _File, path: Path) -> Iterator[_Chunk]:
        current.stream = AudioStream(path)
        pieces = windows(
            current.stream,
            length=WINDOW_SECONDS * SAMPLE_RATE,
            search=CUT_SEARCH_SECONDS * SAMPLE_RATE,
            frame=_CUT_FRAME,
        )
        for offset, samples in pieces:
            for group in group_spans(self._speech(samples), self.most_samples):
                start = (offset + group[0].start) / SAMPLE_RATE
                end = (offset + group[-1].end) / SAMPLE_RATE
                yield _Chunk(current, speech_of(samples, group), start, end)

    @property
    def most_samples(self) -> int:
        return self.options.chunk_seconds * SAMPLE_RATE

    def _speech(self, samples: Samples) -> list[Span]:
        opts = self.options
        if not opts.vad:
            return [
                Span(start, min(start + self.most_samples, samples.size))
                for start in range(0, samples.size, self.most_samples)
            ]
        vad = VadOptions(max_speech_duration_s=opts.chunk_seconds, **opts.vad_parameters())
        return [Span(s["start"], s["end"]) for s in get_speech_timestamps(samples, vad)]

    def _decode(self, chunks: list[_Chunk]) -> tuple[list[_Chunk], list[Any], Any]:
        """Decode `chunks` (of one or more files) in one batch; runs in a worker thread."""
        sizes = [chunk.audio.size for chunk in chunks]
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        # A quarter sample in: faster-whisper truncates seconds * rate to a sample index.
        clips = [
            {"start": (s + 0.25) / SAMPLE_RATE, "end": (s + n + 0.25) / SAMPLE_RATE}
            for s, n in zip(starts, sizes, strict=True)
        ]
        found, info = self._run(np.concatenate([c.audio for c in chunks]), clips, len(chunks))
        return chunks, list(found), info

    def _run(self, samples: Samples, clips: list[dict[str, float]], size: int) -> tuple[Any, Any]:
        opts = self.options
        common: dict[str, Any] = {
            "language": opts.language_code,
            "beam_size": opts.beam_size,
            "initial_prompt": opts.initial_prompt(),
            "chunk_length": opts.chunk_seconds,
            "without_timestamps": True,
        }
        model = self._model()
        if opts.batch_size > 0:
            result: tuple[Any, Any] = _pipeline(model).transcribe(
                samples, clip_timestamps=clips, batch_size=size, **common
            )
            return result
        result = model.transcribe(
            samples, clip_timestamps=[t for c in clips for t in (c["start"], c["end"])], **common
        )
        return result

    def _result(
        self, done: _File, progress: FileProgress | None
    ) -> Transcript | TranscriptionError:
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
        language = done.language or self.options.language_code or ""
        return Transcript(text, language, total, self.model_id, tuple(done.segments))

    def _model(self) -> WhisperModel:
        o = self.options
        return _load_model(o.model, o.compute_type, o.threads, o.parallel, o.cache_dir)


@lru_cache(maxsize=4)
def _load_model(
    name: str, compute_type: str, threads: int, workers: int, cache: Path | None
) -> WhisperModel:
    with _load_lock:
        source = str(embedded_model_dir(cache)) if name == EMBEDDED_MODEL else name
        if _looks_like_path(name) and not Path(name).expanduser().is_dir():
            raise ModelError(f"cannot load Whisper model {name!r}: no such model folder")
        try:
            return _Whisper(
                source,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=threads,
                num_workers=workers,
            )
        except Exception as error:  # faster-whisper raises many kinds; all mean "cannot load"
            raise ModelError(f"cannot load Whisper model {name!r}: {explain(error)}") from None


def _looks_like_path(name: str) -> bool:
    """`org/model` is a hub name faster-whisper may fetch; `/x`, `./x`, `~/x` are folders."""
    return name.startswith(("/", ".", "~"))


@lru_cache(maxsize=4)
def _pipeline(model: WhisperModel) -> BatchedInferencePipeline:
    return BatchedInferencePipeline(model)
