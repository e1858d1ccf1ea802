"""Engine settings, with defaults chosen from bench/transcribe.py measurements."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

EMBEDDED_MODEL = "embedded"


@dataclass(frozen=True)
class EngineOptions:
    model: str = EMBEDDED_MODEL
    """`embedded` (Whisper base shipped on PyPI), a faster-whisper model name, or a folder."""
    language: str = "ru"
    """A language code, or `auto` to detect it."""
    glossary: tuple[str, ...] = ()
    beam_size: int = 5
    batch_size: int = 8
    """Segments decoded together by the batched pipeline; 0 runs the sequential decoder."""
    compute_type: str = "int8"
    cpu_threads: int = 0
    """0 uses every core."""
    vad: bool = True
    cache_dir: Path | None = None
    """Where the embedded model is assembled (None: VOICENOTES_CACHE_DIR, else ~/.cache)."""

    @property
    def language_code(self) -> str | None:
        return None if self.language in ("", "auto") else self.language

    @property
    def threads(self) -> int:
        return self.cpu_threads or os.cpu_count() or 1

    def initial_prompt(self) -> str | None:
        """The glossary as the text Whisper continues from, so terms keep their spelling."""
        return ", ".join(self.glossary) + "." if self.glossary else None
