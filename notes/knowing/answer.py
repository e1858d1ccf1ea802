"""The answer to a question, checked and cited as articles cite (pure).

The model sees the closest articles as A1, A2.. and the closest notes as S1, S2.. (a timed
note as one source per part of its recording) and answers in Markdown with footnote markers:
`[^A1]`, `[^S2]`, or a moment of a timed note, `[^S2@12:30-13:10]`. An answer is used only
when every marker names a shown document (a moment inside the part shown), it cites at least
one, and it writes no links or definitions of its own: an invented source is rejected (and
the model asked again, notes.drafting.asking). The markers are then numbered `[^1]`.. in
order of first use and defined as articles define them: `[NAME](inbox/used/NAME)`, a moment
with `at 12:30–13:10, [audio](inbox/audio/NAME.ogg#t=750,790)`, an article as
`[Title](articles/x.md)`, each link relative to where the answer is shown (`origin`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from notes.drafting import compose, moments
from notes.drafting.answers import AskAnswer
from notes.drafting.messages import Source
from notes.errors import Rejected
from notes.markdown import articles
from notes.markdown.citations import MARKER

NOTHING_FOUND = "nothing found: no article or note of the KB is close to this question"
_MARKER = re.compile(MARKER.pattern + "(:?)")
"""A footnote marker, and the colon that makes it a definition."""
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")


@dataclass(frozen=True)
class ArticleSource:
    """An article shown to the model: `A1`, its KB path, its title and the text shown."""

    id: str
    path: str
    title: str
    text: str


@dataclass(frozen=True)
class ShownNote:
    """A note's source as shown, and the KB folder the note is in (`inbox/used`)."""

    source: Source
    folder: str


class AnswerRejected(Rejected):
    """The answer cites what was not shown, or nothing; `problems` says what, one line each."""


def build(
    answer: AskAnswer,
    shown_articles: Sequence[ArticleSource],
    notes: Sequence[ShownNote],
    origin: str,
) -> str:
    """The answer as Markdown with its footnotes, or NOTHING_FOUND. Raises AnswerRejected."""
    if not answer.found:
        return NOTHING_FOUND
    text = answer.answer.strip()
    by_article = {a.id: a for a in shown_articles}
    by_note = {n.source.id: n for n in notes}
    problems: list[str] = []
    if _LINK.search(text):
        problems.append("the answer has a link: write none, cite with [^A1] or [^S1] only")
    order: dict[str, str] = {}
    for label, colon in _MARKER.findall(text):
        if colon:
            problems.append(f"[^{label}]: write no footnote definitions; they are added")
            continue
        if label in order:
            continue
        definition = _definition(label, by_article, by_note, origin, problems)
        if definition is not None:
            order[label] = definition
    if not order and not problems:
        problems.append("the answer cites nothing: cite the documents it comes from")
    if problems:
        raise AnswerRejected(problems)
    numbers = {label: str(n) for n, label in enumerate(order, start=1)}
    body = _MARKER.sub(lambda m: f"[^{numbers[m.group(1)]}]", text)
    definitions = [f"[^{numbers[label]}]: {line}" for label, line in order.items()]
    return body + "\n\n" + "\n".join(definitions)


def _definition(
    label: str,
    by_article: dict[str, ArticleSource],
    by_note: dict[str, ShownNote],
    origin: str,
    problems: list[str],
) -> str | None:
    if label in by_article:
        article = by_article[label]
        return articles.source_link(article.title, articles.relative_link(origin, article.path))
    at = moments.moment(label)
    note = by_note.get(label if at is None else at.id)
    if note is None:
        shown = ", ".join([*by_article, *by_note]) or "none"
        problems.append(f"[^{label}] is not a document shown (shown: {shown})")
        return None
    if at is not None:
        problem = compose.moment_problem(label, at, note.source)
        if problem:
            problems.append(problem)
            return None
    return definition(origin, note, at)


def definition(origin: str, note: ShownNote, at: moments.Moment | None) -> str:
    """A note's footnote text as articles write it, linked from `origin`, to the second."""
    source = note.source
    link = articles.relative_link(origin, f"{note.folder}/{source.name}")
    text = articles.source_link(source.name, link)
    if at is None:
        return text
    text += f" at {moments.span(at.start, at.end).replace('-', compose.RANGE_DASH)}"
    if source.audio:
        target = articles.relative_link(origin, f"{compose.AUDIO}/{source.audio}")
        text += ", " + articles.source_link("audio", f"{target}#t={at.start},{at.end}")
    return text
