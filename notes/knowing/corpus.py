"""The KB as `ask` searches it: its articles and its notes as ranked candidates.

Articles are what drafting may route to (notes.drafting.library), searched by their text,
the notes they cite and what the author's indexes say of them; notes are every readable note
of `inbox/raw/` and `inbox/used/` (its subfolders too), searched by their own text. Only
reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from notes.drafting.batching import PendingNote
from notes.drafting.library import Library, pending_note
from notes.intake import noteformats
from notes.intake.noteformats import NoteFile
from notes.intake.transcripts import NoteFormatError
from notes.kb import KnowledgeBase, names
from notes.markdown.summary import ArticleSummary
from notes.retrieval import learning
from notes.retrieval.lexicon import Lexicon
from notes.retrieval.relevance import Candidate


@dataclass
class Corpus:
    articles: list[Candidate]
    notes: list[Candidate]
    lexicon: Lexicon
    files: dict[str, NoteFile] = field(default_factory=dict)
    """KB path of each note -> the note as read."""
    sections: dict[str, str] = field(default_factory=dict)
    """KB path -> the `_index.md` section listing it."""

    def pending(self, kb: KnowledgeBase, path: str) -> PendingNote:
        """The note at KB `path` with its times, if its sidecar still matches its text."""
        return pending_note(kb.root / path.rsplit("/", 1)[0], self.files[path])


def load(kb: KnowledgeBase) -> Corpus:
    """Read the KB's articles, notes and (cached) term list."""
    library = Library.load(kb, lambda _line: None)
    articles = []
    for path in sorted(library.docs):
        summary = library.candidate(path) or ArticleSummary(path, path.rsplit("/", 1)[-1])
        articles.append(library.routing_candidate(summary))
    texts = {path: doc.text for path, doc in library.docs.items()}
    lexicon = learning.load(kb.state, texts, library.note_text)
    files = _notes(kb)
    notes = [
        Candidate(ArticleSummary(path, note.name, updated=note.date.date().isoformat()), note.text)
        for path, note in files.items()
    ]
    sections = {path: entry.section for path, entry in library.entries.items()}
    return Corpus(articles, notes, lexicon, files, sections)


def _notes(kb: KnowledgeBase) -> dict[str, NoteFile]:
    found: dict[str, NoteFile] = {}
    for root in (kb.raw, kb.used):
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(files):
                if not names.is_note_name(name):
                    continue
                path = Path(folder) / name
                try:
                    found[path.relative_to(kb.root).as_posix()] = noteformats.read(path)
                except NoteFormatError:
                    continue
    return found
