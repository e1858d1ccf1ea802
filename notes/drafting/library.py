"""What a pass knows of the KB: its articles (each an ArticleDoc, parsed once), the notes waiting.

Loaded at the start of a pass and kept up to date as batches change articles, so a later
batch sees what an earlier one wrote. Reading never fails: a file that cannot be read is
left out with a warning, and an article not in the expected format is shown to nobody
(it cannot be updated) but still counts when a note's citations are looked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path

from notes.drafting import targets
from notes.drafting.batching import PendingNote
from notes.drafting.plan import BatchPlan
from notes.errors import explain
from notes.intake import formats, inbox, timeline
from notes.intake.noteformats import NoteFile
from notes.kb import KnowledgeBase, descriptions, names
from notes.llm.exchange import LLMError
from notes.markdown import frontmatter
from notes.markdown.document import ArticleDoc
from notes.markdown.summary import ArticleSummary, summarize
from notes.retrieval import learning, relevance, structure
from notes.retrieval.embeddings import Embed, Store, document_text
from notes.retrieval.kbindex import KBIndex
from notes.retrieval.lexicon import Lexicon
from notes.retrieval.vectorindex import VectorIndex

Warn = Callable[[str], None]
log = logging.getLogger(__name__)


class Library:
    """The articles of a pass by KB path (`articles/x.md`), and their stored descriptions."""

    def __init__(
        self,
        docs: Iterable[ArticleDoc],
        stored: dict[str, str],
        note_text: Callable[[str], str | None] = lambda _name: None,
        assets: Iterable[str] = (),
        exists: Callable[[str], bool] = lambda _rel: False,
    ) -> None:
        self.docs = {doc.path: doc for doc in docs}
        self.descriptions = stored
        self.note_text = note_text
        """Reads a cited note's text by name (None when it cannot), to search articles by."""
        self.assets = set(assets)
        """KB paths of the files under `assets/images/`, and of those the pass will place."""
        self.exists = exists
        """Whether a KB path names a file or folder of the KB (links the model writes)."""
        self._candidates: dict[str, ArticleSummary | None] = {}
        self._search: dict[str, str] = {}
        self.entries: dict[str, structure.Entry] = {}
        """How the author's `_index.md` files list each document (notes.retrieval)."""
        self.state = Path(".voicenotes")
        """The KB's state folder: which KB the learned term list belongs to."""
        self.embedding: tuple[Store, Embed] | None = None
        """With VOICENOTES_EMBEDDING_MODEL: the vector cache and the server's embed call,
        for the hybrid ranking; None: the word ranking alone."""

    @classmethod
    def load(cls, kb: KnowledgeBase, warn: Warn) -> Library:
        stored = descriptions.load(kb)
        docs = []
        entries = structure.entries(structure.read_indexes(kb.articles, kb.root))
        for path in targets.paths(kb):
            rel = path.relative_to(kb.root).as_posix()
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as error:
                warn(f"{rel} skipped: {explain(error)}")
                continue
            if relevance.routable(rel, text, listed=entries):
                docs.append(ArticleDoc(rel, text))
        exists = lambda rel: (kb.root / rel).exists()  # noqa: E731
        library = cls(docs, stored, lambda name: _note_text(kb, name), _assets(kb), exists)
        library.entries = entries
        library.state = kb.state
        return library

    def __getitem__(self, path: str) -> ArticleDoc:
        return self.docs[path]

    def paths(self) -> set[str]:
        return set(self.docs)

    def candidates(self) -> list[ArticleSummary]:
        """Every article that can be updated, as the routing prompt shows it, by path."""
        found = (self.candidate(path) for path in sorted(self.docs))
        return [candidate for candidate in found if candidate is not None]

    def candidate(self, path: str) -> ArticleSummary | None:
        """How the routing prompt shows the article; None if it cannot be updated."""
        if path not in self._candidates:
            doc = self.docs[path]
            stored = self.descriptions.get(path, "")
            self._candidates[path] = (
                summarize(path, doc.text, stored, doc.tokens) if doc.article else None
            )
        return self._candidates[path]

    def search_text(self, path: str) -> str:
        """What routing searches the article by: its text and the texts of the notes it cites."""
        if path not in self._search:
            self._search[path] = relevance.searchable(self.docs[path].text, self.note_text)
        return self._search[path]

    def routing_candidate(self, summary: ArticleSummary) -> relevance.Candidate:
        """The article as routing ranks it: its text, its cited notes, its index entry."""
        path = summary.path
        context = structure.context(path, self.entries)
        return relevance.Candidate(summary, self.search_text(path), context)

    def index(self, candidates: list[relevance.Candidate]) -> relevance.Index:
        """The index of `candidates`: searched through the KB's learned term list, and
        bringing forward the documents a note names (notes.retrieval.kbindex)."""
        sections = {path: entry.section for path, entry in self.entries.items()}
        if self.embedding is not None:
            store, embed = self.embedding
            try:
                hybrid = VectorIndex(
                    candidates,
                    self.lexicon.expand,
                    sections,
                    mode="hybrid",
                    store=store,
                    embed=embed,
                    text_of=document_text,
                )
                store.save(keep={c.path: None for c in candidates})
                return hybrid
            except (LLMError, OSError) as error:
                log.warning("embeddings not used for routing: %s", error)
        return KBIndex(candidates, self.lexicon.expand, sections)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The KB's term list (learned once per process while the articles stay the same)."""
        texts = {path: doc.text for path, doc in self.docs.items()}
        return learning.load(self.state, texts, self.note_text, keep=False)

    def updatable(self) -> set[str]:
        return {path for path, doc in self.docs.items() if doc.article is not None}

    def cited_among(self, pending: set[str]) -> set[str]:
        """Which of the `pending` note names an article already cites."""
        cited: set[str] = set()
        for doc in self.docs.values():
            if any(name in doc.text for name in pending):
                cited |= {n for n in doc.linked_names() if names.is_note_name(n)} & pending
        return cited

    def take(self, plan: BatchPlan) -> None:
        """Take in the articles a batch wrote, and the model's descriptions of them.

        A new article's stale description goes; the model's is kept for a new article, or
        for an updated one that had none.
        """
        for change in plan.changes:
            if change.before is None:
                self.descriptions.pop(change.path, None)
            if change.description and not self.descriptions.get(change.path):
                self.descriptions[change.path] = change.description
            self.docs[change.path] = ArticleDoc(change.path, change.after)
            self._candidates.pop(change.path, None)
            self._search.pop(change.path, None)


def _note_text(kb: KnowledgeBase, name: str) -> str | None:
    """The text of a note an article cites (`inbox/used/` or `raw/`), or None if unreadable."""
    for folder in (kb.used, kb.raw):
        try:
            _, text = frontmatter.split((folder / name).read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError):
            continue
        return text
    return None


def pending_notes(kb: KnowledgeBase, warn: Warn) -> list[PendingNote]:
    """Every readable note in `inbox/raw/`; each file that is not gets a warning."""
    scan = inbox.scan_raw(kb)
    for problem in scan.unreadable:
        warn(str(problem))
    return [pending_note(kb.raw, note) for note in scan.notes]


def pending_note(folder: Path, note: NoteFile) -> PendingNote:
    """The note (in `folder`) with its times, if its sidecar still matches its text (not
    edited since)."""
    segments = timeline.read(folder, note.name) or []
    if " ".join(s.text for s in segments).split() != timed_text(note.kind, note.text).split():
        segments = []
    audio = note.meta.get("audio_file")
    try:
        duration = float(note.meta.get("duration") or 0) or None
    except (TypeError, ValueError):
        duration = None
    return PendingNote(
        note.name,
        note.date,
        note.text,
        audio if isinstance(audio, str) else None,
        duration,
        tuple(segments),
        kind=note.kind,
        meta=note.meta,
    )


def timed_text(kind: str, text: str) -> str:
    """The words of a note its sidecar times: a video note's audio transcript, else it all."""
    if kind != "video":
        return text
    span = formats.video_speech_span(text)
    return text[span[0] : span[1]] if span else ""


def _assets(kb: KnowledgeBase) -> list[str]:
    folder = kb.root / "assets" / "images"
    try:
        return [p.relative_to(kb.root).as_posix() for p in folder.rglob("*") if p.is_file()]
    except OSError:
        return []
