"""`voicenotes bot`: refusing bad settings, the command as a process, notices to the owner."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import ConfigError, build_application, config_problem, notify, run_command
from notes.intake.inbox import read_note
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from tests.conftest import SPEECH_OGG
from tests.support.openai_server import refused_url
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    STRANGER,
    TOKEN,
    FakeBotAPI,
    bot_running,
    bot_settings,
    text_message,
    voice_message,
)
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(180)

SETTING_PREFIXES = ("TELEGRAM_", "VOICENOTES_", "OPENAI_")
RUN_CLI = "import sys; from notes.cli import main; sys.exit(main())"


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without any voicenotes setting, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    return env | values


def test_config_problem_names_the_missing_setting(kb: KnowledgeBase) -> None:
    no_token = load_settings(kb.root, TELEGRAM_BOT_TOKEN="", TELEGRAM_ALLOWED_USERS="1")
    no_users = load_settings(kb.root, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_ALLOWED_USERS="")
    good = load_settings(kb.root, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_ALLOWED_USERS="1, 2")

    assert (config_problem(no_token) or "").startswith("TELEGRAM_BOT_TOKEN is not set")
    assert (config_problem(no_users) or "").startswith("TELEGRAM_ALLOWED_USERS is empty")
    assert config_problem(good) is None
    with pytest.raises(ConfigError, match="TELEGRAM_ALLOWED_USERS is empty"):
        build_application(no_users)


def test_bot_with_an_empty_allow_list_refuses_to_start_in_one_line(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(kb.root, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_ALLOWED_USERS="")

    status = run_command(argparse.Namespace(), settings)

    err = capsys.readouterr().err
    assert status != 0
    assert err.count("\n") == 1
    assert err.startswith("error: TELEGRAM_ALLOWED_USERS is empty")


def test_bot_command_refuses_to_start_without_an_allow_list(tmp_path: Path) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_ALLOWED_USERS="")
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "bot", "--kb", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert done.stderr.splitlines() == [
        "error: TELEGRAM_ALLOWED_USERS is empty: set it to your numeric Telegram user id "
        "(write to your bot once: its refusal tells you the id)",
        f"error: {tmp_path} is not a knowledge base (no inbox/ or articles/): "
        f"make one with `voicenotes init {tmp_path}`",
    ]


def test_bot_command_serves_until_sigterm_and_never_logs_its_token(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))
    api.queue(text_message(OWNER, 901, "a text note", date=FEB_4))
    env = clean_env(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
    )
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "--verbose", "bot", "--kb", str(kb.root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if len(m.texts) > 1], what="the transcript"
        )
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    assert api.token not in out + err
    assert api.token.split(":")[1] not in out + err
    assert "serving 1 user(s)" in err
    lines = err.splitlines()
    for seen in (
        f"bot.handlers: received voice 900 from user id {OWNER.id}",
        f"bot.handlers: received text 901 from user id {OWNER.id}",
        "bot.worker: filed 20260204_102339_AlexeyDTC_msg900_transcript.txt",
        "bot.handlers: filed 20260204_102339_AlexeyDTC_msg901.md",
    ):
        assert sum(line.endswith(seen) for line in lines) == 1, seen
    own = (" bot.", " notes.", " transcribe.")
    assert not [line for line in lines if " DEBUG " in line and not any(o in line for o in own)]
    assert (
        read_note(kb.raw / "20260204_102339_AlexeyDTC_msg900_transcript.txt").header.source
        == "telegram_voice"
    )
    assert (kb.raw / "20260204_102339_AlexeyDTC_msg901.md").exists()
    assert api.confirmed_offset == 3  # both updates marked as read before it stopped


def test_notify_reaches_every_allowed_user(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    settings = bot_settings(kb.root, api, allowed=(OWNER.id, STRANGER.id))

    with bot_running(settings, engine) as bot:
        delivered = bot.call(notify(bot.application, "2 articles updated: <b>RAG</b>"))

    assert delivered == 2
    assert [m.html for m in api.sent_to(OWNER.id)] == ["2 articles updated: <b>RAG</b>"]
    assert [m.text for m in api.sent_to(STRANGER.id)] == ["2 articles updated: RAG"]


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_token_the_bot_api_rejects_stops_the_bot_in_one_line_without_the_token(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    revoked = "987654321:AAF-revoked-token-for-tests-0123456789ab"
    env = clean_env(
        TELEGRAM_BOT_TOKEN=revoked,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
    )
    process = run_cli(["bot", "--kb", str(KnowledgeBase(tmp_path).ensure().root)], env)
    out, _ = process.communicate(timeout=60)

    assert process.returncode == 2, out
    assert revoked.split(":")[1] not in out
    assert out.splitlines()[-1] == (
        "error: the Bot API server rejected TELEGRAM_BOT_TOKEN: check the token (revoked?) "
        "and TELEGRAM_API_BASE_URL"
    )
    assert "Traceback" not in out


def test_an_unreachable_bot_api_is_retried_one_line_per_try_until_stopped(
    tmp_path: Path,
) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=refused_url().removesuffix("/v1"),
    )
    process = run_cli(["bot", "--kb", str(KnowledgeBase(tmp_path).ensure().root)], env)
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(3)]
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=60)

    assert "serving 1 user(s)" in lines[0]
    assert "Bot API unreachable (" in lines[1] and "trying again in 1 s" in lines[1]
    assert "Bot API unreachable (" in lines[2] and "trying again in 2 s" in lines[2]
    assert "Traceback" not in out
    assert TOKEN.split(":")[1] not in "".join(lines) + out


def test_a_second_bot_on_the_same_kb_exits_in_one_line(tmp_path: Path, api: FakeBotAPI) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
    )
    first = run_cli(["bot", "--kb", str(KnowledgeBase(tmp_path).ensure().root)], env)
    try:
        api.wait_for(lambda: api.calls_to("getUpdates"), what="the first bot polling")
        second = run_cli(["bot", "--kb", str(KnowledgeBase(tmp_path).ensure().root)], env)
        out, _ = second.communicate(timeout=60)
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)

    assert second.returncode == 2
    assert out.splitlines() == [
        "error: another voicenotes bot is running on this knowledge base; stop it first"
    ]
