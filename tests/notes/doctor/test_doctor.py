"""`voicenotes doctor` against the local fakes: all pass, or each problem in one line."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import pytest

from notes.doctor import local
from notes.doctor.command import run_command
from notes.kb.kbinit import initialise
from notes.settings import load_settings
from tests.support.openai_server import TEST_KEY, OpenAIServer, answer, error, openai_server
from tests.support.telegram_server import OWNER, TOKEN, FakeBotAPI

__all__ = ["openai_server"]
pytestmark = pytest.mark.timeout(300)
PROBE = {"word": "ready", "number": 42}


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith(("VOICENOTES_", "TELEGRAM_", "OPENAI_")):
            monkeypatch.delenv(name)


def kb_with(tmp_path: Path, **settings: str) -> Path:
    root = tmp_path / "kb"
    initialise(root)
    lines = [f"{name}={value}" for name, value in settings.items()]
    (root / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def doctor(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = run_command(argparse.Namespace(kb=root))
    out, err = capsys.readouterr()
    assert err == ""
    return status, out.splitlines()


def test_everything_set_and_answering_passes(
    tmp_path: Path, api: FakeBotAPI, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    openai_server.always("doctor_probe", answer(PROBE))
    root = kb_with(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
        OPENAI_API_KEY=TEST_KEY,
        OPENAI_BASE_URL=openai_server.base_url,
        VOICENOTES_VISION_MODEL="local-vision",
    )
    status, lines = doctor(root, capsys)
    assert status == 0, lines
    assert all(line.startswith("ok ") for line in lines[:-1]), lines
    env = root / ".env"
    assert f"ok   TELEGRAM_BOT_TOKEN (from {env}): getMe answers: the bot is @" in lines[1]
    assert lines[2] == f"ok   TELEGRAM_ALLOWED_USERS (from {env}): 1 user(s): {OWNER.id}"
    assert any(line.startswith("ok   LLM (model from default, key from ") for line in lines)
    assert any("answers in a strict JSON schema" in line for line in lines)
    assert any(line.startswith("ok   context size: this KB needs about ") for line in lines)
    assert any(line.startswith("ok   VOICENOTES_WHISPER_MODEL (from default): ") for line in lines)
    [vision] = openai_server.requests_for("doctor_probe")[1:]
    assert vision.images and vision.body["model"] == "local-vision"
    assert lines[-1].endswith(" checks passed, 0 failed")
    assert TOKEN.split(":")[1] not in "\n".join(lines) and TEST_KEY not in "\n".join(lines)


def test_each_problem_is_one_line_and_the_exit_status_is_1(
    tmp_path: Path, api: FakeBotAPI, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    openai_server.always(
        "doctor_probe", error(400, "response_format json_schema is not supported by this model")
    )
    damaged = tmp_path / "model"
    damaged.mkdir()
    (damaged / "config.json").write_text("{}")
    (damaged / "model.bin").write_bytes(b"not a model at all")
    root = kb_with(
        tmp_path,
        TELEGRAM_BOT_TOKEN="987654321:AAF-revoked-token-for-tests-0123456789ab",
        TELEGRAM_API_BASE_URL=api.url,
        OPENAI_API_KEY=TEST_KEY,
        OPENAI_BASE_URL=openai_server.base_url,
        VOICENOTES_WHISPER_MODEL=str(damaged),
        VOICENOTES_MAX_MINUTES="abc",
    )
    status, lines = doctor(root, capsys)
    assert status == 1
    failures = [line for line in lines if line.startswith("FAIL")]
    env = root / ".env"
    assert failures[0] == (
        f"FAIL VOICENOTES_MAX_MINUTES (from {env}): should be a valid number, "
        "unable to parse string as a number"
    )
    assert failures[1] == (
        f"FAIL TELEGRAM_BOT_TOKEN (from {env}): the Bot API at {api.url} rejected the token "
        "(revoked or mistyped?)"
    )
    assert failures[2].startswith("FAIL TELEGRAM_ALLOWED_USERS (from default): empty: ")
    assert failures[3].startswith("FAIL LLM (model from default, key from ")
    assert "does not support strict structured output" in failures[3]
    assert failures[4].startswith(f"FAIL VOICENOTES_WHISPER_MODEL (from {env}): {damaged}: ")
    assert len(failures) == 5
    assert lines[-1].endswith(" failed") and "revoked-token" not in "\n".join(lines)


def test_an_answer_outside_the_schema_means_no_strict_support(
    tmp_path: Path, openai_server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    openai_server.always("doctor_probe", answer("Sure! The word is ready and the number 42."))
    root = kb_with(tmp_path, OPENAI_API_KEY=TEST_KEY, OPENAI_BASE_URL=openai_server.base_url)
    status, lines = doctor(root, capsys)
    assert status == 1
    [llm] = [line for line in lines if line.startswith("FAIL LLM")]
    assert "does not support strict structured output" in llm


def test_two_missing_settings_are_two_lines(
    tmp_path: Path, api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    root = kb_with(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.url)
    status, lines = doctor(root, capsys)
    assert status == 1
    failures = [line.split(":")[0] for line in lines if line.startswith("FAIL")]
    assert failures == ["FAIL TELEGRAM_ALLOWED_USERS (from default)", "FAIL OPENAI_API_KEY"]


def test_push_access_is_checked_when_pushing_is_on(tmp_path: Path) -> None:
    root = kb_with(tmp_path)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", str(remote)], check=True)
    pushing = load_settings(root, VOICENOTES_GIT_PUSH="1")
    assert local.git(pushing, "environment")[-1].line() == (
        f"ok   VOICENOTES_GIT_PUSH (from environment): can push to {remote}"
    )
    remote.rename(tmp_path / "gone.git")
    failed = local.git(pushing, "environment")[-1]
    assert not failed.ok and failed.line().startswith(
        f"FAIL VOICENOTES_GIT_PUSH (from environment): cannot push to {remote}: "
    )
    quiet = local.git(load_settings(root), "default")[-1].line()
    assert quiet == f"ok   git remote: {remote}; not pushed (VOICENOTES_GIT_PUSH is off)"
