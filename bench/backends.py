"""Transcription backends side by side: every Whisper model and device this machine has, and a
transcription server (the tests' local one, speaking the OpenAI audio API) for the time the
round trip adds.

    python bench/backends.py [--repeat 3]

Rows: the embedded model on the CPU (the baseline, ratio 1.00), each named model in the model
cache (`voicenotes model list`) on the CPU, each again on a GPU when CTranslate2 sees one, and
the remote backend. The local server "hears" speech by loudness, so its own work is tiny and
measured apart: what the remote row adds over it is the upload, the answer and our handling,
i.e. the round trip a real server's network time comes on top of. Files: the 12 s clip of the
tests and a 3-minute note made from it (sent whole, and in parts under a 2 MB limit).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import SPEECH_OGG
from tests.support import audio
from tests.support.audio_api import AudioApiServer, sounds
from transcribe import EngineOptions, Transcriber
from transcribe.audio import load_audio
from transcribe.catalog import cached_models
from transcribe.engine import WhisperEngine, _gpus
from transcribe.remote import RemoteOptions, RemoteTranscriber


def timed(transcriber: Transcriber, path: Path, repeat: int) -> float:
    transcriber.transcribe(path)  # warm: model loaded, caches filled
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        transcriber.transcribe(path)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def local_rows(files: dict[str, Path], repeat: int) -> list[tuple[str, dict[str, float]]]:
    setups = [("embedded", "cpu")] + [(m.name, "cpu") for m in cached_models()]
    if _gpus():
        setups += [(name, "cuda") for name, _ in list(setups)]
    rows = []
    for model, device in setups:
        engine = WhisperEngine(EngineOptions(model=model, device=device))
        engine.load()
        rows.append(
            (f"{model} on {device}", {k: timed(engine, p, repeat) for k, p in files.items()})
        )
    return rows


def remote_rows(files: dict[str, Path], repeat: int) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for label, limit in (("remote, whole", 25 * 1024 * 1024), ("remote, 2 MB parts", 2_000_000)):
        with AudioApiServer(max_bytes=limit) as api:
            remote = RemoteTranscriber(RemoteOptions(url=api.url, max_bytes=limit))
            rows.append((label, {k: timed(remote, p, repeat) for k, p in files.items()}))
            handling = _server_time(files, repeat)
        rows.append(
            (f"{label}: round trip added", {k: rows[-1][1][k] - handling[k] for k in files})
        )
    return rows


def _server_time(files: dict[str, Path], repeat: int) -> dict[str, float]:
    """The local server's own work per file (decoding, finding the sounds), in this process."""
    result = {}
    for key, path in files.items():
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            sounds(load_audio(path))
            runs.append(time.perf_counter() - started)
        result[key] = statistics.median(runs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        note, _ = audio.spaced_speech(Path(folder) / "note.ogg", copies=10, gap=6.0)
        files = {"12 s clip": SPEECH_OGG, "3 min note": note}
        rows = local_rows(files, args.repeat) + remote_rows(files, args.repeat)
    base = rows[0][1]
    print(f"| backend | {' | '.join(f'{k} s | × embedded' for k in files)} |")
    print("|---|" + "---:|---:|" * len(files))
    for label, times in rows:
        cells = " | ".join(f"{times[k]:.2f} | {times[k] / base[k]:.2f}" for k in files)
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
