"""The table of `voicenotes` commands: name, help, the handler to import when it runs, and the
command's own arguments.

A new command is one row here and, if it takes arguments, one small function. The handler is
named as `module:function` and imported only when the command runs (notes.cli), so nothing
heavy is imported before argparse has run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from notes.watch.schedule import seconds

Arguments = Callable[[argparse.ArgumentParser], None]


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    return None


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    target: str
    """`module:function`, the handler, imported when the command runs."""
    arguments: Arguments = _no_arguments


def _transcribe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="ogg, mp3, m4a, wav or mp4 files"
    )
    parser.add_argument("--language", help="language code, or 'auto' (default: ru)")
    parser.add_argument("--model", help="embedded, a faster-whisper model name, or a folder")


def _add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "items", nargs="+", metavar="FILE|URL", help="images, PDFs, videos, files or links"
    )
    parser.add_argument("--caption", help="your words on what it is (kept as written)")


def _model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["list", "fetch"], help="list, or fetch NAME")
    parser.add_argument("name", nargs="?", help="a model to fetch, e.g. large-v3-turbo")


def _glossary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["list", "accept", "reject"], help="what to do")
    parser.add_argument("term", nargs="?", help="the term to accept or reject, e.g. Mladen")


def _dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )


def _revise(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="articles/x.md, x.md or x")
    parser.add_argument("notes", nargs="+", metavar="NOTE", help="what to change ('-': stdin)")
    _dry_run(parser)


def _check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fix", action="store_true", help="repair links to notes that moved")


def _debounce(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debounce",
        type=seconds,
        default=120.0,
        metavar="SECONDS",
        help="quiet period before a pass (default: 120)",
    )


def _cleanup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delete",
        action="store_true",
        help="delete unused notes; move unused images to assets/images/_unused/",
    )
    parser.add_argument(
        "--older-than", type=float, metavar="DAYS", help="only what is older than DAYS days"
    )
    parser.add_argument(
        "--list", action="store_true", help="also name each file left alone, and why"
    )


def _remove(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", metavar="ARTICLE", help="articles/x.md, x.md or x")
    parser.add_argument("--yes", action="store_true", help="remove without asking first")


def _lint(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("articles", nargs="*", metavar="ARTICLE", help="default: every article")


def _eval(parser: argparse.ArgumentParser) -> None:
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


def _ask(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="+", metavar="QUESTION", help="the question, in words")


def _trace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "what", metavar="NOTE|DATE|ARTICLE", help="a note's name, a day (YYYY-MM-DD) or an article"
    )


def _undo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("commit", nargs="?", metavar="COMMIT", help="the revision's commit")


COMMANDS: tuple[Command, ...] = (
    Command(
        "transcribe",
        "transcribe audio files into inbox/raw/",
        "notes.intake.transcribe_command:run_transcribe",
        _transcribe,
    ),
    Command(
        "add",
        "file photos, files, videos, links and YouTube videos into inbox/raw/",
        "notes.intake.command:run_add",
        _add,
    ),
    Command(
        "describe",
        "describe the photos and video keyframes filed while no vision model answered",
        "notes.intake.command:run_describe",
    ),
    Command(
        "model",
        "list the Whisper models on this machine, or fetch one ahead for offline use",
        "notes.intake.models:run_command",
        _model,
    ),
    Command(
        "glossary",
        "list the names and terms speech recognition keeps, and accept or reject proposals",
        "notes.kb.glossary:run_command",
        _glossary,
    ),
    Command("bot", "run the Telegram bot", "bot.app:run_command"),
    Command(
        "draft", "run one drafting pass over inbox/raw/", "notes.drafting:run_command", _dry_run
    ),
    Command(
        "revise",
        "ask for changes to an article, then run a drafting pass",
        "notes.drafting.revise_command:run_revise",
        _revise,
    ),
    Command(
        "check",
        "check articles' citations and front matter",
        "notes.upkeep.check:run_command",
        _check,
    ),
    Command(
        "watch",
        "draft by itself when the inbox changes",
        "notes.watch.watcher:run_command",
        _debounce,
    ),
    Command(
        "cleanup",
        "list (or delete) notes and images no article uses",
        "notes.upkeep.cleanup:run_cleanup",
        _cleanup,
    ),
    Command(
        "remove",
        "delete an article with the notes and images only it uses",
        "notes.upkeep.removal:run_remove",
        _remove,
    ),
    Command(
        "lint",
        "check articles with the author's style rules",
        "notes.upkeep.lint:run_command",
        _lint,
    ),
    Command(
        "eval",
        "measure drafting on the KB's own history (eval routing), or revisions (eval revisions)",
        "notes.evaluation.command:run_command",
        _eval,
    ),
    Command(
        "undo",
        "undo a revision of articles (default: the last) if nothing changed them since",
        "notes.upkeep.undo:run_command",
        _undo,
    ),
    Command(
        "ask",
        "answer a question from the KB's articles and notes, citing them",
        "notes.knowing.questions:run_command",
        _ask,
    ),
    Command(
        "trace",
        "where a note went, a day's notes, or an article's notes by date",
        "notes.knowing.tracing:run_command",
        _trace,
    ),
    Command("serve", "run the bot and the watcher together", "bot.serve:run_command", _debounce),
)
"""Every command but `init` and `doctor` (notes.cli adds those: they read the settings
themselves), in the order `--help` lists them."""
