"""`voicenotes doctor`: one line per check, every problem at once; exit 0 only if all pass.

Settings that are missing or invalid are lines like any other check: an invalid value is
reported with where it came from, then the remaining checks run with its default.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pydantic import ValidationError

from notes.doctor import context, llm, local, telegram
from notes.doctor.result import Check, failed
from notes.kb import KnowledgeBase
from notes.settings import Settings, load_settings
from notes.settingserrors import origin, validation_lines, without_invalid


def run_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    root = Path(args.kb or os.environ.get("VOICENOTES_KB") or Path.cwd()).expanduser().resolve()
    checks = diagnose(root)
    for check in checks:
        print(check.line(), flush=True)
    failures = sum(not check.ok for check in checks)
    print(f"doctor: {len(checks) - failures} checks passed, {failures} failed")
    return 1 if failures else 0


def diagnose(root: Path) -> list[Check]:
    """Every check, in the order a new user sets things up."""
    env_file = root / ".env"
    settings, invalid = _settings(root, env_file)
    checks: list[Check] = []

    def where(name: str) -> str:
        return origin(name, env_file)

    checks.append(local.knowledge_base(root))
    checks.append(telegram.token(settings, where("TELEGRAM_BOT_TOKEN")))
    checks.append(telegram.allowed_users(settings, where("TELEGRAM_ALLOWED_USERS")))
    model = f"model from {where('VOICENOTES_LLM_MODEL')}, key from {where('OPENAI_API_KEY')}"
    checks.append(llm.drafting_model(settings, model))
    checks.append(context.context(KnowledgeBase(root)))
    checks.append(llm.vision_model(settings, where("VOICENOTES_VISION_MODEL")))
    checks.append(local.whisper(settings, where("VOICENOTES_WHISPER_MODEL")))
    checks += local.git(settings, where("VOICENOTES_GIT_PUSH"))
    checks.append(local.disk(root if root.is_dir() else Path.cwd()))
    named = {check.name for check in invalid}  # an invalid value is not "missing" as well
    return invalid + [check for check in checks if check.ok or check.name not in named]


def _settings(root: Path, env_file: Path) -> tuple[Settings, list[Check]]:
    """The settings with every invalid value at its default, and a FAIL line for each."""
    try:
        return load_settings(root), []
    except ValidationError as error:
        lines = validation_lines(error, env_file)
        settings = without_invalid(error, root)
    return settings, [_invalid(line) for line in lines]


def _invalid(line: str) -> Check:
    """`NAME='value' (from ORIGIN): problem` as a check line."""
    head, _, problem = line.partition("): ")
    named, _, where = head.partition(" (from ")
    return failed(named.split("=", 1)[0], problem, where)
