"""Engine settings, with defaults chosen from bench/transcribe.py measurements."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

EMBEDDED_MODEL = "embedded"
GPU_BATCH_SIZE = 8
"""Chunks decoded together on a GPU. Not measured here (no GPU on the bench machine):
faster-whisper's published GPU benchmarks use batches of 8 to 16; 8 keeps a small card's
memory safe."""


@dataclass(frozen=True)
class EngineOptions:
    model: str = EMBEDDED_MODEL
    """`embedded` (Whisper base shipped on PyPI), a faster-whisper model name, or a folder."""
    language: str = "ru"
    """A language code, or `auto` to detect it."""
    glossary: tuple[str, ...] = ()
    beam_size: int = 3
    """Beam 3 is as accurate as faster-whisper's 5 on real speech, and faster (bench/README.md)."""
    batch_size: int = 2
    """Chunks of speech (up to 30 s each, of one file or consecutive ones) decoded together by
    the batched pipeline; 0 runs the sequential decoder. The decoder holds some 45 MB per chunk
    in flight (batch size times workers): two batches of 2 keep the process within 150 MB of
    bare faster-whisper, some 5 to 15% slower than two of 4 (bench/README.md)."""
    device: str = "cpu"
    """`cpu`, `cuda`, or `auto` (a GPU when CTranslate2 sees one)."""
    compute_type: str = "auto"
    """`auto`: int8 on the CPU (bench/README.md), float16 on a GPU; or any CTranslate2 type."""
    workers: int = 0
    """Batches decoded at the same time (0: one per core). On a CPU one batch leaves cores idle
    (the decoder's matrices are small, and Python runs between its steps), so batches side by
    side finish sooner (bench/README.md)."""
    cpu_threads: int = 0
    """Threads of each worker (0: every core, so a lone batch, such as one short note, still
    uses them all; measured faster than splitting the cores among the workers)."""
    vad: bool = True
    vad_speech_pad_ms: int = 400
    """Speech kept either side of what the VAD hears (faster-whisper's default: 400)."""
    vad_min_silence_ms: int = 160
    """A pause at least this long splits speech (the batched pipeline's default: 160)."""
    chunk_seconds: int = 30
    """Longest stretch of speech decoded as one piece (Whisper's window: 30)."""
    cache_dir: Path | None = None
    """Where the embedded model is assembled (None: VOICENOTES_CACHE_DIR, else ~/.cache)."""

    def for_device(self, device: str) -> EngineOptions:
        """These options on `device`: `auto` compute types become the device's, and on a GPU
        the CPU's batching defaults become one worker decoding batches of GPU_BATCH_SIZE."""
        compute = self.compute_type
        if compute == "auto":
            compute = "float16" if device == "cuda" else "int8"
        if device != "cuda":
            return replace(self, device=device, compute_type=compute)
        batch = GPU_BATCH_SIZE if self.batch_size == EngineOptions.batch_size else self.batch_size
        return replace(self, device=device, compute_type=compute, batch_size=batch, workers=1)

    @property
    def language_code(self) -> str | None:
        return None if self.language in ("", "auto") else self.language

    @property
    def parallel(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)

    @property
    def threads(self) -> int:
        return self.cpu_threads or os.cpu_count() or 1

    def vad_parameters(self) -> dict[str, int]:
        return {
            "speech_pad_ms": self.vad_speech_pad_ms,
            "min_silence_duration_ms": self.vad_min_silence_ms,
        }

    def initial_prompt(self) -> str | None:
        """The glossary as the text Whisper continues from, so terms keep their spelling."""
        return ", ".join(self.glossary) + "." if self.glossary else None
