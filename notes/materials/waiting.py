"""How many material notes wait in `inbox/raw/` (for /status)."""

from __future__ import annotations

from notes import atomic
from notes.kb import KnowledgeBase


def waiting(kb: KnowledgeBase) -> tuple[int, int]:
    """(material notes waiting in `inbox/raw/`, photos among them still without a description).

    Material notes are the Markdown notes (`NAME.md`, `NAME_photo.md`, `NAME_link.md`…);
    transcripts and text notes are `.txt`.
    """
    if not kb.raw.is_dir():
        return 0, 0
    notes = [p for p in kb.raw.glob("*.md") if p.is_file() and not atomic.is_temporary(p)]
    undescribed = sum(
        1
        for p in notes
        if p.name.endswith("_photo.md")
        and "\ndescription: pending\n" in p.read_text(encoding="utf-8")
    )
    return len(notes), undescribed
