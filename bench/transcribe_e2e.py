"""End to end: `voicenotes transcribe` as a process against bare faster-whisper as a process.

Used by bench/transcribe.py. Every figure comes from fresh processes started by this one:
wall time from start to exit, CPU seconds and peak RSS of the child (from wait4, through
bench/peak.py), and the texts each produced, scored against the references. Runs alternate
between the two, so other load on the machine slows both alike; each is repeated and the
spread reported.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
VOICENOTES = Path(sys.executable).parent / "voicenotes"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mb: float
    stdout: str


@dataclass
class Rows:
    label: str
    runs: list[Run] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def measured(
    command: Sequence[str], env: dict[str, str] | None = None, *, check: bool = True
) -> Run:
    """Run `command` to the end; its wall time, CPU time and peak RSS (its own, from wait4 in
    the small bench/peak.py process, so this process's size does not count)."""
    with tempfile.TemporaryDirectory() as scratch:
        report, out, err = (Path(scratch) / name for name in ("peak.json", "out", "err"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            launcher = [sys.executable, str(HERE / "peak.py"), str(report), *command]
            code = subprocess.run(
                launcher, stdout=stdout, stderr=stderr, env={**os.environ, **(env or {})}
            ).returncode
        if check and code:
            last = err.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            sys.exit(f"error: {Path(command[0]).name} exited {code}: {last[0]}")
        figures = json.loads(report.read_text())
        return Run(figures["wall"], figures["cpu"], figures["rss_mb"], out.read_text())


def bare_run(model_folder: Path, files: Sequence[Path]) -> tuple[Run, list[str]]:
    command = [sys.executable, str(HERE / "transcribe_bare.py"), str(model_folder)]
    run = measured([*command, *map(str, files)])
    return run, [json.loads(line) for line in run.stdout.splitlines()]


def cli_run(files: Sequence[Path], scratch: Path, env: dict[str, str]) -> tuple[Run, list[str]]:
    """`voicenotes transcribe FILE... --kb KB` on a new KB; the texts it filed, in file order."""
    from notes.intake.inbox import read_note
    from notes.kb.names import safe_component

    kb = Path(tempfile.mkdtemp(dir=scratch, prefix="kb-"))
    run = measured([str(VOICENOTES), "transcribe", *map(str, files), "--kb", str(kb)], env)
    filed = {p.name: p for p in (kb / "inbox" / "raw").glob("*_transcript.txt")}
    texts = []
    for path in files:
        suffix = f"_{safe_component(path.stem)}_transcript.txt"
        match = [p for name, p in filed.items() if name.endswith(suffix)]
        texts.append(read_note(match[0]).text if match else "")
    return run, texts


def end_to_end(
    model_folder: Path, files: Sequence[Path], repeats: int, scratch: Path, env: dict[str, str]
) -> tuple[Rows, Rows]:
    """Bare and CLI, alternating which goes first, `repeats` times each."""
    bare, cli = Rows("bare faster-whisper script"), Rows("voicenotes transcribe")
    for number in range(repeats):
        _log(f"end to end, run {number + 1}/{repeats}")
        order: list[tuple[Rows, Callable[[], tuple[Run, list[str]]]]] = [
            (bare, lambda: bare_run(model_folder, files)),
            (cli, lambda: cli_run(files, scratch, env)),
        ]
        for rows, run in order if number % 2 == 0 else order[::-1]:
            result, texts = run()
            rows.runs.append(result)
            rows.texts = texts
    return bare, cli


def spread(values: Sequence[float], fmt: str = ".2f") -> str:
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}–{max(values):{fmt}})"


def probe(files: Sequence[Path], kb: Path, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """One fresh process doing the CLI's steps, each timed: (process start s, steps)."""
    launched = time.time()
    run = measured(
        [sys.executable, str(HERE / "transcribe_probe.py"), str(kb), *map(str, files)], env
    )
    steps = json.loads(run.stdout.splitlines()[-1])
    return steps.pop("started_at") - launched, steps


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bot_peak(files: Sequence[Path], scratch: Path) -> float:
    """Peak RSS (MB) of a process running the real bot while it transcribes `files`."""
    kb = Path(tempfile.mkdtemp(dir=scratch, prefix="kb-bot-"))
    command = [sys.executable, str(HERE / "transcribe_bot.py"), str(kb), *map(str, files)]
    return measured(command).rss_mb


def cli_rss(audio: Path, scratch: Path) -> float:
    """Peak RSS (MB) of `voicenotes transcribe` on one file; "no speech" is fine here."""
    kb = Path(tempfile.mkdtemp(dir=scratch, prefix="kb-long-"))
    command = [str(VOICENOTES), "transcribe", str(audio), "--kb", str(kb)]
    return measured(command, check=False).rss_mb


def quiet_opus(path: Path, seconds: float, piece: float = 10.0) -> Path:
    """`seconds` of faint noise (about -60 dBFS) as Ogg Opus, made fast: `piece` seconds are
    encoded once and their packets repeated with advancing timestamps."""
    from tests.support.audio import quiet_opus as make

    return make(path, seconds, piece)
