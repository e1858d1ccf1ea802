"""Settings problems as lines a person reads: which variable, what is wrong, where it was set.

Pydantic's ValidationError becomes one line per bad value (all of them at once), each naming
the environment variable and whether it came from the environment or the KB's `.env`. The
value is shown only for settings that are not secrets.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from notes.settings import Settings

SECRET_NAMES = ("TELEGRAM_BOT_TOKEN", "OPENAI_API_KEY")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def validation_lines(error: ValidationError, env_file: Path) -> list[str]:
    """One line per invalid setting: `NAME='value' (from .env): what is wrong`."""
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "settings"
        value = problem.get("input")
        shown = "" if name in SECRET_NAMES or isinstance(value, dict) else f"={value!r}"
        message = str(problem["msg"]).replace("Input should be", "should be")
        message = message.removeprefix("Value error, ")
        lines.append(f"{name}{shown} (from {origin(name, env_file)}): {message}")
    return list(dict.fromkeys(lines))


def without_invalid(error: ValidationError, root: Path) -> Settings:
    """The KB's settings with each invalid value at its default: the rest can still be
    checked. `root` is the KB folder, resolved."""
    bad = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
    defaults: dict[str, Any] = {
        str(field.alias): field.get_default(call_default_factory=True)
        for field in Settings.model_fields.values()
        if field.alias in bad
    }
    env_file = root / ".env"
    return Settings(  # type: ignore[call-arg]
        _env_file=env_file if env_file.is_file() else None, VOICENOTES_KB=root, **defaults
    )


def origin(name: str, env_file: Path) -> str:
    """Where a setting's value comes from: the environment wins over the KB's `.env`."""
    if name in os.environ:
        return "environment"
    if name in dotenv_names(env_file):
        return str(env_file)
    return "default"


def dotenv_names(env_file: Path) -> set[str]:
    """The variables a `.env` file assigns (comments and blank lines skipped)."""
    try:
        text = env_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {match.group(1) for line in text.splitlines() if (match := _ASSIGNMENT.match(line))}
