"""A local OpenAI-compatible HTTP server that answers Chat Completions from a test's script.

The real `openai` client talks to it over HTTP on 127.0.0.1. A script is a queue of replies
per JSON schema name (`route_batch`, `write_article`, `update_article`), each reply fixed or a
function of the request; every request is recorded so a test can read the prompts it sent.

    with OpenAIServer() as server:
        server.on("route_batch", answer({"decisions": [...]}))
        server.on("write_article", lambda request: answer({...}))
        settings = settings_for(server, kb_root)
"""

from __future__ import annotations

import copy
import json
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from notes.settings import Settings, load_settings
from tests.support.local_http import LocalHTTPServer

TEST_KEY = "sk-test-0123456789abcdef"


@dataclass(frozen=True)
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    """Lowercase names."""

    body: dict[str, Any]

    @property
    def schema(self) -> str | None:
        response_format = self.body.get("response_format") or {}
        return (response_format.get("json_schema") or {}).get("name")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == "system")

    @property
    def user(self) -> str:
        """The last user message's text: the prompt, or the problems shown on a retry."""
        content = next(m["content"] for m in reversed(self.messages) if m["role"] == "user")
        return _text_of(content)

    @property
    def images(self) -> list[str]:
        """Image URLs sent in user messages (data URLs for voicenotes), in order."""
        return [
            part["image_url"]["url"]
            for m in self.messages
            if m["role"] == "user" and isinstance(m["content"], list)
            for part in m["content"]
            if part.get("type") == "image_url"
        ]

    @property
    def prompt_chars(self) -> int:
        return sum(len(_text_of(m["content"])) for m in self.messages)


def _text_of(content: Any) -> str:
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) for part in content if part.get("type") == "text"
        )
    return str(content)


@dataclass(frozen=True)
class Reply:
    """What the server sends back: a status, a body, headers, after an optional delay."""

    status: int
    body: bytes | dict[str, Any]
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0
    """Seconds between the bytes of the body (0: sent at once)."""

    def encode(self, request: Request) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        body = copy.deepcopy(self.body)
        usage = body.get("usage") or {}
        if usage.get("prompt_tokens") is None:
            usage["prompt_tokens"] = request.prompt_chars // 4
        return json.dumps(body, ensure_ascii=False).encode()


Script = Reply | Callable[[Request], Reply]


def answer(
    value: Any,
    *,
    tokens_in: int | None = None,
    tokens_out: int | None = None,
    finish_reason: str = "stop",
) -> Reply:
    """A chat completion whose message content is `value` (JSON-encoded unless a string).

    Token counts default to a chars/4 estimate of the prompt and of the content.
    """
    content = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    completion = {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "local-test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": len(content) // 4 if tokens_out is None else tokens_out,
            "total_tokens": 0,
        },
    }
    return Reply(200, completion)


def vision_answer(
    kind: str = "terminal screenshot",
    summary: str = "A terminal showing a test run where all tests pass.",
    visible_text: str = "96 passed in 3.2s",
    suggested_file_name: str = "Test Run Terminal.png",
    alt_text: str = "A terminal window reporting 96 passing tests.",
) -> Callable[[Request], Reply]:
    """A vision model stand-in for the `describe_image` schema.

    Like a real vision server it needs the image: a request without one (or with an image
    given as a link rather than inline data) is refused with HTTP 400.
    """

    def reply(request: Request) -> Reply:
        if not request.images or not all(u.startswith("data:image/") for u in request.images):
            return error(400, "this request has no inline image")
        return answer(
            {
                "kind": kind,
                "summary": summary,
                "visible_text": visible_text,
                "suggested_file_name": suggested_file_name,
                "alt_text": alt_text,
            }
        )

    return reply


def error(status: int, message: str = "scripted failure", **headers: str) -> Reply:
    """An OpenAI-style error body with `status` (429, 500, 401...)."""
    body = {"error": {"message": message, "type": "server_error", "code": None}}
    return Reply(status, json.dumps(body).encode(), headers=dict(headers))


def garbage() -> Reply:
    """A 200 response that is not a chat completion at all."""
    return Reply(200, b"<html>502 bad gateway, or so</html>", content_type="text/html")


def slow(seconds: float, then: Reply | None = None) -> Reply:
    """`then` (by default an empty answer) sent only after `seconds`: for client timeouts."""
    reply = then or answer({})
    return Reply(reply.status, reply.body, reply.content_type, reply.headers, delay=seconds)


def silent() -> Reply:
    """Never answers (until the server stops): a hung server."""
    return slow(24 * 3600)


def trickle(interval: float, then: Reply | None = None) -> Reply:
    """Headers at once, then the body one byte every `interval` s: no read ever times out."""
    reply = then or answer({})
    return Reply(reply.status, reply.body, reply.content_type, reply.headers, trickle=interval)


class OpenAIServer(LocalHTTPServer):
    """Serves `/v1/chat/completions` on 127.0.0.1 from per-schema scripts, in a thread."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.sent: dict[int, bytes] = {}
        """Response body sent for each request, by the request's `id()`."""
        self.unexpected: list[str] = []
        self._queues: dict[str | None, deque[Script]] = {}
        self._always: dict[str | None, Script] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._listen(self._handler_class())

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def on(self, schema: str | None, *scripts: Script) -> OpenAIServer:
        """Queue replies for requests whose JSON schema is named `schema`, one per request."""
        with self._lock:
            self._queues.setdefault(schema, deque()).extend(scripts)
        return self

    def always(self, schema: str | None, script: Script) -> OpenAIServer:
        """Answer every request for `schema` with `script` once its queue is empty."""
        with self._lock:
            self._always[schema] = script
        return self

    def requests_for(self, schema: str) -> list[Request]:
        return [request for request in self.requests if request.schema == schema]

    def content_sent_for(self, request: Request) -> str:
        """The message content of the chat completion sent in answer to `request`."""
        body = json.loads(self.sent[id(request)])
        return str(body["choices"][0]["message"]["content"])

    def start(self) -> OpenAIServer:
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__()

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        super().__exit__(*exc)

    def _reply_to(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            queue = self._queues.get(request.schema)
            script = queue.popleft() if queue else self._always.get(request.schema)
        if script is None:
            self.unexpected.append(f"no scripted reply for {request.schema!r}")
            return error(500, f"no scripted reply for {request.schema!r}")
        return script(request) if callable(script) else script

    def _embeddings_reply(self, request: Request) -> Reply:
        """A script queued for EMBEDDINGS, else `embeddings_answer`."""
        with self._lock:
            self.requests.append(request)
            queue = self._queues.get(EMBEDDINGS)
            script = queue.popleft() if queue else self._always.get(EMBEDDINGS)
        if script is None:
            return embeddings_answer(request)
        return script(request) if callable(script) else script

    def embedded(self) -> list[str]:
        """Every text sent to `/embeddings`, in order."""
        found: list[str] = []
        for request in self.requests:
            if request.path.endswith("/embeddings"):
                given = request.body.get("input")
                found += [given] if isinstance(given, str) else list(given or [])
        return found

    def _route(self, request: Request) -> Reply:
        """The reply for a request to `/embeddings`, `/chat/completions`, or anything else."""
        if request.path.endswith("/embeddings"):
            return self._embeddings_reply(request)
        if not request.path.endswith("/chat/completions"):
            return error(404, f"no route {request.path}")
        return self._reply_to(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"unparsed": raw.decode(errors="replace")}
                headers = {name.lower(): value for name, value in self.headers.items()}
                request = Request(self.path, headers, body)
                self._send(server._route(request), request)

            def _send(self, reply: Reply, request: Request) -> None:
                if reply.delay and server._closing.wait(reply.delay):
                    return
                body = reply.encode(request)
                server.sent[id(request)] = body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name.replace("_", "-"), value)
                    self.end_headers()
                    if not reply.trickle:
                        self.wfile.write(body)
                    for index in range(len(body) if reply.trickle else 0):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        if server._closing.wait(reply.trickle):
                            return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


EMBEDDINGS = "embeddings"
"""The key to script `/v1/embeddings` replies with (`server.on(EMBEDDINGS, ...)`)."""

EMBEDDING_SIZE = 64


def bag_of_words(text: str) -> list[float]:
    """A deterministic vector: each lowercase word adds 1 to a dimension chosen by its CRC."""
    vector = [0.0] * EMBEDDING_SIZE
    for word in re.findall(r"[^\W_]{3,}", text.lower()):
        vector[zlib.crc32(word.encode()) % EMBEDDING_SIZE] += 1.0
    return vector


def embeddings_answer(request: Request) -> Reply:
    """The embeddings of the request's `input` texts: `bag_of_words` of each."""
    given = request.body.get("input")
    texts = [given] if isinstance(given, str) else list(given or [])
    data = [
        {"object": "embedding", "index": number, "embedding": bag_of_words(str(text))}
        for number, text in enumerate(texts)
    ]
    body = {"object": "list", "data": data, "model": request.body.get("model", "")}
    return Reply(200, {**body, "usage": {"prompt_tokens": 0, "total_tokens": 0}})


def refused_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def settings_for(server: OpenAIServer | str, kb: Path, **overrides: Any) -> Settings:
    """Settings for a KB whose LLM is `server` (or a base URL), with a test key."""
    base_url = server if isinstance(server, str) else server.base_url
    values: dict[str, Any] = {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": TEST_KEY}
    values.update(overrides)
    return load_settings(kb, **values)


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A running server; tests import this fixture into their module to use it."""
    with OpenAIServer() as server:
        yield server
