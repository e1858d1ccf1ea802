"""A fake Telegram Bot API server on 127.0.0.1, speaking HTTP the way the real one does.

It answers the methods the bot uses (getMe, deleteWebhook, getUpdates with long polling,
getFile, file downloads, sendMessage, editMessageText, sendChatAction, setMyCommands), checks
message texts like Telegram does (HTML entities, the 4096-character limit), and lets a test
queue updates and read what the bot sent.

    with FakeBotAPI() as api:
        api.queue(voice_message(OWNER, 1, api.add_file(data)))
        ...run the bot against api.url with TOKEN...
        api.wait_for(lambda: api.sent_to(OWNER.id))

A test can hold a method (`api.hold("getFile")`: slow downloads, a reply in flight) and let it
go or drop it, as a server that never answered a killed client would (`api.release(...)`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.local_http import LocalHTTPServer

TOKEN = "123456789:AAF-fake-token-for-tests-0123456789ab"
BOT = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Voice notes",
    "username": "voicenotes_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
DOWNLOAD_LIMIT = 20 * 1024 * 1024
"""What the official server hands over through getFile."""
MESSAGE_LIMIT = 4096
_RAW_KEYS = {"text", "caption", "file_id", "parse_mode", "action", "description", "url"}
_HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_STRAY_AMPERSAND = re.compile(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")

T = TypeVar("T")


@dataclass(frozen=True)
class User:
    id: int
    username: str | None = None
    first_name: str = "Alexey"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class SentMessage:
    """A message the bot sent, with every text it has had (edits append)."""

    chat_id: int
    message_id: int
    texts: list[str]
    reply_to: int | None
    sent_at: float
    edited_at: list[float] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    """The inline keyboard the message has now, if any."""

    @property
    def html(self) -> str:
        return self.texts[-1]

    @property
    def text(self) -> str:
        """What the reader sees: tags gone, entities decoded."""
        return visible_text(self.texts[-1])


@dataclass
class HeldCall:
    method: str
    released: bool = False
    dropped: bool = False


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class FakeBotAPI(LocalHTTPServer):
    """The server; `url` is the root to give the bot as TELEGRAM_API_BASE_URL."""

    def __init__(
        self, token: str = TOKEN, download_limit: int = DOWNLOAD_LIMIT, poll_wait: float = 0.3
    ) -> None:
        self.token = token
        self.download_limit = download_limit
        self.poll_wait = poll_wait
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.commands: list[dict[str, Any]] = []
        self.confirmed_offset = 0
        self.queued_at: dict[int, float] = {}
        self._updates: list[dict[str, Any]] = []
        self._files: dict[str, tuple[bytes, int]] = {}
        self._paths: dict[str, str] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(10_000)
        self._file_ids = itertools.count(1)
        self._changed = threading.Condition()
        self._stopping = False
        self._held: set[str] = set()
        self.revoked = False
        self.held_calls: list[HeldCall] = []
        self._listen(_handler_for(self))

    @property
    def url(self) -> str:
        return self.origin

    def __exit__(self, *exc: object) -> None:
        """Wakes the long polls waiting for updates, then stops serving."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        super().__exit__(*exc)

    # The test's side.

    def add_file(self, data: bytes, *, declared_size: int | None = None) -> str:
        """Make `data` downloadable; `declared_size` pretends it is that big (for the limit)."""
        with self._changed:
            file_id = f"file-{next(self._file_ids)}"
            self._files[file_id] = (data, len(data) if declared_size is None else declared_size)
            return file_id

    def queue(self, message: dict[str, Any], kind: str = "message") -> int:
        """Deliver `message` in an update at the next getUpdates; returns the update id.

        `kind` is the update's field: `message`, or `edited_message` for an edit.
        """
        with self._changed:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, kind: message})
            self.queued_at[update_id] = time.monotonic()
            self._changed.notify_all()
            return update_id

    def queue_update(self, update: dict[str, Any]) -> None:
        """Deliver `update` as it is (its own `update_id`: a redelivery, a duplicate)."""
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def revoke(self) -> None:
        """The token is revoked (@BotFather): every call is answered 401 Unauthorized."""
        with self._changed:
            self.revoked = True
            self._changed.notify_all()

    def wait_for(self, condition: Callable[[], T], timeout: float = 90.0, what: str = "") -> T:
        """Block until `condition()` is truthy (re-checked on every request the bot makes)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (result := condition()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"timed out waiting for {what or condition}; "
                        f"calls: {[c.method for c in self.calls][-20:]}"
                    )
                self._changed.wait(min(left, 0.5))
            return result

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        with self._changed:
            return [message for message in self.sent if message.chat_id == chat_id]

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def hold(self, *methods: str) -> None:
        """Calls of `methods` wait, unanswered, until `release`."""
        with self._changed:
            self._held.update(methods)

    def release(self, *methods: str, drop: bool = False) -> None:
        """Let the held calls of `methods` go on; `drop` fails them without effect."""
        with self._changed:
            self._held.difference_update(methods)
            for call in self.held_calls:
                if call.method in methods and not call.released:
                    call.released, call.dropped = True, drop
            self._changed.notify_all()

    def waiting(self, method: str) -> list[HeldCall]:
        """Calls of `method` held now."""
        with self._changed:
            return [c for c in self.held_calls if c.method == method and not c.released]

    def pending_updates(self) -> int:
        with self._changed:
            return len(self._updates)

    # The bot's side.

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return self._get_updates(params)
        with self._changed:
            self.calls.append(Call(method, params))
            self._changed.notify_all()
            if method in self._held:
                self._wait_released(method)
            try:
                return self._answer(method, params)
            finally:
                self._changed.notify_all()

    def _wait_released(self, method: str) -> None:
        call = HeldCall(method)
        self.held_calls.append(call)
        self._changed.notify_all()
        while not call.released and not self._stopping:
            self._changed.wait(0.5)
        if call.dropped or self._stopping:
            raise ApiError(502, "Bad Gateway: dropped by the test")

    def download(self, path: str) -> bytes | None:
        with self._changed:
            file_id = self._paths.get(path)
            return None if file_id is None else self._files[file_id][0]

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "deleteWebhook":
            if params.get("drop_pending_updates"):
                self._updates.clear()
            return True
        if method == "setMyCommands":
            self.commands = list(params.get("commands", []))
            return True
        if method == "sendChatAction":
            return True
        if method == "getFile":
            return self._get_file(str(params.get("file_id")))
        if method == "sendMessage":
            return self._send_message(params)
        if method == "editMessageText":
            return self._edit_message(params)
        if method == "answerCallbackQuery":
            return True
        if method == "editMessageReplyMarkup":
            return self._edit_markup(params)
        raise ApiError(404, "Not Found")

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), self.poll_wait)
        deadline = time.monotonic() + wait
        with self._changed:
            self.calls.append(Call("getUpdates", params))
            if offset:
                self.confirmed_offset = max(self.confirmed_offset, offset)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._stopping and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            limit = int(params.get("limit") or 100)
            return list(self._updates[:limit])

    def _get_file(self, file_id: str) -> dict[str, Any]:
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = self._files[file_id][1]
        if size > self.download_limit:
            raise ApiError(400, "Bad Request: file is too big")
        path = f"voice/{file_id}.oga"
        self._paths[path] = file_id
        return telegram_file(file_id, size) | {"file_path": path}

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._checked_text(params)
        reply = params.get("reply_parameters") or {}
        message = SentMessage(
            int(params["chat_id"]),
            next(self._message_ids),
            [text],
            reply.get("message_id"),
            time.monotonic(),
        )
        message.reply_markup = params.get("reply_markup") or None
        self.sent.append(message)
        return _message_json(message)

    def _edit_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.sent:
            if (message.chat_id, message.message_id) == (chat_id, message_id):
                message.reply_markup = params.get("reply_markup") or None
                return _message_json(message)
        raise ApiError(400, "Bad Request: message to edit not found")

    def _edit_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._checked_text(params)
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.sent:
            if (message.chat_id, message.message_id) == (chat_id, message_id):
                if message.texts[-1] == text:
                    raise ApiError(
                        400,
                        "Bad Request: message is not modified: specified new "
                        "message content and reply markup are exactly the same",
                    )
                message.texts.append(text)
                message.edited_at.append(time.monotonic())
                message.reply_markup = params.get("reply_markup") or None
                return _message_json(message)
        raise ApiError(400, "Bad Request: message to edit not found")

    def _checked_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        shown = visible_text(text) if params.get("parse_mode") == "HTML" else text
        if params.get("parse_mode") == "HTML":
            problem = html_problem(text)
            if problem:
                raise ApiError(400, f"Bad Request: can't parse entities: {problem}")
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown.encode("utf-16-le")) // 2 > MESSAGE_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return text


# Building updates.


def in_group(message: dict[str, Any], chat_id: int, title: str = "Team notes") -> dict[str, Any]:
    """`message` as sent in a supergroup instead of the private chat."""
    return message | {"chat": {"id": chat_id, "type": "supergroup", "title": title}}


def _message(user: User, message_id: int, date: int | None) -> dict[str, Any]:
    chat = {"id": user.id, "type": "private", "first_name": user.first_name}
    if user.username:
        chat["username"] = user.username
    return {
        "message_id": message_id,
        "date": date or int(time.time()),
        "chat": chat,
        "from": user.as_json(),
    }


def telegram_file(file_id: str, size: int, **fields: object) -> dict[str, Any]:
    """A File as the Bot API describes one (a voice, a document, a video...): its ids, then
    `fields`, then its size, in the order Telegram sends them."""
    return {"file_id": file_id, "file_unique_id": f"u{file_id}", **fields, "file_size": size}


def voice_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    size: int = 30_000,
    duration: int = 12,
    date: int | None = None,
) -> dict[str, Any]:
    voice = telegram_file(file_id, size, duration=duration, mime_type="audio/ogg")
    return _message(user, message_id, date) | {"voice": voice}


def audio_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    file_name: str,
    mime_type: str,
    as_document: bool = False,
    size: int = 30_000,
    date: int | None = None,
) -> dict[str, Any]:
    media = telegram_file(file_id, size, file_name=file_name, mime_type=mime_type)
    if as_document:
        return _message(user, message_id, date) | {"document": media}
    return _message(user, message_id, date) | {"audio": media | {"duration": 12}}


def video_note_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    size: int = 60_000,
    length: int = 240,
    duration: int = 12,
    date: int | None = None,
) -> dict[str, Any]:
    """A round video: a square `length` pixels wide, no file name or MIME type."""
    video = telegram_file(file_id, size, length=length, duration=duration)
    return _message(user, message_id, date) | {"video_note": video}


def text_message(user: User, message_id: int, text: str, date: int | None = None) -> dict[str, Any]:
    message = _message(user, message_id, date) | {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return message


# Telegram's HTML, as strictly as the server reads it.


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self.problem = self.problem or f'unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problem = self.problem or f'unexpected end tag "{tag}"'
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_problem(text: str) -> str | None:
    if _STRAY_AMPERSAND.search(text):
        return "unsupported character reference (a bare '&')"
    parser = _Html()
    parser.feed(text)
    parser.close()
    if parser.problem:
        return parser.problem
    if parser.open:
        return f'can\'t find end tag corresponding to start tag "{parser.open[-1]}"'
    return None


def visible_text(text: str) -> str:
    parser = _Html()
    parser.feed(text)
    parser.close()
    return "".join(parser.text)


def _message_json(message: SentMessage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "date": int(time.time()),
        "chat": {"id": message.chat_id, "type": "private", "first_name": "Alexey"},
        "from": BOT,
        "text": visible_text(message.html),
    }
    if message.edited_at:
        data["edit_date"] = int(time.time())
    if message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return data


def callback_query(user: User, message: SentMessage, data: str) -> dict[str, Any]:
    """A press of an inline button with `data` under `message` (queue it as `callback_query`)."""
    return {
        "id": f"cq{message.message_id}-{time.monotonic_ns()}",
        "from": user.as_json(),
        "chat_instance": "1",
        "data": data,
        "message": _message_json(message),
    }


# HTTP.


def _handler_for(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(_BotApiHandler):
        pass

    Handler.api = api
    return Handler


class _BotApiHandler(BaseHTTPRequestHandler):
    api: FakeBotAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry the token."""

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        prefix = f"/file/bot{self.api.token}/"
        if path.startswith(prefix):
            data = self.api.download(path[len(prefix) :])
            if data is None:
                self._reply(HTTPStatus.NOT_FOUND, b"Not Found", "text/plain")
            else:
                self._reply(HTTPStatus.OK, data, "application/octet-stream")
            return
        self._method(path, {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            params = json.loads(body or "{}")
        else:
            params = {key: _decode(key, value) for key, value in parse_qsl(body)}
        self._method(unquote(urlsplit(self.path).path), params)

    def _method(self, path: str, params: dict[str, Any]) -> None:
        prefix = f"/bot{self.api.token}/"
        if not path.startswith(prefix) or self.api.revoked:
            self._json(
                HTTPStatus.UNAUTHORIZED,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
            return
        try:
            result = self.api.handle(path[len(prefix) :], params)
        except ApiError as error:
            self._json(
                HTTPStatus(error.code),
                {"ok": False, "error_code": error.code, "description": error.description},
            )
            return
        self._json(HTTPStatus.OK, {"ok": True, "result": result})

    def _json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        self._reply(status, json.dumps(payload).encode("utf-8"), "application/json")

    def _reply(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a long poll, as clients do when they stop


def _decode(key: str, value: str) -> Any:
    if key in _RAW_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# Running a bot against it.


@dataclass(frozen=True)
class RunningBot:
    application: Any
    loop: asyncio.AbstractEventLoop

    def call(self, coroutine: Any, timeout: float = 60) -> Any:
        """Run `coroutine` on the bot's event loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@contextmanager
def running(application: Any, run: Callable[[], None]) -> Iterator[RunningBot]:
    """Run `run()` (which polls `application` until stopped) on a thread with its own loop.

    On exit the application is stopped the way a signal would stop it, and any error the
    thread met is raised here.
    """
    loop = asyncio.new_event_loop()
    failure: list[BaseException] = []

    def target() -> None:
        asyncio.set_event_loop(loop)
        try:
            run()
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target, name="bot", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not application.running and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        if failure:
            raise failure[0]
        assert application.running, "the bot did not start"
        yield RunningBot(application, loop)
    finally:
        if thread.is_alive():
            loop.call_soon_threadsafe(application.stop_running)
            thread.join(timeout=120)
        if failure:
            raise failure[0]


@contextmanager
def bot_running(settings: Any, transcriber: Any) -> Iterator[RunningBot]:
    """The real bot application, polling the server named in `settings`, on a thread."""
    from bot.app import build_application, poll

    application = build_application(settings, transcriber)
    with running(application, lambda: poll(application, handle_signals=False)) as bot:
        yield bot


class HeldTranscriber:
    """A real transcriber that starts each file only when the test lets it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.started = threading.Event()
        self.go = threading.Event()
        self.files: list[Any] = []

    @property
    def model_id(self) -> str:
        return str(self.inner.model_id)

    def transcribe(self, audio: Any, progress: Any = None) -> Any:
        self.files.append(audio)
        self.started.set()
        if not self.go.wait(timeout=120):
            raise TimeoutError("the test never let the transcription go")
        return self.inner.transcribe(audio, progress)


OWNER = User(822266080, "AlexeyDTC")
STRANGER = User(5550001, "someone_else")
FEB_4 = 1770200619
"""2026-02-04T10:23:39Z, the time of the first example note: its name starts 20260204_102339."""


def bot_settings(kb_root: Any, api: FakeBotAPI, allowed: tuple[int, ...] = (OWNER.id,)) -> Any:
    """Settings for a bot that talks to `api` and serves `allowed`."""
    from notes.settings import load_settings

    return load_settings(
        kb_root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=list(allowed),
        TELEGRAM_API_BASE_URL=api.url,
    )


# Materials: photos, albums, documents, videos, GIFs, links, forwards.


def photo_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    width: int = 1280,
    height: int = 960,
    caption: str | None = None,
    caption_entities: list[dict[str, Any]] | None = None,
    media_group_id: str | None = None,
    date: int | None = None,
) -> dict[str, Any]:
    """A photo as Telegram sends it: several sizes, the largest last."""
    sizes = [
        {
            "file_id": f"{file_id}-small",
            "file_unique_id": f"u{file_id}s",
            "width": 90,
            "height": 68,
        },
        {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": width, "height": height},
    ]
    message = _message(user, message_id, date) | {"photo": sizes}
    return _with_caption(message, caption, caption_entities, media_group_id)


def document_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    file_name: str,
    mime_type: str,
    size: int = 30_000,
    caption: str | None = None,
    date: int | None = None,
) -> dict[str, Any]:
    document = telegram_file(file_id, size, file_name=file_name, mime_type=mime_type)
    return _with_caption(_message(user, message_id, date) | {"document": document}, caption)


def video_message(
    user: User,
    message_id: int,
    file_id: str,
    *,
    size: int = 300_000,
    width: int = 320,
    height: int = 240,
    duration: int = 3,
    file_name: str = "clip.mp4",
    caption: str | None = None,
    animation: bool = False,
    date: int | None = None,
) -> dict[str, Any]:
    video = telegram_file(
        file_id,
        size,
        width=width,
        height=height,
        duration=duration,
        file_name=file_name,
        mime_type="video/mp4",
    )
    message = _message(user, message_id, date)
    if animation:
        message |= {"animation": video, "document": dict(video)}
    else:
        message |= {"video": video}
    return _with_caption(message, caption)


def forwarded(message: dict[str, Any], origin: dict[str, Any]) -> dict[str, Any]:
    """`message` as a forward; `origin` is a MessageOrigin (see forward_from_* below)."""
    return message | {"forward_origin": origin}


def from_user(user: User, date: int) -> dict[str, Any]:
    return {"type": "user", "date": date, "sender_user": user.as_json()}


def from_hidden(name: str, date: int) -> dict[str, Any]:
    return {"type": "hidden_user", "date": date, "sender_user_name": name}


def from_channel(chat_id: int, title: str, message_id: int, date: int) -> dict[str, Any]:
    chat = {"id": chat_id, "type": "channel", "title": title}
    return {"type": "channel", "date": date, "chat": chat, "message_id": message_id}


def text_link(offset: int, length: int, url: str) -> dict[str, Any]:
    return {"type": "text_link", "offset": offset, "length": length, "url": url}


def _with_caption(
    message: dict[str, Any],
    caption: str | None,
    entities: list[dict[str, Any]] | None = None,
    media_group_id: str | None = None,
) -> dict[str, Any]:
    if caption is not None:
        message["caption"] = caption
    if entities:
        message["caption_entities"] = entities
    if media_group_id:
        message["media_group_id"] = media_group_id
    return message
