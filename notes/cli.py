"""The `voicenotes` command line: a thin adapter over notes/, transcribe/ and bot/."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from notes import inbox, names
from notes.errors import explain
from notes.inbox import AlreadyFiled
from notes.intake import (
    Recording,
    engine_options,
    file_transcript,
    max_seconds,
    refuse_too_long,
)
from notes.kb import KnowledgeBase
from notes.logs import quiet_chatty_libraries
from notes.progress import TerminalProgress
from notes.schedule import seconds
from notes.settings import Settings, load_settings
from transcribe import TranscriptionError

Handler = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet_chatty_libraries()
    settings = load_settings(args.kb)
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicenotes",
        description="Voice notes in, transcripts filed, sourced Markdown drafts out.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--kb", type=Path, help="knowledge base folder (default: $VOICENOTES_KB or .)"
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    transcribe = commands.add_parser(
        "transcribe", parents=[common], help="transcribe audio files into inbox/raw/"
    )
    transcribe.add_argument("files", nargs="+", type=Path, metavar="FILE")
    transcribe.add_argument("--language", help="language code, or 'auto' (default: ru)")
    transcribe.add_argument("--model", help="embedded, a faster-whisper model name, or a folder")
    transcribe.set_defaults(handler=run_transcribe)

    add = _add_lazy(
        commands,
        common,
        "add",
        "file photos, files, videos, links and YouTube videos into inbox/raw/",
        "notes.materials.command:run_add",
    )
    add.add_argument("items", nargs="+", metavar="FILE|URL")
    add.add_argument("--caption", help="your words on what it is (kept as written)")
    _add_lazy(
        commands,
        common,
        "describe",
        "describe the photos and video keyframes filed while no vision model answered",
        "notes.materials.command:run_describe",
    )
    _add_lazy(commands, common, "bot", "run the Telegram bot", "bot.app:run_command")
    draft = _add_lazy(
        commands,
        common,
        "draft",
        "run one drafting pass over inbox/raw/",
        "notes.drafting:run_command",
    )
    draft.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    check = _add_lazy(
        commands,
        common,
        "check",
        "check articles' citations and front matter",
        "notes.check:run_command",
    )
    check.add_argument("--fix", action="store_true", help="repair links to notes that moved")
    watch = _add_lazy(
        commands,
        common,
        "watch",
        "draft by itself when the inbox changes",
        "notes.watcher:run_command",
    )
    watch.add_argument(
        "--debounce",
        type=seconds,
        default=120.0,
        metavar="SECONDS",
        help="quiet period before a pass (default: 120)",
    )
    cleanup = _add_lazy(
        commands,
        common,
        "cleanup",
        "list (or delete) notes and images no article uses",
        "notes.cleanup:run_cleanup",
    )
    cleanup.add_argument(
        "--delete",
        action="store_true",
        help="delete unused notes; move unused images to assets/images/_unused/",
    )
    cleanup.add_argument(
        "--older-than", type=float, metavar="DAYS", help="only what is older than DAYS days"
    )
    remove = _add_lazy(
        commands,
        common,
        "remove",
        "delete an article with the notes and images only it uses",
        "notes.cleanup:run_remove",
    )
    remove.add_argument("article", metavar="ARTICLE", help="articles/x.md, x.md or x")
    evaluate = _add_lazy(
        commands,
        common,
        "eval",
        "measure drafting on the KB's own history (eval routing)",
        "notes.evaluation.command:run_command",
    )
    _eval_arguments(evaluate)
    ask = _add_lazy(
        commands,
        common,
        "ask",
        "answer a question from the KB's articles and notes, citing them",
        "notes.knowing.questions:run_command",
    )
    ask.add_argument("question", nargs="+", metavar="QUESTION")
    trace = _add_lazy(
        commands,
        common,
        "trace",
        "where a note went, a day's notes, or an article's notes by date",
        "notes.knowing.tracing:run_command",
    )
    trace.add_argument("what", metavar="NOTE|DATE|ARTICLE")
    serve = _add_lazy(
        commands, common, "serve", "run the bot and the watcher together", "bot.serve:run_command"
    )
    serve.add_argument(
        "--debounce",
        type=seconds,
        default=120.0,
        metavar="SECONDS",
        help="quiet period before a pass (default: 120)",
    )
    return parser


def _eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["routing"], help="what to evaluate")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--no-llm", action="store_true", help="candidate recall only; call no model"
    )
    parser.add_argument(
        "--last", type=int, metavar="N", help="ask the model about the last N runs only"
    )
    parser.add_argument(
        "--scale",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="also measure recall with synthetic articles up to N (repeatable)",
    )
    parser.add_argument(
        "--price-in", type=float, default=0.0, metavar="USD", help="per million input tokens"
    )
    parser.add_argument(
        "--price-out", type=float, default=0.0, metavar="USD", help="per million output tokens"
    )


def _add_lazy(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    target: str,
) -> argparse.ArgumentParser:
    """A command whose module is imported only when it runs (the bot needs no Whisper import)."""
    sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    def handler(args: argparse.Namespace, settings: Settings) -> int:
        module_name, function = target.split(":")
        module = __import__(module_name, fromlist=[function])
        run: Handler = getattr(module, function)
        return run(args, settings)

    sub.set_defaults(handler=handler)
    return sub


def run_transcribe(args: argparse.Namespace, settings: Settings) -> int:
    """Transcribe every file and file each transcript; one error line per file that fails.

    The engine takes all the files at once, so short files share the model's batches; each
    result is filed as soon as it is ready, in the order the files were given.
    """
    from transcribe.engine import WhisperEngine

    kb = KnowledgeBase(settings.kb).ensure()
    engine = WhisperEngine(engine_options(settings, args.language, args.model))
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
    return Recording("audio_file", _recorded_at(path), 0, names.safe_component(username))
