"""The `voicenotes` command line: a thin adapter over notes/, transcribe/ and bot/.

Nothing heavy is imported before argparse has run: `--help` and `--version` answer at once,
and each command imports its own module only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from notes.cliexamples import EXAMPLES, VersionAction
from notes.watch.schedule import seconds

if TYPE_CHECKING:
    from notes.settings import Settings

Handler = Callable[[argparse.Namespace, "Settings | None"], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from notes.startup import prepare

    settings = prepare(args)
    if isinstance(settings, int):
        return settings
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
    parser.add_argument("--version", action=VersionAction)
    _verbosity(parser, default=False)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--kb", type=Path, help="knowledge base folder (default: $VOICENOTES_KB or .)"
    )
    _verbosity(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(
        title="commands", required=True, metavar="COMMAND", dest="command"
    )
    _setup_commands(commands, common)
    transcribe = _add_lazy(
        commands,
        common,
        "transcribe",
        "transcribe audio files into inbox/raw/",
        "notes.intake.transcribe_command:run_transcribe",
    )
    transcribe.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="ogg, mp3, m4a, wav or mp4 files"
    )
    transcribe.add_argument("--language", help="language code, or 'auto' (default: ru)")
    transcribe.add_argument("--model", help="embedded, a faster-whisper model name, or a folder")

    add = _add_lazy(
        commands,
        common,
        "add",
        "file photos, files, videos, links and YouTube videos into inbox/raw/",
        "notes.intake.command:run_add",
    )
    add.add_argument(
        "items", nargs="+", metavar="FILE|URL", help="images, PDFs, videos, files or links"
    )
    add.add_argument("--caption", help="your words on what it is (kept as written)")
    _add_lazy(
        commands,
        common,
        "describe",
        "describe the photos and video keyframes filed while no vision model answered",
        "notes.intake.command:run_describe",
    )
    model = _add_lazy(
        commands,
        common,
        "model",
        "list the Whisper models on this machine, or fetch one ahead for offline use",
        "notes.intake.models:run_command",
    )
    model.add_argument("action", choices=["list", "fetch"], help="list, or fetch NAME")
    model.add_argument("name", nargs="?", help="a model to fetch, e.g. large-v3-turbo")
    words = _add_lazy(
        commands,
        common,
        "glossary",
        "list the names and terms speech recognition keeps, and accept or reject proposals",
        "notes.kb.glossary:run_command",
    )
    words.add_argument("action", choices=["list", "accept", "reject"], help="what to do")
    words.add_argument("term", nargs="?", help="the term to accept or reject, e.g. Mladen")
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
    revise = _add_lazy(
        commands,
        common,
        "revise",
        "ask for changes to an article, then run a drafting pass",
        "notes.drafting.revise_command:run_revise",
    )
    revise.add_argument("article", metavar="ARTICLE", help="articles/x.md, x.md or x")
    revise.add_argument("notes", nargs="+", metavar="NOTE", help="what to change ('-': stdin)")
    revise.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    check = _add_lazy(
        commands,
        common,
        "check",
        "check articles' citations and front matter",
        "notes.upkeep.check:run_command",
    )
    check.add_argument("--fix", action="store_true", help="repair links to notes that moved")
    watch = _add_lazy(
        commands,
        common,
        "watch",
        "draft by itself when the inbox changes",
        "notes.watch.watcher:run_command",
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
        "notes.upkeep.cleanup:run_cleanup",
    )
    cleanup.add_argument(
        "--delete",
        action="store_true",
        help="delete unused notes; move unused images to assets/images/_unused/",
    )
    cleanup.add_argument(
        "--older-than", type=float, metavar="DAYS", help="only what is older than DAYS days"
    )
    cleanup.add_argument(
        "--list", action="store_true", help="also name each file left alone, and why"
    )
    remove = _add_lazy(
        commands,
        common,
        "remove",
        "delete an article with the notes and images only it uses",
        "notes.upkeep.removal:run_remove",
    )
    remove.add_argument("article", metavar="ARTICLE", help="articles/x.md, x.md or x")
    remove.add_argument("--yes", action="store_true", help="remove without asking first")
    lint = _add_lazy(
        commands,
        common,
        "lint",
        "check articles with the author's style rules",
        "notes.upkeep.lint:run_command",
    )
    lint.add_argument("articles", nargs="*", metavar="ARTICLE", help="default: every article")
    evaluate = _add_lazy(
        commands,
        common,
        "eval",
        "measure drafting on the KB's own history (eval routing), or revisions (eval revisions)",
        "notes.evaluation.command:run_command",
    )
    _eval_arguments(evaluate)
    undo = _add_lazy(
        commands,
        common,
        "undo",
        "undo a revision of articles (default: the last) if nothing changed them since",
        "notes.upkeep.undo:run_command",
    )
    undo.add_argument("commit", nargs="?", metavar="COMMIT", help="the revision's commit")
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
    for name, sub in commands.choices.items():
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        sub.epilog = EXAMPLES.get(name)
    return parser


def _setup_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`init` and `doctor`: they read the settings themselves (a bad one is what they report)."""
    init = commands.add_parser(
        "init",
        parents=[_verbosity_only()],
        help="make a knowledge base (or add what an existing one lacks)",
        description="make a knowledge base (or add what an existing one lacks)",
    )
    init.add_argument("directory", type=Path, metavar="DIR", help="the knowledge base folder")
    init.set_defaults(handler=_lazy("notes.kb.kbinit:run_command"), settings=False)
    doctor = _add_lazy(
        commands,
        common,
        "doctor",
        "check every setting at once: bot token, LLM, Whisper model, git, disk",
        "notes.doctor.command:run_command",
    )
    doctor.set_defaults(settings=False)


def _verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    """`-v`/`-q`, accepted before or after the command (the command's own wins if given)."""
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log voicenotes' detail"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="log warnings only"
    )


def _verbosity_only() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    _verbosity(parent, default=argparse.SUPPRESS)
    return parent


def _lazy(target: str) -> Handler:
    """A handler that imports `module:function` only when the command runs."""

    def handler(args: argparse.Namespace, settings: Settings | None) -> int:
        module_name, function = target.split(":")
        module = __import__(module_name, fromlist=[function])
        run: Handler = getattr(module, function)
        return run(args, settings)

    return handler


def _eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["routing", "revisions"], help="what to evaluate")
    parser.add_argument(
        "dir", nargs="?", type=Path, metavar="DIR", help="revisions: the folder of cases"
    )
    parser.add_argument(
        "--oracle", action="store_true", help="revisions: edits from each case's own diff"
    )
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
    sub.set_defaults(handler=_lazy(target))
    return sub
