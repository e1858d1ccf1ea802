"""The faster-whisper engine: the only module that imports faster_whisper."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from faster_whisper import BatchedInferencePipeline, WhisperModel

from transcribe.audio import SAMPLE_RATE, load_audio
from transcribe.base import (
    ModelError,
    NoSpeechError,
    Progress,
    Segment,
    Transcript,
    explain,
)
from transcribe.model import MODEL_ID, embedded_model_dir
from transcribe.options import EMBEDDED_MODEL, EngineOptions

_load_lock = threading.Lock()


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
        samples = load_audio(audio)
        total = samples.size / SAMPLE_RATE
        segments_iter, info = self._run(samples)
        segments = []
        for piece in segments_iter:
            text = piece.text.strip()
            if text:
                segments.append(Segment(piece.start, piece.end, text))
            if progress:
                progress(min(piece.end, total), total)
        text = " ".join(segment.text for segment in segments).strip()
        if not text:
            raise NoSpeechError("no speech found (silence or noise only)")
        if progress:
            progress(total, total)
        return Transcript(text, info.language, round(total, 2), self.model_id, tuple(segments))

    def _run(self, samples: Any) -> tuple[Any, Any]:
        opts = self.options
        common: dict[str, Any] = {
            "language": opts.language_code,
            "beam_size": opts.beam_size,
            "vad_filter": opts.vad,
            "initial_prompt": opts.initial_prompt(),
        }
        model = self._model()
        result: tuple[Any, Any]
        if opts.batch_size > 0:
            result = _pipeline(model).transcribe(samples, batch_size=opts.batch_size, **common)
        else:
            result = model.transcribe(samples, **common)
        return result

    def _model(self) -> WhisperModel:
        opts = self.options
        return _load_model(opts.model, opts.compute_type, opts.threads, opts.cache_dir)


@lru_cache(maxsize=4)
def _load_model(name: str, compute_type: str, threads: int, cache: Path | None) -> WhisperModel:
    with _load_lock:
        source = str(embedded_model_dir(cache)) if name == EMBEDDED_MODEL else name
        if _looks_like_path(name) and not Path(name).expanduser().is_dir():
            raise ModelError(f"cannot load Whisper model {name!r}: no such model folder")
        try:
            return WhisperModel(
                source, device="cpu", compute_type=compute_type, cpu_threads=threads
            )
        except Exception as error:  # faster-whisper raises many kinds; all mean "cannot load"
            raise ModelError(f"cannot load Whisper model {name!r}: {explain(error)}") from None


def _looks_like_path(name: str) -> bool:
    """`org/model` is a hub name faster-whisper may fetch; `/x`, `./x`, `~/x` are folders."""
    return name.startswith(("/", ".", "~"))


@lru_cache(maxsize=4)
def _pipeline(model: WhisperModel) -> BatchedInferencePipeline:
    return BatchedInferencePipeline(model)
