"""`voicenotes transcribe FILE...`: audio files transcribed and filed into inbox/raw/."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from notes.errors import explain
from notes.intake import inbox
from notes.intake.inbox import AlreadyFiled
from notes.intake.origin import Origin
from notes.intake.voice import Recording, file_transcript, max_seconds, refuse_too_long
from notes.kb import KnowledgeBase, names
from notes.progress import TerminalProgress
from notes.settings import Settings
from transcribe import TranscriptionError


def run_transcribe(args: argparse.Namespace, settings: Settings) -> int:
    """Transcribe every file and file each transcript; one error line per file that fails.

    The engine takes all the files at once, so short files share the model's batches; each
    result is filed as soon as it is ready, in the order the files were given.
    """
    from notes.intake.transcribers import transcriber_for

    kb = KnowledgeBase(settings.kb).ensure()
    engine = transcriber_for(settings, args.language, args.model)
    try:
        engine.load()
    except TranscriptionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    username = getpass.getuser()
    files: list[Path] = args.files
    stems = [_cli_stem(path, username) for path in files]
    refused: dict[int, Exception] = {**_already_filed(kb, stems)}
    for number, path in enumerate(files):
        if number not in refused:
            try:
                refuse_too_long(kb, path, stems[number], max_seconds(settings))
            except (TranscriptionError, OSError) as error:
                refused[number] = error
    todo = [number for number in range(len(files)) if number not in refused]
    labels = [f"[{n + 1}/{len(files)}] {files[n].name}" for n in todo]
    progress = _FileProgress(TerminalProgress(sys.stderr), labels)
    results = engine.transcribe_many([files[n] for n in todo], progress.update)
    failures = 0
    for number, path in enumerate(files):
        try:
            if number in refused:
                raise refused[number]
            result = next(results)
            progress.done()
            if isinstance(result, TranscriptionError):
                raise result
            recording = _cli_recording(path, username)
            filed = file_transcript(kb, result, path, stems[number], recording)
        except (TranscriptionError, AlreadyFiled, OSError) as error:
            print(f"error: {path}: {explain(error)}", file=sys.stderr)
            failures += 1
            continue
        print(filed.path, flush=True)
    return 1 if failures else 0


def _already_filed(kb: KnowledgeBase, stems: Sequence[str]) -> dict[int, AlreadyFiled]:
    refused = {}
    for number, stem in enumerate(stems):
        try:
            inbox.ensure_new(kb, names.transcript_name(stem))
        except AlreadyFiled as error:
            refused[number] = error
    return refused


class _FileProgress:
    """The terminal line of the file the engine is on: `[n/total] name [###---] 42% of 0:24`."""

    def __init__(self, line: TerminalProgress, labels: Sequence[str]) -> None:
        self.line = line
        self.labels = labels
        self.current = -1

    def update(self, index: int, done: float, total: float) -> None:
        if index != self.current:
            self.current = index
            self.line.start(self.labels[index])
        self.line.update(done, total)

    def done(self) -> None:
        self.line.done()


def _recorded_at(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    except OSError:
        return datetime.now(UTC).replace(microsecond=0)


def _cli_stem(path: Path, username: str) -> str:
    return names.file_stem(_recorded_at(path), username, path.stem)


def _cli_recording(path: Path, username: str) -> Recording:
    origin = Origin("local", _recorded_at(path), 0, names.safe_component(username))
    return Recording(origin, "audio")
