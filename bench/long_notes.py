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
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# bench/transcribe.py shares its name with the `transcribe` package: keep this folder off the
# path, and put the project's root on it for the bench modules.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from bench import transcribe_e2e as e2e  # noqa: E402

if TYPE_CHECKING:
    from bench import transcribe as speech

DEFAULT_CORPUS = Path("/usr/share/festival/voices/russian/msu_ru_nsh_clunits")
"""As in bench/transcribe.py, which this process does not import: it would load the model's
libraries into the process that measures (see make_recording)."""

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


def speech_blocks(corpus: Sequence[speech.Utterance], seconds: float) -> Iterator[speech.Int16]:
    """`seconds` of consecutive utterances, each followed by a pause, one block each."""
    import numpy as np

    from bench import transcribe as speech

    gap = np.zeros(int(speech.GAP_SECONDS * speech.RATE), dtype=np.int16)
    left = int(seconds * speech.RATE)
    for utterance in utterances_from(corpus):
        block = np.concatenate([speech.read_wav(utterance.wav), gap])[:left]
        left -= block.size
        yield block
        if left <= 0:
            return


def make_recording(corpus_folder: Path, seconds: float, path: Path) -> None:
    """Write the recording in a process of its own: the measuring process stays small, since
    a child's peak RSS from wait4 counts its parent's pages before the child's exec."""
    code = (
        "import sys; from pathlib import Path; from bench import long_notes as n; "
        "n.write_recording(Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3]))"
    )
    command = [sys.executable, "-c", code, str(corpus_folder), str(seconds), str(path)]
    subprocess.run(command, check=True, cwd=_HERE.parent)


def write_recording(corpus_folder: Path, seconds: float, path: Path) -> None:
    from bench import transcribe as speech

    speech.write_ogg(speech_blocks(speech.read_corpus(corpus_folder), seconds), path)


def transcribed(label: str, audio: Path, seconds: float, scratch: Path) -> Row:
    """`voicenotes transcribe` on `audio` in a fresh KB, measured; what it filed, counted."""
    from notes.intake import timeline
    from notes.intake.inbox import read_note

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
        default=DEFAULT_CORPUS,
        help="festvox-ru voice folder (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    minutes = [float(value) for value in args.minutes.split(",") if value]
    if not (args.corpus / "etc" / "txt.done.data").is_file():
        sys.exit(f"error: no festvox-ru voice in {args.corpus} (apt-get install festvox-ru)")
    with tempfile.TemporaryDirectory(prefix="bench-long-") as folder:
        scratch = Path(folder)
        short = scratch / "model-alone.ogg"
        make_recording(args.corpus, MODEL_ALONE_SECONDS, short)
        _log("warm-up: the model assembled and read once")
        transcribed("warm-up", short, MODEL_ALONE_SECONDS, scratch)
        rows = [transcribed("model alone (5 s note)", short, MODEL_ALONE_SECONDS, scratch)]
        for length in minutes:
            audio = scratch / f"long-{length:g}min.ogg"
            make_recording(args.corpus, length * 60, audio)
            _log(f"{length:g} min: {audio.stat().st_size / 1e6:.1f} MB of Opus, transcribing")
            rows.append(transcribed(f"{length:g} min", audio, length * 60, scratch))
            _log(table(rows))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "voicenotes transcribe, one process per recording (real speech, Ogg Opus 24 kbit/s);"
        f" RTF: wall s / audio s; this measuring process peaked at {own:.0f} MB"
    )
    print(table(rows))
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
