"""Candidate recall: is the article a note belongs to among those the router is shown?

Replays the history (notes.evaluation.replay), builds each batch's route prompt exactly as a
drafting pass would (notes.drafting.routeprompt), and counts, over the notes whose article
existed at their run, how often one of their articles was in the prompt. No model is called.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notes.drafting import routeprompt
from notes.drafting.messages import Source
from notes.evaluation.history import History
from notes.evaluation.learned import MonthlyLexicons
from notes.evaluation.replay import Case, sections, steps
from notes.intake.transcripts import iso_date
from notes.llm import prompts
from notes.retrieval.embeddings import Embed, Store, document_text
from notes.retrieval.kbindex import KBIndex
from notes.retrieval.vectorindex import Mode, VectorIndex


@dataclass(frozen=True)
class Miss:
    note: str
    run: int
    expected: tuple[str, ...]


@dataclass
class Recall:
    """Candidate recall and route prompt sizes over one replay."""

    articles: int
    """The most candidates any run had (the KB's size, or the synthetic scale)."""

    mode: str = "lexical"
    """The ranking measured: lexical, embeddings or hybrid."""

    notes: int = 0
    """Notes whose article existed at their run."""

    found: int = 0
    prompts: list[int] = field(default_factory=list)
    """Characters of each batch's whole route prompt."""

    shown: list[int] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.notes if self.notes else 1.0

    def prompt_size(self, share: float) -> int:
        """The prompt size that `share` of the batches stay within (0.5: median; 1: max)."""
        if not self.prompts:
            return 0
        ordered = sorted(self.prompts)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    def within(self, budget: int) -> float:
        """The share of batches whose prompt is at most `budget` characters."""
        return (
            sum(size <= budget for size in self.prompts) / len(self.prompts)
            if self.prompts
            else 1.0
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "ranking": self.mode,
            "articles": self.articles,
            "notes": self.notes,
            "found": self.found,
            "recall": round(self.recall, 4),
            "batches": len(self.prompts),
            "prompt_chars_median": self.prompt_size(0.5),
            "prompt_chars_p95": self.prompt_size(0.95),
            "prompt_chars_max": self.prompt_size(1.0),
            "within_budget": round(self.within(routeprompt.BUDGET), 4),
            "shown_median": sorted(self.shown)[len(self.shown) // 2] if self.shown else 0,
        }


def measure(
    history: History,
    *,
    scale: int = 0,
    budget: int = routeprompt.BUDGET,
    language: str = "English",
    mode: Mode = "lexical",
    embed: Embed | None = None,
) -> Recall:
    """Replay `history` (with synthetic articles up to `scale`) and count what was shown.

    `mode` names the ranking (notes.retrieval.vectorindex); any but "lexical" needs `embed`.
    """
    prompt = prompts.load("route")
    result = Recall(articles=0, mode=mode)
    lexicons = MonthlyLexicons(history)
    store = Store(None)
    for step in steps(history, scale=scale):
        result.articles = max(result.articles, len(step.candidates))
        expand = lexicons.at(step.run).expand
        index: KBIndex = KBIndex(step.candidates, expand, sections(history))
        if mode != "lexical" and embed is not None:
            index = VectorIndex(
                step.candidates,
                expand,
                sections(history),
                mode=mode,
                store=store,
                embed=embed,
                text_of=document_text,
            )
        for case in step.cases:
            chat, shortlist = routeprompt.build(
                prompt, language, sources_of(case), step.candidates, budget=budget, index=index
            )
            shown = {candidate.path for candidate in shortlist.shown}
            result.prompts.append(sum(len(message.content) for message in chat))
            result.shown.append(len(shown))
            for name, expected in case.expected.items():
                if not expected:
                    continue
                result.notes += 1
                if expected & shown:
                    result.found += 1
                else:
                    result.misses.append(Miss(name, case.run, tuple(sorted(expected))))
    return result


def sources_of(case: Case) -> list[Source]:
    """The batch's notes as the router sees them: S1, S2, ..."""
    return [
        Source(f"S{number}", note.name, iso_date(note.date), note.text)
        for number, note in enumerate(case.notes, start=1)
    ]
