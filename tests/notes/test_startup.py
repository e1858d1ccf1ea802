"""Before any command runs: `--kb`, every settings problem in one line each, logging, help."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from notes.cli import build_parser, main
from notes.kb import KnowledgeBase
from notes.startup import OWN_LOGGERS, configure_logging
from tests.support.arenas import arenas_used
from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
SETTINGS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_ALLOWED_USERS", "OPENAI_API_KEY", "VOICENOTES_KB")


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in os.environ:
        if name.startswith(("VOICENOTES_", "TELEGRAM_", "OPENAI_")):
            monkeypatch.delenv(name)
    levels = {name: logging.getLogger(name).level for name in ("", *OWN_LOGGERS)}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VOICENOTES_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "notes", *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_kb_folder_that_does_not_exist_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert main(["draft", "--kb", str(missing)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: --kb {missing}: no such folder (make a knowledge base: voicenotes init {missing})"
    ]
    assert not missing.exists()


def test_bad_values_are_one_line_each_with_where_they_came_from(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path).ensure().root
    (kb / ".env").write_text("VOICENOTES_MAX_MINUTES=abc\nOPENAI_API_KEY=sk-secret-value\n")
    done = cli("draft", "--kb", str(kb), env={"TELEGRAM_ALLOWED_USERS": "@name"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: TELEGRAM_ALLOWED_USERS='@name' (from environment): should be a valid integer, "
        "unable to parse string as an integer",
        f"error: VOICENOTES_MAX_MINUTES='abc' (from {kb / '.env'}): should be a valid number, "
        "unable to parse string as a number",
    ]
    assert "sk-secret-value" not in done.stderr + done.stdout


def test_every_missing_setting_is_named_at_once_and_the_folder_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--kb", str(tmp_path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" ", 2)[1] for line in lines[:3]] == [
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_ALLOWED_USERS",
        "OPENAI_API_KEY",
    ]
    assert lines[3] == (
        f"error: {tmp_path} is not a knowledge base (no inbox/ or articles/): "
        f"make one with `voicenotes init {tmp_path}`"
    )
    assert len(lines) == 4


@pytest.mark.parametrize("command", ["serve", "bot", "draft", "watch"])
def test_the_source_tree_is_refused_as_a_kb(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in (("TELEGRAM_BOT_TOKEN", "1:x"), ("TELEGRAM_ALLOWED_USERS", "1")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    assert main([command, "--kb", str(ROOT / "notes")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {ROOT / 'notes'} is the voicenotes source tree, not a knowledge base: "
        "make one with `voicenotes init ~/kb` and run with `--kb ~/kb`"
    ]


def test_verbose_and_quiet_are_accepted_after_the_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["check", "-v"]).verbose is True
    assert parser.parse_args(["-v", "check"]).verbose is True
    assert parser.parse_args(["check", "-q"]).quiet is True
    assert parser.parse_args(["check"]).verbose is False


def test_verbose_shows_our_debug_lines_and_not_the_libraries() -> None:
    configure_logging(verbose=True, quiet=False)
    assert logging.getLogger("notes.drafting.run").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("bot.app").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("markdown_it.rules_block").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("markdown_it").isEnabledFor(logging.INFO)
    configure_logging(verbose=False, quiet=True)
    assert not logging.getLogger("notes.watch.watcher").isEnabledFor(logging.INFO)


def test_version_prints_the_installed_version() -> None:
    done = cli("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("voicenotes ") and done.stdout.strip() != "voicenotes unknown"


def test_help_imports_nothing_heavy() -> None:
    code = "import sys; from notes.cli import build_parser; build_parser(); print(*sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(done.stdout.split())
    heavy = {"pydantic", "pydantic_settings", "av", "faster_whisper", "telegram", "openai"}
    assert not heavy & loaded


def test_every_command_and_argument_has_help_and_every_command_an_example() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        assert sub.epilog and f"voicenotes {name}" in sub.epilog, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"


def test_an_invalid_value_and_the_other_missing_settings_are_listed_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase(tmp_path).ensure().root
    monkeypatch.setenv("TELEGRAM_ALLOWED_USERS", "@name")
    monkeypatch.setenv("VOICENOTES_TIMEZONE", "Mars/Base")
    assert main(["bot", "--kb", str(kb)]) == 2
    lines = capsys.readouterr().err.splitlines()
    names = [line.removeprefix("error: ").split("=", 1)[0].split(" ", 1)[0] for line in lines]
    assert names == ["TELEGRAM_ALLOWED_USERS", "VOICENOTES_TIMEZONE", "TELEGRAM_BOT_TOKEN"]
    assert lines[1] == (
        "error: VOICENOTES_TIMEZONE='Mars/Base' (from environment): "
        "'Mars/Base' is not a time zone (try Europe/Berlin or UTC)"
    )


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="arenas are glibc's")
def test_the_threads_a_command_starts_share_one_malloc_arena(tmp_path: Path) -> None:
    """The bot's peak moved by tens of MB with the arenas its buffers fell in."""
    prepared = f"""
    from notes.cli import build_parser
    from notes.startup import prepare
    prepare(build_parser().parse_args(["init", {str(tmp_path / "kb")!r}]))
    """
    assert arenas_used(prepared) == 1
