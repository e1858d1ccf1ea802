"""The `voicenotes` command line: a thin adapter over notes/, transcribe/ and bot/."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from notes import names
from notes.errors import explain
from notes.inbox import AlreadyFiled
from notes.intake import Recording, engine_options, transcribe_into_inbox
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
        "describe the photos filed while no vision model answered",
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
    from transcribe.engine import WhisperEngine

    kb = KnowledgeBase(settings.kb).ensure()
    engine = WhisperEngine(engine_options(settings, args.language, args.model))
    try:
        engine.load()
    except TranscriptionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    progress = TerminalProgress(sys.stderr)
    username = getpass.getuser()
    failures = 0
    for number, path in enumerate(args.files, start=1):
        progress.start(f"[{number}/{len(args.files)}] {path.name}")
        try:
            filed = transcribe_into_inbox(
                kb,
                engine,
                path,
                _cli_stem(path, username),
                _cli_recording(path, username),
                progress=progress.update,
            )
        except (TranscriptionError, AlreadyFiled, OSError) as error:
            progress.done()
            print(f"error: {path}: {explain(error)}", file=sys.stderr)
            failures += 1
            continue
        progress.done()
        print(filed.path)
    return 1 if failures else 0


def _recorded_at(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    except OSError:
        return datetime.now(UTC).replace(microsecond=0)


def _cli_stem(path: Path, username: str) -> str:
    return names.file_stem(_recorded_at(path), username, path.stem)


def _cli_recording(path: Path, username: str) -> Recording:
    return Recording("audio_file", _recorded_at(path), 0, names.safe_component(username))
