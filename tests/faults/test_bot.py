"""Fault injection: real `voicenotes bot` and `serve` processes killed (SIGKILL) at each step.

Whatever step a process dies at, every message the Bot API handed over is filed exactly once
and its author told, "After a restart" where the answer came from the next run; no output
shows the token. See harness.py for the scene each case runs in.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.faults.harness import Scene, Sent
from tests.support.audio import repeated_speech_ogg

pytestmark = [
    pytest.mark.faults,
    pytest.mark.timeout(300),
    pytest.mark.parametrize("command", ["bot", "serve"]),
]


def test_updates_handed_over_but_not_handled_survive_a_kill(tmp_path: Path, command: str) -> None:
    with Scene(tmp_path, command) as scene:
        scene.api.hold("getFile")  # slow downloads: the bot falls behind
        sent = [scene.voice(900 + n) for n in range(4)]
        sent += [scene.text(904, "RAG needs evals first"), scene.text(905, "and a review step")]
        first = scene.start()
        scene.api.wait_for(lambda: scene.api.waiting("getFile"), what="a download in flight")
        scene.api.wait_for(lambda: scene.api.confirmed_offset > 6, what="all 6 confirmed")
        scene.kill(first)
        scene.api.release("getFile", drop=True)

        scene.restart_and_answer(sent)

        scene.check(sent, restarted=sent)


def test_a_kill_after_the_audio_was_saved(tmp_path: Path, command: str) -> None:
    with Scene(tmp_path, command) as scene:
        sent = [scene.voice(900)]
        first = scene.start()
        audio = scene.kb.audio / "20260204_102339_AlexeyDTC_msg900.ogg"
        scene.api.wait_for(audio.exists, what="the audio on disk")
        scene.kill(first)

        scene.restart_and_answer(sent)

        scene.check(sent, restarted=sent)


def test_a_kill_during_the_transcription(tmp_path: Path, command: str) -> None:
    with Scene(tmp_path, command) as scene:
        sent = [scene.voice(900)]
        first = scene.start()
        scene.api.wait_for(lambda: scene.api.calls_to("sendChatAction"), what="transcribing")
        scene.kill(first)

        scene.restart_and_answer(sent)

        scene.check(sent, restarted=sent)


def test_a_kill_after_filing_before_the_answer(tmp_path: Path, command: str) -> None:
    with Scene(tmp_path, command) as scene:
        scene.api.hold("editMessageText")
        sent = [scene.voice(900)]
        first = scene.start()
        scene.api.wait_for(lambda: scene.api.waiting("editMessageText"), what="the answer")
        scene.kill(first)
        scene.api.release("editMessageText", drop=True)

        scene.restart_and_answer(sent)

        scene.check(sent, restarted=sent)
        (answer,) = [m for m in scene.api.sent if m.reply_to == 900]
        assert answer.texts[0] == "Saved. Transcribing…"  # the acknowledgement, edited


def test_a_second_stop_signal_during_the_transcription(tmp_path: Path, command: str) -> None:
    with Scene(tmp_path, command) as scene:
        sent: list[Sent] = [scene.voice(900)]
        first = scene.start()
        scene.api.wait_for(lambda: scene.api.calls_to("sendChatAction"), what="transcribing")
        first.popen.terminate()
        first.wait_for_line("stopping after the work in progress")
        first.popen.terminate()
        assert first.finish() == 0, first.output

        scene.check(sent)


def test_restarts_asked_for_during_one_long_note_do_not_give_it_up(
    tmp_path: Path, command: str
) -> None:
    if command == "serve":
        pytest.skip("the same queue as `bot`: one run is enough for this slow case")
    with Scene(tmp_path, command) as scene:
        long_note = repeated_speech_ogg(tmp_path / "long.ogg", 3).read_bytes()
        sent = [scene.voice(900, long_note)]
        for restart in range(3):  # systemctl restart, with a stop timeout shorter than the note
            running = scene.start()
            started = functools.partial(_typing_more_than, scene, restart)
            scene.api.wait_for(started, what="transcribing")
            running.popen.terminate()
            running.wait_for_line("stopping after the work in progress")
            scene.kill(running)

        scene.restart_and_answer(sent)

        scene.check(sent, restarted=sent)


def _typing_more_than(scene: Scene, count: int) -> bool:
    return len(scene.api.calls_to("sendChatAction")) > count
