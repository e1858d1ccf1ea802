"""Damage a real `voicenotes bot` (and `serve`) meets at start or while it runs.

A kept update python-telegram-bot cannot read is set aside and the bot starts, handling the
updates beside it and a redelivery of the damaged one; a token revoked while the bot runs
ends the process with one line and a non-zero exit.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.faults.harness import Scene, Sent
from tests.support.telegram_server import FEB_4, OWNER, text_message

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]


def _kept(scene: Scene, update_id: int, data: dict[str, Any] | str) -> None:
    folder = scene.kb.state / "updates"
    folder.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data)
    (folder / f"{update_id}.json").write_text(text, encoding="utf-8")


def _message(message_id: int, text: str) -> dict[str, Any]:
    return text_message(OWNER, message_id, text, date=FEB_4)


def test_kept_updates_the_library_cannot_read_are_set_aside_and_the_rest_handled(
    tmp_path: Path,
) -> None:
    with Scene(tmp_path, "bot") as scene:
        no_date = _message(950, "no date")
        del no_date["date"]
        no_type = _message(951, "chat without type")
        del no_type["chat"]["type"]
        date_as_text = _message(952, "date as text") | {"date": "2026-02-04T10:23:39Z"}
        for update_id, message in ((50, no_date), (51, no_type), (52, date_as_text)):
            _kept(scene, update_id, {"update_id": update_id, "message": message})
        _kept(scene, 53, {"update_id": 53, "message": _message(953, "kept and readable")})
        _kept(scene, 1, '{"update_id": 1, "message": {"message_id": 901, "te')  # cut short
        kept = Sent(953, "20260204_102339_AlexeyDTC_msg953.md")
        redelivered = scene.text(901, "delivered again")  # update 1, like the damaged one

        first = scene.restart_and_answer([kept, redelivered])

        scene.check([kept, redelivered], restarted=[kept])
        aside = scene.kb.state / "updates" / "unreadable"
        assert sorted(p.name for p in aside.iterdir()) == [f"{n}.json" for n in (1, 50, 51, 52)]
        for update_id in (1, 50, 51, 52):
            logged = [line for line in first.lines if f"kept update {update_id} " in line]
            assert len(logged) == 1, first.output


@pytest.mark.parametrize("command", ["bot", "serve"])
def test_a_token_revoked_while_running_ends_the_process_in_one_line(
    tmp_path: Path, command: str
) -> None:
    with Scene(tmp_path, command) as scene:
        sent = [scene.text(901, "before the token was revoked")]
        running = scene.start()
        scene.api.wait_for(lambda: all(scene.answer(s) for s in sent), what="the answer")

        scene.api.revoke()

        deadline = time.monotonic() + 30
        while running.popen.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert running.popen.poll() is not None, f"still running:\n{running.output}"
        assert running.finish() != 0
        errors = [line for line in running.lines if "error" in line.lower()]
        assert len(errors) == 1, running.output
        assert "TELEGRAM_BOT_TOKEN" in errors[0]
        assert "Traceback" not in running.output
        scene.check(sent)
