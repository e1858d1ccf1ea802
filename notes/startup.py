"""What every command does before its handler: one malloc arena, logging, the `--kb` folder,
the settings.

Every problem found here is printed as one line on stderr (all of them, not the first), and
the command exits with status 2; a bad value never shows a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from notes import required
from notes.kb import kbguard
from notes.logs import quiet_chatty_libraries
from notes.settings import Settings, load_settings
from notes.settingserrors import validation_lines, without_invalid
from transcribe import heap

OWN_LOGGERS = ("notes", "bot", "transcribe")
"""The loggers `-v` turns to DEBUG; every other library stays at INFO or above."""
USAGE_ERROR = 2


def configure_logging(verbose: bool, quiet: bool) -> None:
    """INFO by default; `-v` shows voicenotes' own DEBUG lines only, `-q` warnings only."""
    level = logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)  # also when a handler was there before basicConfig
    quiet_chatty_libraries()
    own = logging.DEBUG if verbose and not quiet else level
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)


def prepare(args: argparse.Namespace) -> Settings | int | None:
    """The settings the command runs with (None for a command that reads its own, `init` and
    `doctor`), or the exit status after its error lines."""
    heap.share_one_arena()  # before any thread: the bot's and the watcher's start later
    configure_logging(getattr(args, "verbose", False), getattr(args, "quiet", False))
    kb: Path | None = getattr(args, "kb", None)
    if kb is not None and not kb.expanduser().is_dir():
        return fail([f"--kb {kb}: no such folder (make a knowledge base: voicenotes init {kb})"])
    if not getattr(args, "settings", True):
        return None
    invalid: list[str] = []
    try:
        settings = load_settings(kb)
    except ValidationError as error:  # reported with what else is missing, then nothing runs
        invalid = validation_lines(error, _env_file(kb))
        settings = without_invalid(error, _env_file(kb).parent.resolve())
    command: str = args.command
    named = {line.split("=", 1)[0].split(" ", 1)[0] for line in invalid}
    missing = [p for p in required.problems(settings, command) if p.split(" ", 1)[0] not in named]
    problems = invalid + missing
    guard = kbguard.problem(settings.kb) if command in kbguard.GUARDED else None
    return fail([*problems, guard] if guard else problems) if problems or guard else settings


def fail(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return USAGE_ERROR


def _env_file(kb: Path | None) -> Path:
    root = Path(kb or os.environ.get("VOICENOTES_KB") or Path.cwd()).expanduser()
    return root / ".env"
