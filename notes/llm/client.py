"""The one door to the language model: Chat Completions answered in a strict JSON schema.

Every call is recorded in full for the run log (notes.kb.runlog): the messages sent, the raw
answer, the schema, the prompt version, the model, tokens, latency and error. Failures
become `LLMError` with a one-line message; an answer that is not JSON or does not fit the
schema is an `InvalidAnswer`, which the caller may retry with the problems shown to it
(`for_retry` keeps a large answer out of the retry). An answer larger than any article could
be is an `InvalidAnswer` too.

A call has a total deadline (`timeout`), the openai client's own retries included: a server
that is silent, or trickles its answer a byte at a time, is given up when it passes. A stop
event set (SIGTERM, SIGINT) ends the wait for the call in flight at once with `Stopped`.
Credentials in the base URL (`http://user:pass@host`) are sent as HTTP basic auth, as httpx
would, but never appear in a message: `server` names the URL without them.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx2 as httpx
import openai
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionContentPartImageParam,
    ChatCompletionContentPartParam,
    ChatCompletionContentPartTextParam,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel

from notes.llm.deadline import Stopped as Stopped
from notes.llm.deadline import call_within, http_client
from notes.llm.exchange import Answer as Answer
from notes.llm.exchange import Call, decode
from notes.llm.exchange import CallRecord as CallRecord
from notes.llm.exchange import InvalidAnswer as InvalidAnswer
from notes.llm.exchange import LLMError as LLMError
from notes.llm.exchange import Message as Message
from notes.llm.failures import failure, scrub
from notes.settings import Settings

DEFAULT_TIMEOUT = 120.0
"""Seconds a call may take in all, the client's retries included."""
DEFAULT_RETRIES = 2
MAX_ANSWER_CHARS = 200_000
"""An answer longer than this is rejected like any invalid one (no article is that long)."""
ECHO_LIMIT = 4_000
"""A rejected answer longer than this is not sent back in full on a retry."""
_PROBLEM_LIMIT = 20
_PROBLEM_CHARS = 300

Output = TypeVar("Output", bound=BaseModel)


@dataclass
class LLMClient:
    """A small wrapper over `openai.OpenAI` for structured answers."""

    model: str
    api_key: str | None = field(repr=False)
    base_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_RETRIES
    calls: list[CallRecord] = field(default_factory=list)
    stop: threading.Event | None = field(default=None, repr=False)
    """Once set, no call starts and the call in flight is abandoned (`Stopped`)."""
    _client: openai.OpenAI | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_RETRIES,
        stop: threading.Event | None = None,
        model: str | None = None,
    ) -> LLMClient:
        """A client for `settings`' server; `model` overrides the drafting model (vision)."""
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(
            model=model or settings.llm_model,
            api_key=key,
            base_url=settings.openai_base_url,
            timeout=timeout,
            max_retries=max_retries,
            stop=stop,
        )

    @property
    def server(self) -> str:
        """The server as messages name it: the base URL without its credentials."""
        return _without_credentials(self.base_url)[0] if self.base_url else "the OpenAI API"

    def complete(
        self,
        schema: str,
        output: type[Output],
        messages: Sequence[Message],
        *,
        prompt: str | None = None,
        images: Sequence[bytes] = (),
    ) -> Answer[Output]:
        """Ask for an answer in the JSON schema of `output`, named `schema`.

        `prompt` names the prompt version the messages come from, for the record. `images`
        (JPEG bytes) go with the last user message as inline data URLs; the record keeps
        the messages' text only.
        """
        call = Call(self.calls, self.model, schema, prompt, tuple(messages))
        params = [_message_param(m) for m in messages]
        if images:
            params[-1] = _with_images(messages[-1], images)
        try:
            response = self._call(
                lambda c: c.chat.completions.create,
                model=self.model,
                messages=params,
                response_format=response_format(schema, output),
            )
        except LLMError as error:  # stopped, past the deadline, or no key
            call.done(error=str(error))
            raise
        except openai.OpenAIError as error:
            failure = self._failure(error)
            call.done(error=str(failure))
            raise failure from None
        except ValueError:  # a body that claims to be JSON and is not
            response = None
        if not isinstance(response, ChatCompletion):
            message = f"the LLM server ({self.server}) sent something that is not a chat completion"
            call.done(error=message)
            raise LLMError(message)
        usage = response.usage
        tokens = (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)
        try:
            raw, value = _parse(schema, output, response)
        except InvalidAnswer as invalid:
            call.done(tokens, error=str(invalid), answer=invalid.raw)
            raise
        record = call.done(tokens, answer=raw)
        return Answer(value, raw, record)

    def embed(self, model: str, texts: Sequence[str]) -> list[list[float]]:
        """Each text's embedding by `model`, in order; not run-logged (it decides nothing alone)."""
        try:
            response = self._call(
                lambda c: c.embeddings.create,
                model=model,
                input=list(texts),
                encoding_format="float",
            )
        except openai.OpenAIError as error:
            raise self._failure(error) from None
        except ValueError:  # a body that claims to be JSON and is not
            response = None
        missing = f"the LLM server ({self.server}) sent no embeddings for {model}"
        return _vectors(response, len(texts), missing)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_stop(self) -> None:
        """Raise `Stopped` if a stop was asked for."""
        if self.stop is not None and self.stop.is_set():
            raise Stopped("stopped before the drafting pass finished")

    def _call(self, create: Callable[[openai.OpenAI], Any], **params: Any) -> object:
        """`create(client)(**params)`, within the deadline and until a stop."""
        self.check_stop()
        client = self._openai()
        return call_within(lambda: create(client)(**params), self.timeout, self.stop, self.server)

    def _openai(self) -> openai.OpenAI:
        """The client; each request and read ends at the deadline of the call it serves."""
        if not self.api_key:
            raise LLMError(
                "no API key: set OPENAI_API_KEY (any value for a local server that needs none)"
            )
        if self._client is None:
            base_url, auth = _without_credentials(self.base_url) if self.base_url else (None, None)
            self._client = openai.OpenAI(
                api_key=self.api_key,
                base_url=base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                http_client=http_client(auth),
            )
        return self._client

    def _failure(self, error: openai.OpenAIError) -> LLMError:
        return failure(error, self.server, self.timeout, self._scrub)

    def _scrub(self, text: str) -> str:
        return scrub(text, self.api_key, self.base_url)


def _vectors(response: object, count: int, missing: str) -> list[list[float]]:
    """The vectors of an embeddings response, in the order of the texts; LLMError if absent."""
    data = getattr(response, "data", None)
    if not isinstance(data, list) or len(data) != count:
        raise LLMError(missing)
    ordered = sorted(data, key=lambda item: int(getattr(item, "index", 0)))
    return [[float(x) for x in item.embedding] for item in ordered]


def for_retry(raw: str, problems: Sequence[str]) -> tuple[str, list[str]]:
    """The rejected answer and its problems as a retry shows them: short, whatever their size.

    A large answer is not sent back in full (each retry would grow by its size): its start
    and its length stand for it.
    """
    shown = [
        problem if len(problem) <= _PROBLEM_CHARS else problem[:_PROBLEM_CHARS] + "…"
        for problem in problems[:_PROBLEM_LIMIT]
    ]
    if len(raw) <= ECHO_LIMIT:
        return raw, shown
    head = raw[: ECHO_LIMIT // 2]
    return f"{head}\n[… the rest of this {len(raw)}-character answer is not repeated]", shown


def _without_credentials(url: str) -> tuple[str, httpx.BasicAuth | None]:
    """`url` without `user:pass@`, and those credentials as basic auth (httpx's own reading)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    auth = httpx.BasicAuth(unquote(parts.username or ""), unquote(parts.password or ""))
    return urlunsplit(parts._replace(netloc=host)), auth


def response_format(schema: str, output: type[BaseModel]) -> ResponseFormatJSONSchema:
    """`response_format` asking for strict JSON in the schema of `output`, named `schema`."""
    return {
        "type": "json_schema",
        "json_schema": {"name": schema, "strict": True, "schema": strict_schema(output)},
    }


def strict_schema(output: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of `output` for strict structured output.

    Strict mode wants every object closed (`additionalProperties: false`) with all of its
    properties required; the output models declare `extra="forbid"` and no defaults.
    """
    return output.model_json_schema()


def _parse(schema: str, output: type[Output], response: ChatCompletion) -> tuple[str, Output]:
    if not response.choices:
        raise InvalidAnswer(f"the model's {schema} answer has no choices", "", ["no choices"])
    choice = response.choices[0]
    raw = choice.message.content or ""
    refusal = choice.message.refusal
    if refusal:
        raise InvalidAnswer(f"the model refused the {schema} request: {refusal}", raw, [refusal])
    if len(raw) > MAX_ANSWER_CHARS:
        problem = (
            f"the answer is {len(raw)} characters long; at most {MAX_ANSWER_CHARS} are accepted"
        )
        shown, _ = for_retry(raw, [])  # neither the retry nor the run log holds it all
        raise InvalidAnswer(f"the model's {schema} answer is too large", shown, [problem])
    if choice.finish_reason == "length":
        problem = "the answer was cut off at the output token limit"
        raise InvalidAnswer(f"the model's {schema} answer was cut off", raw, [problem])
    return raw, decode(schema, output, raw)


def _message_param(message: Message) -> ChatCompletionMessageParam:
    if message.role == "system":
        return ChatCompletionSystemMessageParam(role="system", content=message.content)
    if message.role == "assistant":
        return ChatCompletionAssistantMessageParam(role="assistant", content=message.content)
    return ChatCompletionUserMessageParam(role="user", content=message.content)


def _with_images(message: Message, images: Sequence[bytes]) -> ChatCompletionUserMessageParam:
    if message.role != "user":
        raise ValueError("images go with a user message")
    parts: list[ChatCompletionContentPartParam] = [
        ChatCompletionContentPartTextParam(type="text", text=message.content)
    ]
    parts += [_image_part(image) for image in images]
    return ChatCompletionUserMessageParam(role="user", content=parts)


def _image_part(jpeg: bytes) -> ChatCompletionContentPartImageParam:
    """An inline data URL: images never travel as links (a Telegram file URL holds the token)."""
    url = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
    return ChatCompletionContentPartImageParam(type="image_url", image_url={"url": url})
