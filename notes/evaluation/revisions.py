"""How well revisions reproduce the author's own, over a folder of cases.

A case is a folder with `before.md`, `after.md`, `notes/` and `case.json` (the article's
path); `cases.json` lists them. For each case, edits are asked of the model (or derived from
the case's own diff by the oracle), applied to `before.md`, and the result compared with
`after.md` line by line:
- the author's changed lines: the lines of `before.md` he removed plus the lines he added;
- reproduced: those the edits removed too, plus those they added too (by content);
- changed where he changed none: lines of `before.md` he kept that the edits removed.
Nothing is written: the cases are only read.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notes.drafting import compose, revising
from notes.drafting.answers import REVISE, ReviseAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.drafting.messages import Source, details_of
from notes.intake import noteformats
from notes.intake.transcripts import iso_date
from notes.llm import prompts
from notes.llm.client import LLMClient
from notes.markdown import frontmatter
from notes.markdown.edits import apply_edits
from notes.markdown.oracle import oracle_edits

Say = Callable[[str], None]


class CasesError(ValueError):
    """The folder is not a set of revision cases; the message is one line."""


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    article: str
    """The article's path in the KB (`articles/x.md`)."""

    @property
    def before(self) -> str:
        return (self.folder / "before.md").read_text(encoding="utf-8")

    @property
    def after(self) -> str:
        return (self.folder / "after.md").read_text(encoding="utf-8")

    def notes(self) -> list[Path]:
        folder = self.folder / "notes"
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@dataclass(frozen=True)
class Score:
    author: int
    """Lines the author changed: removed from before plus added."""

    reproduced: int
    spurious: int
    """Lines of before he kept that the edits removed or changed."""

    @property
    def share(self) -> float:
        return self.reproduced / self.author if self.author else 1.0


@dataclass
class CaseResult:
    case: str
    score: Score
    edits: int = 0
    rejected: int = 0
    """Answers rejected (asked again or given up)."""

    failed: str | None = None
    exact: bool = False
    """The result is `after.md` byte for byte."""

    tokens_in: int = 0
    tokens_out: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "author_lines": self.score.author,
            "reproduced": self.score.reproduced,
            "share": round(self.score.share, 4),
            "changed_where_author_did_not": self.score.spurious,
            "edits": self.edits,
            "rejected": self.rejected,
            "failed": self.failed,
            "exact": self.exact,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
        }


@dataclass
class Report:
    mode: str
    """"oracle" or the model's name."""

    results: list[CaseResult] = field(default_factory=list)

    def as_dict(self, price_in: float = 0.0, price_out: float = 0.0) -> dict[str, Any]:
        author = sum(r.score.author for r in self.results)
        reproduced = sum(r.score.reproduced for r in self.results)
        tokens_in = sum(r.tokens_in for r in self.results)
        tokens_out = sum(r.tokens_out for r in self.results)
        return {
            "mode": self.mode,
            "cases": len(self.results),
            "author_lines": author,
            "reproduced": reproduced,
            "share": round(reproduced / author, 4) if author else 1.0,
            "changed_where_author_did_not": sum(r.score.spurious for r in self.results),
            "exact": sum(1 for r in self.results if r.exact),
            "rejected": sum(r.rejected for r in self.results),
            "failed": sum(1 for r in self.results if r.failed),
            "tokens_in": tokens_in,
            "tokens_out": tokens_out,
            "cost": round((tokens_in * price_in + tokens_out * price_out) / 1_000_000, 6),
            "per_case": [r.as_dict() for r in self.results],
        }


def load_cases(folder: Path) -> list[Case]:
    """The cases `cases.json` lists, in its order. Raises CasesError."""
    try:
        listed = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
        cases = [Case(item["case"], folder / item["case"], item["article"]) for item in listed]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CasesError(f"{folder}: not a folder of revision cases ({error})") from None
    missing = [c.name for c in cases if not (c.folder / "before.md").is_file()]
    if missing:
        raise CasesError(f"{folder}: case {missing[0]} has no before.md")
    return cases


def score(before: str, after: str, result: str) -> Score:
    """How much of the author's change from `before` to `after` `result` makes."""
    old = before.splitlines()
    his_removed, his_added = _changes(old, after.splitlines())
    our_removed, our_added = _changes(old, result.splitlines())
    added = sum((his_added & our_added).values())
    return Score(
        author=len(his_removed) + sum(his_added.values()),
        reproduced=len(his_removed & our_removed) + added,
        spurious=len(our_removed - his_removed),
    )


def _changes(old: Sequence[str], new: Sequence[str]) -> tuple[set[int], Counter[str]]:
    """(lines of `old` removed, by number; lines added, by content)."""
    removed: set[int] = set()
    added: Counter[str] = Counter()
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.update(range(i1, i2))
            added.update(new[j1:j2])
    return removed, added


def oracle_case(case: Case) -> CaseResult:
    """The case revised by the edits of its own diff."""
    before, after = case.before, case.after
    edits = oracle_edits(before, after)
    result = apply_edits(before, edits, allow_front_matter=True)
    return CaseResult(
        case.name, score(before, after, result), edits=len(edits), exact=result == after
    )


def model_case(case: Case, client: LLMClient, language: str, say: Say) -> CaseResult:
    """The case revised by the model's edits, asked again (up to the usual limit) when
    rejected. LLMError (no key, server down) passes through."""
    before, after = case.before, case.after
    sources = sources_of(case.notes())
    definitions = {s.id: compose.definition(case.article, s.name) for s in sources}
    prompt = prompts.load("revise")
    chat = revising.revise_messages(
        prompt, language, case.article, _title(before, case.article), before, sources
    )
    rejected: list[str] = []
    asker = Asker(lambda: client, rejected.append, say)
    first = len(client.calls)
    result = CaseResult(case.name, score(before, after, before))
    try:
        revision = asker.ask(
            prompt, REVISE, ReviseAnswer, chat, lambda a: revising.build(before, a, definitions)
        )
    except BatchFailed as failure:
        result.failed = str(failure)
    else:
        result.score = score(before, after, revision.text)
        result.edits = len(revision.edits)
        result.exact = revision.text == after
    calls = client.calls[first:]
    result.rejected = len(rejected)
    result.tokens_in = sum(c.tokens_in for c in calls)
    result.tokens_out = sum(c.tokens_out for c in calls)
    return result


def sources_of(paths: Sequence[Path]) -> list[Source]:
    """The request notes as the model sees them: S1, S2.. in name (time) order."""
    found: list[Source] = []
    for path in paths:
        try:
            note = noteformats.read(path)
        except (OSError, ValueError):
            continue
        found.append(
            Source(
                f"S{len(found) + 1}",
                note.name,
                iso_date(note.date),
                note.text,
                kind=note.kind,
                details=details_of(note.kind, note.meta),
            )
        )
    return found


def _title(article: str, path: str) -> str:
    return str(frontmatter.lenient(article).get("title") or Path(path).stem)
