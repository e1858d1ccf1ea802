"""Killing real voicenotes processes at each step, and checking what must hold afterwards.

A `Scene` is one knowledge base with the fake Telegram Bot API (and, for `serve`, the
scripted LLM) around real `voicenotes` child processes that a test starts, SIGKILLs at a
chosen step and starts again:

    with Scene(tmp_path, "bot") as scene:
        sent = [scene.voice(900), scene.text(901, "a thought")]
        scene.api.hold("getFile")                  # downloads hang: the bot falls behind
        first = scene.start()
        scene.api.wait_for(lambda: scene.api.waiting("getFile"))
        scene.kill(first)                          # SIGKILL, nothing runs after it
        scene.api.release("getFile", drop=True)
        scene.restart_and_answer(sent)             # starts, waits for every answer, stops
        scene.check(sent)                          # filed once, author told, nothing leaked

Each case lives in a test file of its own area (`test_bot.py`, ...); this module is shared.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from notes.intake import inbox
from notes.kb import KnowledgeBase, names
from tests.conftest import SPEECH_OGG
from tests.support.openai_server import OpenAIServer
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    SentMessage,
    text_message,
    voice_message,
)
from tests.support.watching import WAIT, Librarian, Process

LLM_KEY = "sk-test-fault-suite-0123456789abcdef"
ANSWER_WAIT = 240.0
"""Generous: a 12 s note can take 20 s to transcribe on a shared 2-core machine."""
STEM = "20260204_102339_AlexeyDTC_msg"


@dataclass(frozen=True)
class Sent:
    """A message the author sent, and the note it must become."""

    message_id: int
    note: str


class Scene:
    """A KB, the fake servers, and the `bot` or `serve` processes run over them."""

    def __init__(self, tmp_path: Path, command: str) -> None:
        self.command = command
        self.kb = KnowledgeBase(tmp_path / "kb").ensure()
        self.api = FakeBotAPI()
        self.llm: OpenAIServer | None = None
        self.processes: list[Process] = []
        self._stack = ExitStack()
        self._changed = threading.Condition()

    def __enter__(self) -> Scene:
        self._stack.enter_context(self.api)
        if self.command == "serve":
            self.llm = self._stack.enter_context(OpenAIServer())
            Librarian(self.llm)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.kill()
        self._stack.close()

    # What the author sends.

    def voice(self, message_id: int, audio: bytes | None = None) -> Sent:
        recording = self.api.add_file(audio or SPEECH_OGG.read_bytes())
        self.api.queue(voice_message(OWNER, message_id, recording, date=FEB_4))
        return Sent(message_id, names.transcript_name(f"{STEM}{message_id}"))

    def text(self, message_id: int, text: str) -> Sent:
        self.api.queue(text_message(OWNER, message_id, text, date=FEB_4))
        return Sent(message_id, names.text_note_name(f"{STEM}{message_id}"))

    # The processes.

    def start(self) -> Process:
        args = [self.command] + (["--debounce", "0.5"] if self.command == "serve" else [])
        process = Process(args, self._env(), self._changed)
        self.processes.append(process)
        return process

    def kill(self, process: Process) -> None:
        """SIGKILL: no handler, no cleanup, no last getUpdates."""
        process.popen.kill()
        process.popen.wait(WAIT)

    def stop(self, process: Process) -> int:
        process.popen.terminate()
        return process.finish()

    def restart_and_answer(self, sent: Sequence[Sent]) -> Process:
        """Start again, wait until every message is answered, then stop (SIGTERM) cleanly."""
        process = self.start()
        try:
            self.api.wait_for(lambda: all(self.answer(s) for s in sent), ANSWER_WAIT, "answers")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.story()}") from None
        finally:
            status = self.stop(process)
        assert status == 0, process.output
        return process

    # What must hold.

    def story(self) -> str:
        """What the processes logged and what the author was sent, for a failure message."""
        said = [f"{m.reply_to}: {' -> '.join(m.texts)}" for m in self.api.sent]
        logs = [f"--- run {n}\n{p.output}" for n, p in enumerate(self.processes, 1)]
        return "\n".join(["sent to the author:", *said, *logs])

    def answer(self, sent: Sent) -> SentMessage | None:
        """The bot's message that tells the author where `sent` was filed, if any yet."""
        for message in self.api.sent_to(OWNER.id):
            if message.reply_to == sent.message_id and sent.note in message.text:
                return message
        return None

    def check(self, sent: Sequence[Sent], *, restarted: Sequence[Sent] = ()) -> None:
        """Each message filed exactly once and its author told (after a restart where it
        was cut short); nothing else filed; no output shows the bot token or the LLM key."""
        filed = sorted(p.name for folder in (self.kb.raw, self.kb.used) for p in _notes(folder))
        assert filed == sorted(s.note for s in sent), filed
        for message in sent:
            assert inbox.note_path(self.kb, message.note) is not None, message.note
            told = self.answer(message)
            assert told is not None, f"message {message.message_id} was never answered"
            if message in restarted:
                assert told.text.startswith("After a restart: "), told.text
        output = "".join(process.output for process in self.processes)
        for secret in (self.api.token, self.api.token.split(":")[1], LLM_KEY):
            assert secret not in output
        for message in self.api.sent:
            assert all(self.api.token not in text for text in message.texts)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_"))}
        env.update(
            VOICENOTES_KB=str(self.kb.root),
            PYTHONUNBUFFERED="1",
            TELEGRAM_BOT_TOKEN=self.api.token,
            TELEGRAM_ALLOWED_USERS=str(OWNER.id),
            TELEGRAM_API_BASE_URL=self.api.url,
        )
        if self.llm is not None:
            env.update(OPENAI_BASE_URL=self.llm.base_url, OPENAI_API_KEY=LLM_KEY)
        return env


def _notes(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.iterdir() if p.is_file() and names.is_note_name(p.name))
