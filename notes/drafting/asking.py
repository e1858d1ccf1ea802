"""Asking the model until an answer can be used, showing it what was wrong each time.

An answer is used when `build` accepts it; a rejected one (not JSON, not the schema, or a
Rejected / CitationError / ArticleFormatError from building) is sent back
with its problems, up to MAX_ATTEMPTS answers in all, then the batch fails (BatchFailed).
An answer refused only for the author's style (style.Unpolished, raised by `build` with what
it built) is sent back the same way, within the same attempts; once none are left, the last
such answer is used as it is, so notes are never lost for style.
Before each call the pass's `stop` event is checked: once set, no further call is made
(StopRequested). LLMError from the client (no key, timeout, 429, 5xx) passes through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from notes.drafting import messages
from notes.drafting.style import Unpolished
from notes.errors import Rejected
from notes.llm import client as llm
from notes.llm.client import InvalidAnswer, LLMClient, Message
from notes.llm.prompts import Prompt
from notes.markdown import articles, citations

MAX_ATTEMPTS = 3
"""Answers asked for per call before a batch is given up: the first and two retries."""

Built = TypeVar("Built")
Output = TypeVar("Output", bound=BaseModel)
Say = Callable[[str], None]


class BatchFailed(Exception):
    """The batch cannot be drafted now; it stays in the inbox. The message says why."""


class StopRequested(Exception):
    """The pass was asked to stop; no further LLM call is made."""


class Asker:
    """One pass's side of the dialogue with the model; `rejected` gets each unusable answer."""

    def __init__(
        self,
        client: Callable[[], LLMClient],
        rejected: Callable[[str], None],
        say: Say,
        stop: threading.Event | None = None,
    ) -> None:
        self._client = client
        self._rejected = rejected
        self._say = say
        self._stop = stop

    def ask(
        self,
        prompt: Prompt,
        schema: str,
        output: type[Output],
        chat: Sequence[Message],
        build: Callable[[Output], Built],
    ) -> Built:
        """What `build` makes of the first answer it accepts. Raises BatchFailed, LLMError."""
        history = list(chat)
        problems: list[str] = []
        unpolished: Unpolished[Built] | None = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self._stop is not None and self._stop.is_set():
                raise StopRequested
            try:
                answer = self._client().complete(schema, output, history, prompt=prompt.version)
            except InvalidAnswer as invalid:
                problems, raw = invalid.problems, invalid.raw
            else:
                try:
                    return build(answer.value)
                except Unpolished as style:
                    unpolished, problems, raw = style, style.problems, answer.raw
                except Rejected as rejected:
                    problems, raw = rejected.problems, answer.raw
                except (citations.CitationError, articles.ArticleFormatError) as error:
                    problems, raw = [str(error)], answer.raw
            self._rejected(f"{schema} attempt {attempt}: {'; '.join(problems)}")
            if attempt == MAX_ATTEMPTS and unpolished is not None:
                self._say(f"  {schema}: kept with {len(unpolished.problems)} style finding(s)")
                return unpolished.built
            if attempt < MAX_ATTEMPTS:
                self._say(f"  {schema}: answer rejected ({problems[0]}); asking again")
            shown, listed = llm.for_retry(raw, problems)  # a 5 MB answer is not sent back
            history += [Message("assistant", shown), messages.retry_message(listed)]
        raise BatchFailed(
            f"{schema} failed after {MAX_ATTEMPTS} attempts: {'; '.join(problems[:3])}"
        )
