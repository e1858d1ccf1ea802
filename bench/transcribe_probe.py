"""Where the time of `voicenotes transcribe` goes: the command's own steps, each timed.

Run as a fresh process by bench/transcribe.py. It does what `voicenotes transcribe` does,
in the same order (imports, model check, model load, then per file: decode, VAD,
transcription, filing), and prints one JSON object of seconds per step. Decoding and VAD are
also timed on their own, since the engine runs them inside its transcription call.

    python bench/transcribe_probe.py KB FILE...
"""

import time

STARTED = time.time()  # before any other import: the parent measures the process start

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# This folder holds a bench script named like the `transcribe` package: keep it off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]


def main() -> int:
    kb_root, *files = sys.argv[1:]
    steps: dict[str, float] = {"started_at": STARTED}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - clock
        clock = now

    import notes.cli  # noqa: F401

    lap("import cli")
    from transcribe.engine import WhisperEngine

    lap("import engine")
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from notes.intake import inbox
    from notes.intake.origin import Origin
    from notes.intake.voice import Recording, engine_options, transcript_note
    from notes.kb import KnowledgeBase
    from notes.settings import load_settings
    from transcribe.audio import AudioStream
    from transcribe.model import embedded_model_dir

    settings = load_settings(kb_root)
    options = engine_options(settings)
    kb = KnowledgeBase(settings.kb).ensure()
    clock = time.perf_counter()
    embedded_model_dir()
    lap("model check")
    engine = WhisperEngine(options)
    engine.load()
    lap("model load")
    vad = VadOptions(max_speech_duration_s=options.chunk_seconds, **options.vad_parameters())
    for number, name in enumerate(files):
        path = Path(name)
        tag = "first file" if number == 0 else "other files"
        samples = list(AudioStream(path))
        lap(f"decode ({tag})")
        for block in samples:
            get_speech_timestamps(block, vad)
        lap(f"VAD ({tag})")
        result = engine.transcribe(path)
        lap(f"transcribe call ({tag})")
        stem = f"probe_{number}"
        recording = Recording(Origin("local", _now(), 0, "probe"), "audio")
        inbox.keep_audio(kb, path, stem + path.suffix)
        note = transcript_note(recording, stem + path.suffix, result)
        inbox.file_note(kb, f"{stem}_transcript.txt", note)
        lap(f"write ({tag})")
    print(json.dumps(steps))
    return 0


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0)


if __name__ == "__main__":
    sys.exit(main())
