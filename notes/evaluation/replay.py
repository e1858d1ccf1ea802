"""Replaying a KB's history through routing: the batches each run drafted, with their truth.

For every run, the notes it filed are grouped into batches as a drafting pass would group
them, and the articles that existed before it become candidates, searched as they were then
(notes filed later do not count). A note's expected decision: update one of the articles that
cite it today and existed before its run, or create when none did. Notes no article cites
have no expected decision (set aside, or their article was deleted); they still ride in
their batch as the router would see them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from notes.drafting import batching
from notes.drafting.batching import PendingNote
from notes.evaluation.history import History
from notes.markdown import frontmatter
from notes.markdown.citations import DEFINITION_LINE, MARKER, REFERENCE
from notes.markdown.summary import ArticleSummary
from notes.retrieval import relevance, structure
from notes.retrieval.relevance import Candidate

SYNTHETIC_FOLDER = "articles/synthetic"
_BLOCKS = re.compile(r"\n\s*\n")
_TITLE = re.compile(r"^#\s+.*$", re.MULTILINE)


@dataclass(frozen=True)
class Case:
    """One batch of one run, and what the author did with each of its notes."""

    run: int
    date: datetime
    notes: tuple[PendingNote, ...]
    expected: dict[str, frozenset[str] | None]
    """Note name -> articles (existing at the run) it belongs to; empty: a new article;
    None: unknown (no article cites it)."""


@dataclass(frozen=True)
class Step:
    """A run as the router meets it: the candidate articles and the batches to route."""

    run: int
    candidates: list[Candidate]
    cases: list[Case]
    real: int
    """How many candidates are real articles (the rest are synthetic)."""


def steps(history: History, *, scale: int = 0, seed: int = 0) -> Iterator[Step]:
    """Every run with notes to route, oldest first.

    With `scale`, synthetic articles (see `synthesize`) are added until the candidates number
    `scale`, so recall and prompt size can be measured on a larger KB.
    """
    synthetic = synthesize(history, max(0, scale), seed) if scale else {}
    listed = index_entries(history)
    for number, run in enumerate(history.runs):
        notes = [n for n in map(history.note, run.filed) if n is not None]
        if not notes:
            continue
        known = history.known(number)
        before = set(run.before)
        candidates = []
        for path in run.before:
            text = history.text_at(path, number)
            if relevance.routable(path, text, known.__contains__, listed):
                candidates.append(_candidate(history, path, text, number, known))
        real = len(candidates)
        for path, text in list(synthetic.items())[: max(0, scale - real)]:
            candidates.append(_candidate(history, path, text, number, known))
        batches = batching.group(notes)
        by_name = {note.name: note for note in notes}
        cases = [
            Case(
                number,
                run.date,
                tuple(by_name[name] for name in batch.names),
                {name: _expected(history, name, before) for name in batch.names},
            )
            for batch in batches
        ]
        yield Step(number, candidates, cases, real)


def _expected(history: History, name: str, before: set[str]) -> frozenset[str] | None:
    homes = history.homes.get(name)
    if not homes:
        return None
    return frozenset(path for path in homes if path in before)


def _candidate(
    history: History, path: str, text: str, number: int, known: frozenset[str]
) -> Candidate:
    cited = tuple(name for name in relevance.cited_notes(text) if name in known)
    return _cached_candidate(history, path, text, cited)


@lru_cache(maxsize=16)
def sections(history: History) -> dict[str, str]:
    """KB path -> the section of the KB's `_index.md` files listing it."""
    return {path: entry.section for path, entry in index_entries(history).items()}


@lru_cache(maxsize=16)
def index_entries(history: History) -> dict[str, structure.Entry]:
    """How the KB's `_index.md` files (as they are today) list its documents."""
    texts = history.texts
    return structure.entries({path: texts[path] for path in structure.index_paths(texts)})


@lru_cache(maxsize=20_000)
def _cached_candidate(history: History, path: str, text: str, cited: tuple[str, ...]) -> Candidate:
    data = _front_matter(text)
    kept = set(cited)
    searchable = relevance.searchable(text, history.note_text, kept.__contains__)
    title = str(data.get("title") or path.rsplit("/", 1)[-1].removesuffix(".md"))
    tags = data.get("tags")
    summary = ArticleSummary(
        path=path,
        title=title,
        description=_first_sentence(searchable),
        tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
        updated=_updated(history, cited, data.get("created")),
    )
    context = structure.context(path, index_entries(history))
    return Candidate(summary, searchable, context)


def _updated(history: History, cited: tuple[str, ...], created: object) -> str:
    """The date of the last run that fed the article with `cited` notes, else its creation."""
    runs = [history.filed_in[name] for name in cited if name in history.filed_in]
    if runs:
        return history.runs[max(runs)].date.date().isoformat()
    return created.isoformat() if isinstance(created, date) else ""


@lru_cache(maxsize=4096)
def _front_matter(text: str) -> dict[str, object]:
    """`frontmatter.lenient`, cached: replays read the same article texts again and again."""
    return frontmatter.lenient(text)


def _first_sentence(text: str) -> str:
    for block in _BLOCKS.split(text):
        line = " ".join(block.split())
        if line and not line.startswith(("#", "<", "|", "!", "-", "*", "`", ">")):
            return re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0][:200]
    return ""


# --- synthetic articles ------------------------------------------------------------------


def synthesize(history: History, count: int, seed: int = 0) -> dict[str, str]:
    """`count` made-up articles built from the KB's own, to measure routing on a larger KB.

    Each mixes the title words of two real articles and a third of the paragraphs (with their
    citations) of three, so it competes with the right article on its own words: a hard
    distractor. Paragraphs keep their footnotes, and only the definitions those footnotes use
    come along (`check` warns of an unused one in his articles): an article's cited notes
    are those of its own paragraphs, and a replay drops the footnotes citing notes not yet
    filed, as it does for real articles.
    """
    rng = random.Random(seed)
    sources = [
        (path, text)
        for path, text in sorted(history.texts.items())
        if relevance.routable(path, text) and not path.rsplit("/", 1)[-1].startswith("_")
    ]
    made: dict[str, str] = {}
    if len(sources) < 3:
        return made
    for number in range(count):
        picked = rng.sample(sources, 3)
        title = _mixed_title(picked[0][1], picked[1][1], picked[0][0])
        blocks: list[str] = []
        definitions: list[str] = []
        for letter, (_, text) in zip("abc", picked, strict=True):
            body = relevance_body(text)
            paragraphs = [b for b in _BLOCKS.split(body) if b.strip() and not b.startswith("[^")]
            chosen = rng.sample(paragraphs, max(1, len(paragraphs) // 3)) if paragraphs else []
            blocks += [MARKER.sub(rf"[^{letter}\1]", block) for block in chosen]
            cited = {label for block in chosen for label in REFERENCE.findall(block)}
            definitions += [
                MARKER.sub(rf"[^{letter}\1]", line, count=1)
                for line in body.splitlines()
                if (found := DEFINITION_LINE.match(line)) and found.group(1) in cited
            ]
        slug = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:50] or "article"
        path = f"{SYNTHETIC_FOLDER}/{slug}-{number + 1}.md"
        made[path] = (
            f'---\ntitle: "{title}"\ncreated: 2026-01-01\ntags: [synthetic]\n---\n\n# {title}\n\n'
            + "\n\n".join(blocks)
            + "\n\n## Sources\n\n"
            + "\n".join(definitions)
            + "\n"
        )
    return made


def relevance_body(text: str) -> str:
    """An article's text without its front matter and H1."""
    try:
        _, rest = frontmatter.split(text)
    except frontmatter.FrontMatterError:
        rest = text
    return _TITLE.sub("", rest, count=1)


def _mixed_title(first: str, second: str, fallback: str) -> str:
    words_a = str(_front_matter(first).get("title") or fallback).split()
    words_b = str(_front_matter(second).get("title") or fallback).split()
    mixed = words_a[: max(1, len(words_a) // 2)] + words_b[len(words_b) // 2 :]
    return " ".join(mixed).replace('"', "'")
