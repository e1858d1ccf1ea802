"""Decision accuracy: replay the history's batches through the configured model's route call.

Each batch gets the route prompt a drafting pass would send, with the same checks and the
same retries (notes.drafting.asking: the problems shown to the model). A note is routed
right when the model updates one of the articles the author filed it into, or creates a new
article when the author did.
Tokens and cost count every call, retries included. Nothing is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from notes.drafting import routeprompt, routing
from notes.drafting.answers import ROUTE, RouteAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.evaluation.history import History
from notes.evaluation.recall import sources_of
from notes.evaluation.replay import Case, steps
from notes.llm import prompts
from notes.llm.client import LLMClient
from notes.retrieval.relevance import Index

_CREATE = "(create)"
_SKIP = "(skip)"

Progress = Callable[[str], None]


@dataclass
class Decisions:
    """How the model routed the replayed notes."""

    batches: int = 0
    notes: int = 0
    """Notes routed (all notes of the batches asked about)."""

    updates: int = 0
    updates_right: int = 0
    creates: int = 0
    creates_right: int = 0
    failed: int = 0
    """Batches with no usable answer after every attempt."""

    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return self.updates + self.creates

    @property
    def accuracy(self) -> float:
        return (self.updates_right + self.creates_right) / self.scored if self.scored else 0.0

    def cost(self, price_in: float, price_out: float) -> float:
        """Dollars for all calls, at prices per million tokens."""
        return (self.tokens_in * price_in + self.tokens_out * price_out) / 1_000_000

    def as_dict(self, price_in: float = 0.0, price_out: float = 0.0) -> dict[str, object]:
        per_note = self.notes or 1
        return {
            "batches": self.batches,
            "notes": self.notes,
            "scored": self.scored,
            "accuracy": round(self.accuracy, 4),
            "update_right": self.updates_right,
            "update_total": self.updates,
            "create_right": self.creates_right,
            "create_total": self.creates,
            "failed_batches": self.failed,
            "calls": self.calls,
            "tokens_in_per_note": round(self.tokens_in / per_note, 1),
            "tokens_out_per_note": round(self.tokens_out / per_note, 1),
            "cost_per_note": round(self.cost(price_in, price_out) / per_note, 6),
        }


def measure(
    history: History,
    client: LLMClient,
    *,
    language: str = "English",
    last: int | None = None,
    progress: Progress | None = None,
) -> Decisions:
    """Ask `client` to route every batch of the history (or of its `last` runs)."""
    prompt = prompts.load("route")
    result = Decisions()
    first = max(0, len(history.runs) - last) if last else 0
    calls_before = len(client.calls)
    asker = Asker(lambda: client, lambda _problem: None, lambda _line: None)
    for step in steps(history):
        if step.run < first:
            continue
        index = Index(step.candidates)
        known = {candidate.path for candidate in step.candidates}
        for case in step.cases:
            chat, _ = routeprompt.build(
                prompt, language, sources_of(case), step.candidates, index=index
            )
            check = functools.partial(
                _plan, [f"S{n}" for n in range(1, len(case.notes) + 1)], known
            )
            try:
                plan: routing.Plan | None = asker.ask(prompt, ROUTE, RouteAnswer, chat, check)
            except BatchFailed:
                plan = None
            _score(result, case, plan)
            if progress is not None:
                progress(f"run {step.run + 1}/{len(history.runs)}: {len(case.notes)} note(s)")
    calls = client.calls[calls_before:]
    result.calls = len(calls)
    result.tokens_in = sum(call.tokens_in for call in calls)
    result.tokens_out = sum(call.tokens_out for call in calls)
    return result


def _plan(ids: list[str], known: set[str], answer: RouteAnswer) -> routing.Plan:
    return routing.plan(answer, ids, known)


def _score(result: Decisions, case: Case, plan: routing.Plan | None) -> None:
    result.batches += 1
    result.notes += len(case.notes)
    if plan is None:
        result.failed += 1
    chosen: dict[str, str] = {}
    if plan is not None:
        chosen |= {s: _CREATE for create in plan.creates for s in create.sources}
        chosen |= {s: _SKIP for skip in plan.skips for s in skip.sources}
        chosen |= {s: update.article for update in plan.updates for s in update.sources}
        chosen |= {s: revise.article for revise in plan.revises for s in revise.sources}
    for number, note in enumerate(case.notes, start=1):
        expected = case.expected.get(note.name)
        if expected is None:
            continue
        got = chosen.get(f"S{number}", "(no answer)")
        if expected:
            result.updates += 1
            right = got in expected
            result.updates_right += right
        else:
            result.creates += 1
            right = got == _CREATE
            result.creates_right += right
        if not right:
            want = ", ".join(sorted(expected)) or _CREATE
            result.wrong.append(f"{note.name}: {got} (author: {want})")
