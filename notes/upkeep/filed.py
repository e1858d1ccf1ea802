"""What voicenotes itself filed, as opposed to what the author or an older tool put there.

The record is the run log (notes.kb.runlog): every drafting pass lists the notes it moved into
`inbox/used/` (`filed`), a killed pass's list included. A note is voicenotes' only when both
say so: the run log names it, it is still in `inbox/used/`, and its own front matter holds
`filed_by: voicenotes` (the mark every note voicenotes files carries); a log that names the
author's notes, which lack the mark, never makes them voicenotes'. So is each image such a
note points to, beside it (`image_file`)
or placed (`final_location`, relative to the note's folder). Everything else in the KB, the
notes and images an older tool filed among them, is never voicenotes' to delete or move.
A KB with no run log (a fresh clone: the log is not committed) has nothing of voicenotes'.

A photo note says where its image is in its front matter; `relocated` rewrites that one field
when the image moves, and no other byte.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from notes.intake import inbox, noteformats
from notes.intake.transcripts import FILED_BY, FILED_KEY, NoteFormatError
from notes.kb import KnowledgeBase, runlog

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
LOCATION_KEY = "final_location"


@dataclass
class Owned:
    """The notes voicenotes filed (KB paths) and, by KB path, the note each image belongs to."""

    notes: set[str] = field(default_factory=set)
    images: dict[str, str] = field(default_factory=dict)
    unmarked: set[str] = field(default_factory=set)
    """Notes the run log names whose front matter lacks `filed_by: voicenotes`: not ours."""


def filed_names(kb: KnowledgeBase) -> set[str]:
    """File names of every note a drafting pass recorded as filed into `inbox/used/`."""
    return {
        posixpath.basename(name)
        for record in runlog.runs(kb)
        for name in record.filed
        if isinstance(name, str)
    }


def owned(kb: KnowledgeBase) -> Owned:
    """What voicenotes filed and is still in `inbox/used/`, with the images those notes name:
    notes the run log names AND marked `filed_by: voicenotes`."""
    found = Owned()
    for name in sorted(filed_names(kb)):
        path = kb.used / name
        if not path.is_file():
            continue
        rel = path.relative_to(kb.root).as_posix()
        if not is_marked(path):
            found.unmarked.add(rel)
            continue
        found.notes.add(rel)
        for image in images_of(kb, path):
            found.images.setdefault(image, rel)
    return found


def is_marked(note_path: Path) -> bool:
    """Whether the note's front matter says voicenotes filed it (`filed_by: voicenotes`)."""
    try:
        return noteformats.read(note_path).meta.get(FILED_KEY) == FILED_BY
    except (NoteFormatError, OSError):
        return False


def images_of(kb: KnowledgeBase, note_path: Path) -> list[str]:
    """KB paths of the existing images note `note_path` keeps beside it or names as placed."""
    try:
        note = noteformats.read(note_path)
    except NoteFormatError:
        return []
    folder = note_path.parent
    found = [
        (folder / name).relative_to(kb.root).as_posix()
        for name in inbox.attachments(folder, note)
        if name.lower().endswith(IMAGE_SUFFIXES)
    ]
    placed = location_target(kb, note_path, note.meta.get(LOCATION_KEY))
    if placed is not None and placed not in found:
        found.append(placed)
    return found


def location_target(kb: KnowledgeBase, note_path: Path, location: object) -> str | None:
    """The KB path a `final_location` value names (None: not a path inside the KB, or gone)."""
    if not isinstance(location, str) or not location.strip():
        return None
    folder = note_path.parent.relative_to(kb.root).as_posix()
    target = posixpath.normpath(posixpath.join(folder, location.strip()))
    if target.startswith("../") or target == ".." or not (kb.root / target).is_file():
        return None
    return target


def location_for(note_rel: str, image_rel: str) -> str:
    """The `final_location` value for the image at KB path `image_rel`, from the note's folder."""
    return posixpath.relpath(image_rel, posixpath.dirname(note_rel))


def relocated(note_text: str, image_name: str, location: str) -> str:
    """The photo note's text with its image recorded at `location`; no other byte changes.

    `final_location` gets the new value; a note whose image lay beside it (`image_file:
    NAME.jpg`) records it as placed ones read: `original_image: NAME.jpg` then
    `final_location`. Raises ValueError when the front matter names neither.
    """
    lines = note_text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r") == "---":
            break
        end = "\r" if line.endswith("\r") else ""
        if line.startswith(f"{LOCATION_KEY}:"):
            lines[number] = f"{LOCATION_KEY}: {location}{end}"
            return "\n".join(lines)
        if line.startswith("image_file:") and line.split(":", 1)[1].strip() == image_name:
            lines[number : number + 1] = [
                f"original_image: {image_name}{end}",
                f"{LOCATION_KEY}: {location}{end}",
            ]
            return "\n".join(lines)
    raise ValueError(f"the note names no {LOCATION_KEY} or image_file {image_name}")
