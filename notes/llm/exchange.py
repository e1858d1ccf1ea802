"""What goes to the model and comes back, apart from the client that carries it.

The messages sent, the record of one exchange as the run log keeps it, the errors of a
call, and the decoding of a raw answer into its schema. Pure: no network, no openai import
(the client is notes.llm.client).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

Output = TypeVar("Output", bound=BaseModel)
Role = Literal["system", "user", "assistant"]
_PROBLEM_LIMIT = 20
log = logging.getLogger(__name__)
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


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
    role: Role
    content: str


@dataclass(frozen=True)
class CallRecord:
    """One exchange with the model, as the run log keeps it."""

    schema: str
    model: str
    tokens_in: int
    tokens_out: int
    latency: float
    error: str | None = None
    prompt: str | None = None
    """The version of the prompt the messages were built from (`route_v1`)."""

    messages: tuple[Message, ...] = ()
    """Everything sent, in order."""

    answer: str | None = None
    """The model's raw answer text (None: no answer came back)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer(Generic[Output]):
    value: Output
    raw: str
    record: CallRecord


@dataclass
class Call:
    """One exchange under way; `done` records it in `calls` and in the debug log."""

    calls: list[CallRecord]
    model: str
    schema: str
    prompt: str | None
    messages: tuple[Message, ...]
    started: float = field(default_factory=time.monotonic)

    def done(
        self,
        tokens: tuple[int, int] = (0, 0),
        *,
        error: str | None = None,
        answer: str | None = None,
    ) -> CallRecord:
        record = CallRecord(
            schema=self.schema,
            model=self.model,
            tokens_in=tokens[0],
            tokens_out=tokens[1],
            latency=round(time.monotonic() - self.started, 3),
            error=error,
            prompt=self.prompt,
            messages=self.messages,
            answer=answer,
        )
        self.calls.append(record)
        log.debug(
            "%s: %d tokens in, %d out, %.2f s%s",
            self.schema,
            record.tokens_in,
            record.tokens_out,
            record.latency,
            f", {error}" if error else "",
        )
        return record


def decode(schema: str, output: type[Output], raw: str) -> Output:
    """The answer `raw` as an `output`. Raises InvalidAnswer listing what does not fit."""
    try:
        data = json.loads(_unfenced(raw))
    except json.JSONDecodeError as error:
        problem = f"the answer is not JSON ({error.msg} at line {error.lineno})"
        raise InvalidAnswer(f"the model's {schema} answer is not JSON", raw, [problem]) from None
    try:
        return output.model_validate(data)
    except ValidationError as error:
        problems = [_problem(item) for item in error.errors()[:_PROBLEM_LIMIT]]
        message = f"the model's answer does not match {schema}: {problems[0]}"
        raise InvalidAnswer(message, raw, problems) from None


def _unfenced(raw: str) -> str:
    """Some servers wrap the JSON in a Markdown code fence despite the schema."""
    match = _FENCE.match(raw)
    return match.group(1) if match else raw


def _problem(item: Any) -> str:
    where = ".".join(str(part) for part in item.get("loc", ())) or "answer"
    return f"{where}: {item.get('msg', 'invalid')}"
