"""The faster-whisper engine: the only module that imports faster_whisper."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.vad import VadOptions, get_speech_timestamps

from transcribe import heap
from transcribe.advance import Advance, encoded_share
from transcribe.audio import SAMPLE_RATE, AudioStream, Samples
from transcribe.base import (
    AudioError,
    FileProgress,
    ModelError,
    Progress,
    Transcript,
    TranscriptionError,
    explain,
)
from transcribe.batches import Batches, Chunk, Decoded, FileState, offsets, result_of
from transcribe.catalog import local_folder
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

_load_lock = threading.Lock()
_encoding = threading.local()
"""`on_window`: called with the index of each window of a batch once the encoder is done with
it, while `_decode` runs the batch on this (worker) thread."""


class _Whisper(WhisperModel):  # type: ignore[misc]
    """WhisperModel whose encoder takes a batch one 30-second window at a time, one window
    in the whole process at a time.

    Self-attention over a window's 1500 frames needs about 50 MB per window at once, so a
    batch of 8 encoded together costs some 400 MB more than one; encoding windows one by one
    is hardly slower on a CPU, and the decoder still runs the whole batch at once (where
    batching pays). One pass keeps every core busy, so workers take turns at the encoder
    (a pass of one beside the decoding of another is what runs side by side): two passes at
    once took some 75 MB more and were no faster (bench/README.md)."""

    _encoder_turn = threading.Lock()

    def encode(self, features: Any) -> Any:
        if features.ndim == 2:  # the sequential decoder's window, or language detection
            return self._one_pass(features)
        on_window = getattr(_encoding, "on_window", None) or (lambda _: None)
        if features.shape[0] == 1:
            encoded = self._one_pass(features)
            on_window(0)
            return encoded
        parts = []
        for index, window in enumerate(features):
            parts.append(np.asarray(self._one_pass(window[np.newaxis])))
            on_window(index)
        return ctranslate2.StorageView.from_array(np.concatenate(parts))

    def _one_pass(self, features: Any) -> Any:
        with self._encoder_turn:
            return super().encode(features)


class WhisperEngine:
    """Transcribes with faster-whisper on the CPU or a GPU; the model loads once per process."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        options = options or EngineOptions()
        self.options = options.for_device(_device(options.device))

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
        batch_size, parallel = self.options.batch_size, self.options.parallel
        with Batches(self._decode, batch_size, parallel, progress) as batches:
            files: deque[FileState] = deque()
            for index, path in enumerate(audios):
                current = FileState(index, advance=Advance(encoded_share(batches.size)))
                files.append(current)
                try:
                    for chunk in self._chunks(current, path, progress):
                        batches.add(chunk)
                except AudioError as error:  # the model's errors are every file's: they propagate
                    current.error = error
                    batches.drop(current)
                current.read = True
                if self.options.language_code is None:  # detection must not mix files
                    batches.finish()
                while files and files[0].read and not files[0].waiting:
                    yield result_of(
                        files.popleft(), progress, self.options.language_code, self.model_id
                    )
            batches.finish()
            while files:
                yield result_of(
                    files.popleft(), progress, self.options.language_code, self.model_id
                )

    def _chunks(
        self, current: FileState, path: Path, progress: FileProgress | None
    ) -> Iterator[Chunk]:
        current.stream = AudioStream(path)
        pieces = windows(
            current.stream,
            length=WINDOW_SECONDS * SAMPLE_RATE,
            search=CUT_SEARCH_SECONDS * SAMPLE_RATE,
            frame=_CUT_FRAME,
        )
        for offset, samples in pieces:
            groups = group_spans(self._speech(samples), self.most_samples)
            times = [
                ((offset + group[0].start) / SAMPLE_RATE, (offset + group[-1].end) / SAMPLE_RATE)
                for group in groups
            ]
            until = (offset + samples.size) / SAMPLE_RATE
            current.advanced(partial(Advance.scanned, chunks=times, until=until), progress)
            for group, (start, end) in zip(groups, times, strict=True):
                yield Chunk(current, speech_of(samples, group), start, end)

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
        found = get_speech_timestamps(samples, vad)
        heap.release_free_memory()
        return [Span(s["start"], s["end"]) for s in found]

    def _decode(self, chunks: list[Chunk], progress: FileProgress | None) -> Decoded:
        """Decode `chunks` (of one or more files) in one batch; runs in a worker thread, where
        each window encoded advances its file's progress."""
        sizes = [chunk.audio.size for chunk in chunks]
        starts = offsets(chunks)
        # A quarter sample in: faster-whisper truncates seconds * rate to a sample index.
        clips = [
            {"start": (s + 0.25) / SAMPLE_RATE, "end": (s + n + 0.25) / SAMPLE_RATE}
            for s, n in zip(starts, sizes, strict=True)
        ]
        with _reporting_windows(chunks, progress):
            found, info = self._run(np.concatenate([c.audio for c in chunks]), clips, len(chunks))
            return chunks, list(found), info  # the pipeline encodes and decodes as it is read

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
        self, done: FileState, progress: FileProgress | None
    ) -> Transcript | TranscriptionError:
        return result_of(done, progress, self.options.language_code, self.model_id)

    def _model(self) -> WhisperModel:
        o = self.options
        return _load_model(o.model, o.device, o.compute_type, o.threads, o.parallel, o.cache_dir)


@contextmanager
def _reporting_windows(chunks: Sequence[Chunk], progress: FileProgress | None) -> Iterator[None]:
    """While the batch of `chunks` runs, each encoded window advances its file's progress."""

    def encoded(window: int) -> None:
        if window < len(chunks):
            change = partial(Advance.encoded, start=chunks[window].start)
            chunks[window].file.advanced(change, progress)

    _encoding.on_window = encoded
    try:
        yield
    finally:
        _encoding.on_window = None


@lru_cache(maxsize=4)
def _load_model(
    name: str, device: str, compute_type: str, threads: int, workers: int, cache: Path | None
) -> WhisperModel:
    with _load_lock:
        source = embedded_model_dir(cache) if name == EMBEDDED_MODEL else local_folder(name)
        if device == "cuda" and not _gpus():
            raise ModelError("VOICENOTES_DEVICE is cuda, but CTranslate2 sees no CUDA GPU")
        try:
            return _Whisper(
                str(source),
                device=device,
                compute_type=compute_type,
                cpu_threads=threads,
                num_workers=workers,
            )
        except Exception as error:  # faster-whisper raises many kinds; all mean "cannot load"
            raise ModelError(f"cannot load Whisper model {name!r}: {explain(error)}") from None


def _gpus() -> int:
    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # a CTranslate2 built without CUDA says so by raising
        return 0


def _device(name: str) -> str:
    """`auto` is a GPU when CTranslate2 sees one, else the CPU; other names stay as given."""
    if name == "auto":
        return "cuda" if _gpus() else "cpu"
    if name not in ("cpu", "cuda"):
        raise ModelError(f"unknown device {name!r}: use cpu, cuda or auto")
    return name


@lru_cache(maxsize=4)
def _pipeline(model: WhisperModel) -> BatchedInferencePipeline:
    return BatchedInferencePipeline(model)
