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

from notes.clicommands import COMMANDS
from notes.cliexamples import EXAMPLES, VersionAction

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
    for command in COMMANDS:
        sub = _add_lazy(commands, common, command.name, command.help, command.target)
        command.arguments(sub)
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
