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
import posixpath
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from notes.drafting import compose, revising, routing
from notes.drafting.answers import REVISE, ReviseAnswer
from notes.drafting.asking import BatchFailed
from notes.drafting.batching import PendingNote
from notes.drafting.drafter import Drafter
from notes.drafting.messages import Source
from notes.drafting.style import StyleCheck, check_body, enforce
from notes.intake.transcripts import ARTICLE_KEY
from notes.kb import descriptions
from notes.kb.glossary import Proposal, corrections
from notes.markdown import articles, moves
from notes.markdown.document import ArticleDoc
from notes.markdown.edits import EditRejected


@dataclass(frozen=True)
class Revised:
    """What one article's revision makes: the new text, and what became of the requests."""

    text: str
    cited: tuple[str, ...]
    """Request notes the new text cites (they brought material)."""

    feedback: tuple[str, ...]
    """Request notes applied but not cited."""

    summary: str

    moved: dict[str, str] = field(default_factory=dict)
    """Other articles (KB path -> new text) that passages moved into, new ones included."""

    style: StyleCheck = field(default_factory=StyleCheck)
    """The author's checker over the text the edits bring (their `text`, never his lines)."""

    corrected: tuple[Proposal, ...] = ()
    """Sound-alike words the edits replaced ("Ladden" -> "Mladen"): glossary proposals."""


def requested(notes: Iterable[PendingNote], known: Collection[str]) -> dict[str, str]:
    """Note name -> the article its front matter asks to revise, for known articles only."""
    found = {}
    for note in notes:
        article = note.meta.get(ARTICLE_KEY)
        if isinstance(article, str) and article in known:
            found[note.name] = article
    return found


def with_old_words(
    sources: Sequence[Source], notes: Iterable[PendingNote], note_text: Callable[[str], str | None]
) -> list[Source]:
    """`sources`, each follow-up of an edited message (`edit_of:`) also showing the words the
    drafted note had, so the model can replace what was drafted from them."""
    old = {}
    for note in notes:
        drafted = note.meta.get("edit_of")
        text = note_text(drafted) if isinstance(drafted, str) else None
        if text is not None:
            old[note.name] = text.strip()
    return [
        replace(s, text=f"{s.text}\n\nBefore the edit it read:\n\n{old[s.name]}")
        if s.name in old
        else s
        for s in sources
    ]


def _corrections(path: str, answer: ReviseAnswer) -> Iterable[Proposal]:
    """What each replacement corrected, as glossary proposals naming the article."""
    for edit in answer.edits:
        if edit.op == "replace":
            for found in corrections(edit.anchor, edit.text):
                yield replace(found, article=path)


def diff(path: str, before: str, after: str) -> str:
    """The unified diff of an article from `before` to `after`."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(lines)


class Reviser:
    """Asks the model for one article's edits and applies them (never writes)."""

    def __init__(self, drafter: Drafter) -> None:
        """With the pass's model calls, library, date and style, as `drafter` has them."""
        self.drafter = drafter
        self.prompt = drafter.prompts["revise"]

    def revise(self, doc: ArticleDoc, chosen: Sequence[Source]) -> Revised:
        """`doc` revised as `chosen` ask. Raises BatchFailed, LLMError."""
        try:
            created = doc.require().meta.created
        except articles.ArticleFormatError as error:
            raise BatchFailed(f"cannot revise {doc.path}: {error}") from None
        known = {source.id: compose.definition(doc.path, source.name) for source in chosen}
        chat = revising.revise_messages(
            self.prompt,
            self.drafter.language,
            doc.path,
            doc.title,
            doc.text,
            chosen,
            self.drafter.style.rules,
        )
        names = tuple(dict.fromkeys(source.name for source in chosen))

        def build(answer: ReviseAnswer) -> Revised:
            if any(edit.article and edit.article != doc.path for edit in answer.edits):
                text, moved = self._moved(doc, answer, known)
            else:
                text, moved = revising.build(doc.text, answer, known).text, {}
            if text == doc.text:
                raise compose.DraftError(["the edits change nothing; make the changes asked"])
            text = articles.with_updated(text, max(self.drafter.today, created))
            everything = text + "".join(moved.values())
            cited = tuple(n for n in names if n in everything and n not in doc.text)
            feedback = tuple(name for name in names if name not in cited)
            summary = descriptions.one_line(answer.summary)
            new_text = "\n\n".join(edit.text for edit in answer.edits if edit.text.strip())
            style = check_body(new_text, self.drafter.style.gate)
            fixed = tuple(_corrections(doc.path, answer))
            return enforce(style, Revised(text, cited, feedback, summary, moved, style, fixed))

        return self.drafter.asker.ask(self.prompt, REVISE, ReviseAnswer, chat, build)

    def _moved(
        self, doc: ArticleDoc, answer: ReviseAnswer, known: dict[str, str]
    ) -> tuple[str, dict[str, str]]:
        """`doc`'s text after the edits, and the articles passages moved into."""
        edits = revising.edits_of(answer)
        starts: dict[str, str] = {}
        problems = []
        for edit in edits:
            path = edit.article
            if not path or path == doc.path or path in starts:
                continue
            if path in self.drafter.library.updatable():
                starts[path] = articles.with_updated(
                    self.drafter.library[path].text, self.drafter.today
                )
            elif not routing.inside_articles(path) or path in self.drafter.library.paths():
                problems.append(f"{path!r} is not an article a passage can move to")
            else:
                starts[path] = new_article_start(_title_of(edit.anchor, path), self.drafter.today)
        if problems:
            raise compose.DraftError(problems)
        try:
            done = moves.move_between(doc.text, doc.path, edits, starts, known)
        except EditRejected as rejected:
            raise compose.DraftError(rejected.problems) from None
        return done.source, done.destinations


def new_article_start(title: str, today: date) -> str:
    """The text a new article a passage moves into starts with: front matter and title."""
    meta = articles.ArticleMeta(title=title, created=today, updated=today)
    return f"---\n{articles.render_front_matter(meta)}---\n\n# {title}\n"


def _title_of(anchor: str, path: str) -> str:
    """The moved passage's first heading, else the file name in words."""
    for line in anchor.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return posixpath.basename(path).removesuffix(".md").replace("-", " ").capitalize()
