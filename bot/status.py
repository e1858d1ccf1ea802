"""What /status counts once: the text notes the materials line must leave to the inbox line."""

from __future__ import annotations

from notes.intake import inbox
from notes.intake.formats import MATERIAL_SUFFIXES
from notes.kb import KnowledgeBase, names


def text_notes_waiting(kb: KnowledgeBase) -> int:
    """Text notes (`NAME.md`) waiting in `inbox/raw/`.

    They are Markdown notes, so the count of Markdown notes waiting holds them; the inbox
    line of /status counts them already.
    """
    return sum(
        1
        for path in inbox.pending(kb)
        if path.name.endswith(names.TEXT_SUFFIX) and not path.name.endswith(MATERIAL_SUFFIXES)
    )
