"""How many material notes wait in `inbox/raw/`, and how many images among them wait for a
description (for /status and `voicenotes describe`)."""

from __future__ import annotations

from pathlib import Path

from notes.intake import formats
from notes.kb import KnowledgeBase, atomic


def waiting(kb: KnowledgeBase) -> tuple[int, int]:
    """(material notes waiting in `inbox/raw/`, photos and video keyframes among them still
    without a description).

    Material notes are the Markdown notes (`NAME.md`, `NAME_photo.md`, `NAME_link.md`…);
    transcripts and text notes are `.txt`.
    """
    if not kb.raw.is_dir():
        return 0, 0
    notes = [p for p in kb.raw.glob("*.md") if p.is_file() and not atomic.is_temporary(p)]
    return len(notes), sum(1 for p in notes if _image_waits(p))


def undescribed(kb: KnowledgeBase) -> int:
    """Photos and video keyframes in `inbox/raw/` that still wait for a description."""
    return waiting(kb)[1]


def _image_waits(note: Path) -> bool:
    """A photo or video note filed without its image described, its image still beside it
    (`voicenotes describe` can describe it)."""
    for suffix, waits in (
        (formats.PHOTO_SUFFIX, formats.photo_waiting),
        (formats.VIDEO_SUFFIX, lambda text: formats.keyframe_waiting_at(text) >= 0),
    ):
        if note.name.endswith(suffix):
            image = note.with_name(note.name.removesuffix(suffix) + ".jpg")
            return image.is_file() and waits(note.read_text(encoding="utf-8"))
    return False
