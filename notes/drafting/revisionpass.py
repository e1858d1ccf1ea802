"""Revision requests in a pass: which notes ask for changes, and the revised article.

A note is a request for one article with certainty when its front matter names it
(`article:`, a reply to a bot message naming the article, an edit of a drafted message, or
`voicenotes revise`); the router may also decide `revise` for a note that asks in words.
The model answers with exact edits (notes.markdown.edits); the code applies them and
rejects the whole answer when one cannot be applied, asking again with the problems named.

Nothing outside the spans the edits name changes. A request note the new text cites is
cited as usual (it brought material); one it does not is feedback: applied, not cited,
filed to `inbox/used/feedback/`. The article says nothing of the request itself.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from notes import descriptions
from notes.drafting import compose, revising
from notes.drafting.answers import REVISE, ReviseAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.drafting.batching import PendingNote
from notes.drafting.messages import Source
from notes.drafting.prompts import Prompt
from notes.markdown import articles
from notes.markdown.document import ArticleDoc

ARTICLE_KEY = "article"
"""The front-matter key of a note that asks to revise one article (its KB path)."""


@dataclass(frozen=True)
class Revised:
    """What one article's revision makes: the new text, and what became of the requests."""

    text: str
    cited: tuple[str, ...]
    """Request notes the new text cites (they brought material)."""

    feedback: tuple[str, ...]
    """Request notes applied but not cited."""

    summary: str


def requested(notes: Iterable[PendingNote], known: Collection[str]) -> dict[str, str]:
    """Note name -> the article its front matter asks to revise, for known articles only."""
    found = {}
    for note in notes:
        article = note.meta.get(ARTICLE_KEY)
        if isinstance(article, str) and article in known:
            found[note.name] = article
    return found


def diff(path: str, before: str, after: str) -> str:
    """The unified diff of an article from `before` to `after`."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(lines)


class Reviser:
    """Asks the model for one article's edits and applies them (never writes)."""

    def __init__(self, asker: Asker, prompt: Prompt, language: str, today: date) -> None:
        self.asker = asker
        self.prompt = prompt
        self.language = language
        self.today = today

    def revise(self, doc: ArticleDoc, chosen: Sequence[Source]) -> Revised:
        """`doc` revised as `chosen` ask. Raises BatchFailed, LLMError."""
        try:
            created = doc.require().meta.created
        except articles.ArticleFormatError as error:
            raise BatchFailed(f"cannot revise {doc.path}: {error}") from None
        known = {source.id: compose.definition(doc.path, source.name) for source in chosen}
        chat = revising.revise_messages(
            self.prompt, self.language, doc.path, doc.title, doc.text, chosen
        )
        names = tuple(dict.fromkeys(source.name for source in chosen))

        def build(answer: ReviseAnswer) -> Revised:
            moves = [edit for edit in answer.edits if edit.article]
            if moves:
                raise compose.DraftError(["moves to another article are not taken yet"])
            done = revising.build(doc.text, answer, known)
            if done.text == doc.text:
                raise compose.DraftError(["the edits change nothing; make the changes asked"])
            text = articles.with_updated(done.text, max(self.today, created))
            cited = tuple(name for name in names if name in text and name not in doc.text)
            feedback = tuple(name for name in names if name not in cited)
            return Revised(text, cited, feedback, descriptions.one_line(done.summary))

        return self.asker.ask(self.prompt, REVISE, ReviseAnswer, chat, build)
