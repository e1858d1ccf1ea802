"""The one door to the language model: Chat Completions answered in a strict JSON schema.

Every call is recorded in full for the run log (notes.runlog): the messages sent, the raw
answer, the schema, the prompt version, the model, tokens, latency and error. Failures
become `LLMError` with a one-line message; an answer that is not JSON or does not fit the
schema is an `InvalidAnswer`, which the caller may retry with the problems shown to it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

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

from notes.drafting.exchange import Answer as Answer
from notes.drafting.exchange import Call, decode
from notes.drafting.exchange import CallRecord as CallRecord
from notes.drafting.exchange import InvalidAnswer as InvalidAnswer
from notes.drafting.exchange import LLMError as LLMError
from notes.drafting.exchange import Message as Message
from notes.settings import Settings

DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 2

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
            response = self._openai().chat.completions.create(
                model=self.model,
                messages=params,
                response_format=response_format(schema, output),
            )
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
