"""The one door to the language model: Chat Completions answered in a strict JSON schema.

Every call is recorded (tokens, latency, error) for the run log. Failures become `LLMError`
with a one-line message; an answer that is not JSON or does not fit the schema is an
`InvalidAnswer`, which the caller may retry with the problems shown to the model.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Literal, TypeVar

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
from pydantic import BaseModel, ValidationError

from notes.settings import Settings

DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 2
_PROBLEM_LIMIT = 20

log = logging.getLogger(__name__)
Output = TypeVar("Output", bound=BaseModel)
Role = Literal["system", "user", "assistant"]


class LLMError(Exception):
    """A call to the model failed. The message is one line, fit to show the user."""


class InvalidAnswer(LLMError):
    """The model answered, but not with JSON that fits the schema."""

    def __init__(self, message: str, raw: str, problems: Sequence[str]) -> None:
        super().__init__(message)
        self.raw = raw
        self.problems = list(problems)


@dataclass(frozen=True)
class Message:
    """One chat message. `images` (JPEG bytes, user messages only) go as data URLs."""

    role: Role
    content: str
    images: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class CallRecord:
    """One request to the model, as the run log keeps it."""

    schema: str
    model: str
    tokens_in: int
    tokens_out: int
    latency: float
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer(Generic[Output]):
    value: Output
    raw: str
    record: CallRecord


@dataclass
class LLMClient:
    """A small wrapper over `openai.OpenAI` for structured answers."""

    model: str
    api_key: str | None = field(repr=False)
    base_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_RETRIES
    calls: list[CallRecord] = field(default_factory=list)
    _client: openai.OpenAI | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_RETRIES,
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
        )

    @property
    def server(self) -> str:
        return self.base_url or "the OpenAI API"

    def complete(
        self, schema: str, output: type[Output], messages: Sequence[Message]
    ) -> Answer[Output]:
        """Ask for an answer in the JSON schema of `output`, named `schema`."""
        started = time.monotonic()
        try:
            response = self._openai().chat.completions.create(
                model=self.model,
                messages=[_message_param(m) for m in messages],
                response_format=response_format(schema, output),
            )
        except openai.OpenAIError as error:
            failure = self._failure(error)
            self._record(schema, started, error=str(failure))
            raise failure from None
        except ValueError:  # a body that claims to be JSON and is not
            response = None
        if not isinstance(response, ChatCompletion):
            message = f"the LLM server ({self.server}) sent something that is not a chat completion"
            self._record(schema, started, error=message)
            raise LLMError(message)
        usage = response.usage
        tokens = (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)
        try:
            raw, value = _parse(schema, output, response)
        except InvalidAnswer as invalid:
            self._record(schema, started, tokens, error=str(invalid))
            raise
        record = self._record(schema, started, tokens)
        return Answer(value, raw, record)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _openai(self) -> openai.OpenAI:
        if not self.api_key:
            raise LLMError(
                "no API key: set OPENAI_API_KEY (any value for a local server that needs none)"
            )
        if self._client is None:
            self._client = openai.OpenAI(
                api_key=self.api_key,
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
            )
        return self._client

    def _record(
        self,
        schema: str,
        started: float,
        tokens: tuple[int, int] = (0, 0),
        *,
        error: str | None = None,
    ) -> CallRecord:
        record = CallRecord(
            schema=schema,
            model=self.model,
            tokens_in=tokens[0],
            tokens_out=tokens[1],
            latency=round(time.monotonic() - started, 3),
            error=error,
        )
        self.calls.append(record)
        log.debug(
            "%s: %d tokens in, %d out, %.2f s%s",
            schema,
            record.tokens_in,
            record.tokens_out,
            record.latency,
            f", {error}" if error else "",
        )
        return record

    def _failure(self, error: openai.OpenAIError) -> LLMError:
        """One line saying what went wrong, without the key."""
        where = f"the LLM server ({self.server})"
        if isinstance(error, openai.APITimeoutError):
            return LLMError(f"{where} did not answer within {self.timeout:g} s")
        if isinstance(error, openai.APIConnectionError):
            return LLMError(f"cannot reach {where}: {_connection_reason(error)}")
        if isinstance(error, openai.AuthenticationError):
            return LLMError(f"{where} refused the API key (HTTP 401): check OPENAI_API_KEY")
        if isinstance(error, openai.RateLimitError):
            detail = self._detail(error)
            return LLMError(f"{where} is rate limiting requests (HTTP 429){detail}; try later")
        if isinstance(error, openai.APIStatusError):
            kind = "failed" if error.status_code >= 500 else "refused the request"
            return LLMError(f"{where} {kind} (HTTP {error.status_code}){self._detail(error)}")
        if isinstance(error, openai.APIResponseValidationError):
            return LLMError(f"{where} sent something that is not a chat completion")
        return LLMError(f"{where}: {self._scrub(str(error))}")

    def _detail(self, error: openai.APIStatusError) -> str:
        body = error.body
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            body = body["error"]
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str):
            message = re.sub(r"^Error code: \d+ - ", "", error.message)
        message = self._scrub(" ".join(message.split()))
        return f": {message[:200]}" if message else ""

    def _scrub(self, text: str) -> str:
        return text.replace(self.api_key, "***") if self.api_key else text


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
    if choice.finish_reason == "length":
        problem = "the answer was cut off at the output token limit"
        raise InvalidAnswer(f"the model's {schema} answer was cut off", raw, [problem])
    try:
        data = json.loads(_unfenced(raw))
    except json.JSONDecodeError as error:
        problem = f"the answer is not JSON ({error.msg} at line {error.lineno})"
        raise InvalidAnswer(f"the model's {schema} answer is not JSON", raw, [problem]) from None
    try:
        return raw, output.model_validate(data)
    except ValidationError as error:
        problems = [_problem(item) for item in error.errors()[:_PROBLEM_LIMIT]]
        message = f"the model's answer does not match {schema}: {problems[0]}"
        raise InvalidAnswer(message, raw, problems) from None


def _message_param(message: Message) -> ChatCompletionMessageParam:
    if message.role == "system":
        return ChatCompletionSystemMessageParam(role="system", content=message.content)
    if message.role == "assistant":
        return ChatCompletionAssistantMessageParam(role="assistant", content=message.content)
    if message.images:
        parts: list[ChatCompletionContentPartParam] = [
            ChatCompletionContentPartTextParam(type="text", text=message.content)
        ]
        parts += [_image_part(image) for image in message.images]
        return ChatCompletionUserMessageParam(role="user", content=parts)
    return ChatCompletionUserMessageParam(role="user", content=message.content)


def _image_part(jpeg: bytes) -> ChatCompletionContentPartImageParam:
    """An inline data URL: images never travel as links (a Telegram file URL holds the token)."""
    url = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
    return ChatCompletionContentPartImageParam(type="image_url", image_url={"url": url})


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


def _unfenced(raw: str) -> str:
    """Some servers wrap the JSON in a Markdown code fence despite the schema."""
    match = _FENCE.match(raw)
    return match.group(1) if match else raw


def _problem(item: Any) -> str:
    where = ".".join(str(part) for part in item.get("loc", ())) or "answer"
    return f"{where}: {item.get('msg', 'invalid')}"


def _connection_reason(error: openai.APIConnectionError) -> str:
    cause = error.__cause__
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    text = str(cause or error).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return " ".join(str(cause or error).split())[:200] or "connection failed"
