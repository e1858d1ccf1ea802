"""Long notes: peak memory and time of `voicenotes transcribe` on 5, 20 and 60 minutes of speech.

Each recording is real Russian read speech (Debian's festvox-ru voice, as bench/transcribe.py
uses it): consecutive utterances joined by half-second pauses until the length is reached,
encoded as Ogg Opus at 24 kbit/s like a Telegram voice note. Each is transcribed by
`voicenotes transcribe FILE --kb NEW_KB` as a process of its own; wall time, CPU time and
peak RSS come from wait4 on it. The first row is the model alone: the same command on a
5-second note, so the process that loads the model and transcribes next to nothing; the last
column is each row's peak RSS minus that one, which should stay flat as the length grows.

    python bench/long_notes.py [--minutes 5,20,60] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# bench/transcribe.py shares its name with the `transcribe` package: keep this folder off the
# path, and put the project's root on it for the bench modules.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402

from bench import transcribe as speech  # noqa: E402
from bench import transcribe_e2e as e2e  # noqa: E402

MODEL_ALONE_SECONDS = 5


@dataclass(frozen=True)
class Row:
    label: str
    audio_seconds: float
    run: e2e.Run
    cues: int
    last_cue: float
    words: int


def utterances_from(corpus: Sequence[speech.Utterance]) -> Iterator[speech.Utterance]:
    """The corpus in order, again and again."""
    while True:
        yield from corpus


def long_recording(corpus: Sequence[speech.Utterance], seconds: float, path: Path) -> float:
    """`seconds` of consecutive utterances with pauses, as Ogg Opus at `path`; its length."""
    gap = np.zeros(int(speech.GAP_SECONDS * speech.RATE), dtype=np.int16)
    parts: list[speech.Int16] = []
    size, wanted = 0, int(seconds * speech.RATE)
    for utterance in utterances_from(corpus):
        for part in (speech.read_wav(utterance.wav), gap):
            parts.append(part)
            size += part.size
        if size >= wanted:
            break
    samples = np.concatenate(parts)[:wanted]
    speech.write_ogg(samples, path)
    return samples.size / speech.RATE


def transcribed(label: str, audio: Path, seconds: float, scratch: Path) -> Row:
    """`voicenotes transcribe` on `audio` in a fresh KB, measured; what it filed, counted."""
    from notes import timeline
    from notes.inbox import read_note

    kb = Path(tempfile.mkdtemp(dir=scratch, prefix="kb-"))
    run = e2e.measured([str(e2e.VOICENOTES), "transcribe", str(audio), "--kb", str(kb)])
    [note] = (kb / "inbox" / "raw").glob("*_transcript.txt")
    cues = timeline.read(note.parent, note.name) or []
    words = len(read_note(note).text.split())
    return Row(label, seconds, run, len(cues), cues[-1].end if cues else 0.0, words)


def table(rows: Sequence[Row]) -> str:
    model = rows[0].run.rss_mb
    lines = [
        "| recording | audio s | wall s | RTF | CPU s | peak RSS MB | RSS − model's MB "
        "| cues | last cue s | words |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.label} | {row.audio_seconds:.0f} | {row.run.wall:.1f} "
            f"| {row.run.wall / row.audio_seconds:.3f} | {row.run.cpu:.1f} "
            f"| {row.run.rss_mb:.0f} | {row.run.rss_mb - model:+.0f} | {row.cues} "
            f"| {row.last_cue:.0f} | {row.words} |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--minutes", default="5,20,60", help="lengths to transcribe (default: %(default)s)"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=speech.DEFAULT_CORPUS,
        help="festvox-ru voice folder (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    minutes = [float(value) for value in args.minutes.split(",") if value]
    corpus = speech.read_corpus(args.corpus)
    with tempfile.TemporaryDirectory(prefix="bench-long-") as folder:
        scratch = Path(folder)
        short = scratch / "model-alone.ogg"
        short_seconds = long_recording(corpus, MODEL_ALONE_SECONDS, short)
        _log("warm-up: the model assembled and read once")
        transcribed("warm-up", short, short_seconds, scratch)
        rows = [transcribed("model alone (5 s note)", short, short_seconds, scratch)]
        for length in minutes:
            audio = scratch / f"long-{length:g}min.ogg"
            seconds = long_recording(corpus, length * 60, audio)
            _log(f"{length:g} min: {audio.stat().st_size / 1e6:.1f} MB of Opus, transcribing")
            rows.append(transcribed(f"{length:g} min", audio, seconds, scratch))
            _log(table(rows))
    print(
        "voicenotes transcribe, one process per recording (real speech, Ogg Opus 24 kbit/s);"
        " RTF: wall s / audio s"
    )
    print(table(rows))
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
