"""The example under each command's `--help`, and the version: plain text, nothing imported."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def version() -> str:
    """The installed version of voicenotes ("unknown" when run from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("voicenotes")
    except PackageNotFoundError:
        return "unknown"


class VersionAction(argparse.Action):
    """`--version`: the package metadata is read only when asked (it costs 70 ms to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"voicenotes {version()}")
        parser.exit()


EXAMPLES = {
    "init": "example:\n  voicenotes init ~/kb",
    "doctor": "example:\n  voicenotes doctor --kb ~/kb",
    "transcribe": (
        "examples:\n  voicenotes transcribe recording.ogg talk.m4a --kb ~/kb\n"
        "  voicenotes transcribe interview.mp3 --language auto --model small"
    ),
    "add": (
        "example:\n  voicenotes add screenshot.png paper.pdf https://example.com/post "
        '--caption "for the evals article" --kb ~/kb'
    ),
    "describe": "example:\n  voicenotes describe --kb ~/kb",
    "bot": "example:\n  voicenotes bot --kb ~/kb",
    "draft": "examples:\n  voicenotes draft --kb ~/kb\n  voicenotes draft --kb ~/kb --dry-run",
    "check": "examples:\n  voicenotes check --kb ~/kb\n  voicenotes check --kb ~/kb --fix",
    "watch": "example:\n  voicenotes watch --kb ~/kb --debounce 300",
    "cleanup": (
        "examples:\n  voicenotes cleanup --kb ~/kb\n"
        "  voicenotes cleanup --kb ~/kb --delete --older-than 30"
    ),
    "remove": "example:\n  voicenotes remove articles/old-draft.md --kb ~/kb",
    "eval": (
        "examples:\n  voicenotes eval routing --kb ~/kb --no-llm\n"
        "  voicenotes eval routing --kb ~/kb --last 20 --json\n"
        "  voicenotes eval revisions cases/ --oracle"
    ),
    "serve": "example:\n  voicenotes serve --kb ~/kb",
    "model": ("examples:\n  voicenotes model list\n  voicenotes model fetch large-v3-turbo"),
    "glossary": (
        "examples:\n  voicenotes glossary list --kb ~/kb\n"
        "  voicenotes glossary accept Mladen --kb ~/kb"
    ),
    "revise": ("example:\n  voicenotes revise articles/rag.md request.md --kb ~/kb --dry-run"),
    "lint": "examples:\n  voicenotes lint --kb ~/kb\n  voicenotes lint articles/rag.md --kb ~/kb",
    "ask": 'example:\n  voicenotes ask "did I already write about evals?" --kb ~/kb',
    "trace": (
        "examples:\n  voicenotes trace 20260204_102339_AlexeyDTC_msg900_transcript.txt --kb ~/kb\n"
        "  voicenotes trace 2026-02-04 --kb ~/kb\n  voicenotes trace articles/rag.md --kb ~/kb"
    ),
    "undo": "examples:\n  voicenotes undo --kb ~/kb\n  voicenotes undo 3f2a1bc --kb ~/kb",
}
"""One or two command lines per command, shown as the epilog of its `--help`."""
